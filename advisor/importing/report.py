"""What an import did, statement by statement, for the import report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from advisor.schema.model import Schema

# imported: it added to the schema; skipped: not schema (data, functions, grants, views,
# session settings); rejected: schema the parser or the importer could not read.
OUTCOMES = ("imported", "skipped", "rejected")


@dataclass(frozen=True)
class StatementOutcome:
    line: int  # where the statement starts, 1-based; 0 for an object of a live catalogue
    outcome: str  # one of OUTCOMES
    what: str  # the statement's kind as a person reads it: "CREATE TABLE film", "COPY"
    message: str = ""  # why skipped or rejected (the parser's message for a rejection)


@dataclass(frozen=True)
class HealthFinding:
    """A problem of a live database, read from its catalogue and statistics views."""

    rule: str  # e.g. primary-key-missing, index-on-relation, index-duplicated
    severity: str  # error, warning or info
    table: str
    message: str


@dataclass(frozen=True)
class ImportResult:
    schema: Schema
    dialect: str  # the dialect read (detected or given)
    statements: tuple[StatementOutcome, ...] = ()
    health: tuple[HealthFinding, ...] = ()  # live databases only

    @property
    def imported_anything(self) -> bool:
        return bool(self.schema.tables)


def report_summary(result: ImportResult) -> tuple[str, str]:
    """The report's first two lines: what the schema holds, and how many statements were
    imported, skipped and rejected."""
    counts = Counter(outcome.outcome for outcome in result.statements)
    schema = result.schema
    keys = sum(len(table.foreign_keys) for table in schema.tables)
    indexes = sum(len(table.indexes) for table in schema.tables)
    return (
        f"Read {result.dialect}: {len(schema.tables)} tables, {keys} foreign keys, "
        f"{indexes} indexes, {len(schema.enums)} enums.",
        f"Statements: {counts['imported']} imported, {counts['skipped']} skipped, "
        f"{counts['rejected']} rejected.",
    )
