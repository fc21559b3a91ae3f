"""`python -m advisor import FILE | --dsn URL`: the requirements of an existing schema.

The requirements document goes to `-o FILE` (or stdout); the report goes to stdout, or to
stderr when the document is on stdout. Exit 0 when a table was imported, 2 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.errors import AdvisorError
from advisor.importing.dialect import DIALECTS

if TYPE_CHECKING:
    from advisor.importing.report import ImportResult

# The parser is built for every verb of the command line; sqlglot and the importers are loaded
# only when `import` runs.


def add_import_parser(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = verbs.add_parser(
        "import",
        help="read an existing schema (SQL dump, DBML or live PostgreSQL) into requirements",
        description=(
            "Read a schema file (PostgreSQL, MySQL/MariaDB, SQLite, SQL Server, Oracle or DBML) "
            "or a live PostgreSQL database, write the requirements document it implies and "
            "report what was done with every statement. See docs/importing.md."
        ),
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", metavar="FILE", help="the schema file")
    source.add_argument("--dsn", metavar="URL", help="a PostgreSQL URL to read the catalogue of")
    parser.add_argument("--dialect", choices=("auto", *DIALECTS), default="auto")
    parser.add_argument(
        "-o", "--output", metavar="REQUIREMENTS.yaml", help="where to write (default: stdout)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="the report's")
    parser.add_argument("--project", default="", help="the project's name in the document")


def run_import(args: argparse.Namespace) -> int:
    from advisor.importing.source import read_schema_file
    from advisor.importing.sql import import_sql
    from advisor.importing.to_requirements import requirements_yaml

    if args.dsn:
        result = _live(args.dsn)
        project = args.project or "Imported database"
    else:
        result = import_sql(read_schema_file(args.file), args.dialect)
        project = args.project or Path(args.file).stem
    report = render_json(result) if args.format == "json" else render_report(result)
    if not result.imported_anything:
        sys.stderr.write(report)
        print("error: nothing could be imported: no table was read", file=sys.stderr)
        return 2
    document = requirements_yaml(result.schema, project=project)
    if args.output:
        try:
            Path(args.output).write_text(document, encoding="utf-8")
        except OSError as error:
            raise AdvisorError(f"cannot write: {error.strerror}", location=args.output) from None
        sys.stdout.write(report)
    else:
        sys.stdout.write(document)
        sys.stderr.write(report)
    return 0


def _live(dsn: str) -> ImportResult:
    from advisor.importing.live import read_database  # psycopg is loaded only for --dsn

    return read_database(dsn)


def render_report(result: ImportResult) -> str:
    """The report as lines a person reads: a summary, then every statement not imported."""
    from advisor.importing.report import report_summary

    schema = result.schema
    lines = list(report_summary(result))
    for outcome in result.statements:
        if outcome.outcome != "imported":
            lines.append(
                f"  line {outcome.line}: {outcome.outcome} {outcome.what}: {outcome.message}"
            )
    lines += [f"  note: {note}" for note in schema.notes]
    lines += [
        f"  health {finding.severity} {finding.rule} {finding.table}: {finding.message}"
        for finding in result.health
    ]
    return "\n".join(lines) + "\n"


def render_json(result: ImportResult) -> str:
    schema = result.schema
    document = {
        "dialect": result.dialect,
        "tables": [table.name for table in schema.tables],
        "statements": [outcome.__dict__ for outcome in result.statements],
        "notes": list(schema.notes),
        "health": [finding.__dict__ for finding in result.health],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
