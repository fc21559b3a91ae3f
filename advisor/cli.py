"""The command line: `python -m advisor VERB ...`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from advisor import __version__
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
    return parser


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
