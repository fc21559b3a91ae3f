"""A migration as text: SQL with its steps and hazards as comments, or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from advisor.migrate.lint import Finding
from advisor.migrate.plan import Migration
from advisor.migrate.steps import Plan


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
