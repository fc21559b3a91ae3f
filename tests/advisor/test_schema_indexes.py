"""Indexes follow the access patterns; every pattern says what serves it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from advisor.engine import advise
from advisor.recommendation import Partitioning
from advisor.requirements import Requirements, read_requirements
from advisor.schema import DIALECTS, Index, IndexColumn, Schema, Table, build_schema

EVENTS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "ddl" / "events.yaml"


def _doc(body: str) -> Requirements:
    return read_requirements("format: advisor/v1\nproject: Test\n" + body)


def _table(schema: Schema, name: str) -> Table:
    table = schema.table(name)
    assert table is not None, name
    return table


def _index(table: Table, name: str) -> Index:
    return next(index for index in table.indexes if index.name == name)


def _served_by(schema: Schema) -> dict[str, str | None]:
    return {record.pattern: record.index for record in schema.patterns}


def test_every_pattern_says_what_serves_it(demo: Requirements) -> None:
    assert _served_by(build_schema(demo)) == {
        "product page": "uq_product_sku",
        "products of a category": "ix_product_category_id_name_where_active",
        "search products by text": "ix_product_name_description_fts",
        "orders of a customer, newest first": "ix_order_customer_id_placed_at",
        "order with its items": "pk_order",
        "place an order": None,
        "update order status": "pk_order",
        "revenue per day": "ix_order_placed_at",
    }
    assert all(record.reason for record in build_schema(demo).patterns)


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_every_index_names_the_patterns_it_serves_or_why_it_exists(
    demo: Requirements, dialect_name: str
) -> None:
    for table in build_schema(demo, dialect_name).tables:
        for index in table.indexes:
            assert index.serves or index.reason


def test_equality_columns_come_first_then_sort_columns_with_their_direction(
    demo: Requirements,
) -> None:
    order = _table(build_schema(demo), "order")
    index = _index(order, "ix_order_customer_id_placed_at")
    assert index.columns == (IndexColumn("customer_id"), IndexColumn("placed_at", True))


def test_a_range_filter_comes_after_the_equality_filters() -> None:
    requirements = _doc(
        "entities: [{name: reading, attributes: [{name: at, type: datetime}, "
        "{name: sensor, type: string, length: 20}]}]\n"
        "access_patterns: [{name: p, entity: reading, operation: read, kind: range, "
        "filter: [at, sensor]}]\n"
    )
    (index,) = _table(build_schema(requirements), "reading").indexes
    assert index.column_names == ("sensor", "at")


def test_a_boolean_filter_makes_a_partial_index_where_the_dialect_has_them(
    demo: Requirements,
) -> None:
    postgres = _index(
        _table(build_schema(demo, "postgresql"), "product"),
        "ix_product_category_id_name_where_active",
    )
    assert postgres.where == (("active", True),)
    assert postgres.column_names == ("category_id", "name")
    mysql = _table(build_schema(demo, "mysql"), "product")
    assert ("category_id", "active", "name") in [i.column_names for i in mysql.indexes]


@pytest.mark.parametrize(("dialect_name", "include"), [("postgresql", ("total",)), ("mysql", ())])
def test_aggregates_over_few_measures_get_covering_indexes(
    demo: Requirements, dialect_name: str, include: tuple[str, ...]
) -> None:
    index = _index(_table(build_schema(demo, dialect_name), "order"), "ix_order_placed_at")
    assert index.include == include


def test_full_text_patterns_get_a_text_index_unless_a_search_component_serves_them(
    demo: Requirements,
) -> None:
    index = _index(_table(build_schema(demo), "product"), "ix_product_name_description_fts")
    assert (index.kind, index.column_names) == ("full_text", ("name", "description"))
    served = build_schema(demo, search_served_patterns=frozenset({"search products by text"}))
    assert all(i.kind != "full_text" for t in served.tables for i in t.indexes)
    record = next(r for r in served.patterns if r.pattern == "search products by text")
    assert record.index is None and "search component" in record.reason


def test_dialects_without_full_text_indexes_say_so(demo: Requirements) -> None:
    schema = build_schema(demo, "sqlite")
    record = next(r for r in schema.patterns if r.pattern == "search products by text")
    assert record.index is None and "no full-text index for sqlite" in record.reason


def test_foreign_keys_get_an_index_unless_one_leads_with_them(demo: Requirements) -> None:
    schema = build_schema(demo)
    order = _table(schema, "order")
    leading = [i.column_names[0] for i in order.indexes]
    assert leading.count("customer_id") == 1  # the pattern's composite index serves the key
    assert "shipping_address_id" in leading and "billing_address_id" in leading
    address = _table(schema, "address")
    assert [i.column_names for i in address.indexes] == [("customer_id",)]


def test_duplicate_and_prefix_covered_indexes_merge() -> None:
    requirements = _doc(
        "entities: [{name: t, attributes: [{name: a, type: string, length: 9}, "
        "{name: b, type: string, length: 9}]}]\n"
        "access_patterns:\n"
        "  - {name: by a, entity: t, operation: read, kind: lookup, filter: [a]}\n"
        "  - {name: by a and b, entity: t, operation: read, kind: lookup, filter: [a, b]}\n"
        "  - {name: by a again, entity: t, operation: read, kind: lookup, filter: [a]}\n"
    )
    (index,) = _table(build_schema(requirements), "t").indexes
    assert index.column_names == ("a", "b")
    assert set(index.serves) == {"by a", "by a and b", "by a again"}


def test_inserts_and_filters_on_other_tables_need_no_index_here() -> None:
    requirements = _doc(
        "entities: [{name: customer}, {name: order}]\n"
        "relationships: [{from: order, to: customer, cardinality: many-to-one}]\n"
        "access_patterns:\n"
        "  - {name: add, entity: customer, operation: write, kind: append}\n"
        "  - {name: with orders, entity: customer, operation: read, kind: join, filter: [order]}\n"
    )
    records = {r.pattern: r for r in build_schema(requirements).patterns}
    assert records["add"].index is None
    assert records["with orders"].index is None
    assert "customer_id" in records["with orders"].reason


def test_the_engines_time_partitioning_is_carried_out_on_postgresql() -> None:
    requirements = read_requirements(EVENTS.read_text(encoding="utf-8"))
    decided = advise(requirements).scaling.partitioning
    assert [(p.entity, p.column, p.interval) for p in decided] == [
        ("event", "happened_at", "day")  # 500 appends/s: 43 million rows a day
    ]
    schema = build_schema(requirements, partitioning=decided, partitions_from=date(2025, 1, 17))
    event = _table(schema, "event")
    assert event.partitioning is not None
    assert event.partitioning.column == "happened_at"
    assert event.primary_key is not None and event.primary_key.columns == ("id", "happened_at")
    partitions = event.partitioning.partitions
    assert [(p.start, p.end) for p in partitions[:2]] == [
        ("2025-01-17", "2025-01-18"),
        ("2025-01-18", "2025-01-19"),
    ]
    assert len(partitions) == 7 and all(p.start is not None for p in partitions)
    assert "90 days" in event.partitioning.policy
    assert [(o.table, o.applied) for o in schema.partitions] == [("event", True)]
    mysql = build_schema(requirements, "mysql", partitioning=decided)
    assert all(t.partitioning is None for t in mysql.tables)
    (outcome,) = mysql.partitions
    assert not outcome.applied and "does not partition" in outcome.why_not


def test_a_table_others_refer_to_is_not_partitioned_and_says_why() -> None:
    requirements = read_requirements(EVENTS.read_text(encoding="utf-8"))
    decision = Partitioning("device", "time", "seen_at", "day", 30, "asked for")
    schema = build_schema(requirements, partitioning=(decision,))
    assert _table(schema, "device").partitioning is None
    (outcome,) = schema.partitions
    assert (outcome.table, outcome.column, outcome.applied) == ("device", "seen_at", False)
    assert "other tables refer to it (event)" in outcome.why_not
    assert any(note.startswith("device is not partitioned by seen_at") for note in schema.notes)


def test_without_retention_partitions_are_kept_and_detached() -> None:
    requirements = read_requirements(EVENTS.read_text(encoding="utf-8"))
    decision = Partitioning("event", "time", "happened_at", "month", None, "large")
    event = _table(build_schema(requirements, partitioning=(decision,)), "event")
    assert event.partitioning is not None and event.partitioning.retention_days is None
    assert "DETACH PARTITION" in event.partitioning.policy


def test_no_partitioning_is_decided_no_table_is_partitioned() -> None:
    requirements = read_requirements(EVENTS.read_text(encoding="utf-8"))
    schema = build_schema(requirements)
    assert all(t.partitioning is None for t in schema.tables) and schema.partitions == ()


def test_long_text_keys_are_cut_to_what_mysql_can_index() -> None:
    requirements = _doc(
        "entities: [{name: t, attributes: [{name: a, type: string, length: 500}, "
        "{name: b, type: string, length: 300}]}]\n"
        "access_patterns: [{name: p, entity: t, operation: read, kind: range, "
        "filter: [a], sort: [b]}]\n"
    )
    (mysql,) = _table(build_schema(requirements, "mysql"), "t").indexes
    (postgres,) = _table(build_schema(requirements, "postgresql"), "t").indexes
    assert (mysql.column_names, postgres.column_names) == (("a",), ("a", "b"))


def test_opposite_sorts_after_the_same_equality_share_one_index() -> None:
    # A b-tree read backwards serves the newest-first pattern from the oldest-first index.
    schema = build_schema(
        _doc(
            "entities: [{name: reading, attributes: [{name: device, type: string, length: 40},"
            " {name: at, type: datetime}, {name: value, type: float}]}]\n"
            "access_patterns:\n"
            "  - {name: history, entity: reading, operation: read, kind: range,"
            " filter: [device], sort: [at]}\n"
            "  - {name: latest, entity: reading, operation: read, kind: range,"
            " filter: [device], sort: [-at]}\n"
        )
    )
    indexes = [index for index in _table(schema, "reading").indexes if "at" in index.column_names]
    assert len(indexes) == 1
    assert set(indexes[0].serves) == {"history", "latest"}
    assert _served_by(schema)["latest"] == indexes[0].name
