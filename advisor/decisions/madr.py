"""Decisions as MADR 4 Markdown files, their names, and the decision log's index."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence

from advisor.decisions.markdown import escape
from advisor.decisions.model import STATUSES, Decision

SLUG_MAX_LENGTH = 60
DECISION_MAKERS = "database design advisor"


def slug(title: str) -> str:
    """The title as a file name part: ASCII, lower case, hyphens, at most 60 characters.

    >>> slug("Use PostgreSQL as the primary store")
    'use-postgresql-as-the-primary-store'
    >>> slug("Partition «Größe» by month"), slug("客户")
    ('partition-grosse-by-month', 'decision')
    """
    text = unicodedata.normalize("NFKD", title.replace("ß", "ss"))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > SLUG_MAX_LENGTH:
        cut = text[: SLUG_MAX_LENGTH + 1]
        text = cut[: cut.rfind("-")] if "-" in cut[1:] else text[:SLUG_MAX_LENGTH]
        text = text.strip("-")
    return text or "decision"


def filename(number: int, title: str) -> str:
    """The record's file name, numbered with four digits as adr-tools and MADR do.

    >>> filename(1, "Use PostgreSQL as the primary store")
    '0001-use-postgresql-as-the-primary-store.md'
    """
    return f"{number:04d}-{slug(title)}.md"


def render_madr(
    decision: Decision,
    *,
    number: int,
    status: str,
    date: datetime.date,
    supersedes: tuple[tuple[int, str], ...] = (),
    superseded_by: tuple[tuple[int, str], ...] = (),
    amends: tuple[tuple[int, str], ...] = (),
    amended_by: tuple[tuple[int, str], ...] = (),
    decision_makers: str = DECISION_MAKERS,
) -> str:
    """The decision as a MADR 4 record; links are `(number, title)` of the other records.

    `number` is the record's own number; it names no heading (MADR titles carry none) but
    keeps the signature of the web side's calls uniform.

    >>> from advisor.decisions.model import Decision, Option
    >>> record = render_madr(
    ...     Decision("k", "Use X", "x", "Why.", ("a driver",), (Option("X", 90.0, "fits"),),
    ...              ("x fits",), ("it is fast",), ("it is new",), ("watch it",), (), ()),
    ...     number=2, status="accepted", date=datetime.date(2025, 1, 1), supersedes=((1, "Use Y"),))
    >>> print(*record.splitlines()[:6], sep="\\n")
    ---
    status: accepted
    date: 2025-01-01
    decision-makers: database design advisor
    ---
    <BLANKLINE>
    >>> "* Supersedes [0001](0001-use-y.md)" in record
    True
    """
    if status not in STATUSES:
        raise ValueError(f"{status!r} is not a status; use one of {', '.join(STATUSES)}")
    lines = [
        "---",
        f"status: {status}",
        f"date: {date.isoformat()}",
        f"decision-makers: {_yaml_scalar(decision_makers)}",
        "---",
        "",
        f"# {escape(decision.title)}",
        "",
        "## Context and Problem Statement",
        "",
        decision.context.strip(),
        "",
    ]
    if decision.drivers:
        lines += ["## Decision Drivers", "", *_bullets(decision.drivers), ""]
    if decision.options:
        lines += [
            "## Considered Options",
            "",
            *(f"* {escape(option.name)}" for option in decision.options),
            "",
        ]
    lines += ["## Decision Outcome", ""]
    chosen = decision.chosen
    if chosen is not None:
        because = decision.because or "of the reasons below"
        lines += [f'Chosen option: "{escape(chosen.name)}", because {because}.', ""]
    if decision.justification:
        lines += [*_bullets(decision.justification), ""]
    if decision.good or decision.bad:
        lines += ["### Consequences", ""]
        lines += [f"* Good, because {_clause(item)}" for item in decision.good]
        lines += [f"* Bad, because {_clause(item)}" for item in decision.bad]
        lines.append("")
    if decision.confirmation:
        lines += ["### Confirmation", "", *_bullets(decision.confirmation), ""]
    if decision.migration:
        lines += ["### Migration", "", *decision.migration, ""]
    if decision.options:
        lines += ["## Pros and Cons of the Options", ""]
        for option in decision.options:
            lines += [f"### {escape(option.name)}", ""]
            score = f"Score {option.score:.1f} of 100. " if option.score is not None else ""
            lines += [f"{score}{option.summary}".strip(), ""]
            if option.pros or option.cons:
                lines += [f"* Good, because {_clause(item)}" for item in option.pros]
                lines += [f"* Bad, because {_clause(item)}" for item in option.cons]
                lines.append("")
    links = [
        *(_link("Supersedes", item) for item in supersedes),
        *(_link("Superseded by", item) for item in superseded_by),
        *(_link("Amends", item) for item in amends),
        *(_link("Amended by", item) for item in amended_by),
    ]
    if links or decision.more_information:
        lines += ["## More Information", ""]
        lines += [f"* {link}" for link in links]
        lines += _bullets(decision.more_information)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def decision_log_index(
    records: Sequence[tuple[int, str, str, datetime.date]],
    *,
    title: str = "Architecture Decision Records",
) -> str:
    """`docs/decisions/README.md`: the records `(number, title, status, date)` by status.

    Each line is adr-tools' table-of-contents form, `* [1. Title](0001-title.md)`, then the
    date; groups come in the order accepted, proposed, superseded, deprecated, rejected.

    >>> print(decision_log_index([(1, "Use MySQL", "superseded", datetime.date(2025, 1, 1)),
    ...                           (2, "Use PostgreSQL", "accepted", datetime.date(2025, 2, 1))]))
    # Architecture Decision Records
    <BLANKLINE>
    ## Accepted
    <BLANKLINE>
    * [2. Use PostgreSQL](0002-use-postgresql.md) (2025-02-01)
    <BLANKLINE>
    ## Superseded
    <BLANKLINE>
    * [1. Use MySQL](0001-use-mysql.md) (2025-01-01)
    <BLANKLINE>
    """
    for number, _, status, _ in records:
        if status not in STATUSES:
            raise ValueError(
                f"record {number}: {status!r} is not a status; records are "
                f"(number, title, status, date) and status is one of {', '.join(STATUSES)}"
            )
    lines = [f"# {escape(title)}", ""]
    if not records:
        lines += ["No decisions recorded yet.", ""]
    for status in STATUSES:
        group = sorted(record for record in records if record[2] == status)
        if not group:
            continue
        lines += [f"## {status.capitalize()}", ""]
        lines += [
            f"* [{number}. {escape(name)}]({filename(number, name)}) ({day.isoformat()})"
            for number, name, _, day in group
        ]
        lines.append("")
    return "\n".join(lines)


def _link(label: str, record: tuple[int, str]) -> str:
    number, name = record
    return f"{label} [{number:04d}]({filename(number, name)})"


def _clause(text: str) -> str:
    """A consequence as a clause after "because": no full stop of its own."""
    return text.rstrip().removesuffix(".")


def _bullets(items: Sequence[str]) -> list[str]:
    return [f"* {item}" for item in items]


def _yaml_scalar(text: str) -> str:
    """A plain YAML scalar when it is one, else a double-quoted string."""
    text = " ".join(text.split())
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9 ._-]*", text) and text.lower() not in (
        "yes",
        "no",
        "true",
        "false",
        "null",
        "on",
        "off",
    ):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
