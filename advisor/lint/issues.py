"""The design's lint findings as a `Report` (advisor.report): each finding placed in the
requirements file, and suppressed when the document's `lint.ignore` accepts it.

The findings are the design's own (`DialectSchema.findings`, what `lint.json` holds): nothing
here lints again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from advisor.lint.rules import RULE_HELP, Finding, Subject, subjects
from advisor.report import Issue, Report, RuleInfo, fingerprint
from advisor.requirements.model import LintIgnore, Requirements
from advisor.requirements.parse import did_you_mean

if TYPE_CHECKING:
    from advisor.design import DialectSchema

RULES = tuple(RuleInfo(rule, help) for rule, help in RULE_HELP.items())


def lint_report(
    requirements: Requirements,
    dialects: Sequence[DialectSchema],
    *,
    file: str,
    lines: Mapping[str, int],
    fail_on: str = "error",
) -> Report:
    """The findings of `dialects` as a report on `file`, whose `lines` (`document_lines`) place
    each finding at the entity or attribute it came from.

    >>> from advisor.design import dialect_schemas
    >>> from advisor.engine import advise
    >>> from advisor.requirements import document_lines, read_requirements
    >>> text = ("format: advisor/v1\\nproject: Shop\\nentities:\\n  - name: user\\n"
    ...     "lint: {ignore: [{rule: reserved-word-identifier, target: user}]}\\n")
    >>> shop = read_requirements(text)
    >>> report = lint_report(shop, dialect_schemas(shop, advise(shop), ["postgresql"]),
    ...     file="shop.yaml", lines=document_lines(text))
    >>> [(i.rule, i.location, i.line, i.suppressed) for i in report.issues]
    [('reserved-word-identifier', 'postgresql: table user', 4, 'lint.ignore[0]')]
    """
    ignore = requirements.lint.ignore
    used: set[int] = set()
    issues = []
    for item in dialects:
        subject = subjects(item.schema)
        for finding in item.findings:
            about = subject(finding)
            accepted = next(
                (
                    index
                    for index, entry in enumerate(ignore)
                    if _ignores(entry, finding, about, item.dialect)
                ),
                None,
            )
            if accepted is not None:
                used.add(accepted)
            issues.append(
                Issue(
                    finding.rule,
                    finding.severity,
                    finding.message,
                    f"{item.dialect}: {finding.location}",
                    fingerprint("lint", finding.rule, item.dialect, finding.location),
                    fix=finding.fix,
                    line=lines.get(about.path) if about.path else None,
                    path=about.path,
                    suppressed="" if accepted is None else f"lint.ignore[{accepted}]",
                    justification="" if accepted is None else ignore[accepted].reason,
                )
            )
    return Report("lint", file, RULES, tuple(issues), fail_on, _notes(ignore, used))


def _ignores(entry: LintIgnore, finding: Finding, about: Subject, dialect: str) -> bool:
    """Whether `entry` accepts `finding`: the same rule, and no target, or the finding's
    location (with or without its dialect), or the finding's table."""
    if entry.rule != finding.rule:
        return False
    targets = (finding.location, f"{dialect}: {finding.location}", about.table)
    return entry.target is None or entry.target in targets


def _notes(ignore: Sequence[LintIgnore], used: set[int]) -> tuple[str, ...]:
    notes = []
    for index, entry in enumerate(ignore):
        if entry.rule not in RULE_HELP:
            notes.append(
                f"lint.ignore[{index}].rule: {entry.rule!r} is not a lint rule"
                f"{did_you_mean(entry.rule, RULE_HELP)}"
            )
        elif index not in used:
            where = f" at {entry.target!r}" if entry.target is not None else ""
            notes.append(f"lint.ignore[{index}]: no {entry.rule} finding{where} to ignore")
    return tuple(notes)
