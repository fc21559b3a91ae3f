"""MongoDB: embedding or referencing with reasons, validators, ESR indexes, TTLs."""

from __future__ import annotations

from advisor.requirements import Requirements, read_requirements
from advisor.stores import mongodb_schema
from tests.advisor.store_requests import request
from tests.advisor.test_stores_syntax import check_mongosh

ORDERS = """
entities:
  - {name: order, attributes: [{name: status, type: enum, values: [new, paid], required: true}]}
  - {name: line, attributes: [{name: quantity, type: integer, required: true, min: 1, max: 99}]}
  - {name: product, attributes: [{name: sku, type: string, length: 20, unique: true}]}
  - {name: event, attributes: [{name: at, type: datetime, required: true}]}
  - {name: customer, attributes: [{name: email, type: string, required: true, unique: true,
                                   format: email}]}
relationships:
  - {from: line, to: order, cardinality: many-to-one, required: true, on_delete: cascade}
  - {from: line, to: product, cardinality: many-to-one, required: true}
  - {from: event, to: order, cardinality: many-to-one, required: true, on_delete: cascade}
  - {from: order, to: customer, cardinality: many-to-one, required: true}
  - {from: product, to: order, cardinality: many-to-many, name: bought_with}
access_patterns:
  - {name: order with lines, entity: order, operation: read, kind: join, filter: [id]}
  - {name: log event, entity: event, operation: write, kind: append}
  - {name: orders of a customer, entity: order, operation: read, kind: range,
     filter: [customer, status], sort: [-created_at]}
  - {name: events in a window, entity: event, operation: read, kind: time_window, filter: [at]}
"""


def _doc(body: str, workload: str = "") -> Requirements:
    return read_requirements(f"format: advisor/v1\nproject: Test\n{workload}\n{body}")


def _decisions(body: str, workload: str = "") -> dict[str, str]:
    schema = mongodb_schema(request(_doc(body, workload), "mongodb"))
    return {d.effect: d.sentence for d in schema.decisions}


def test_an_owned_bounded_child_read_with_its_parent_is_embedded() -> None:
    decisions = _decisions(ORDERS)
    sentence = decisions["line embedded in order"]
    assert "owns it (required, deletes cascade)" in sentence
    assert "'order with lines' read them together" in sentence
    commands = check_mongosh(mongodb_schema(request(_doc(ORDERS), "mongodb")).text)
    assert "line" not in commands.collections
    order = commands.collections["order"]["validator"]["$jsonSchema"]
    items = order["properties"]["line"]["items"]
    assert items["properties"]["quantity"] == {"bsonType": "int", "minimum": 1, "maximum": 99}
    assert "product_id" in items["properties"] and "order_id" not in items["properties"]


def test_an_appended_child_is_referenced_because_it_grows_without_bound() -> None:
    sentence = _decisions(ORDERS)["event.order_id references order"]
    assert "grows without bound ('log event' appends to it)" in sentence
    assert "16 MB" in sentence


def test_a_child_the_parent_does_not_own_is_referenced() -> None:
    sentence = _decisions(ORDERS)["order.customer_id references customer"]
    assert "does not own it" in sentence


def test_a_child_read_on_its_own_or_referred_to_elsewhere_is_referenced() -> None:
    body = ORDERS.replace(
        "  - {name: log event,",
        "  - {name: line by quantity, entity: line, operation: read, kind: lookup,"
        " filter: [quantity]}\n  - {name: log event,",
    )
    assert (
        "'line by quantity' reads it on its own"
        in _decisions(body)["line.order_id references order"]
    )
    shared = ORDERS + "  - {name: x, entity: order, operation: read, kind: lookup}\n"
    shared = shared.replace(
        "relationships:\n",
        "relationships:\n  - {from: event, to: line, cardinality: many-to-one}\n",
    )
    assert "event refers to it as well" in _decisions(shared)["line.order_id references order"]


def test_many_to_many_is_an_array_of_references_with_a_multikey_index() -> None:
    schema = mongodb_schema(request(_doc(ORDERS), "mongodb"))
    assert "product.bought_with_ids" in {d.effect for d in schema.decisions}
    commands = check_mongosh(schema.text)
    product = commands.collections["product"]["validator"]["$jsonSchema"]["properties"]
    assert product["bought_with_ids"] == {"bsonType": "array", "items": {"bsonType": "objectId"}}
    assert ("product", {"bought_with_ids": 1}) in [(c, k) for c, k, _ in commands.indexes]


def test_validators_carry_types_enums_and_the_email_pattern() -> None:
    commands = check_mongosh(mongodb_schema(request(_doc(ORDERS), "mongodb")).text)
    customer = commands.collections["customer"]["validator"]["$jsonSchema"]
    assert customer["additionalProperties"] is False
    assert customer["properties"]["email"]["pattern"] == r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    assert {"email", "_id", "created_at", "updated_at"} <= set(customer["required"])
    order = commands.collections["order"]["validator"]["$jsonSchema"]["properties"]
    assert order["status"] == {"bsonType": "string", "enum": ["new", "paid"]}
    evolving = mongodb_schema(
        request(_doc(ORDERS, "workload: {schema_stability: evolving}"), "mongodb")
    )
    options = check_mongosh(evolving.text).collections["order"]
    assert options["validationLevel"] == "moderate"
    assert "additionalProperties" not in options["validator"]["$jsonSchema"]


def test_indexes_follow_equality_sort_range_and_unique_ones_are_partial_when_optional() -> None:
    commands = check_mongosh(mongodb_schema(request(_doc(ORDERS), "mongodb")).text)
    keys = {(c, tuple(k.items())): o for c, k, o in commands.indexes}
    assert (("customer_id", 1), ("status", 1), ("created_at", -1)) in {
        k for c, k in keys if c == "order"
    }
    assert keys[("product", (("sku", 1),))]["partialFilterExpression"] == {"sku": {"$exists": True}}
    assert "partialFilterExpression" not in keys[("customer", (("email", 1),))]
    # the reference index is a prefix of the pattern's index, so it is not made twice
    assert ("order", (("customer_id", 1),)) not in keys


def test_retention_makes_a_ttl_index_on_the_time_field_of_stream_entities_only() -> None:
    schema = mongodb_schema(request(_doc(ORDERS, "workload: {retention_days: 7}"), "mongodb"))
    commands = check_mongosh(schema.text)
    ttl = [(c, k, o) for c, k, o in commands.indexes if "expireAfterSeconds" in o]
    assert ttl == [
        ("event", {"at": 1}, {"name": "event_at_1", "expireAfterSeconds": 604800}),
    ]
    expiring = _doc("entities: [{name: session, attributes: [{name: expires_at, type: datetime}]}]")
    commands = check_mongosh(mongodb_schema(request(expiring, "mongodb")).text)
    assert [o.get("expireAfterSeconds") for _, _, o in commands.indexes] == [0]


def test_hostile_names_are_renamed_only_where_mongodb_forbids_them() -> None:
    hostile = _doc(
        'entities: [{name: "system.users", attributes: [{name: "a.b", type: string},'
        ' {name: "$x", type: integer}, {name: "say \\"hi\\"", type: string}]},'
        ' {name: "it\'s", attributes: [{name: "_id", type: string}]}]'
    )
    commands = check_mongosh(mongodb_schema(request(hostile, "mongodb")).text)
    assert set(commands.collections) == {"_system.users", "it's"}
    fields = commands.collections["_system.users"]["validator"]["$jsonSchema"]["properties"]
    assert 'say "hi"' in fields
    assert not any("." in name or name.startswith("$") for name in fields)
    other = commands.collections["it's"]["validator"]["$jsonSchema"]["properties"]
    assert other["_id"] == {"bsonType": "objectId"}
    assert other["_id_2"] == {"bsonType": "string"}


def test_a_sharded_primary_shards_its_collection_by_the_recommended_key() -> None:
    from advisor.engine import advise
    from advisor.facts import build_facts
    from advisor.matrix import DEFAULT_MATRIX
    from advisor.stores import primary_request
    from tests.advisor.conftest import ROOT

    events = read_requirements(
        (ROOT / "tests" / "fixtures" / "requirements" / "event-logging.yaml").read_text()
    )
    recommendation = advise(events, project_load=False)
    assert recommendation.primary.technology == "mongodb"
    [key] = recommendation.scaling.sharding.keys
    script = mongodb_schema(primary_request(build_facts(events, DEFAULT_MATRIX), recommendation))
    assert check_mongosh(script.text).shards == {"event": {key.key: "hashed"}}
    assert "mongodb_shard_key" in {decision.rule for decision in script.decisions}
