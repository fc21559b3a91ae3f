"""DynamoDB: a single table with composed keys, overloaded indexes, TTL and billing mode; the
JSON is a valid CreateTable request and says how each access pattern is served."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from advisor.engine import advise
from advisor.recommendation import Choice
from advisor.requirements import Requirements, read_requirements
from advisor.stores import dynamodb_schema, store_schemas
from tests.advisor.store_requests import request
from tests.advisor.test_stores_syntax import check_dynamodb

ROOT = Path(__file__).resolve().parents[2]
ORDERS = ROOT / "tests" / "fixtures" / "stores" / "order-service.yaml"


def _orders(**workload: object) -> Requirements:
    text = ORDERS.read_text(encoding="utf-8")
    for name, value in workload.items():
        text = text.replace("workload: {", f"workload: {{{name}: {value}, ", 1)
    return read_requirements(text)


def _patterns(table: dict[str, object]) -> dict[str, dict[str, object]]:
    return {p["Name"]: p for p in table["AccessPatterns"]}  # type: ignore[attr-defined,index]


def test_a_dynamodb_primary_gets_a_schema_file() -> None:
    # At 800 writes/s and 200 GB the engine now starts simple (one PostgreSQL primary); a team
    # that still chooses DynamoDB gets its table.
    requirements = _orders()
    recommendation = advise(requirements)
    assert recommendation.primary.technology == "postgresql"
    chosen = dataclasses.replace(
        recommendation, primary=Choice("key_value", "dynamodb", "Amazon DynamoDB", 90.0)
    )
    assert "dynamodb.json" in [s.filename for s in store_schemas(requirements, chosen)]


def _orders_without_updates_by_id() -> Requirements:
    text = ORDERS.read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if "update order status" not in line)
    return read_requirements(text)


def test_children_share_the_partition_of_their_parent() -> None:
    table = check_dynamodb(
        dynamodb_schema(request(_orders_without_updates_by_id(), "dynamodb")).text
    )
    order = next(i for i in table["Items"] if i["Entity"] == "order")
    assert (order["PK"], order["SK"]) == ("CUSTOMER#<customer_id>", "ORDER#<created_at>#<id>")
    served = _patterns(table)
    assert served["orders of a customer"]["Operation"] == "Query"
    assert "Index" not in served["orders of a customer"]
    assert served["orders of a customer"]["ScanIndexForward"] is False
    assert served["customer by id"]["Operation"] == "GetItem"


def test_patterns_the_table_does_not_serve_get_indexes() -> None:
    table = check_dynamodb(dynamodb_schema(request(_orders(), "dynamodb")).text)
    served = _patterns(table)
    assert served["customer by email"]["Index"] == "GSI1"
    assert served["orders by status"]["Index"] == "GSI2"
    assert served["orders of a customer"]["Index"] == "GSI1"  # overloaded: another entity
    assert len(table["GlobalSecondaryIndexes"]) == 2


def test_an_item_changed_by_its_id_is_keyed_by_what_the_caller_has() -> None:
    # "update order status" has only the order's id: under CUSTOMER#<customer_id> /
    # ORDER#<created_at>#<id> it could not name the item (a point operation needs the full
    # key) and had to query an index first.
    table = check_dynamodb(dynamodb_schema(request(_orders(), "dynamodb")).text)
    order = next(i for i in table["Items"] if i["Entity"] == "order")
    assert (order["PK"], order["SK"]) == ("ORDER#<id>", "ORDER#<id>")
    served = _patterns(table)
    assert served["update order status"] == {
        "Name": "update order status",
        "Entity": "order",
        "Operation": "UpdateItem",
        "Key": {"PK": "ORDER#<id>", "SK": "ORDER#<id>"},
    }
    for pattern in table["AccessPatterns"]:  # type: ignore[attr-defined]
        key = pattern.get("Key", {})
        if pattern["Operation"] in ("GetItem", "UpdateItem", "DeleteItem"):
            assert "<created_at>" not in key["SK"], pattern


def test_billing_follows_the_load() -> None:
    busy = check_dynamodb(dynamodb_schema(request(_orders(), "dynamodb")).text)
    assert busy["BillingMode"] == "PROVISIONED"
    assert busy["ProvisionedThroughput"]["ReadCapacityUnits"] > 1
    quiet = read_requirements(
        ORDERS.read_text(encoding="utf-8").replace("per_second: ", "per_second: 0.0")
    )
    schema = dynamodb_schema(request(quiet, "dynamodb"))
    assert check_dynamodb(schema.text)["BillingMode"] == "PAY_PER_REQUEST"
    sentence = next(d.sentence for d in schema.decisions if d.rule == "dynamodb_billing")
    assert "below 1,000 units" in sentence and "a range Query reads 20 items" in sentence


def test_retention_sets_the_ttl_attribute_of_stream_entities() -> None:
    requirements = read_requirements("""
format: advisor/v1
project: Events
workload: {retention_days: 30}
entities:
  - {name: event, attributes: [{name: kind, type: string, length: 20}]}
access_patterns:
  - {name: record, entity: event, operation: write, kind: append}
""")
    table = check_dynamodb(dynamodb_schema(request(requirements, "dynamodb")).text)
    assert table["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert table["Items"][0]["ttl"] == "<created_at> + 30 days, as epoch seconds"
    assert "TimeToLiveSpecification" not in json.loads(
        dynamodb_schema(request(_orders(), "dynamodb")).text
    )


def test_no_more_than_twenty_indexes() -> None:
    attributes = ", ".join(f"{{name: a{n}, type: string, unique: true}}" for n in range(25))
    patterns = "\n".join(
        f"  - {{name: by a{n}, entity: thing, operation: read, kind: lookup, filter: [a{n}]}}"
        for n in range(25)
    )
    requirements = read_requirements(
        f"format: advisor/v1\nproject: Many\nentities:\n  - {{name: thing, attributes: "
        f"[{attributes}]}}\naccess_patterns:\n{patterns}\n"
    )
    schema = dynamodb_schema(request(requirements, "dynamodb"))
    assert len(check_dynamodb(schema.text)["GlobalSecondaryIndexes"]) == 20
    assert sum(d.rule == "dynamodb_index_limit" for d in schema.decisions) == 4
