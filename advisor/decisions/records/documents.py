"""Document modelling: embedding or referencing each relationship in a document store."""

from __future__ import annotations

from advisor.decisions.common import drivers
from advisor.decisions.context import RecordContext
from advisor.decisions.markdown import code, escape
from advisor.decisions.model import Decision, Option
from advisor.rules.common import number


def document_modelling(context: RecordContext) -> Decision | None:
    """Embedding or referencing per relationship, as `advisor.stores` models the document
    store; only for a document primary store with relationships to decide."""
    placements = context.recommendation.documents
    if context.primary.category != "document" or not placements:
        return None
    embedded = [p for p in placements if p.how == "embed"]
    inputs = tuple(dict.fromkeys(path for p in placements for path in p.inputs))
    limit = context.facts.threshold("document_size_limit_mb")
    scripts = [s for s in context.stores if s.technology == context.primary.id][:1]
    name = escape(context.primary.name)
    return Decision(
        key="document-modelling",
        title=(
            f"Embed {len(embedded)} and reference {len(placements) - len(embedded)} "
            f"relationships in {context.primary.name}"
            if embedded
            else f"Reference related documents in {context.primary.name} rather than embed them"
        ),
        outcome="; ".join(f"{p.source}.{p.role} {p.how} {p.target}" for p in placements),
        context=(
            f"{name} stores documents: each relationship between entities is either "
            "embedded (the child lives inside its parent's document) or referenced (the "
            "child holds the parent's id). Which, for each relationship?"
        ),
        drivers=drivers(context, inputs),
        options=(
            Option(
                "Embed what is owned and read together, reference the rest",
                None,
                "Chosen. The rules of thumb of MongoDB's data modelling guidance.",
                (
                    "a parent and its owned children are read and written as one document",
                    "shared or unbounded children do not bloat or duplicate documents",
                ),
                ("referenced children need a second query or $lookup",),
            ),
            Option(
                "Embed everything",
                None,
                "One document per aggregate root.",
                ("every read is one document",),
                ("shared data is copied and unbounded arrays approach the 16 MB document limit",),
            ),
            Option(
                "Reference everything",
                None,
                "One collection per entity, as tables.",
                ("no duplication; each entity changes on its own",),
                ("reads of a parent with its children need $lookup or several queries",),
            ),
        ),
        justification=tuple(escape(p.reason) for p in placements),
        good=(
            "documents match how the access patterns read the data",
            "no document grows without bound",
        ),
        bad=(
            "changing an embedding later rewrites every document of the collection",
            "references are not enforced by the database: the application keeps them valid",
        ),
        confirmation=(
            f"Document sizes stay far below the {number(limit)} MB limit: "
            + code(
                'db.collection.aggregate([{$project: {size: {$bsonSize: "$$ROOT"}}}, '
                "{$sort: {size: -1}}, {$limit: 5}])"
            ),
            "Reads of referenced data use indexes: "
            + code("db.collection.find({...}).explain('executionStats')")
            + " shows IXSCAN, not COLLSCAN",
        ),
        more_information=(
            "MongoDB: <https://www.mongodb.com/docs/manual/data-modeling/>",
            *(f"The generated script: {code('schema/' + s.filename)}." for s in scripts),
        ),
        inputs=inputs,
        because="embedding follows ownership and reading together, references the rest",
    )
