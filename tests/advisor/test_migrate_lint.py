"""The migration linter: the demo's plan has the findings its changes call for, none of the
unsafe-statement ones, and those fire when a statement is written the unsafe way."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from advisor.migrate.lint import failing, lint_migration
from advisor.migrate.plan import Migration, plan_migration
from advisor.requirements import read_requirements

ROOT = Path(__file__).resolve().parents[2]


def _demo(dialect: str, **options: object) -> Migration:
    v1 = read_requirements((ROOT / "docs/examples/online-shop.yaml").read_text())
    v2 = read_requirements((ROOT / "tests/fixtures/migrate/online-shop-v2.yaml").read_text())
    return plan_migration(v1, v2, dialect, **options)  # type: ignore[arg-type]


def test_the_demo_plan_has_the_findings_of_its_changes() -> None:
    findings = lint_migration(_demo("postgresql"))
    found = {(f.rule, f.target) for f in findings}
    assert found == {
        ("DS103", "customer.phone"),
        ("BC102", "customer.email_address"),
        ("PG301", "order_item.quantity"),
        ("MF103", "order.channel"),
    }


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite", "sqlserver", "oracle"])
def test_the_new_required_column_is_named_with_the_backfill_that_fixes_it(dialect: str) -> None:
    # SQLite adds the column in a rebuild of the whole table: the finding still names the
    # column, and the hint is an option the command accepts.
    [finding] = [f for f in lint_migration(_demo(dialect)) if f.rule == "MF103"]
    assert finding.target == "order.channel"
    assert "--backfill order.channel=VALUE" in finding.message
    given = _demo(dialect, backfill={"order.channel": "web"})
    assert "MF103" not in {f.rule for f in lint_migration(given)}


def test_a_value_for_the_new_column_and_an_accepted_drop_leave_no_error() -> None:
    migration = _demo("postgresql", backfill={"order.channel": "web"})
    assert failing(lint_migration(migration, ["ban-drop-column"])) == ()
    assert [f.rule for f in failing(lint_migration(migration))] == ["DS103"]


def test_unsafe_postgresql_statements_are_found() -> None:
    migration = _demo("postgresql", backfill={"order.channel": "web"})
    steps = tuple(
        replace(
            step,
            statements=tuple(s.replace(" CONCURRENTLY", "") for s in step.statements),
            transactional=True,
        )
        if step.operation in ("create_index", "drop_index")
        else replace(step, statements=tuple(s.replace(" NOT VALID", "") for s in step.statements))
        for step in migration.forward.steps
    )
    unsafe = replace(migration, forward=replace(migration.forward, steps=steps))
    rules = {f.rule for f in lint_migration(unsafe)}
    assert {"PG101", "PG305"} <= rules


def test_mysql_table_copies_are_named() -> None:
    findings = lint_migration(_demo("mysql", backfill={"order.channel": "web"}))
    copies = {f.target for f in findings if f.name == "mysql-table-copy"}
    assert copies == {"order_item.quantity", "customer"}
