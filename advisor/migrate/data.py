"""Moving the data when the primary store changes, without downtime.

The zero-downtime pattern: expand (the new store beside the old), dual write, backfill in
batches with checkpoints, shadow reads comparing the answers, switch reads, switch writes,
keep the old store read-only until the switch is proven, retire it. Every step says what must
hold before the next one starts and how to go back from it; until the old store is retired,
going back loses nothing.

The plan is made here once; the primary store's decision record and the architecture
document render it (`advisor.decisions.common.data_migration_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.ddl.render import table_order
from advisor.migrate.plan import BATCH_ROWS
from advisor.recommendation import Choice
from advisor.schema import Schema

# phase -> its title, in the order the steps run.
PHASES = {
    "expand": "Expand",
    "dual_write": "Dual write",
    "backfill": "Backfill",
    "shadow_reads": "Shadow reads",
    "switch_reads": "Switch reads",
    "switch_writes": "Switch writes",
    "read_only": "Old store read-only",
    "retire": "Retire",
}


@dataclass(frozen=True)
class DataStep:
    """One step of a data migration, in plain text: what to do (`action`), what must hold
    before the next step starts (`verifies`) and how to go back from it (`rollback`).
    `deploy` says that the step is a deployment of the application; `tables` names what the
    step goes through, in its order (the backfill's)."""

    phase: str
    action: str
    verifies: str
    rollback: str
    deploy: bool = False
    tables: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        assert self.phase in PHASES, self.phase

    @property
    def title(self) -> str:
        return PHASES[self.phase]


@dataclass(frozen=True)
class DataMigration:
    """The move of the data from the previous primary store (`old`, a technology id of the
    matrix, and `old_name`) to the new one (`new`, `new_name`), step by step."""

    old: str
    old_name: str
    new: str
    new_name: str
    steps: tuple[DataStep, ...]


def data_migration(
    old_primary: Choice, new_primary: Choice, old_schema: Schema | None = None
) -> DataMigration | None:
    """The plan that moves the data from `old_primary` to `new_primary`, None when the
    technology is the same. `old_schema`, the previous design's logical schema, names the
    tables the backfill copies, each after those it refers to.

    >>> from advisor.recommendation import Choice
    >>> mysql = Choice("relational", "mysql", "MySQL", 80.0)
    >>> postgres = Choice("relational", "postgresql", "PostgreSQL", 90.0)
    >>> print(*(step.phase for step in data_migration(mysql, postgres).steps))
    expand dual_write backfill shadow_reads switch_reads switch_writes read_only retire
    >>> data_migration(postgres, postgres) is None
    True
    """
    if old_primary.technology == new_primary.technology:
        return None
    old, new = old_primary.name, new_primary.name
    tables = tuple(t.name for t in table_order(old_schema.tables)) if old_schema else ()
    transform = (
        ""
        if old_primary.category == new_primary.category
        else f" Each row is reshaped on the way into {new}'s model, as the new design's "
        "schema lays it out."
    )
    steps = (
        DataStep(
            "expand",
            f"Provision {new} beside {old} and create the new design's schema in it; the "
            "application does not use it yet.",
            f"{new} accepts the application's connections, its schema is the design's, and its "
            "backups and monitoring run.",
            f"Remove {new}: nothing reads or writes it yet.",
        ),
        DataStep(
            "dual_write",
            f"Deploy the application writing every change to both stores: to {old} first, "
            f"which stays the system of record, then to {new}. A write that fails on {new} "
            "goes to a retry queue; it does not fail the request.",
            f"Every change made since the deployment reaches {new}: the retry queue drains, "
            "and the rows changed in the last hour are equal in both stores.",
            f"Deploy the previous version of the application: {old} has every write. Empty "
            f"{new} before trying again.",
            deploy=True,
        ),
        DataStep(
            "backfill",
            f"Copy the data that existed before the dual writes from {old} to {new}, table by "
            f"table, each after those it refers to, in batches of {BATCH_ROWS:,} rows in key "
            "order. After each batch, save the last key copied as a checkpoint, so that a "
            "stopped copy resumes where it stopped. A row the dual writes have already "
            f"written is newer: the copy does not overwrite it.{transform}",
            "Every table has as many rows in both stores, and the checksums of sampled "
            "batches agree.",
            f"Stop the copy: {old} is untouched. Resume from the last checkpoint, or empty "
            f"{new} and start again.",
            tables=tables,
        ),
        DataStep(
            "shadow_reads",
            f"Deploy reads that also query {new} and compare its answers with {old}'s for every "
            f"access pattern; users still get {old}'s answers, and every difference is logged.",
            "No unexplained difference over a full week of traffic (the weekly jobs and reports "
            f"included), and every access pattern meets its latency target on {new}.",
            "Turn the shadow reads off (a flag): users never saw their answers.",
            deploy=True,
        ),
        DataStep(
            "switch_reads",
            f"Serve reads from {new}, behind a flag, a growing share of the traffic at a time; "
            f"writes still go to both stores, {old} first.",
            "Error rates and p99 latencies stay at their targets at every share, up to all of "
            "the traffic.",
            f"Turn the flag back: {old} still has every write.",
            deploy=True,
        ),
        DataStep(
            "switch_writes",
            f"Make {new} the system of record: write to {new} first, then to {old}, which stays "
            "current as the way back.",
            f"Writes commit on {new} first, and {old} still receives every change (the retry "
            "queue drains).",
            f"Write to {old} first again: both stores hold every change.",
            deploy=True,
        ),
        DataStep(
            "read_only",
            f"Stop writing to {old} and keep it read-only, with its last backup, until the "
            "switch is proven over a full business cycle (a month-end, say).",
            f"Nothing writes to {old} any more: its write counters stay at zero and nothing "
            "fails for want of it.",
            f"Make {old} writable again, copy into it the changes {new} took since (from "
            f"{new}'s change log or the application's events), then write to {old} first again.",
            deploy=True,
        ),
        DataStep(
            "retire",
            f"Take a final backup of {old}, check that it restores, and decommission it: its "
            "servers, its credentials and the code that reached it.",
            f"Nothing connects to {old} any more, and the final backup restores.",
            f"None that keeps the data written since the switch: from here, going back to "
            f"{old} is a new migration.",
        ),
    )
    return DataMigration(old_primary.technology, old, new_primary.technology, new, steps)
