"""The command line: `python -m advisor VERB ...`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from advisor import __version__
from advisor.errors import AdvisorError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m advisor",
        description=(
            "The database design advisor: describe your data and workload, "
            "get back a reasoned database design."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_subparsers(dest="verb", metavar="VERB")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 success, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.verb is None:
            parser.print_help()
            return 0
        parser.error(f"unknown verb {args.verb!r}")
    except AdvisorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
