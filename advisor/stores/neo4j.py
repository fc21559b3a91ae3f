"""Neo4j (Cypher 5): node labels, relationship types with their direction, uniqueness
constraints and indexes. Amazon Neptune gets the same model with its constraints and indexes as
comments: it has no schema commands, labels and types come into being with the data.

Conventions of the Cypher manual ("Naming rules and recommendations"): labels in PascalCase,
relationship types in UPPER_SNAKE_CASE; property names stay as the requirements spell them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from advisor.recommendation import Reason
from advisor.requirements.model import Entity, Relationship
from advisor.stores.common import (
    StoreRequest,
    StoreSchema,
    UniqueNames,
    entity_path,
    reason,
    relationship_path,
    scope,
    unique_names,
    unread_entities,
    unread_reason,
    words,
)

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Words a plain identifier may not be without backticks where Cypher would read a keyword.
_KEYWORDS = frozenset(
    [
        "all",
        "and",
        "as",
        "asc",
        "ascending",
        "by",
        "call",
        "case",
        "constraint",
        "contains",
        "create",
        "delete",
        "desc",
        "descending",
        "detach",
        "distinct",
        "else",
        "end",
        "ends",
        "exists",
        "false",
        "for",
        "foreach",
        "in",
        "index",
        "is",
        "key",
        "limit",
        "match",
        "merge",
        "node",
        "not",
        "null",
        "on",
        "optional",
        "or",
        "order",
        "remove",
        "require",
        "return",
        "set",
        "skip",
        "starts",
        "then",
        "true",
        "union",
        "unique",
        "unwind",
        "where",
        "with",
        "xor",
        "yield",
    ]
)
INDEXED_KINDS = ("lookup", "range", "aggregate", "time_window", "join")


def cypher_name(name: str) -> str:
    """A Cypher identifier: plain when it can be, else in backticks with backticks doubled.

    >>> cypher_name("Person"), cypher_name("order item"), cypher_name("a`b"), cypher_name("match")
    ('Person', '`order item`', '`a``b`', '`match`')
    """
    if _PLAIN.fullmatch(name) and name.lower() not in _KEYWORDS:
        return name
    return "`" + name.replace("`", "``") + "`"


def label(name: str) -> str:
    """PascalCase of the words of a name; the name itself when it has no words.

    >>> label("order_item"), label("order item"), label("客户"), label("OrderItem")
    ('OrderItem', 'OrderItem', '客户', 'OrderItem')
    """
    parts = words(name)
    return "".join(part[:1].upper() + part[1:] for part in parts) or name


def relationship_type(name: str) -> str:
    """UPPER_SNAKE_CASE of the words of a name.

    >>> [relationship_type(n) for n in ("follows", "used device", "usedCard")]
    ['FOLLOWS', 'USED_DEVICE', 'USED_CARD']
    """
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return "_".join(part.upper() for part in words(spaced)) or name


@dataclass(frozen=True)
class _Edge:
    relationship: Relationship
    type: str
    source: str  # label
    target: str  # label


def neo4j_schema(request: StoreRequest) -> StoreSchema:
    """Constraints and indexes in Cypher 5, with the graph model in comments.

    >>> from advisor.requirements import read_requirements
    >>> social = read_requirements('''
    ... format: advisor/v1
    ... project: Social
    ... entities: [{name: person, attributes: [{name: handle, type: string, unique: true}]}]
    ... relationships: [{from: person, to: person, cardinality: many-to-many, name: follows}]
    ... ''')
    >>> from advisor.facts import build_facts
    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> request = StoreRequest(build_facts(social, DEFAULT_MATRIX), "neo4j")
    >>> print(neo4j_schema(request).text.splitlines()[-1])
    CREATE CONSTRAINT person_handle_unique IF NOT EXISTS FOR (n:Person) REQUIRE n.handle IS UNIQUE;
    """
    requirements, technology = request.requirements, request.technology
    chosen = scope(request)
    decisions: list[Reason] = []
    names = {e.name for e in chosen.entities}
    labels = dict(
        zip(
            names_in_order(chosen.entities),
            unique_names(label(e.name) for e in chosen.entities),
            strict=True,
        )
    )
    for entity in chosen.entities:
        if labels[entity.name] != entity.name:
            decisions.append(
                reason(
                    "neo4j_label",
                    (entity_path(requirements, entity.name),),
                    f"label {labels[entity.name]}",
                    f"{entity.name!r} is the label {labels[entity.name]!r} (PascalCase).",
                )
            )
    edges: list[_Edge] = []
    types: dict[tuple[str, str], str] = {}
    for relationship in requirements.relationships:
        if relationship.source not in names or relationship.target not in names:
            continue
        spelled = (
            relationship_type(relationship.name)
            if relationship.name is not None
            else f"HAS_{relationship_type(relationship.target)}"
        )
        types[(relationship.source, relationship.role)] = spelled
        edge = _Edge(
            relationship, spelled, labels[relationship.source], labels[relationship.target]
        )
        edges.append(edge)
        why = (
            f"named {relationship.name!r}"
            if relationship.name is not None
            else "unnamed, so HAS_ and the target's name"
        )
        decisions.append(
            reason(
                "neo4j_relationship",
                (relationship_path(requirements, relationship),),
                f"(:{edge.source})-[:{spelled}]->(:{edge.target})",
                f"{relationship.source} to {relationship.target} ({relationship.cardinality}) is "
                f"the relationship type {spelled} ({why}), directed from the side that holds "
                "the reference; Cypher can follow it both ways at the same cost.",
            )
        )
    neptune = technology == "neptune"
    lines = [
        f"// Graph schema for {requirements.project} "
        f"({'Amazon Neptune, openCypher' if neptune else 'Neo4j 5, Cypher 5'}), "
        "from the database design advisor.",
    ]
    if neptune:
        lines.append(
            "// Amazon Neptune has no schema commands: labels and types come with the data; the "
            "constraints below are the application's to keep (MERGE on the key)."
        )
    lines += ["//", "// Nodes:"]
    for entity in chosen.entities:
        properties = ", ".join(entity.attribute_names())
        lines.append(f"//   (:{cypher_name(labels[entity.name])} {{{properties}}})")
    lines.append("// Relationships:")
    for edge in edges:
        lines.append(
            f"//   (:{cypher_name(edge.source)})-[:{cypher_name(edge.type)}]->"
            f"(:{cypher_name(edge.target)})  {edge.relationship.cardinality}"
        )
    statements: list[str] = []
    name_for = UniqueNames().claim

    for entity in chosen.entities:
        node = cypher_name(labels[entity.name])
        unique = ["id", *(a.name for a in entity.attributes if a.unique and a.name != "id")]
        for attribute in unique:
            constraint = name_for(f"{entity.name}_{attribute}_unique")
            statements.append(
                f"CREATE CONSTRAINT {cypher_name(constraint)} IF NOT EXISTS "
                f"FOR (n:{node}) REQUIRE n.{cypher_name(attribute)} IS UNIQUE;"
            )
        decisions.append(
            reason(
                "neo4j_constraints",
                (entity_path(requirements, entity.name),),
                f"unique {', '.join(unique)} on {labels[entity.name]}",
                f"{labels[entity.name]} nodes are unique by {', '.join(unique)}: the application "
                "gives every node an id (Neo4j's element ids are not stable), and a uniqueness "
                "constraint is also the index that finds a start node.",
            )
        )
        required = [a.name for a in entity.attributes if a.required]
        if required and not neptune:
            statements.append(
                "// Enterprise Edition only, property existence: "
                + "; ".join(
                    f"CREATE CONSTRAINT FOR (n:{node}) REQUIRE n.{cypher_name(a)} IS NOT NULL"
                    for a in required
                )
            )
        indexed: set[tuple[str, ...]] = {(a,) for a in unique}
        text_fields: list[str] = []
        for facts in chosen.patterns_of(entity.name):
            pattern = facts.pattern
            keys_used = tuple(
                n
                for n in (*pattern.filter, *(s.removeprefix("-") for s in pattern.sort))
                if n in entity.attribute_names()
            )
            if pattern.kind == "full_text":
                text_fields += [p for p in keys_used if p not in text_fields]
                continue
            if pattern.kind == "traversal":
                followed = [
                    types[(entity.name, n)] for n in pattern.filter if (entity.name, n) in types
                ]
                depth = facts.depth
                decisions.append(
                    reason(
                        "neo4j_traversal",
                        (facts.path,),
                        f"follows {', '.join(followed) or 'every type'}",
                        f"{pattern.name!r} starts from a node found by its key and follows "
                        f"{', '.join(followed) or 'its relationships'} up to {depth} hops: "
                        "index-free adjacency, no index beyond the start node's.",
                    )
                )
                continue
            keys_used = tuple(dict.fromkeys(keys_used))
            if not keys_used or pattern.kind not in INDEXED_KINDS or keys_used in indexed:
                continue
            indexed.add(keys_used)
            index = name_for(f"{entity.name}_{'_'.join(keys_used)}")
            keys = ", ".join(f"n.{cypher_name(p)}" for p in keys_used)
            statements.append(
                f"CREATE INDEX {cypher_name(index)} IF NOT EXISTS FOR (n:{node}) ON ({keys});"
            )
            decisions.append(
                reason(
                    "neo4j_index",
                    (facts.path,),
                    f"range index on {labels[entity.name]}({', '.join(keys_used)})",
                    f"{pattern.name!r} finds {labels[entity.name]} nodes by "
                    f"{', '.join(keys_used)}: a range index.",
                )
            )
        if text_fields:
            index = name_for(f"{entity.name}_text")
            keys = ", ".join(f"n.{cypher_name(p)}" for p in text_fields)
            statements.append(
                f"CREATE FULLTEXT INDEX {cypher_name(index)} IF NOT EXISTS FOR (n:{node}) "
                f"ON EACH [{keys}];"
            )
    if neptune:
        statements = [s if s.startswith("//") else f"// {s}" for s in statements]
    lines += ["", *statements]
    if request.system_of_record:
        decisions += [
            unread_reason(
                "neo4j", chosen, e.name, f"the nodes labelled {labels[e.name]}, unique by id"
            )
            for e in unread_entities(chosen)
        ]
    return StoreSchema(
        store="neo4j",
        technology=technology,
        filename=f"{'neptune' if neptune else 'neo4j'}.cypher",
        text="\n".join(lines) + "\n",
        decisions=tuple(decisions),
        role=request.role,
        patterns=tuple(p.pattern.name for p in chosen.patterns),
    )


def names_in_order(entities: Iterable[Entity]) -> list[str]:
    return [entity.name for entity in entities]
