"""A migration plan: ordered steps, each SQL to run or a deployment to make, with hazards."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.migrate.hazards import Hazard

# What a step does, for the linter and the docs: the operation, not its SQL.
OPERATIONS = (
    "create_enum",
    "alter_enum",
    "drop_enum",
    "create_table",
    "drop_table",
    "rename_table",
    "rebuild_table",
    "add_column",
    "drop_column",
    "rename_column",
    "change_type",
    "set_not_null",
    "drop_not_null",
    "set_default",
    "backfill",
    "add_primary_key",
    "drop_primary_key",
    "add_unique",
    "drop_unique",
    "add_check",
    "drop_check",
    "validate",
    "add_foreign_key",
    "drop_foreign_key",
    "create_index",
    "drop_index",
    "rename_index",
    "rename_constraint",
    "create_trigger",
    "repartition",
    "deploy",
)


@dataclass(frozen=True)
class Step:
    """One step of a plan.

    `statements` run in order (an empty tuple: a deployment, not SQL); `transactional` says
    whether they may run inside a transaction; `repeat` that the statements are one batch of a
    backfill, to run again until they change no row; `target` names the table or
    `table.column` changed.
    """

    operation: str
    description: str
    statements: tuple[str, ...] = ()
    transactional: bool = True
    hazards: tuple[Hazard, ...] = ()
    target: str = ""
    repeat: bool = False

    def __post_init__(self) -> None:
        assert self.operation in OPERATIONS, self.operation

    @property
    def is_sql(self) -> bool:
        return bool(self.statements)

    def to_dict(self) -> dict[str, object]:
        return {
            "operation": self.operation,
            "description": self.description,
            "target": self.target,
            "statements": list(self.statements),
            "transactional": self.transactional,
            "repeat": self.repeat,
            "hazards": [{"kind": h.kind, "message": h.message} for h in self.hazards],
        }


@dataclass(frozen=True)
class Plan:
    """The steps from one version to another in one dialect, in an order that runs."""

    dialect: str
    direction: str  # forward or rollback
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def statements(self) -> tuple[str, ...]:
        return tuple(statement for step in self.steps for statement in step.statements)
