"""The architecture document of a design: what a database architect hands over."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from advisor.baseline import MIGRATION_DIALECT, Baseline
from advisor.decisions.common import data_migration_lines, driver
from advisor.decisions.markdown import code, escape, quoted, sentence_case, table
from advisor.decisions.operations import operations_for
from advisor.decisions.wording import ROLE_NAMES, SYNC_NAMES
from advisor.facts import Facts
from advisor.migrate import plan_schemas
from advisor.migrate.data import data_migration
from advisor.migrate.diff import NO_RENAMES, SchemaDiff, TableDiff, diff_schemas, renames_between
from advisor.migrate.lint import failing, lint_migration
from advisor.recommendation import Recommendation
from advisor.requirements.model import Requirements
from advisor.rules.common import listing, number
from advisor.schema import SQL_DIALECTS, Column, ColumnType, Schema, Table


class _DialectSchema(Protocol):
    @property
    def schema(self) -> Schema: ...


class Design(Protocol):
    """What the document reads of a design (`advisor.design.Design` has it): the requirements,
    the recommendation and the schema of each SQL dialect."""

    @property
    def requirements(self) -> Requirements: ...

    @property
    def facts(self) -> Facts: ...

    @property
    def recommendation(self) -> Recommendation: ...

    def for_dialect(self, name: str) -> _DialectSchema: ...


FIRST_DESIGN = "First design, nothing to migrate."
DIALECT_NAMES = {
    "postgresql": "PostgreSQL",
    "mysql": "MySQL",
    "sqlite": "SQLite",
    "sqlserver": "SQL Server",
    "oracle": "Oracle",
}


def architecture_document(design: Design, *, previous: Baseline | None = None) -> str:
    """The design as one Markdown document, with a migration plan from `previous`.

    >>> from advisor.design import create_design
    >>> from advisor.requirements import read_requirements
    >>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\nentities: [{name: a}]")
    >>> text = architecture_document(create_design(shop))
    >>> [line for line in text.splitlines() if line.startswith("## ")][:3]
    ['## Requirements summary', '## Recommended stores', '## Schema summary']
    >>> FIRST_DESIGN in text
    True
    """
    requirements = design.requirements
    lines = [f"# Architecture: {escape(requirements.project)}", ""]
    if requirements.description:
        lines += [escape(requirements.description), ""]
    lines += [
        "Written by the database design advisor from the requirements; every choice below "
        "has its decision record in `decisions/`.",
        "",
    ]
    lines += _requirements_summary(design)
    lines += _stores(design)
    lines += _schema_summary(design)
    lines += _indexes(design)
    lines += _scaling(design)
    diff = _schema_diff(design, previous) if previous is not None else None
    lines += ["## Migration plan", "", *_migration(design, previous, diff), ""]
    if diff is not None:
        lines += ["## Migration from the previous version", "", *_schema_migration(diff)]
    lines += _operations(design)
    return "\n".join(lines).rstrip("\n") + "\n"


def _requirements_summary(design: Design) -> list[str]:
    requirements = design.requirements
    workload = requirements.workload
    facts = design.facts
    contexts = requirements.contexts
    lines = ["## Requirements summary", "", "### Data characteristics", ""]
    entities = listing([escape(e.name) for e in requirements.entities], len(requirements.entities))
    lines.append(
        f"* {len(requirements.entities)} entities"
        + (f": {entities}" if entities else "")
        + (
            f", in {len(contexts)} contexts ({listing([escape(c) for c in contexts])})"
            if contexts
            else ""
        )
    )
    cardinalities: dict[str, int] = {}
    for relationship in requirements.relationships:
        cardinalities[relationship.cardinality] = cardinalities.get(relationship.cardinality, 0) + 1
    if requirements.relationships:
        lines.append(
            f"* {len(requirements.relationships)} relationships ("
            + ", ".join(f"{count} {kind}" for kind, count in sorted(cardinalities.items()))
            + ")"
        )
    kinds = sorted({a.type for e in requirements.entities for a in e.attributes})
    if kinds:
        lines.append(f"* attribute types: {', '.join(kinds)}")
    lines.append(f"* schema: {workload.schema_stability}")
    lines.append(
        "* retention: "
        + (f"{number(workload.retention_days)} days" if workload.retention_days else "forever")
    )
    lines += ["", "### Access patterns", ""]
    if facts.patterns:
        rows = [
            (
                escape(p.pattern.name),
                escape(p.pattern.entity),
                p.pattern.operation,
                p.pattern.kind.replace("_", " "),
                ", ".join(escape(name) for name in p.pattern.filter) or "-",
                ", ".join(escape(name) for name in p.pattern.sort) or "-",
                number(p.rate),
                number(p.latency_ms),
                p.consistency,
            )
            for p in facts.patterns
        ]
        lines += table(
            (
                "Pattern",
                "Entity",
                "Operation",
                "Kind",
                "Filter",
                "Sort",
                "Per second",
                "p99 ms",
                "Consistency",
            ),
            rows,
        )
    else:
        lines.append("No access patterns are stated.")
    lines += ["", "### Consistency and availability", ""]
    lines += [
        f"* {workload.consistency} consistency; "
        f"{driver(requirements, facts, 'workload.transactions')}",
        f"* {number(workload.availability_percent)}% availability, p99 latency target "
        f"{number(workload.latency_p99_ms)} ms",
        f"* writes in {number(workload.regions)} region{'s' if workload.regions != 1 else ''}",
        "",
        "### Scale now and in a year",
        "",
    ]
    months = 12.0
    if workload.retention_days is not None:
        months = min(months, workload.retention_days / 30)
    in_a_year = workload.data_volume_gb + workload.growth_gb_per_month * months
    lines += table(
        ("", "Now", "In a year"),
        [
            ("Reads/s at peak", number(facts.reads_per_second), number(facts.reads_per_second)),
            ("Writes/s at peak", number(facts.writes_per_second), number(facts.writes_per_second)),
            ("Data volume (GB)", number(workload.data_volume_gb), number(round(in_a_year))),
        ],
    )
    lines += [
        "",
        f"Rates are as stated (the requirements give no growth of traffic); the volume grows "
        f"{number(workload.growth_gb_per_month)} GB a month, about "
        f"{number(round(facts.projected_volume_gb))} GB within the planning horizon.",
        "",
    ]
    return lines


def _stores(design: Design) -> list[str]:
    recommendation = design.recommendation
    primary = recommendation.primary
    lines = ["## Recommended stores", "", f"### Primary store: {escape(primary.name)}", ""]
    chose = [r for r in recommendation.trace if r.rule == "choose_primary"]
    lines += [escape(reason.sentence) for reason in chose] or [
        f"{escape(primary.name)} scores {primary.score:.1f} of 100."
    ]
    technology = design.facts.matrix.technologies[primary.technology]
    lines += [
        "",
        f"* Category: {primary.category.replace('_', ' ')}; consistency {technology.consistency}, "
        f"transactions {technology.transactions.replace('_', ' ')}, scaling "
        f"{technology.scaling.replace('_', ' ')}",
        f"* Licence: {escape(technology.licence)}",
    ]
    if technology.managed:
        lines.append(f"* Managed offerings: {escape(', '.join(technology.managed))}")
    lines.append("")
    for component in recommendation.components:
        role = ROLE_NAMES.get(component.role, component.role)
        lines += [
            f"### {sentence_case(role)}: {escape(component.name)}",
            "",
            escape(component.reason),
            "",
            f"* Serves: {_all(quoted(p) for p in component.patterns)}",
            f"* Kept in sync by {SYNC_NAMES.get(component.sync, component.sync)}"
            + (" (risky: reconcile regularly)" if component.risky else ""),
            "",
        ]
    pattern = recommendation.pattern
    lines += [f"### Architecture: {pattern.name.replace('_', ' ')}", ""]
    lines += [f"* {escape(reason)}" for reason in pattern.reasons]
    lines += [f"* Warning: {escape(warning.sentence)}" for warning in pattern.warnings]
    lines.append("")
    return lines


def _schema_dialect(design: Design) -> str:
    return SQL_DIALECTS.get(design.recommendation.primary.technology, MIGRATION_DIALECT)


def _schema_summary(design: Design) -> list[str]:
    name = _schema_dialect(design)
    schema = design.for_dialect(name).schema
    lines = ["## Schema summary", ""]
    if design.recommendation.primary.technology not in SQL_DIALECTS:
        lines += [
            f"The logical model as a {DIALECT_NAMES.get(name, name)} schema "
            f"(`schema/{name}.sql`); the primary store "
            f"{escape(design.recommendation.primary.name)} models the same entities in its own "
            "terms.",
            "",
        ]
    else:
        lines += [f"The {DIALECT_NAMES.get(name, name)} schema, `schema/{name}.sql`:", ""]
    rows = [
        (
            code(t.name),
            str(len(t.columns)),
            ", ".join(code(c) for c in t.primary_key.columns) if t.primary_key else "-",
            ", ".join(
                f"{', '.join(code(c) for c in key.columns)} → {code(key.target)}"
                for key in t.foreign_keys
            )
            or "-",
            "; ".join(", ".join(code(c) for c in key.columns) for key in t.uniques) or "-",
            (
                f"by {t.partitioning.interval} on {code(t.partitioning.column)}"
                if t.partitioning
                else "-"
            ),
        )
        for t in schema.tables
    ]
    if rows:
        lines += table(
            ("Table", "Columns", "Primary key", "References", "Unique", "Partitioned"), rows
        )
        lines.append("")
    lines.append(f"* Primary keys: {escape(schema.key_reason)}")
    for enum in schema.enums:
        lines.append(
            f"* Enum type {code(enum.name)}: {', '.join(code(value) for value in enum.values)}"
        )
    lines += [f"* Note: {escape(note)}" for note in schema.notes]
    lines.append("")
    return lines


def _indexes(design: Design) -> list[str]:
    schema = design.for_dialect(_schema_dialect(design)).schema
    lines = ["## Indexes and the patterns they serve", ""]
    if schema.patterns:
        lines += table(
            ("Pattern", "Table", "Served by", "Why"),
            [
                (
                    escape(item.pattern),
                    code(item.table),
                    code(item.index) if item.index else "-",
                    escape(item.reason),
                )
                for item in schema.patterns
            ],
        )
        lines.append("")
    indexes = [(t, index) for t in schema.tables for index in t.indexes]
    if indexes:
        lines += table(
            ("Index", "Table", "Columns", "Kind", "Serves"),
            [
                (
                    code(index.name),
                    code(t.name),
                    ", ".join(
                        code(c.name) + (" desc" if c.descending else "") for c in index.columns
                    ),
                    ("unique " if index.unique else "") + index.kind.replace("_", " "),
                    ", ".join(escape(name) for name in index.serves) or escape(index.reason) or "-",
                )
                for t, index in indexes
            ],
        )
        lines.append("")
    if not schema.patterns and not indexes:
        lines += ["No secondary indexes: the primary keys serve every pattern.", ""]
    return lines


def _scaling(design: Design) -> list[str]:
    scaling = design.recommendation.scaling
    sharding = scaling.sharding
    lines = [
        "## Scaling strategy",
        "",
        (
            f"* Replication factor: {scaling.read_replicas.replication_factor}. "
            if scaling.read_replicas.replication_factor
            else f"* Read replicas: {scaling.read_replicas.count}. "
        )
        + escape(scaling.read_replicas.reason),
        f"* Cache: {'yes' if scaling.cache.enabled else 'no'}. {escape(scaling.cache.reason)}",
    ]
    lines += [
        f"* Partition {escape(item.entity)} by {item.by} on {escape(item.column)}. "
        f"{escape(item.reason)}"
        for item in scaling.partitioning
    ]
    if sharding.needed:
        lines.append(f"* Sharding: {sharding.shards} shards. {escape(sharding.reason)}")
    else:
        lines.append(f"* Sharding: not needed. {escape(sharding.reason)}")
    lines += [
        f"  * {escape(key.entity)} by {escape(key.key)} ({escape(key.reason)})"
        for key in sharding.keys
    ]
    lines.append(
        f"* Regions: {scaling.regions.strategy.replace('_', ' ')}. {escape(scaling.regions.reason)}"
    )
    if scaling.at_10x:
        lead, *rest = scaling.at_10x
        if not lead.endswith(":"):
            lead, rest = "At ten times the stated load:", list(scaling.at_10x)
        lines += ["", escape(lead), ""]
        lines += [f"* {sentence_case(escape(sentence))}" for sentence in rest]
    lines.append("")
    return lines


def _migration(
    design: Design, previous: Baseline | None, schema_diff: SchemaDiff | None
) -> list[str]:
    if previous is None or schema_diff is None:
        return [FIRST_DESIGN]
    old_rec, new_rec = previous.recommendation, design.recommendation
    stores: list[str] = []
    moving = data_migration(old_rec.primary, new_rec.primary, previous.schema)
    if moving is not None:
        stores.append(
            f"Primary store: {escape(moving.old_name)} → {escape(moving.new_name)}, without "
            "downtime: the data migration below, as the primary store's decision record "
            "states it."
        )
    old_components = {c.role: c for c in old_rec.components}
    new_components = {c.role: c for c in new_rec.components}
    retire = []
    for role, component in new_components.items():
        before = old_components.get(role)
        label = ROLE_NAMES.get(role, role)
        if before is None:
            stores.append(
                f"Add {escape(component.name)} as the {label}, filled from the primary store "
                f"before reads move to it ({SYNC_NAMES.get(component.sync, component.sync)})."
            )
        elif (before.technology, before.sync) != (component.technology, component.sync):
            stores.append(
                f"Replace the {label} {escape(before.name)} "
                f"({SYNC_NAMES.get(before.sync, before.sync)}) with {escape(component.name)} "
                f"({SYNC_NAMES.get(component.sync, component.sync)}); fill it before switching."
            )
    for role, component in old_components.items():
        if role not in new_components:
            retire.append(
                f"Retire the {ROLE_NAMES.get(role, role)} {escape(component.name)} once "
                "nothing reads from it."
            )
    diff = _DiffItems(schema_diff)
    steps = [
        ("Provision and fill the new stores", stores),
        ("Create enum types and add their values", diff.enums_added),
        ("Create the new tables", diff.tables_added),
        (
            "Add and change columns (add new columns nullable, backfill, then set NOT NULL)",
            diff.columns_added + diff.columns_changed,
        ),
        (
            "Create indexes and foreign keys (CREATE INDEX CONCURRENTLY; foreign keys NOT VALID, "
            "then VALIDATE CONSTRAINT)",
            diff.indexes_added + diff.keys_added,
        ),
        ("Deploy the application that uses the new design", ["Deploy."]),
        (
            "Contract: drop what the new design no longer uses, once no running code reads it",
            diff.keys_removed
            + diff.indexes_removed
            + diff.columns_removed
            + diff.tables_removed
            + diff.enums_removed,
        ),
        ("Retire the stores no longer used", retire),
    ]
    if not any(items for title, items in steps if not title.startswith("Deploy")):
        return [
            "The previous design had the same stores and the same PostgreSQL schema: nothing to "
            "migrate."
        ]
    lines = [
        "From the previous design, in this order (expand, deploy, then contract, so that the "
        "running application never meets a schema it does not know):",
        "",
    ]
    number_ = 0
    for title, items in steps:
        if not items:
            continue
        number_ += 1
        lines.append(f"{number_}. {title}")
        if not title.startswith("Deploy"):
            lines += [f"   * {item}" for item in items]
    if moving is not None:
        lines += [
            "",
            f"The data moves from {escape(moving.old_name)} to {escape(moving.new_name)} in "
            f"these steps, each verified before the next ({escape(moving.new_name)} gets the "
            "new design's schema at the expand step, so the schema changes above are what the "
            "dual writes and the backfill translate):",
            "",
            *data_migration_lines(moving),
        ]
    return lines


def _schema_diff(design: Design, previous: Baseline) -> SchemaDiff:
    """The schema's diff from the previous design's model, with the renames the new
    requirements declare: the one diff both migration sections read."""
    old, new = previous.schema, design.for_dialect(MIGRATION_DIALECT).schema
    renames = NO_RENAMES
    if previous.requirements is not None:
        renames = renames_between(previous.requirements, design.requirements, old, new)
    return diff_schemas(old, new, renames)


def _schema_migration(diff: SchemaDiff) -> list[str]:
    """The schema's migration plan from `advisor.migrate`, summed up: its steps, hazards and
    lint errors, in the dialect the previous design's model keeps."""
    name = DIALECT_NAMES[MIGRATION_DIALECT]
    if not diff:
        return [f"The {name} schema does not change.", ""]
    migration = plan_schemas(diff)
    forward, rollback = migration.forward.steps, migration.rollback.steps
    outside = sum(1 for step in forward if step.statements and not step.transactional)
    lines = [
        f"The {name} plan (`python -m advisor migrate OLD NEW --dialect {MIGRATION_DIALECT}`, "
        f"docs/migrations.md): {len(forward)} forward steps, {outside} of them outside a "
        f"transaction, and {len(rollback)} rollback steps.",
        "",
    ]
    hazards: dict[str, int] = {}
    for step in forward:
        for hazard in step.hazards:
            hazards[hazard.kind] = hazards.get(hazard.kind, 0) + 1
    if hazards:
        lines += ["Hazards of the forward steps:", ""]
        lines += [f"* {code(kind)}: {count}" for kind, count in hazards.items()]
        lines.append("")
    errors = failing(lint_migration(migration))
    if errors:
        lines += ["Lint errors to fix or accept on purpose:", ""]
        lines += [
            f"* {finding.rule} {code(finding.name)} on {code(finding.target)}: "
            f"{escape(finding.message)}"
            for finding in errors
        ]
    else:
        lines.append("No lint errors.")
    return [*lines, ""]


class _DiffItems:
    """The schema diff of `advisor.migrate` as Markdown items, grouped by migration step."""

    def __init__(self, diff: SchemaDiff) -> None:
        self.tables_added = [_table_text(t) for t in diff.added_tables]
        self.tables_removed = [f"DROP TABLE {code(t.name)}" for t in diff.dropped_tables]
        self.columns_added: list[str] = []
        self.columns_removed: list[str] = []
        self.columns_changed: list[str] = []
        self.indexes_added = [
            f"{code(index.name)} on {code(t.name)}"
            for t in diff.added_tables
            for index in t.indexes
        ]
        self.indexes_removed: list[str] = []
        self.keys_added: list[str] = []
        self.keys_removed: list[str] = []
        for changed in diff.tables:
            self._table(changed)
        self.enums_added = [
            f"type {code(e.name)} ({', '.join(code(v) for v in e.values)})"
            for e in diff.added_enums
        ]
        self.enums_removed: list[str] = []
        for before, after in diff.changed_enums:
            added = [v for v in after.values if v not in before.values]
            gone = [v for v in before.values if v not in after.values]
            if added:
                self.enums_added.append(
                    f"add to {code(after.name)}: {', '.join(code(v) for v in added)}"
                )
            if gone:
                self.enums_removed.append(
                    f"{code(after.name)} loses {', '.join(code(v) for v in gone)}: create a new "
                    "type, convert the rows, drop the old type"
                )
        self.enums_removed += [f"type {code(e.name)}" for e in diff.dropped_enums]

    def _table(self, diff: TableDiff) -> None:
        name = code(diff.new.name)
        if diff.renamed:
            self.columns_changed.append(f"{code(diff.old.name)} renamed to {name}")
        self.columns_added += [
            f"{name}.{code(column.name)} {_column_text(column)}" for column in diff.added_columns
        ]
        for change in diff.changed_columns:
            before, after = change.old, change.new
            label = f"{name}.{code(after.name)}"
            if change.renamed:
                self.columns_changed.append(
                    f"{name}.{code(before.name)} renamed to {code(after.name)}"
                )
            if _column_text(before) != _column_text(after):
                self.columns_changed.append(
                    f"{label}: {_column_text(before)} → {_column_text(after)}"
                )
        self.columns_removed += [f"{name}.{code(c.name)}" for c in diff.dropped_columns]
        self.indexes_added += [f"{code(index.name)} on {name}" for index in diff.indexes.added]
        self.indexes_removed += [
            f"index {code(index.name)} on {name}" for index in diff.indexes.dropped
        ]
        self.indexes_added += [
            f"{code(old.name)} on {name} renamed to {code(new.name)}"
            for old, new in diff.indexes.renamed
        ]
        self.keys_added += [
            f"foreign key {code(key.name)} on {name} → {code(key.target)}"
            for key in diff.foreign_keys.added
        ]
        self.keys_removed += [
            f"foreign key {code(key.name)} on {name}" for key in diff.foreign_keys.dropped
        ]
        if diff.partitioning_changed:
            self.columns_changed.append(
                f"{name} partitioning changes: rebuild it as a new table, copy the rows, swap names"
            )


def _table_text(t: Table) -> str:
    return f"{code(t.name)} ({', '.join(code(c.name) for c in t.columns)})"


def _column_text(column: Column) -> str:
    text = _type_text(column.type) + ("" if column.nullable else " not null")
    if column.default is not None:
        text += f" default {code(str(column.default))}"
    return text


def _type_text(kind: ColumnType) -> str:
    return code(kind.label) if kind.enum_type else kind.label


def _operations(design: Design) -> list[str]:
    recommendation = design.recommendation
    stores: list[tuple[str, str, str]] = [
        (recommendation.primary.technology, recommendation.primary.name, "primary store")
    ]
    stores += [
        (c.technology, c.name, ROLE_NAMES.get(c.role, c.role)) for c in recommendation.components
    ]
    lines = ["## Operational considerations", ""]
    seen: set[tuple[str, str]] = set()
    for technology, name, role in stores:
        if (technology, role) in seen:
            continue
        seen.add((technology, role))
        operations = operations_for(technology)
        lines += [
            f"### {escape(name)} ({role})",
            "",
            f"* Backup: {operations.backup}",
            f"* Restore: {operations.restore}",
            "* Monitoring:",
            *_nested(
                f"{check.what}: {code(check.how)}" if check.how else check.what
                for check in operations.checks
            ),
        ]
        if operations.maintenance:
            lines += ["* Maintenance:", *_nested(operations.maintenance)]
        if operations.reference:
            lines.append(f"* Reference: <{operations.reference}>")
        lines.append("")
    return lines


def _all(items: Iterable[str]) -> str:
    names = list(items)
    return listing(names, len(names))


def _nested(items: Iterable[str]) -> list[str]:
    return [f"  * {item}" for item in items]
