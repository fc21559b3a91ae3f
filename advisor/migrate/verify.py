"""Verified, not assumed: a plan run on a real engine, its catalogue compared at each stage.

`verify` applies the old schema's DDL to a scratch database, runs the forward plan, compares
the catalogue with the new schema, runs the rollback, compares with the old one, and runs the
forward plan again (up, down, up). The engine is behind `Database`, so the same walk serves
PostgreSQL, MariaDB and SQLite; deployment steps are skipped (nothing to deploy), backfill
batches run until they change no row, and a step marked transactional runs in a transaction,
so a step that cannot (CREATE INDEX CONCURRENTLY) would fail here rather than in production.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from advisor.ddl import render_ddl
from advisor.errors import AdvisorError
from advisor.migrate.plan import Migration
from advisor.migrate.steps import Plan
from advisor.schema.model import Schema

MAX_BATCHES = 100_000


class Database(Protocol):
    def script(self, sql: str) -> None:
        """Run a whole DDL document."""

    def run(self, statement: str) -> int:
        """Run one statement; the rows it changed (negative when it changes none)."""

    def differences(self, schema: Schema) -> list[str]:
        """How the database's catalogue differs from `schema`: empty when it matches."""


@dataclass(frozen=True)
class Stage:
    name: str  # old, forward, rollback, forward again
    differences: tuple[str, ...]


@dataclass(frozen=True)
class Verification:
    stages: tuple[Stage, ...]

    @property
    def ok(self) -> bool:
        return not any(stage.differences for stage in self.stages)

    def __str__(self) -> str:
        return "\n".join(
            f"{stage.name}: "
            + ("matches" if not stage.differences else "; ".join(stage.differences))
            for stage in self.stages
        )


def run_plan(plan: Plan, database: Database) -> None:
    """Every SQL step of `plan`, in order; a backfill batch again until it changes no row."""
    for number, step in enumerate(plan.steps, 1):
        if not step.statements:
            continue
        try:
            for _ in range(MAX_BATCHES if step.repeat else 1):
                if step.transactional:
                    database.run("BEGIN")
                changed = 0
                for statement in step.statements:
                    changed = database.run(statement)
                if step.transactional:
                    database.run("COMMIT")
                if changed <= 0:
                    break
        except Exception as error:  # the driver's own error: say which step failed
            raise AdvisorError(
                f"{step.operation} failed: {error}", location=f"{plan.direction} step {number}"
            ) from error


def verify(migration: Migration, database: Database, *, seed: Sequence[str] = ()) -> Verification:
    """Up, down, up on `database` (empty), comparing its catalogue at each stage.

    `seed` statements run once after the old schema is created, so that the plans move rows.
    """
    old, new = migration.diff.old, migration.diff.new
    database.script(render_ddl(old))
    for statement in seed:
        database.run(statement)
    stages = [Stage("old", tuple(database.differences(old)))]
    walk = (
        (migration.forward, "forward", new),
        (migration.rollback, "rollback", old),
        (migration.forward, "forward again", new),
    )
    for plan, name, expected in walk:
        if stages[-1].differences:  # the next plan would start from the wrong schema
            break
        run_plan(plan, database)
        stages.append(Stage(name, tuple(database.differences(expected))))
    return Verification(tuple(stages))
