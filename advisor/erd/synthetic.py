"""Generated requirements of any size, for measuring and testing diagrams of large schemas.

The model looks like a real one: bounded contexts of about twenty tables, typed columns with
keys, references mostly within a context and some across, optional ones, and a junction table
for every tenth table. The same size always gives the same model.
"""

from __future__ import annotations

from advisor.requirements.model import Attribute, Entity, Relationship, Requirements

TABLES_PER_CONTEXT = 20

_ATTRIBUTES = (
    Attribute("code", "string", length=40, required=True, unique=True),
    Attribute("title", "string", length=200, required=True),
    Attribute("notes", "text"),
    Attribute("amount", "decimal", precision=12, scale=2),
    Attribute("state", "enum", values=("new", "active", "closed"), required=True),
    Attribute("happened_at", "datetime"),
)


def synthetic_requirements(table_count: int, *, across: float = 0.2, seed: int = 5) -> Requirements:
    """Requirements whose schema has exactly `table_count` tables (one in ten a junction).

    `across` is the share of references to a table anywhere in the model rather than to one
    of the same context: 1.0 makes a tangle, the hardest case for a layered layout.

    >>> from advisor.schema import build_schema
    >>> len(build_schema(synthetic_requirements(50), "postgresql").tables)
    50
    """
    import random  # for measurements and tests: the diagrams of a document do without it

    chance = random.Random(seed)
    junctions = table_count // 10
    entity_count = table_count - junctions
    entities = []
    relationships = []
    for n in range(entity_count):
        context = f"context_{n // TABLES_PER_CONTEXT:02d}"
        entities.append(Entity(f"entity_{n:04d}", context=context, attributes=_ATTRIBUTES))
        if n == 0:
            continue
        first = n - n % TABLES_PER_CONTEXT
        for extra in range(1 + (chance.random() < 0.4)):
            local = chance.random() >= across and first < n
            target = chance.randrange(first, n) if local else chance.randrange(0, n)
            relationships.append(
                Relationship(
                    f"entity_{n:04d}",
                    f"entity_{target:04d}",
                    "many-to-one",
                    name=f"ref_{extra}",
                    required=chance.random() < 0.7,
                )
            )
    for j in range(junctions):
        source, target = chance.randrange(entity_count), chance.randrange(entity_count)
        relationships.append(
            Relationship(
                f"entity_{source:04d}", f"entity_{target:04d}", "many-to-many", name=f"link_{j}"
            )
        )
    return Requirements(
        project=f"Generated, {table_count} tables",
        entities=tuple(entities),
        relationships=tuple(relationships),
    )
