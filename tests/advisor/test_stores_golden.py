"""Every golden document through `store_schemas`, and reviewed golden files of the outputs.

After an intended change, rewrite the files and review the diff:
`UPDATE_GOLDEN=1 pytest tests/advisor/test_stores_golden.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from advisor.engine import advise
from advisor.requirements import Requirements, read_requirements
from advisor.stores import GENERATORS, StoreSchema, store_schemas
from tests.advisor.store_requests import request
from tests.advisor.test_stores_syntax import (
    check_clickhouse,
    check_cql,
    check_cypher,
    check_dynamodb,
    check_mongosh,
    check_sql,
)

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "fixtures" / "stores"
DOCUMENTS = sorted(
    path
    for path in [
        *(ROOT / "tests" / "fixtures" / "requirements").glob("*.yaml"),
        *(ROOT / "docs" / "examples").glob("*.yaml"),
    ]
    if not path.name.endswith(".expected.yaml")
)


def _read(path: Path) -> Requirements:
    return read_requirements(path.read_text(encoding="utf-8"))


def check_syntax(schema: StoreSchema) -> None:
    """Fails when the text is not valid in its language (as far as the checks reach)."""
    if schema.filename == "dynamodb.json":
        check_dynamodb(schema.text)
    elif schema.filename == "clickhouse.sql":
        check_clickhouse(schema.text)
    elif schema.filename.endswith(".json"):
        json.loads(schema.text)
    elif schema.filename.endswith(".js"):
        check_mongosh(schema.text)
    elif schema.filename.endswith(".cql"):
        check_cql(schema.text)
    elif schema.filename.endswith(".cypher"):
        check_cypher(schema.text)
    elif schema.filename.endswith(".sql"):
        check_sql(schema.text)
    else:
        assert schema.filename.endswith(".md")
        assert schema.text.startswith("# ")


@pytest.mark.parametrize("path", DOCUMENTS, ids=[f"{p.parent.name}/{p.stem}" for p in DOCUMENTS])
def test_every_golden_document_gives_valid_store_schemas(path: Path) -> None:
    requirements = _read(path)
    recommendation = advise(requirements)
    schemas = store_schemas(requirements, recommendation)
    technologies = [recommendation.primary.technology] + [
        c.technology for c in recommendation.components
    ]
    assert {s.technology for s in schemas} <= set(technologies)
    assert len({s.filename for s in schemas}) == len(schemas)
    for schema in schemas:
        check_syntax(schema)
        assert schema.decisions, schema.filename
        assert all(d.sentence.endswith(".") for d in schema.decisions)
    assert store_schemas(requirements, recommendation) == schemas


def test_a_relational_design_without_components_has_no_store_schemas() -> None:
    requirements = _read(ROOT / "tests" / "fixtures" / "requirements" / "financial-ledger.yaml")
    assert store_schemas(requirements, advise(requirements)) == ()


def test_components_cover_only_their_patterns() -> None:
    requirements = _read(ROOT / "docs" / "examples" / "online-shop.yaml")
    schemas = {s.store: s for s in store_schemas(requirements, advise(requirements))}
    assert schemas["redis"].role == "cache"
    assert schemas["redis"].patterns == ("product page",)
    indices = json.loads(schemas["elasticsearch"].text)["indices"]
    assert list(indices) == ["product"]


REVIEWED = {
    "chat-messages-global": ROOT / "tests" / "fixtures" / "requirements",
    "fraud-rings": ROOT / "tests" / "fixtures" / "requirements",
    "iot-telemetry": ROOT / "docs" / "examples",
    "leaderboards": ROOT / "tests" / "fixtures" / "requirements",
    "online-shop": ROOT / "docs" / "examples",
    "order-service": GOLDEN,
    "product-catalogue": ROOT / "docs" / "examples",
    "real-time-analytics": ROOT / "tests" / "fixtures" / "requirements",
    "site-search": ROOT / "tests" / "fixtures" / "requirements",
    "social-graph": ROOT / "docs" / "examples",
}
CASES = [
    (document, schema)
    for document, folder in REVIEWED.items()
    for schema in store_schemas(
        _read(folder / f"{document}.yaml"), advise(_read(folder / f"{document}.yaml"))
    )
]
# The engine now starts the order service on PostgreSQL; its DynamoDB table, which a team that
# chooses DynamoDB gets, stays reviewed.
CASES.append(
    (
        "order-service",
        GENERATORS["dynamodb"](request(_read(GOLDEN / "order-service.yaml"), "dynamodb")),
    )
)
HOSTILE = _read(GOLDEN / "hostile.yaml")
HOSTILE_CASES = [
    (f"hostile.{name}", generate(request(HOSTILE, name))) for name, generate in GENERATORS.items()
]


def _compare(name: str, schema: StoreSchema) -> None:
    path = GOLDEN / f"{name}.{schema.filename}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(schema.text, encoding="utf-8")
    assert schema.text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("document", "schema"), CASES, ids=[f"{d}.{s.filename}" for d, s in CASES])
def test_store_schema_matches_the_reviewed_golden_file(document: str, schema: StoreSchema) -> None:
    _compare(document, schema)


@pytest.mark.parametrize(("name", "schema"), HOSTILE_CASES, ids=[n for n, _ in HOSTILE_CASES])
def test_hostile_names_give_valid_text_in_every_store(name: str, schema: StoreSchema) -> None:
    check_syntax(schema)
    _compare(name, schema)
