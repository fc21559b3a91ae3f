"""The logical model built from requirements: tables, keys, constraints and names."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.errors import AdvisorError, UnsupportedDialect
from advisor.requirements import Requirements, read_requirements
from advisor.schema import (
    DIALECTS,
    KEY_REASONS,
    Schema,
    SchemaParts,
    Table,
    build_schema,
    dialect,
    needs_quotes,
    physical_name,
)


def _doc(body: str) -> Requirements:
    return read_requirements("format: advisor/v1\nproject: Test\n" + body)


def _table(schema: Schema, name: str) -> Table:
    table = schema.table(name)
    assert table is not None, name
    return table


def test_foreign_keys_are_named_after_the_role_or_the_target(demo: Requirements) -> None:
    order = _table(build_schema(demo), "order")
    assert [(k.columns, k.target) for k in order.foreign_keys] == [
        (("customer_id",), "customer"),
        (("shipping_address_id",), "address"),
        (("billing_address_id",), "address"),
    ]
    assert [k.name for k in order.foreign_keys] == [
        "fk_order_customer_id",
        "fk_order_shipping_address_id",
        "fk_order_billing_address_id",
    ]


def test_a_self_reference_gets_its_role_as_column(demo: Requirements) -> None:
    category = _table(build_schema(demo), "category")
    (key,) = category.foreign_keys
    assert (key.columns, key.target, key.on_delete) == (("parent_id",), "category", "restrict")
    assert category.column("parent_id") is not None
    assert category.column("parent_id").nullable  # type: ignore[union-attr]


def test_on_delete_is_honoured_and_defaults_to_restrict() -> None:
    requirements = _doc(
        "entities: [{name: a}, {name: b}]\n"
        "relationships:\n"
        "  - {from: a, to: b, cardinality: many-to-one, name: x, on_delete: cascade}\n"
        "  - {from: a, to: b, cardinality: many-to-one, name: y, on_delete: set_null}\n"
        "  - {from: a, to: b, cardinality: many-to-one, name: z}\n"
    )
    keys = _table(build_schema(requirements), "a").foreign_keys
    assert [k.on_delete for k in keys] == ["cascade", "set_null", "restrict"]


def test_required_relationships_are_not_null(demo: Requirements) -> None:
    order = _table(build_schema(demo), "order")
    nullable = {c.name: c.nullable for c in order.columns}
    assert nullable["shipping_address_id"] is False
    assert nullable["billing_address_id"] is True


def test_one_to_one_makes_a_unique_foreign_key() -> None:
    requirements = _doc(
        "entities: [{name: user}, {name: profile}]\n"
        "relationships: [{from: profile, to: user, cardinality: one-to-one, required: true}]\n"
    )
    profile = _table(build_schema(requirements), "profile")
    assert [k.columns for k in profile.uniques] == [("user_id",)]


def test_many_to_many_makes_a_junction_table_with_a_reverse_index() -> None:
    requirements = _doc(
        "entities: [{name: order}, {name: product}]\n"
        "relationships: [{from: order, to: product, cardinality: many-to-many}]\n"
    )
    junction = _table(build_schema(requirements), "order_product")
    assert junction.primary_key is not None
    assert junction.primary_key.columns == ("order_id", "product_id")
    assert {k.target for k in junction.foreign_keys} == {"order", "product"}
    assert [i.column_names for i in junction.indexes] == [("product_id", "order_id")]


def test_a_self_many_to_many_gets_two_distinct_columns() -> None:
    requirements = _doc(
        "entities: [{name: user}]\n"
        "relationships: [{from: user, to: user, cardinality: many-to-many, name: follows}]\n"
    )
    junction = _table(build_schema(requirements), "user_follows")
    assert [c.name for c in junction.columns] == ["user_id", "follows_id"]


def test_keys_are_bigint_identity_by_default_with_the_reason(demo: Requirements) -> None:
    schema = build_schema(demo)
    key = _table(schema, "customer").columns[0]
    assert (key.name, key.type.kind, key.identity) == ("id", "bigint", True)
    assert schema.key_reason == KEY_REASONS["bigint_identity"]


def test_uuid_keys_are_made_by_the_application_and_foreign_keys_follow(
    demo: Requirements,
) -> None:
    schema = build_schema(demo, key_strategy="uuid_v7", key_reason="two write regions")
    order = _table(schema, "order")
    assert (order.columns[0].type.kind, order.columns[0].identity) == ("uuid", False)
    assert order.column("customer_id").type.kind == "uuid"  # type: ignore[union-attr]
    assert schema.key_strategy == "uuid_v7"
    assert schema.key_reason == "two write regions"


def test_an_unknown_key_strategy_is_an_error(demo: Requirements) -> None:
    with pytest.raises(AdvisorError, match="key strategy"):
        build_schema(demo, key_strategy="serial")


def test_an_unknown_dialect_is_an_error(demo: Requirements) -> None:
    with pytest.raises(UnsupportedDialect, match="db2"):
        build_schema(demo, "db2")


@pytest.mark.parametrize(
    ("dialect_name", "native", "checked"),
    [
        ("postgresql", True, False),
        ("mysql", False, False),
        ("sqlite", False, True),
        ("sqlserver", False, True),
        ("oracle", False, True),
    ],
)
def test_enums_are_native_where_the_dialect_has_them(
    demo: Requirements, dialect_name: str, native: bool, checked: bool
) -> None:
    schema = build_schema(demo, dialect_name)
    status = _table(schema, "order").column("status")
    assert status is not None
    assert (status.type.enum_type is not None) is native
    assert bool(schema.enums) is native
    checks = [c for c in _table(schema, "order").checks if c.column == "status"]
    assert bool(checks) is checked
    if checked:
        assert checks[0].kind == "in"
        assert checks[0].values == ("pending", "confirmed", "shipped", "delivered", "cancelled")


def test_attribute_rules_become_constraints(demo: Requirements) -> None:
    product = _table(build_schema(demo), "product")
    stock = product.column("stock")
    assert stock is not None
    assert (stock.nullable, stock.default) == (False, 0)
    assert [k.columns for k in product.uniques] == [("sku",)]
    ranges = {c.column: (c.min, c.max) for c in product.checks if c.kind == "range"}
    assert ranges == {"price": (0, None), "stock": (0, None)}


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_email_is_checked_where_the_dialect_has_regular_expressions(
    demo: Requirements, dialect_name: str
) -> None:
    customer = _table(build_schema(demo, dialect_name), "customer")
    checked = any(c.kind == "email" for c in customer.checks)
    email = customer.column("email")
    assert email is not None
    assert checked is (dialect(dialect_name).regex is not None)
    assert ("email" in email.comment) is not checked


def test_audit_columns_are_added_unless_declared() -> None:
    requirements = _doc(
        "entities:\n"
        "  - {name: a}\n"
        "  - {name: b, attributes: [{name: created_at, type: date, required: true}]}\n"
    )
    schema = build_schema(requirements)
    a, b = _table(schema, "a"), _table(schema, "b")
    assert [(c.name, c.type.kind, c.default_now) for c in a.columns[1:]] == [
        ("created_at", "datetime", True),
        ("updated_at", "datetime", True),
    ]
    assert [(c.name, c.type.kind) for c in b.columns] == [
        ("id", "bigint"),
        ("created_at", "date"),
        ("updated_at", "datetime"),
    ]


def test_a_declared_id_is_the_primary_key() -> None:
    requirements = _doc("entities: [{name: a, attributes: [{name: id, type: string, length: 20}]}]")
    a = _table(build_schema(requirements), "a")
    assert a.primary_key is not None and a.primary_key.columns == ("id",)
    assert (a.columns[0].type.kind, a.columns[0].identity, a.columns[0].nullable) == (
        "string",
        False,
        False,
    )


def test_the_same_requirements_give_the_same_schema(demo: Requirements) -> None:
    assert build_schema(demo, "mysql") == build_schema(demo, "mysql")


@pytest.mark.parametrize("dialect_name", ["postgresql", "mysql", "sqlserver", "oracle"])
def test_names_are_shortened_stably_to_the_dialect_limit(dialect_name: str) -> None:
    target = dialect(dialect_name)
    name = "ö" * 128
    shortened = physical_name(name, target)
    assert target.identifier_limit is not None
    assert target.length(shortened) <= target.identifier_limit
    assert shortened == physical_name(name, target)


@given(st.text(min_size=1, max_size=128), st.text(min_size=1, max_size=128))
def test_different_names_stay_different_after_shortening(first: str, second: str) -> None:
    target = dialect("postgresql")
    if first != second:
        assert physical_name(first, target) != physical_name(second, target)
    assert target.length(physical_name(first, target)) <= 63


def test_mysql_names_lose_trailing_spaces_and_characters_beyond_the_bmp() -> None:
    target = dialect("mysql")
    assert not physical_name("name ", target).endswith(" ")
    assert all(ord(c) <= 0xFFFF for c in physical_name("smile 😀", target))


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("order_item", False),
        ("order", True),
        ("user", True),
        ("group", True),
        ("select", True),
        ("OrderItem", True),
        ("order item", True),
        ('say "hi"', True),
        ("客户", True),
        ("_private", True),
    ],
)
def test_reserved_words_and_unusual_characters_are_quoted(name: str, quoted: bool) -> None:
    assert needs_quotes(name, dialect("postgresql")) is quoted


def test_several_relationships_to_one_table_never_share_a_column() -> None:
    requirements = _doc(
        "entities: [{name: match}, {name: team}]\n"
        "relationships:\n"
        "  - {from: match, to: team, cardinality: many-to-one, name: home}\n"
        "  - {from: match, to: team, cardinality: many-to-one, name: away}\n"
    )
    match = _table(build_schema(requirements), "match")
    assert [c.name for c in match.columns] == [
        "id",
        "home_id",
        "away_id",
        "created_at",
        "updated_at",
    ]


SHARED_PARTS = f"""
entities:
  - name: account
    attributes:
      - {{name: {"a" * 64}, type: integer, min: 1, unique: true}}
      - {{name: state, type: enum, values: [new, closed]}}
      - {{name: email, type: string, length: 200, format: email}}
  - name: visit
    attributes:
      - {{name: id, type: string, length: 12, unique: true}}
      - {{name: at, type: point}}
      - {{name: created_at, type: date}}
  - {{name: note, attributes: [{{name: body, type: text}}, {{name: Title, type: string}}]}}
  - {{name: plain, attributes: [{{name: code, type: string, length: 8, unique: true}}]}}
relationships:
  - {{from: visit, to: account, cardinality: many-to-one}}
  - {{from: note, to: plain, cardinality: many-to-one}}
"""


@pytest.mark.parametrize("order", [DIALECTS, DIALECTS[::-1]], ids=["forward", "backward"])
def test_schemas_built_with_shared_parts_are_the_schemas_built_alone(
    order: tuple[str, ...],
) -> None:
    # Long names, enums, points, email addresses and declared ids make the dialects' columns
    # differ; the parts one dialect leaves must never show in another's schema.
    requirements = _doc(SHARED_PARTS)
    parts = SchemaParts()
    for name in order:
        shared = build_schema(requirements, name, partitions_from=date(2025, 1, 1), parts=parts)
        alone = build_schema(requirements, name, partitions_from=date(2025, 1, 1))
        assert shared == alone, name
