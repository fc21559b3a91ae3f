"""Document modelling: for a document primary store, embed or reference each relationship.

The rules of thumb of MongoDB's data modelling guidance: a child is embedded in its parent when
the parent owns it (required, deletes cascade), it is bounded, nothing reads it on its own and
nothing else refers to it; otherwise it holds the parent's id. Many-to-many relationships keep
an array of ids. The document store's schema and the decision record both read these
placements; neither decides again.
"""

from __future__ import annotations

from advisor.draft import Draft
from advisor.facts import Facts
from advisor.recommendation import Placement, Reason
from advisor.requirements.model import Relationship
from advisor.rules.common import number


def document_modelling(draft: Draft) -> Draft:
    if draft.primary.category != "document" or not draft.facts.requirements.relationships:
        return draft
    placements = place_relationships(draft.facts)
    for placement in placements:
        draft = draft.explain(
            Reason("document_modelling", placement.inputs, placement.how, placement.reason)
        )
    return draft.replace(documents=placements)


def place_relationships(facts: Facts) -> tuple[Placement, ...]:
    """Embed, reference or keep an id array for every relationship of the requirements, in
    their order; an embedding decided earlier can make a later one impossible.

    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> from advisor.facts import build_facts
    >>> from advisor.requirements import read_requirements
    >>> shop = read_requirements('''
    ... format: advisor/v1
    ... project: Shop
    ... entities: [{name: order}, {name: line}, {name: customer}]
    ... relationships:
    ...   - {from: line, to: order, cardinality: many-to-one, required: true, on_delete: cascade}
    ...   - {from: order, to: customer, cardinality: many-to-one}
    ... ''')
    >>> placed = place_relationships(build_facts(shop, DEFAULT_MATRIX))
    >>> [(p.source, p.how, p.target) for p in placed]
    [('line', 'embed', 'order'), ('order', 'reference', 'customer')]
    """
    requirements = facts.requirements
    embedded: dict[str, Relationship] = {}
    placements = []
    for index, relationship in enumerate(requirements.relationships):
        path = f"relationships[{index}]"
        child, parent, role = relationship.source, relationship.target, relationship.role
        if relationship.cardinality == "many-to-many":
            placements.append(
                _placement(
                    relationship,
                    path,
                    "id_array",
                    f"{child} keeps an array of {parent} ids ({role}_ids): many-to-many, so "
                    f"embedding would copy each {parent} into many documents.",
                    (path,),
                )
            )
            continue
        refused = _refusal(facts, relationship, embedded)
        if refused:
            placements.append(
                _placement(
                    relationship,
                    path,
                    "reference",
                    f"{child} references {parent} ({role}_id) rather than being embedded in it: "
                    f"{refused}.",
                    (path,),
                )
            )
            continue
        embedded[child] = relationship
        together = _read_together(facts, relationship)
        shape = "an array" if relationship.cardinality == "many-to-one" else "a subdocument"
        names = [repr(facts.patterns[i].pattern.name) for i in together]
        placements.append(
            _placement(
                relationship,
                path,
                "embed",
                f"{child} is embedded in {parent} as {shape}: {parent} owns it (required, "
                "deletes cascade), it grows with its parent only and nothing reads it on its own"
                + (f"; {', '.join(names)} read them together" if names else "")
                + ".",
                (path, *(facts.patterns[i].path for i in together)),
            )
        )
    return tuple(placements)


def _refusal(facts: Facts, relationship: Relationship, embedded: dict[str, Relationship]) -> str:
    """Why the child of `relationship` cannot be embedded in its parent, or ''."""
    child, parent = relationship.source, relationship.target
    entities = facts.entities
    if child == parent:
        return "it refers to its own kind, and a document cannot contain itself"
    if not (relationship.required and relationship.on_delete == "cascade"):
        return (
            f"{parent} does not own it: the relationship is not both required and cascading on "
            "delete, so it lives on its own"
        )
    contexts = (entities[child].context, entities[parent].context)
    if contexts[0] != contexts[1]:
        return f"they belong to different contexts ({contexts[0]} and {contexts[1]})"
    own = facts.patterns_by_entity.get(child, ())
    appends = [p.pattern.name for p in own if p.pattern.kind == "append"]
    if appends:
        return (
            f"it grows without bound ({appends[0]!r} appends to it), and a document is limited "
            f"to {number(facts.threshold('document_size_limit_mb'))} MB"
        )
    alone = [
        p.pattern.name
        for p in own
        if p.pattern.filter
        and not any(n in (relationship.role, relationship.target) for n in p.pattern.filter)
    ]
    if alone:
        return f"{alone[0]!r} reads it on its own"
    holders = [r.source for r in facts.incoming.get(child, ())]
    if holders:
        return f"{holders[0]} refers to it as well, so it needs an identity of its own"
    owners = [
        r.target
        for r in facts.outgoing.get(child, ())
        if r is not relationship and r.required and r.on_delete == "cascade"
    ]
    if owners:
        return f"{owners[0]} owns it too, and a document can live in one parent only"
    if child in embedded:
        return f"it is embedded in {embedded[child].target} already"
    chain = parent
    while chain in embedded:
        chain = embedded[chain].target
        if chain == child:
            return f"{parent} is embedded in it"
    return ""


def _read_together(facts: Facts, relationship: Relationship) -> tuple[int, ...]:
    """The patterns that read the child with its parent."""
    joins = {
        p.index
        for p in facts.patterns_by_entity.get(relationship.target, ())
        if p.pattern.kind == "join"
    }
    filters = {
        p.index
        for p in facts.patterns_by_entity.get(relationship.source, ())
        if any(n in (relationship.role, relationship.target) for n in p.pattern.filter)
    }
    return tuple(sorted(joins | filters))


def _placement(
    relationship: Relationship, path: str, how: str, reason: str, inputs: tuple[str, ...]
) -> Placement:
    return Placement(
        path, relationship.source, relationship.target, relationship.role, how, reason, inputs
    )
