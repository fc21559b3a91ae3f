"""Time to generate the DDL of all five dialects, and lint them, for a 500-entity model.

Run by `make bench`; the target is under 2 s in-process (issue 4), and the exit status is 1
when it is missed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from advisor.ddl import DIALECTS, render_ddl
from advisor.lint import lint
from advisor.requirements import (
    AccessPattern,
    Attribute,
    Entity,
    Relationship,
    Requirements,
)
from advisor.schema import build_schema

ENTITIES = 500
TARGET_SECONDS = 2.0


def model(size: int = ENTITIES) -> Requirements:
    entities = []
    relationships = []
    patterns = []
    for n in range(size):
        name = f"entity_{n}"
        entities.append(
            Entity(
                name,
                attributes=(
                    Attribute("code", "string", length=40, required=True, unique=True),
                    Attribute("title", "string", length=200, required=True),
                    Attribute("notes", "text"),
                    Attribute("amount", "decimal", precision=12, scale=2, min=0),
                    Attribute("quantity", "integer", default=0, min=0, max=1000),
                    Attribute("state", "enum", values=("new", "active", "closed"), default="new"),
                    Attribute("active", "boolean", required=True, default=True),
                    Attribute("happened_at", "datetime"),
                    Attribute("contact", "string", length=255, format="email"),
                ),
            )
        )
        if n:
            relationships.append(Relationship(name, f"entity_{n - 1}", "many-to-one"))
        if n % 10 == 0 and n:
            relationships.append(Relationship(name, f"entity_{n - 5}", "many-to-many"))
        patterns += [
            AccessPattern(f"{name} by code", name, "read", "lookup", filter=("code",)),
            AccessPattern(
                f"{name} active recent",
                name,
                "read",
                "range",
                filter=("state", "active"),
                sort=("-happened_at",),
            ),
            AccessPattern(f"{name} totals", name, "read", "aggregate", filter=("happened_at",)),
        ]
    return Requirements(
        project="Bench",
        entities=tuple(entities),
        relationships=tuple(relationships),
        access_patterns=tuple(patterns),
    )


def main() -> int:
    requirements = model()
    started = time.perf_counter()
    sizes = {}
    findings = 0
    for dialect_name in DIALECTS:
        schema = build_schema(requirements, dialect_name)
        sizes[dialect_name] = len(render_ddl(schema))
        findings += len(lint(schema))
    elapsed = time.perf_counter() - started
    print(f"{ENTITIES} entities, {len(DIALECTS)} dialects, DDL and lint: {elapsed:.2f} s")
    for dialect_name, size in sizes.items():
        print(f"  {dialect_name}: {size:,} characters")
    print(f"  lint findings, all dialects: {findings:,}")
    verdict = "met" if elapsed < TARGET_SECONDS else "MISSED"
    print(f"  target: under {TARGET_SECONDS:.0f} s -> {verdict}")
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
