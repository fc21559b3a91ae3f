"""The migration linter: findings on a plan, under the rule ids teams already know (Atlas's
`atlas migrate lint` codes and squawk's rule names; the mapping is in docs/migrations.md).

A finding can be accepted on purpose: `accept` holds rule ids (`DS103`), squawk names
(`ban-drop-column`), or either with a target (`DS103:customer.phone`); an accepted finding
stays in the report, marked accepted, and no longer fails the command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from advisor.migrate.plan import Migration, values_missing
from advisor.migrate.steps import Step


@dataclass(frozen=True)
class Finding:
    rule: str  # Atlas's code, or the squawk name where Atlas has no check for it
    name: str  # squawk's name
    severity: str  # error or warning
    target: str
    message: str
    accepted: bool = False

    def __str__(self) -> str:
        accepted = " (accepted)" if self.accepted else ""
        return f"{self.rule} {self.name} [{self.severity}{accepted}] {self.target}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "target": self.target,
            "message": self.message,
            "accepted": self.accepted,
        }


def _destructive(migration: Migration) -> Iterator[Finding]:
    for table in migration.diff.dropped_tables:
        yield Finding(
            "DS102", "ban-drop-table", "error", table.name, "drops a table and all its rows"
        )
    for change in migration.diff.tables:
        for column in change.dropped_columns:
            yield Finding(
                "DS103",
                "ban-drop-column",
                "error",
                f"{change.new.name}.{column.name}",
                "drops a column and its values; the rollback brings it back empty",
            )


def _incompatible(migration: Migration) -> Iterator[Finding]:
    for change in migration.diff.tables:
        if change.renamed:
            yield Finding(
                "BC101",
                "renaming-table",
                "warning",
                change.new.name,
                f"code that says {change.old.name} breaks once the rename runs",
            )
        for column in change.changed_columns:
            target = f"{change.new.name}.{column.new.name}"
            if column.renamed:
                yield Finding(
                    "BC102",
                    "renaming-column",
                    "warning",
                    target,
                    f"code that says {column.old.name} breaks once the rename runs",
                )
            if column.type_changed:
                yield Finding(
                    # Atlas checks type changes only on PostgreSQL (PG301, a table rewrite).
                    "PG301"
                    if migration.diff.new.dialect == "postgresql"
                    else "changing-column-type",
                    "changing-column-type",
                    "warning",
                    target,
                    "a type change may rewrite the table and break code reading the old type",
                )
            if column.nullability_changed and not column.new.nullable:
                sqlite = migration.diff.new.dialect == "sqlite"
                no_default = column.new.default is None and not column.new.default_now
                yield Finding(
                    # Atlas's SQLite check: NOT NULL without a DEFAULT (a table rebuild).
                    "LT101" if sqlite and no_default else "MF104",
                    "adding-not-nullable-field",
                    "warning",
                    target,
                    "existing rows with NULL make the change fail",
                )
        for unique in change.uniques.added:
            yield Finding(
                "MF101",
                "adding-unique-constraint",
                "warning",
                f"{change.new.name}.{'+'.join(unique.columns)}",
                "existing duplicates make the unique key fail",
            )


def _required_without_value(migration: Migration) -> Iterator[Finding]:
    # From the diff, not the steps: SQLite adds such a column in a rebuild of its table, a
    # step whose target is the table.
    for target in values_missing(migration):
        yield Finding(
            "MF103",
            "adding-required-field",
            "error",
            target,
            f"{target} is required and has no default, so existing rows need a value: pass "
            f"--backfill {target}=VALUE or add a default",
        )


def _statements(migration: Migration) -> Iterator[Finding]:
    """What the statements themselves do: the safe forms the plans should always use."""
    dialect = migration.diff.new.dialect
    created = {table.name for table in migration.diff.added_tables}
    for step in migration.forward.steps:
        text = " ".join(step.statements).upper()
        if dialect == "postgresql" and step.target not in created:
            if "CREATE" in text and " INDEX " in text and "CONCURRENTLY" not in text:
                yield _on(step, "PG101", "require-concurrent-index-creation", "error")
            if "DROP INDEX" in text and "CONCURRENTLY" not in text:
                yield _on(step, "PG102", "require-concurrent-index-deletion", "error")
            if "CONCURRENTLY" in text and step.transactional:
                yield _on(step, "PG103", "ban-concurrent-index-creation-in-transaction", "error")
            if step.operation == "add_check" and "NOT VALID" not in text:
                yield _on(step, "PG305", "constraint-missing-not-valid", "error")
            if step.operation == "add_foreign_key" and "NOT VALID" not in text:
                yield _on(step, "adding-foreign-key-constraint", "constraint-missing-not-valid")
            if step.operation == "add_primary_key" and "USING INDEX" not in text:
                yield _on(step, "PG104", "disallowed-unique-constraint", "error")
            if step.operation == "add_unique" and "USING INDEX" not in text:
                yield _on(step, "PG105", "disallowed-unique-constraint", "error")
        if dialect == "mysql" and "ALGORITHM=COPY" in text and step.target not in created:
            # Atlas names only the enum and set changes that copy (MY110-MY123).
            yield _on(step, "mysql-table-copy", "mysql-table-copy", "warning")


def _on(step: Step, rule: str, name: str, severity: str = "error") -> Finding:
    return Finding(rule, name, severity, step.target, step.description)


RULES: tuple[Callable[[Migration], Iterable[Finding]], ...] = (
    _destructive,
    _incompatible,
    _required_without_value,
    _statements,
)


# Each rule's squawk name and what it finds, for the rule lists of SARIF and JUnit
# (docs/migrations.md has the same table).
RULE_HELP: Mapping[str, tuple[str, str]] = {
    "DS102": ("ban-drop-table", "A table is dropped with all its rows."),
    "DS103": ("ban-drop-column", "A column is dropped; the rollback brings it back empty."),
    "BC101": ("renaming-table", "A table is renamed: code that uses the old name breaks."),
    "BC102": ("renaming-column", "A column is renamed: code that uses the old name breaks."),
    "MF101": (
        "adding-unique-constraint",
        "A unique key is added to existing columns: existing duplicates make it fail.",
    ),
    "MF103": (
        "adding-required-field",
        "A new required column has no default and no --backfill value for existing rows.",
    ),
    "MF104": (
        "adding-not-nullable-field",
        "A column is made NOT NULL: existing rows with NULL make the change fail.",
    ),
    "changing-column-type": (
        "changing-column-type",
        "A column's type changes: the table may be rewritten and readers of the old type break.",
    ),
    "LT101": (
        "adding-not-nullable-field",
        "A column is made NOT NULL without a default (SQLite): the table is rebuilt and existing "
        "NULLs make it fail.",
    ),
    "PG301": (
        "changing-column-type",
        "A column's type changes (PostgreSQL): the table may be rewritten under a lock.",
    ),
    "PG101": (
        "require-concurrent-index-creation",
        "CREATE INDEX without CONCURRENTLY blocks writes to an existing table.",
    ),
    "PG102": (
        "require-concurrent-index-deletion",
        "DROP INDEX without CONCURRENTLY blocks reads and writes of the table.",
    ),
    "PG103": (
        "ban-concurrent-index-creation-in-transaction",
        "A CONCURRENTLY statement inside a transaction fails.",
    ),
    "PG104": (
        "disallowed-unique-constraint",
        "A primary key not added USING INDEX takes an ACCESS EXCLUSIVE lock while it is built.",
    ),
    "PG105": (
        "disallowed-unique-constraint",
        "A unique constraint not added USING INDEX takes an ACCESS EXCLUSIVE lock while built.",
    ),
    "PG305": (
        "constraint-missing-not-valid",
        "A check added without NOT VALID scans the whole table under a lock.",
    ),
    "adding-foreign-key-constraint": (
        "constraint-missing-not-valid",
        "A foreign key added without NOT VALID scans the table and locks both tables.",
    ),
    "mysql-table-copy": (
        "mysql-table-copy",
        "ALGORITHM=COPY rebuilds an existing table, blocking writes.",
    ),
}


def lint_migration(migration: Migration, accept: Iterable[str] = ()) -> tuple[Finding, ...]:
    """Every finding of `migration`'s forward plan, those in `accept` marked accepted.

    >>> from advisor.requirements import read_requirements
    >>> v1 = read_requirements("format: advisor/v1\\nproject: S\\nentities: "
    ...     "[{name: tag, attributes: [{name: label, type: string}]}]\\n")
    >>> v2 = read_requirements("format: advisor/v1\\nproject: S\\nentities: [{name: tag}]\\n")
    >>> from advisor.migrate.plan import plan_migration
    >>> [finding] = lint_migration(plan_migration(v1, v2, "sqlite"), ["DS103:tag.label"])
    >>> finding.rule, finding.name, finding.target, finding.accepted
    ('DS103', 'ban-drop-column', 'tag.label', True)
    """
    accepted = set(accept)
    findings = []
    for rule in RULES:
        for finding in rule(migration):
            keys = {finding.rule, finding.name}
            keys |= {f"{key}:{finding.target}" for key in tuple(keys)}
            findings.append(replace(finding, accepted=bool(keys & accepted)))
    return tuple(findings)


def failing(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings at error severity that nobody accepted."""
    return tuple(f for f in findings if f.severity == "error" and not f.accepted)
