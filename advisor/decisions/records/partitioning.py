"""Time partitioning: splitting append-only tables by time, as the scaling rules ask."""

from __future__ import annotations

from advisor.decisions.common import drivers, identifier, input_paths, reasons_of
from advisor.decisions.context import RecordContext
from advisor.decisions.markdown import code, escape
from advisor.decisions.model import Decision, Option
from advisor.decisions.wording import ENGINE_DOCS
from advisor.rules.common import number

# How partitions come and go, and where to read more, by the primary's SQL dialect.
UPKEEP = {
    "postgresql": "a scheduled job (pg\\_partman or cron) must create and drop partitions",
    "sql": "a scheduled job must create and drop partitions",
}
REFERENCES = {
    "postgresql": "PostgreSQL: <https://www.postgresql.org/docs/current/ddl-partitioning.html>",
    "mysql": "MySQL: <https://dev.mysql.com/doc/refman/8.0/en/partitioning.html>",
}


def partitioning(context: RecordContext) -> Decision | None:
    """Partition by time what the engine decided (only for single-primary relational stores),
    with what the primary's SQL schema did about it: each table partitioned, or left whole and
    why."""
    wanted = context.recommendation.scaling.partitioning
    if not wanted:
        return None
    outcomes = context.schema.partitions
    partitioned = [t for t in context.schema.tables if t.partitioning is not None]
    outcome_parts = [f"{item.entity}:{item.by}({item.column})" for item in wanted]
    outcome_parts += [
        f"table {o.table}:{o.column}/{o.interval}" if o.applied else f"table {o.table}:whole"
        for o in outcomes
    ]
    reasons = reasons_of(context, "partitioning")
    inputs = tuple(
        dict.fromkeys([*input_paths(reasons), "workload.retention_days", "workload.data_volume_gb"])
    )
    title = "Partition " + ", ".join(
        f"{item.entity} by {item.by} on {item.column}" for item in wanted
    )
    retention = context.requirements.workload.retention_days
    physical = [
        f"The {escape(context.dialect)} schema partitions {escape(t.name)} by "
        f"{t.partitioning.interval} on {escape(t.partitioning.column)}, starting with "
        f"{len(t.partitioning.partitions)} partitions and no default one; "
        f"{escape(t.partitioning.policy)}."
        for t in partitioned
        if t.partitioning is not None
    ]
    notes = [
        f"The {escape(context.dialect)} schema leaves {escape(o.table)} whole: {escape(o.why_not)}."
        for o in outcomes
        if not o.applied
    ]
    confirmation = []
    if context.dialect == "postgresql":
        for table in partitioned:
            name = identifier(table.name, "postgresql")
            ahead = len(table.partitioning.partitions) if table.partitioning else 0
            confirmation += [
                f"Partitions of {escape(table.name)} exist ahead of time: "
                + code(
                    f"SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                    f"JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = "
                    f"'{name}'::regclass ORDER BY 1;"
                )
                + ".",
                f"At least {ahead} partitions lie ahead of now, so no insert finds no "
                "partition; alert when fewer remain (the maintenance job has stopped).",
            ]
    confirmation.append(
        "Queries over a time window touch only the partitions of that window (EXPLAIN "
        "shows the pruned plan), and expired partitions are dropped on schedule."
    )
    return Decision(
        key="partitioning",
        title=title,
        outcome="; ".join(outcome_parts),
        context=(
            "Some entities grow by appends and are read by time windows"
            + (f", and data is kept {number(retention)} days" if retention else "")
            + f"; about {number(round(context.facts.projected_volume_gb))} GB are expected "
            f"within the planning horizon. Should their tables in {escape(context.primary.name)} "
            "be split by time?"
        ),
        drivers=drivers(context, inputs),
        options=(
            Option(
                "Range partitions by time",
                None,
                "Chosen. One partition per month (or per day for short retention).",
                (
                    "expired data goes by dropping a partition, without DELETE or vacuum",
                    "time-window queries read only their partitions",
                ),
                (
                    "unique keys must include the partition column",
                    "partitions must be created ahead of time by a job",
                ),
            ),
            Option(
                "One table, expired rows deleted in batches",
                None,
                "The simplest schema.",
                ("no partition maintenance",),
                ("deletes bloat the table and load vacuum; indexes keep growing",),
            ),
            Option(
                "A time-series store",
                None,
                "Hypertables or retention policies handle chunks and expiry.",
                ("chunking, compression and retention are built in",),
                ("another store, unless it is the primary",),
            ),
        ),
        justification=(
            *(escape(reason.sentence) for reason in reasons),
            *physical,
            *notes,
        ),
        good=(
            "old data leaves by dropping whole partitions",
            "recent partitions stay in memory while old ones are rarely read",
        ),
        bad=(
            UPKEEP.get(context.dialect, UPKEEP["sql"]),
            "primary and unique keys include the partition column",
        ),
        confirmation=tuple(confirmation),
        more_information=(REFERENCES.get(context.dialect, ENGINE_DOCS),),
        inputs=inputs,
        because="time-window reads and expiry work on whole partitions instead of rows",
    )
