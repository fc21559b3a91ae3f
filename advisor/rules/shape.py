"""Rules on the shape of the data: relationships, schema stability, durability, retention."""

from __future__ import annotations

from advisor.draft import Draft
from advisor.facts import share
from advisor.recommendation import Reason
from advisor.rules.common import leaders, number, percent
from advisor.rules.reads import VOLUME, WRITES, reads


@reads()
def relationship_density(draft: Draft) -> Draft:
    """Many relationships per entity mean normalised data that is read by joining."""
    facts = draft.facts
    requirements = facts.requirements
    entities = len(requirements.entities)
    relationships = len(requirements.relationships)
    inputs = ("entities", "relationships")
    if entities == 0:
        return draft
    density = relationships / entities
    if entities < 2 or density < 0.5:
        sentence = (
            f"{number(relationships)} relationship(s) for {number(entities)} entities: items are "
            f"mostly self-contained, which suits documents and key-value items as well as tables."
        )
        return draft.explain(Reason("relationship_density", inputs, "none", sentence))
    weight = facts.weight("relationship_density") * min(1.0, density)
    networked = share(
        sum(
            1
            for r in requirements.relationships
            if r.cardinality == "many-to-many" or r.source == r.target
        ),
        relationships,
    )

    fit = tuple(
        (1 - networked) * joins + networked * max(joins, traversal)
        for joins, traversal in zip(facts.levels("joins"), facts.levels("traversal"), strict=True)
    )

    sentence = (
        f"{number(relationships)} relationships for {number(entities)} entities "
        f"({density:.1f} per entity): the data is connected, so stores that follow references "
        f"({leaders(facts, fit, 5)}) keep it consistent without copies"
        + (
            f"; {percent(networked)} of the relationships are many-to-many or self-references, "
            f"a network that traversals follow as well as joins."
            if networked
            else "."
        )
    )
    return draft.score(
        "relationship_density",
        weight,
        fit,
        Reason("relationship_density", inputs, f"joins +{weight:.2f}", sentence),
    )


@reads()
def schema_flexibility(draft: Draft) -> Draft:
    facts = draft.facts
    requirements = facts.requirements
    evolving = requirements.workload.schema_stability == "evolving"
    json_inputs = tuple(
        f"entities[{e}].attributes[{a}]"
        for e, entity in enumerate(requirements.entities)
        for a, attribute in enumerate(entity.attributes)
        if attribute.type == "json"
    )
    with_json = len({path.split(".")[0] for path in json_inputs})
    json_share = share(with_json, len(requirements.entities))
    weight = facts.weight("schema_flexibility") * ((1.0 if evolving else 0.0) + 0.5 * json_share)
    if weight == 0:
        return draft
    inputs = ("workload.schema_stability", *json_inputs)
    parts = []
    if evolving:
        parts.append("the schema is evolving (attributes change often and items differ)")
    if with_json:
        parts.append(f"{number(with_json)} entities keep free-form json attributes")
    sentence = (
        f"{' and '.join(parts).capitalize()}: stores with flexible documents "
        f"({leaders(facts, facts.levels('schema_flexibility'), 5)}) absorb that without "
        f"migrations."
    )
    return draft.score(
        "schema_flexibility",
        weight,
        facts.levels("schema_flexibility"),
        Reason("schema_flexibility", inputs, f"schema_flexibility +{weight:.2f}", sentence),
    )


@reads(WRITES, VOLUME)
def durability(draft: Draft) -> Draft:
    """The primary store is the system of record, unless the data is short-lived anyway or
    derived (rebuilt from the system of record elsewhere): weighted by the share of the bytes
    that are neither."""
    facts = draft.facts
    retention = facts.requirements.workload.retention_days
    short = retention is not None and retention <= facts.threshold("short_retention_days")
    recorded = 1.0
    if facts.layout.derived:  # else none of the bytes are derived, whatever the sizes
        total = sum(size.rows * size.row_bytes for size in facts.sizes.values())
        derived = sum(
            size.rows * size.row_bytes
            for name, size in facts.sizes.items()
            if facts.entities[name].derived
        )
        recorded = 1.0 - share(derived, total) if total else 1.0
    weight = facts.weight("durability") * (0.25 if short else 1.0) * recorded
    inputs: tuple[str, ...] = ("workload.retention_days",)
    if short:
        sentence = (
            f"Data lives only {number(retention or 0)} days, so losing the last moments of it in "
            f"a crash matters less; in-memory stores are held back only a little."
        )
    elif recorded < 1.0:
        inputs = (*inputs, "entities[].derived")
        sentence = (
            f"{percent(1.0 - recorded)} of the data is derived and can be rebuilt from its system "
            f"of record, so only the rest holds back stores that keep data in memory or in a "
            f"search index."
        )
    else:
        sentence = (
            "The primary store is the system of record: stores that keep data in memory or in a "
            "search index not meant as the source of truth are held back."
        )
    return draft.score(
        "durability",
        weight,
        facts.levels("durability"),
        Reason("durability", inputs, f"durability +{weight:.2f}", sentence),
    )


@reads()
def retention_expiry(draft: Draft) -> Draft:
    """Short retention means bulk deletes all day long, unless the store expires data itself."""
    facts = draft.facts
    retention = facts.requirements.workload.retention_days
    if retention is None or retention > facts.threshold("short_retention_days"):
        return draft
    weight = facts.weight("expiry")
    sentence = (
        f"Data is kept only {number(retention)} days: stores with native expiry "
        f"({leaders(facts, facts.levels('expiry'), 6)}) drop it without load, where others "
        f"delete it row by row."
    )
    return draft.score(
        "retention_expiry",
        weight,
        facts.levels("expiry"),
        Reason("retention_expiry", ("workload.retention_days",), f"expiry +{weight:.2f}", sentence),
    )
