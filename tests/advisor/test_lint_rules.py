"""Each lint rule fires on a small model made to break it, and stays quiet on a sound one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from advisor.engine import advise
from advisor.lint import RULES, Finding, Rule, lint, rules
from advisor.requirements import read_requirements
from advisor.schema import (
    DIALECTS,
    Column,
    ColumnType,
    EnumType,
    ForeignKey,
    Index,
    IndexColumn,
    Key,
    Schema,
    Table,
    build_schema,
    schema_for,
)
from advisor.schema.model import TenantScope

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(
    path
    for folder in ("tests/fixtures/requirements", "docs/examples", "tests/fixtures/ddl")
    for path in (ROOT / folder).glob("*.yaml")
    if not path.name.endswith(".expected.yaml")
)

BIGINT = ColumnType("bigint")
ID = Column("id", BIGINT, nullable=False, identity=True)


def _table(name: str, *columns: Column, **parts: object) -> Table:
    return Table(name, (ID, *columns), primary_key=Key(f"pk_{name}", ("id",)), **parts)  # type: ignore[arg-type]


def _run(
    rule: Rule, *tables: Table, dialect_name: str = "postgresql", **schema: object
) -> list[Finding]:
    return list(lint(Schema(dialect_name, tables, **schema), rules=(rule,)))  # type: ignore[arg-type]


CUSTOMER = _table("customer", Column("name", ColumnType("string", length=100), nullable=False))
ORDER_KEY = ForeignKey("fk_order_customer_id", ("customer_id",), "customer", ("id",), required=True)
CUSTOMER_ID = Column("customer_id", BIGINT, nullable=False)
INDEXED_ORDER = _table(
    "order_line",
    CUSTOMER_ID,
    foreign_keys=(ORDER_KEY,),
    indexes=(Index("ix_order_line_customer_id", (IndexColumn("customer_id"),)),),
)

EMAIL = Column("email", ColumnType("string", length=255), nullable=False)
COMPANY_ID = Column("company_id", BIGINT, nullable=False)
SCOPE = TenantScope("company", "company_id", BIGINT, ("customer", "invoice"), True)


def _scoped(tenant_in_keys: bool) -> tuple[Table, ...]:
    """A customer and an invoice of a shared-schema design, with or without the tenant id in
    the customer's unique email and the invoice's foreign key."""
    lead = ("company_id",) if tenant_in_keys else ()
    customer = _table(
        "customer", COMPANY_ID, EMAIL, uniques=(Key("uq_customer_email", (*lead, "email")),)
    )
    invoice = _table(
        "invoice",
        COMPANY_ID,
        CUSTOMER_ID,
        foreign_keys=(
            ForeignKey("fk_invoice_customer_id", (*lead, "customer_id"), "customer", (*lead, "id")),
        ),
    )
    return customer, invoice


CASES: list[tuple[Rule, tuple[Table, ...], tuple[Table, ...], dict[str, object]]] = [
    (
        rules.table_without_primary_key,
        (Table("log", (Column("line", ColumnType("text")), Column("at", ColumnType("datetime")))),),
        (CUSTOMER,),
        {},
    ),
    (
        rules.foreign_key_without_index,
        (CUSTOMER, _table("order_line", CUSTOMER_ID, foreign_keys=(ORDER_KEY,))),
        (CUSTOMER, INDEXED_ORDER),
        {},
    ),
    (
        rules.redundant_index,
        (
            _table(
                "t",
                Column("a", BIGINT),
                Column("b", BIGINT),
                indexes=(
                    Index("ix_t_a", (IndexColumn("a"),)),
                    Index("ix_t_a_b", (IndexColumn("a"), IndexColumn("b"))),
                ),
            ),
        ),
        (
            _table(
                "t",
                Column("a", BIGINT),
                Column("b", BIGINT),
                indexes=(
                    Index("ix_t_a", (IndexColumn("a"),)),
                    Index("ix_t_b_a", (IndexColumn("b"), IndexColumn("a"))),
                ),
            ),
        ),
        {},
    ),
    (
        rules.nullable_required_relationship,
        (
            CUSTOMER,
            _table("order_line", Column("customer_id", BIGINT), foreign_keys=(ORDER_KEY,)),
        ),
        (CUSTOMER, INDEXED_ORDER),
        {},
    ),
    (
        rules.money_as_float,
        (_table("invoice", Column("total_amount", ColumnType("float"))),),
        (
            _table(
                "invoice",
                Column("total_amount", ColumnType("decimal", precision=12, scale=2)),
                Column("weight", ColumnType("float")),
            ),
        ),
        {},
    ),
    (
        rules.event_time_without_time_zone,
        (_table("event", Column("happened_at", ColumnType("timestamp"))),),
        (_table("event", Column("happened_at", ColumnType("datetime"))),),
        {},
    ),
    (
        rules.identifier_too_long,
        (_table("t" * 64, Column("a", BIGINT)),),
        (_table("t" * 60, Column("a", BIGINT)),),  # pk_ and 60: 63 bytes
        {},
    ),
    (
        rules.reserved_word_identifier,
        (_table("order", Column("a", BIGINT)),),
        (_table("purchase", Column("a", BIGINT)),),
        {},
    ),
    (
        rules.enum_without_values,
        (_table("t", Column("state", ColumnType("enum"))),),
        (_table("t", Column("state", ColumnType("enum", values=("on", "off")))),),
        {},
    ),
    (
        rules.nullable_unique_column,
        (
            _table(
                "t",
                Column("email", ColumnType("string", length=9)),
                uniques=(Key("uq_t_email", ("email",)),),
            ),
        ),
        (
            _table(
                "t",
                Column("email", ColumnType("string", length=9), nullable=False),
                uniques=(Key("uq_t_email", ("email",)),),
            ),
        ),
        {},
    ),
    (
        rules.repeating_group,
        (
            _table(
                "contact",
                Column("phone1", ColumnType("string")),
                Column("phone2", ColumnType("string")),
            ),
        ),
        (
            _table(
                "contact",
                Column("phone", ColumnType("string")),
                Column("line1", ColumnType("string")),
            ),
        ),
        {},
    ),
    (
        rules.single_column_table,
        (Table("tag", (ID,), primary_key=Key("pk_tag", ("id",))),),
        (_table("tag", Column("label", ColumnType("string"))),),
        {},
    ),
    (
        rules.too_many_columns,
        (_table("wide", *(Column(f"c_{n}", BIGINT) for n in range(rules.MAX_COLUMNS))),),
        (_table("wide", *(Column(f"c_{n}", BIGINT) for n in range(rules.MAX_COLUMNS - 1))),),
        {},
    ),
    (
        rules.foreign_key_type_mismatch,
        (
            CUSTOMER,
            _table(
                "order_line",
                Column("customer_id", ColumnType("integer"), nullable=False),
                foreign_keys=(ORDER_KEY,),
                indexes=INDEXED_ORDER.indexes,
            ),
        ),
        (CUSTOMER, INDEXED_ORDER),
        {},
    ),
    (
        rules.undeclared_relationship,
        (CUSTOMER, _table("order_line", CUSTOMER_ID)),
        (CUSTOMER, INDEXED_ORDER),
        {},
    ),
    (
        rules.case_sensitive_unique_text,
        (_table("account", EMAIL, uniques=(Key("uq_account_email", ("email",)),)),),
        (
            _table(
                "account",
                replace(EMAIL, case_insensitive=True),
                uniques=(Key("uq_account_email", ("email",)),),
            ),
            _table("account", EMAIL),
        ),
        {},
    ),
    (
        rules.b_tree_on_unindexable_column,
        (
            _table(
                "passage",
                Column("embedding", ColumnType("vector", dimensions=768), nullable=False),
                indexes=(Index("ix_passage_embedding", (IndexColumn("embedding"),)),),
            ),
        ),
        (
            _table(
                "passage",
                Column("embedding", ColumnType("vector", dimensions=768), nullable=False),
                indexes=(
                    Index("ix_passage_embedding", (IndexColumn("embedding"),), kind="vector"),
                ),
            ),
        ),
        {},
    ),
    (
        rules.append_only_changed,
        (_table("ledger_entry", append_only=True, changed_by=("correct an entry",)),),
        (
            _table("ledger_entry", append_only=True),
            _table("account", changed_by=("rename an account",)),
        ),
        {},
    ),
    (
        rules.index_key_too_large,
        (
            _table(
                "page",
                Column("url", ColumnType("string", length=800), nullable=False),
                indexes=(Index("ix_page_url_id", (IndexColumn("url"), IndexColumn("id"))),),
            ),
        ),
        (
            _table(
                "page",
                Column("url", ColumnType("string", length=700), nullable=False),
                indexes=(Index("ix_page_url_id", (IndexColumn("url"), IndexColumn("id"))),),
            ),
        ),
        {"dialect_name": "mysql"},
    ),
    (rules.unscoped_tenant_key, _scoped(False), _scoped(True), {"tenancy": SCOPE}),
]


def test_every_rule_has_a_case() -> None:
    assert {case[0] for case in CASES} == set(RULES)


@pytest.mark.parametrize(
    ("rule", "broken", "sound", "extra"), CASES, ids=[c[0].__name__ for c in CASES]
)
def test_the_rule_fires_on_a_broken_model_only(
    rule: Rule, broken: tuple[Table, ...], sound: tuple[Table, ...], extra: dict[str, object]
) -> None:
    findings = _run(rule, *broken, **extra)
    assert findings, f"{rule.__name__} did not fire"
    for finding in findings:
        assert finding.severity in ("error", "warning", "info")
        assert finding.location and finding.message and finding.fix
    assert _run(rule, *sound, **extra) == []


def test_an_enum_type_without_values_is_an_error() -> None:
    findings = _run(rules.enum_without_values, CUSTOMER, enums=(EnumType("mood", ()),))
    assert [(f.severity, f.location) for f in findings] == [("error", "type mood")]


@pytest.mark.parametrize("dialect_name", ["mysql", "sqlite", "sqlserver"])
def test_dialects_whose_collation_ignores_case_are_not_told_to_fold_emails(
    dialect_name: str,
) -> None:
    account = _table("account", EMAIL, uniques=(Key("uq_account_email", ("email",)),))
    assert _run(rules.case_sensitive_unique_text, account, dialect_name=dialect_name) == []


def test_time_zones_are_not_asked_of_dialects_without_them() -> None:
    event = _table("event", Column("happened_at", ColumnType("timestamp")))
    assert _run(rules.event_time_without_time_zone, event, dialect_name="mysql") == []


def test_identifier_limits_are_counted_as_the_dialect_counts() -> None:
    table = _table("é" * 40, Column("a", BIGINT))  # 40 characters, 80 bytes
    assert _run(rules.identifier_too_long, table, dialect_name="postgresql")
    assert not _run(rules.identifier_too_long, table, dialect_name="mysql")


@pytest.mark.parametrize("dialect_name", DIALECTS)
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_generated_designs_have_no_errors(path: Path, dialect_name: str) -> None:
    requirements = read_requirements(path.read_text(encoding="utf-8"))
    schema = build_schema(requirements, dialect_name)
    errors = [f for f in lint(schema) if f.severity == "error"]
    assert errors == []


def test_an_unscoped_tenant_key_names_each_key_and_how_to_scope_it() -> None:
    findings = _run(rules.unscoped_tenant_key, *_scoped(False), tenancy=SCOPE)
    assert [(f.location, f.fix) for f in findings] == [
        ("customer: unique key uq_customer_email", "put company_id first: (company_id, email)"),
        (
            "invoice: foreign key fk_invoice_customer_id",
            "FOREIGN KEY (company_id, customer_id) REFERENCES customer (company_id, id)",
        ),
    ]
    assert _run(rules.unscoped_tenant_key, *_scoped(False)) == []  # no tenancy: no finding


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_a_generated_shared_schema_design_scopes_every_key(dialect_name: str) -> None:
    path = ROOT / "tests" / "fixtures" / "ddl" / "tenancy.yaml"
    requirements = read_requirements(path.read_text(encoding="utf-8"))
    schema = schema_for(requirements, advise(requirements, project_load=False), dialect_name)
    assert schema.tenancy is not None
    assert [f for f in lint(schema) if f.severity == "error"] == []


@pytest.mark.parametrize("kind", ["point", "vector", "binary", "json", "text"])
def test_a_b_tree_on_a_point_vector_or_large_column_is_an_error(kind: str) -> None:
    column = Column("value", ColumnType(kind), nullable=False)
    index = Index("ix_thing_value", (IndexColumn("value"),))
    [finding] = _run(rules.b_tree_on_unindexable_column, _table("thing", column, indexes=(index,)))
    assert (finding.severity, finding.location) == ("error", "thing: index ix_thing_value")
    spatial = Index("ix_thing_value", (IndexColumn("value"),), kind="spatial")
    assert (
        _run(rules.b_tree_on_unindexable_column, _table("thing", column, indexes=(spatial,))) == []
    )


def test_index_keys_over_3072_bytes_are_counted_only_where_innodb_limits_them() -> None:
    url = Column("url", ColumnType("string", length=800), nullable=False)
    wide = _table("page", url, indexes=(Index("ix_page_url", (IndexColumn("url"),)),))
    [finding] = _run(rules.index_key_too_large, wide, dialect_name="mysql")
    assert finding.severity == "error" and "3200 bytes" in finding.message
    assert _run(rules.index_key_too_large, wide, dialect_name="postgresql") == []
    unique = _table("page", url, uniques=(Key("uq_page_url", ("url",)),))
    [warning] = _run(rules.index_key_too_large, unique, dialect_name="mysql")
    assert warning.severity == "warning" and "MariaDB" in warning.message


def test_the_lines_of_an_address_are_not_a_repeating_group() -> None:
    text = ColumnType("string", length=200)
    address = _table(
        "address",
        Column("street_line1", text),
        Column("street_line2", text),
        Column("address_line_1", text),
        Column("address_line_2", text),
    )
    assert _run(rules.repeating_group, address) == []
    phones = _table("contact", Column("phone1", text), Column("phone2", text))
    assert _run(rules.repeating_group, phones)
