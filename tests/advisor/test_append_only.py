"""Append-only entities: rows that are inserted and never changed (audit logs, ledgers, events)
get no updated_at and no trigger, never lose rows through a cascade from the row they refer to,
and read as event sourcing where the workload asks for it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from advisor.ddl import render_ddl
from advisor.engine import advise
from advisor.errors import InvalidRequirements
from advisor.lint import lint
from advisor.requirements import read_requirements
from advisor.schema import DIALECTS, build_schema

KEYS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "ddl" / "keys.yaml"
LEDGER = """
format: advisor/v1
project: Ledger
workload: {consistency: strong, transactions: multi_entity}
entities:
  - {name: account}
  - name: entry
    append_only: APPEND_ONLY
    attributes: [{name: amount, type: decimal, precision: 12, scale: 2, required: true}]
relationships:
  - {from: entry, to: account, cardinality: many-to-one, required: true}
access_patterns:
  - {name: balance, entity: entry, operation: read, kind: aggregate, filter: [account]}
  - {name: post an entry, entity: entry, operation: write, kind: lookup}
"""


def _ledger(append_only: bool = True, extra: str = "") -> str:
    return LEDGER.replace("APPEND_ONLY", str(append_only).lower()) + extra


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_an_append_only_table_has_no_updated_at_and_no_trigger(dialect_name: str) -> None:
    schema = build_schema(read_requirements(KEYS.read_text(encoding="utf-8")), dialect_name)
    audit = schema.table("audit_entry")
    assert audit is not None and audit.append_only
    assert [column.name for column in audit.columns] == ["id", "action", "actor_id", "created_at"]
    ddl = render_ddl(schema)
    assert "trg_audit_entry" not in ddl
    assert "trg_user_updated_at" in ddl or dialect_name in ("mysql", "sqlserver", "oracle")


def test_its_rows_cannot_be_filtered_by_an_updated_at_they_do_not_have() -> None:
    pattern = "  - {name: x, entity: entry, operation: read, kind: range, sort: [updated_at]}\n"
    with pytest.raises(InvalidRequirements, match="'updated_at' is not an attribute"):
        read_requirements(_ledger(extra=pattern))


@pytest.mark.parametrize("on_delete", ["cascade", "set_null"])
def test_a_cascade_into_an_append_only_entity_is_refused(on_delete: str) -> None:
    text = _ledger().replace("required: true}\n", f"on_delete: {on_delete}}}\n", 1)
    text = text.replace("required: true, on_delete", "on_delete")
    with pytest.raises(InvalidRequirements) as caught:
        read_requirements(text)
    assert [(p.path, p.message.split(":")[0]) for p in caught.value.problems] == [
        ("relationships[0].on_delete", "'entry' is append-only")
    ]


def test_the_mirrored_form_is_refused_too() -> None:
    text = _ledger().replace(
        "{from: entry, to: account, cardinality: many-to-one, required: true}",
        "{from: account, to: entry, cardinality: one-to-many, on_delete: cascade}",
    )
    with pytest.raises(InvalidRequirements, match="'entry' is append-only"):
        read_requirements(text)


def test_deleting_the_row_an_audit_entry_refers_to_is_refused() -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute("PRAGMA foreign_keys = ON")
    schema = build_schema(read_requirements(KEYS.read_text(encoding="utf-8")), "sqlite")
    connection.executescript(render_ddl(schema))
    connection.execute("INSERT INTO \"user\" (handle, email) VALUES ('ann', 'ann@ex.com')")
    connection.execute("INSERT INTO audit_entry (action, actor_id) VALUES ('login', 1)")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        connection.execute('DELETE FROM "user"')


def test_update_patterns_on_an_append_only_entity_are_flagged() -> None:
    pattern = (
        "  - {name: fix an entry, entity: entry, operation: update, kind: lookup, filter: [id]}\n"
    )
    flagged = lint(build_schema(read_requirements(_ledger(extra=pattern)), "postgresql"))
    assert [(f.rule, f.location) for f in flagged if f.rule == "append-only-changed"] == [
        ("append-only-changed", "table entry")
    ]
    plain = lint(build_schema(read_requirements(_ledger(False, pattern)), "postgresql"))
    assert "append-only-changed" not in {f.rule for f in plain}


def test_the_flag_is_a_stronger_signal_of_event_sourcing_than_an_append_pattern() -> None:
    # The write pattern is a lookup, not an append: only the flag says the entries only grow.
    declared = advise(read_requirements(_ledger()), project_load=False)
    assert declared.pattern.name == "event_sourcing"
    reason = next(r for r in declared.trace if r.rule == "architecture_pattern")
    assert "entities[1].append_only" in reason.inputs
    inferred = advise(read_requirements(_ledger(False)), project_load=False)
    assert inferred.pattern.name != "event_sourcing"
