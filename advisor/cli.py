"""The command line: `python -m advisor VERB ...`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from advisor import __version__
from advisor.collector import collector_paused
from advisor.errors import AdvisorError, InvalidRequirements
from advisor.reading import read_limited

if TYPE_CHECKING:
    from advisor.erd import Erd
    from advisor.report import Report
    from advisor.requirements import Requirements

# Each verb imports what it needs when it runs: `recommend` must not pay for sqlglot, the
# diagrams or the migrations, which take most of a short run's time to load.


def build_parser(*, only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every verb, or of the verb `only` alone: the others' parsers took a short
    run about 1 ms to build, and that of `import` loads the importers' table of dialects."""
    parser = argparse.ArgumentParser(
        prog="python -m advisor",
        description=(
            "The database design advisor: describe your data and workload, "
            "get back a reasoned database design."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    for verb, add_parser in _VERB_PARSERS.items():
        if only is None or verb == only:
            add_parser(verbs)
    return parser


def _add_recommend(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    recommend = verbs.add_parser(
        "recommend",
        help="recommend a database design for a requirements document",
        description="Print the recommendation for a requirements document (format advisor/v1).",
    )
    recommend.add_argument("requirements", metavar="REQUIREMENTS", help="a YAML or JSON file")
    recommend.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: readable, with the reasons (default); json: the stable form",
    )


def _add_advise(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    advise = verbs.add_parser(
        "advise",
        help="write the whole design for a requirements document into a folder",
        description=(
            "Write the design for a requirements document: recommendation.json, "
            "schema/<dialect>.sql for every SQL dialect and lint.json."
        ),
    )
    advise.add_argument("requirements", metavar="REQUIREMENTS", help="a YAML or JSON file")
    advise.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    advise.add_argument(
        "--partitions-from",
        type=_date,
        metavar="YYYY-MM-DD",
        help="first day of time partitions (default: today); fix it for reproducible output",
    )


def _add_lint(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lint = verbs.add_parser(
        "lint",
        help="lint the design's SQL schemas, in a form CI systems read",
        description=(
            "Lint the SQL schemas of the design of a requirements document (the findings of "
            "lint.json) and print them as text, JSON, SARIF, GitHub annotations or JUnit XML. "
            "Exit 0 when nothing is at or above --fail-on, 1 when something is, 2 on bad input. "
            "See docs/ci.md."
        ),
    )
    lint.add_argument("requirements", metavar="REQUIREMENTS", help="a YAML or JSON file")
    lint.add_argument(
        "--dialect",
        action="append",
        default=[],
        metavar="D",
        help="lint only this dialect's schema (repeatable; default: every dialect of the design)",
    )
    _add_report_options(lint, REPORT_FORMATS)
    lint.add_argument(
        "--baseline",
        metavar="FILE",
        help="accept the findings listed in FILE (written by --write-baseline): only new ones fail",
    )
    lint.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="write every finding not ignored by the requirements to FILE, accepting them all",
    )


def _add_erd(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    erd = verbs.add_parser(
        "erd",
        help="draw the entity-relationship diagram of a requirements document",
        description="Write the ERD of a requirements document in one format.",
    )
    erd.add_argument("requirements", metavar="REQUIREMENTS", help="a YAML or JSON file")
    erd.add_argument("--format", choices=ERD_FORMATS, default="svg")
    erd.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
    erd.add_argument(
        "--mode", choices=ERD_MODES, help="full, compact or overview (default: chosen by size)"
    )
    erd.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="NAME",
        help="draw only this bounded context and what it references (repeatable)",
    )


def _add_schema(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    schema = verbs.add_parser(
        "schema",
        help="print or write the JSON Schema of requirements documents",
        description=(
            "Print the JSON Schema of format advisor/v1, generated from the field table "
            "(advisor/requirements/fields.py)."
        ),
    )
    schema.add_argument(
        "--write",
        action="store_true",
        help="write it to advisor/data/requirements.schema.json instead of printing it",
    )
    schema.add_argument(
        "--docs",
        metavar="FILE",
        help="also rewrite the field reference tables of FILE (docs/requirements.md)",
    )


def _add_benchmark(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    benchmark = verbs.add_parser(
        "benchmark",
        help="run the engine on the public cases and print how often it agrees",
        description=(
            "Run the engine on every case of DIR (published systems with the answers an expert "
            "would accept) and print the accuracy by category, the confusion matrix, the share "
            "of each chosen technology and the misses. See docs/cases.md."
        ),
    )
    benchmark.add_argument(
        "directory",
        nargs="?",
        metavar="DIR",
        help="folder of case files (default: tests/fixtures/cases)",
    )
    benchmark.add_argument("--format", choices=("text", "json"), default="text")


def _add_import(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from advisor.importing.command import add_import_parser

    add_import_parser(verbs)


def _add_migrate(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    migrate = verbs.add_parser(
        "migrate",
        help="plan the migration between two versions of a requirements document",
        description=(
            "Print the plan from OLD to NEW in one dialect: SQL with each step's hazards as "
            "comments, or JSON with both directions and the lint findings, or the findings "
            "alone as SARIF, GitHub annotations or JUnit XML. Exit 1 when a lint finding at or "
            "above --fail-on (error) is not accepted. See docs/migrations.md and docs/ci.md."
        ),
    )
    migrate.add_argument("old", metavar="OLD", help="the previous requirements (YAML or JSON)")
    migrate.add_argument("new", metavar="NEW", help="the next requirements (YAML or JSON)")
    migrate.add_argument("--dialect", required=True, help="postgresql, mysql, sqlite, ...")
    migrate.add_argument(
        "--format",
        choices=("sql", "json", *MIGRATION_FINDINGS),
        default="sql",
        help="sql: the plan (default); json: both plans and the findings; sarif, github, "
        "junit: the findings alone, for CI (docs/ci.md)",
    )
    migrate.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="error",
        help="exit 1 when a finding at or above this severity is not accepted (default: error)",
    )
    migrate.add_argument("--direction", choices=("forward", "rollback"), default="forward")
    migrate.add_argument(
        "--backfill",
        action="append",
        default=[],
        metavar="TABLE.COLUMN=VALUE",
        help="the value existing rows get in a new required column without a default",
    )
    migrate.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="RULE[:TARGET]",
        help="accept a lint finding on purpose: DS103, ban-drop-column, DS103:customer.phone",
    )


# Each verb's parser, in the order of the help.
_VERB_PARSERS = {
    "recommend": _add_recommend,
    "advise": _add_advise,
    "lint": _add_lint,
    "erd": _add_erd,
    "schema": _add_schema,
    "benchmark": _add_benchmark,
    "import": _add_import,
    "migrate": _add_migrate,
}


def _add_report_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument(
        "--format",
        choices=formats,
        help="default: github inside GitHub Actions (GITHUB_ACTIONS=true), text elsewhere",
    )
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="error",
        help="exit 1 when a finding at or above this severity is not suppressed (default: error)",
    )


# The formats of `migrate` that print its lint findings alone (the plan is the default output).
MIGRATION_FINDINGS = ("sarif", "github", "junit")
SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "requirements.schema.json"
ERD_FORMATS = ("svg", "png", "pdf", "dot", "mermaid", "dbml", "plantuml")
# advisor.erd.MODES, and advisor.report's FORMATS and FAIL_ON, written out so that building
# the parser loads neither the diagrams nor the reports (a test checks that they agree).
ERD_MODES = ("full", "compact", "overview")
REPORT_FORMATS = ("text", "json", "sarif", "github", "junit")
FAIL_ON = ("error", "warning", "info", "never")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 success, 1 lint findings at or above
    `--fail-on` that nothing suppressed, 2 bad input)."""
    given = sys.argv[1:] if argv is None else argv
    # Only the verb's parser when the verb comes first: otherwise (`--help`, a mistyped verb)
    # the help and the errors list every verb.
    first = given[0] if given else None
    parser = build_parser(only=first if first in _VERB_PARSERS else None)
    args = parser.parse_args(argv)
    try:
        if args.verb is None:
            parser.print_help()
            return 0
        if args.verb == "recommend":
            return recommend(args.requirements, args.format)
        if args.verb == "lint":
            return lint_design(args)
        if args.verb == "erd":
            return write_erd(args.requirements, args)
        if args.verb == "advise":
            return write_design(args.requirements, Path(args.out), args.partitions_from)
        if args.verb == "schema":
            return write_schema(write=args.write, docs=args.docs)
        if args.verb == "import":
            from advisor.importing.command import run_import

            return run_import(args)
        if args.verb == "migrate":
            return migrate(args)
        if args.verb == "benchmark":
            return benchmark(args.directory, args.format)
        parser.error(f"unknown verb {args.verb!r}")
    except InvalidRequirements as error:
        print(f"error: {args.requirements}: the requirements document is invalid:", file=sys.stderr)
        for problem in error.problems:
            print(str(problem), file=sys.stderr)
        return 2
    except AdvisorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def benchmark(directory: str | None, output: str) -> int:
    from advisor.benchmark import CASES_DIR, render_report, run_benchmark

    report = run_benchmark(Path(directory) if directory else CASES_DIR)
    sys.stdout.write(report.to_json() if output == "json" else render_report(report))
    return 0


def migrate(args: argparse.Namespace) -> int:
    from advisor.migrate.lint import lint_migration
    from advisor.migrate.output import migration_json, migration_report, plan_sql
    from advisor.migrate.plan import plan_migration
    from advisor.requirements import document_lines
    from advisor.requirements.model import Scalar

    versions, texts = [], []
    for path in (args.old, args.new):
        try:
            text, requirements = read_requirements_file(path)
        except InvalidRequirements as error:
            print(f"error: {path}: the requirements document is invalid:", file=sys.stderr)
            for problem in error.problems:
                print(str(problem), file=sys.stderr)
            return 2
        texts.append(text)
        versions.append(requirements)
    backfill: dict[str, Scalar] = {}
    for given in args.backfill:
        target, equals, value = given.partition("=")
        if not equals or "." not in target:
            raise AdvisorError(
                f"{given!r} is not TABLE.COLUMN=VALUE (e.g. order.channel=web)",
                location="--backfill",
            )
        backfill[target] = value
    migration = plan_migration(versions[0], versions[1], args.dialect, backfill=backfill)
    findings = lint_migration(migration, args.accept)
    report = migration_report(
        migration, findings, file=args.new, lines=document_lines(texts[1]), fail_on=args.fail_on
    )
    if args.format in MIGRATION_FINDINGS:
        return _print_report(report, args.format)
    plan = migration.forward if args.direction == "forward" else migration.rollback
    if args.format == "json":
        sys.stdout.write(migration_json(migration, findings))
    else:
        sys.stdout.write(plan_sql(plan, findings if args.direction == "forward" else ()))
    failing = {issue.fingerprint for issue in report.failing}
    for finding, issue in zip(findings, report.issues, strict=True):
        if issue.fingerprint in failing:
            print(f"lint {finding.severity}: {finding}", file=sys.stderr)
    return report.exit_status


def lint_design(args: argparse.Namespace) -> int:
    from advisor.design import design_dialects, dialect_schemas
    from advisor.engine import advise
    from advisor.lint.issues import lint_report
    from advisor.report import baseline_text, read_baseline, with_baseline
    from advisor.requirements import document_lines
    from advisor.schema.dialects import DIALECTS, ENGINES

    path = args.requirements
    text, requirements = read_requirements_file(path)
    recommendation = advise(requirements)
    known = (*DIALECTS, *ENGINES)
    for name in args.dialect:
        if name not in known:
            raise AdvisorError(
                f"no SQL schema for {name!r}; the dialects are {', '.join(known)}",
                location="--dialect",
            )
    names = tuple(dict.fromkeys(args.dialect)) or design_dialects(recommendation)
    dialects = dialect_schemas(requirements, recommendation, names)
    report = lint_report(
        requirements, dialects, file=path, lines=document_lines(text), fail_on=args.fail_on
    )
    if args.baseline:
        report = with_baseline(
            report, read_baseline(read_text(args.baseline), source=args.baseline)
        )
    if args.write_baseline:
        _write(Path(args.write_baseline), baseline_text(report))
        report = with_baseline(report, read_baseline(baseline_text(report), source=""))
        print(f"Wrote the baseline of {path} to {args.write_baseline}.", file=sys.stderr)
    return _print_report(report, args.format)


def _print_report(report: Report, format: str | None) -> int:
    """The report on stdout in `format` (the environment's default when None), what a person
    should know on stderr; the exit status."""
    from advisor.report import default_format, format_report

    chosen = format or default_format(os.environ)
    sys.stdout.write(format_report(report, chosen))
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    if chosen != "text":
        print(report.summary(), file=sys.stderr)
    return report.exit_status


@collector_paused(lasting=True)  # its modules' objects, as those of `advisor.cli`
def recommend(path: str, output: str) -> int:
    from advisor.engine import advise
    from advisor.recommendation import render_text

    _, requirements = read_requirements_file(path)
    recommendation = advise(requirements, flips=True)
    if output == "json":
        sys.stdout.write(recommendation.to_json())
    else:
        sys.stdout.write(render_text(recommendation))
    return 0


def write_design(path: str, out: Path, partitions_from: date | None) -> int:
    from advisor.design import create_design
    from advisor.erd import engine_of, render_formats, too_many_to_draw

    _, requirements = read_requirements_file(path)
    design = create_design(requirements, partitions_from=partitions_from)
    written = [(item.path, item.text.encode()) for item in design.files]
    _write_files(out, written)
    dot = design.file("erd/erd.dot")
    too_many = too_many_to_draw(len(design.dialects[0].schema.tables)) if dot else ""
    if too_many:
        print(
            f"note: the diagram of all tables is not drawn: {too_many}. Each bounded "
            f"context's DOT is in {out / 'erd' / 'views'}; draw one with "
            f"`python -m advisor erd {path} --context NAME -o NAME.svg`.",
            file=sys.stderr,
        )
    elif dot is not None:  # the drawings, made here at the edge, from one layout
        try:
            drawn = render_formats(dot.text, ("svg", "png"), engine=engine_of(dot.text))
        except AdvisorError as error:  # the design stands without its pictures
            print(f"warning: the diagram was not drawn: {error}", file=sys.stderr)
        else:
            drawings = [(f"erd/erd.{kind}", content) for kind, content in drawn.items()]
            _write_files(out, drawings)
            written += drawings
    errors = sum(
        finding.severity == "error" for item in design.dialects for finding in item.findings
    )
    primary = design.recommendation.primary
    print(f"Wrote {len(written)} files to {out}: primary store {primary.name}; ", end="")
    print(f"{errors} lint error(s).")
    return 0


def _write_files(out: Path, files: list[tuple[str, bytes]]) -> None:
    for path, content in files:
        target = out / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        except OSError as error:
            raise AdvisorError(f"cannot write: {error.strerror}", location=str(target)) from None


def erd_of(requirements: Requirements) -> Erd:
    """The diagram model of the requirements' logical schema, keys as the engine decides."""
    from advisor.engine import advise
    from advisor.erd import erd_model
    from advisor.schema import schema_for

    # The tenfold-load projection changes only what the recommendation says, not the schema.
    schema = schema_for(requirements, advise(requirements, project_load=False), "postgresql")
    return erd_model(schema, requirements)


def write_erd(path: str, args: argparse.Namespace) -> int:
    from advisor.erd import (
        FORMATS,
        default_mode,
        erd_dbml,
        erd_dot,
        erd_mermaid,
        erd_plantuml,
        start_render,
    )

    # Graphviz starts first, and gets ready while the diagram is made.
    drawing = start_render(args.format) if args.format in FORMATS else contextlib.nullcontext()
    with drawing as graphviz:
        _, requirements = read_requirements_file(path)
        erd = erd_of(requirements)
        mode = args.mode or default_mode(len(erd.tables))
        contexts = frozenset(args.context) or None
        writers = {"mermaid": erd_mermaid, "dbml": erd_dbml, "plantuml": erd_plantuml}
        output: bytes
        if args.format in writers:
            output = writers[args.format](erd).encode()
        else:
            if graphviz:
                _check_drawable(erd, contexts, path)
            dot = erd_dot(erd, mode=mode, contexts=contexts)
            output = graphviz.draw(dot) if graphviz else dot.encode()
    try:
        Path(args.output).write_bytes(output)
    except OSError as error:
        raise AdvisorError(f"cannot write: {error.strerror}", location=args.output) from None
    shown = f" of {', '.join(sorted(contexts))}" if contexts else ""
    tables = _view_tables(erd, contexts)
    print(f"Wrote the {mode} diagram{shown} ({tables:,} tables) to {args.output}.")
    return 0


def _check_drawable(erd: Erd, contexts: frozenset[str] | None, path: str) -> None:
    """Raise an `AdvisorError` when the view holds more tables than Graphviz draws in time."""
    from advisor.erd import too_many_to_draw

    reason = too_many_to_draw(_view_tables(erd, contexts))
    if reason:
        raise AdvisorError(
            f"{reason}: draw one bounded context with --context NAME (one of "
            f"{', '.join(erd.contexts)}), or write the DOT with --format dot",
            location=path,
        )


def _view_tables(erd: Erd, contexts: frozenset[str] | None) -> int:
    """The tables of `contexts` (all tables for None), those greyed from others left out."""
    if contexts is None:
        return len(erd.tables)
    return sum(table.context in contexts for table in erd.tables)


def write_schema(*, write: bool, docs: str | None) -> int:
    from advisor.requirements.fields import MAX_DOCUMENT_BYTES
    from advisor.requirements.json_schema import requirements_schema_text
    from advisor.requirements.reference import with_field_reference

    text = requirements_schema_text()
    if write:
        _write(SCHEMA_FILE, text)
        print(f"Wrote {SCHEMA_FILE}.")
    elif docs is None:
        sys.stdout.write(text)
    if docs is not None:
        _write(Path(docs), with_field_reference(read_text(docs, limit=10 * MAX_DOCUMENT_BYTES)))
        print(f"Wrote the field reference into {docs}.")
    return 0


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise AdvisorError(f"cannot write: {error.strerror}", location=str(path)) from None


def read_requirements_file(path: str) -> tuple[str, Requirements]:
    """The file's text and the requirements it describes; raises `AdvisorError`."""
    from advisor.requirements import read_requirements

    text = read_text(path)
    return text, read_requirements(text, source=path)


def read_text(path: str, *, limit: int | None = None) -> str:
    """The file's text (at most `limit` bytes, by default the largest requirements document),
    with every way of failing turned into an `AdvisorError`."""
    if limit is None:
        from advisor.requirements.fields import MAX_DOCUMENT_BYTES

        limit = MAX_DOCUMENT_BYTES
    data = read_limited(path, limit=limit, what="a requirements file")
    if len(data) > limit:
        raise AdvisorError(
            f"is larger than the limit of a file read, at most {limit:,} bytes", location=path
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise AdvisorError(
            f"not UTF-8 text (byte {error.start} cannot be decoded)", location=path
        ) from None
