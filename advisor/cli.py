"""The command line: `python -m advisor VERB ...`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from advisor import __version__
from advisor.design import create_design
from advisor.engine import advise
from advisor.errors import AdvisorError, InvalidRequirements
from advisor.recommendation import render_text
from advisor.requirements import load_document, parse_requirements


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m advisor",
        description=(
            "The database design advisor: describe your data and workload, "
            "get back a reasoned database design."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
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
    design = verbs.add_parser(
        "advise",
        help="write the whole design for a requirements document into a folder",
        description=(
            "Write the design for a requirements document: recommendation.json, "
            "schema/<dialect>.sql for every SQL dialect and lint.json."
        ),
    )
    design.add_argument("requirements", metavar="REQUIREMENTS", help="a YAML or JSON file")
    design.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    design.add_argument(
        "--partitions-from",
        type=_date,
        metavar="YYYY-MM-DD",
        help="first day of time partitions (default: today); fix it for reproducible output",
    )
    return parser


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 success, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.verb is None:
            parser.print_help()
            return 0
        if args.verb == "recommend":
            return recommend(args.requirements, args.format)
        if args.verb == "advise":
            return write_design(args.requirements, Path(args.out), args.partitions_from)
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


def recommend(path: str, output: str) -> int:
    text = read_text(path)
    requirements = parse_requirements(load_document(text, source=path))
    recommendation = advise(requirements)
    if output == "json":
        sys.stdout.write(recommendation.to_json())
    else:
        sys.stdout.write(render_text(recommendation))
    return 0


def write_design(path: str, out: Path, partitions_from: date | None) -> int:
    text = read_text(path)
    requirements = parse_requirements(load_document(text, source=path))
    design = create_design(requirements, partitions_from=partitions_from)
    for item in design.files:
        target = out / item.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(item.text, encoding="utf-8")
        except OSError as error:
            raise AdvisorError(f"cannot write: {error.strerror}", location=str(target)) from None
    errors = sum(
        finding.severity == "error" for item in design.dialects for finding in item.findings
    )
    primary = design.recommendation.primary
    print(f"Wrote {len(design.files)} files to {out}: primary store {primary.name}; ", end="")
    print(f"{errors} lint error(s).")
    return 0


def read_text(path: str) -> str:
    """The file's text, with every way of failing turned into an `AdvisorError`."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AdvisorError("no such file", location=path) from None
    except IsADirectoryError:
        raise AdvisorError("is a directory, not a requirements file", location=path) from None
    except UnicodeDecodeError as error:
        raise AdvisorError(
            f"not UTF-8 text (byte {error.start} cannot be decoded)", location=path
        ) from None
    except OSError as error:
        raise AdvisorError(f"cannot be read: {error.strerror}", location=path) from None
