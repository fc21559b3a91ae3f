"""A migration as text: SQL with its steps and hazards as comments, or JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from advisor.lint.rules import document_path
from advisor.migrate.diff import tables_by_name
from advisor.migrate.lint import RULE_HELP, Finding
from advisor.migrate.plan import Migration
from advisor.migrate.steps import Plan
from advisor.report import Issue, Report, RuleInfo, fingerprint


def plan_sql(plan: Plan, findings: Sequence[Finding] = ()) -> str:
    """The plan as one SQL file: each step a block, what it does and its hazards in comments,
    deployments and manual steps as comments alone.

    >>> from advisor.migrate.steps import Plan, Step
    >>> step = Step("drop_index", "Drop ix.", ("DROP INDEX ix",))
    >>> print(plan_sql(Plan("sqlite", "forward", (step,))))
    -- forward migration for sqlite, written by the database design advisor.
    <BLANKLINE>
    -- Step 1 (drop_index): Drop ix.
    DROP INDEX ix;
    <BLANKLINE>
    """
    lines = [
        f"-- {plan.direction} migration for {plan.dialect}, written by the database design advisor."
    ]
    lines += [f"-- Lint: {finding}" for finding in findings]
    chunks = ["\n".join(lines)]
    for number, step in enumerate(plan.steps, 1):
        block = [f"-- Step {number} ({step.operation}): {step.description}"]
        if step.statements and not step.transactional:
            block.append("-- Runs outside a transaction.")
        if step.repeat:
            block.append("-- Repeat until it updates no row.")
        block += [f"-- Hazard {hazard}" for hazard in step.hazards]
        if not step.statements:
            block.append("-- (not SQL: do this, then go on)")
        block += [f"{statement};" for statement in step.statements]
        chunks.append("\n".join(block))
    return "\n\n".join(chunks) + "\n"


def migration_json(migration: Migration, findings: Sequence[Finding] = ()) -> str:
    document = {
        "dialect": migration.forward.dialect,
        "renames": {
            "tables": dict(migration.diff.renames.tables),
            "columns": {
                f"{table}.{old}": new
                for (table, old), new in migration.diff.renames.columns.items()
            },
        },
        "forward": [step.to_dict() for step in migration.forward.steps],
        "rollback": [step.to_dict() for step in migration.rollback.steps],
        "lint": [finding.to_dict() for finding in findings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def migration_report(
    migration: Migration,
    findings: Sequence[Finding],
    *,
    file: str,
    lines: Mapping[str, int],
    fail_on: str = "error",
) -> Report:
    """The migration's findings as a report on the new version's `file`, each at the line of
    the entity or attribute it is about (`lines`: `document_lines` of that file); an accepted
    finding is suppressed by `--accept`."""
    dialect = migration.forward.dialect
    tables = tables_by_name(migration.diff.new)
    issues = []
    for finding in findings:
        name, _, column = finding.target.partition(".")
        table = tables.get(name)
        path = document_path(table, table.column(column)) if table is not None else ""
        issues.append(
            Issue(
                finding.rule,
                finding.severity,
                finding.message,
                f"{dialect}: {finding.target}",
                fingerprint("migrate", finding.rule, dialect, finding.target),
                line=lines.get(path) if path else None,
                path=path,
                suppressed="--accept" if finding.accepted else "",
            )
        )
    rules = tuple(RuleInfo(rule, help, name) for rule, (name, help) in RULE_HELP.items())
    return Report("migrate", file, rules, tuple(issues), fail_on)
