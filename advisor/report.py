"""Lint findings in the forms CI systems read natively: text, JSON, SARIF 2.1.0 (GitHub code
scanning), GitHub workflow annotations and JUnit XML (GitLab, Azure DevOps, Jenkins).

Both linters, the schema's (`python -m advisor lint`) and the migration's (`migrate`), turn
their findings into one `Report`; everything here reads only that, so the formats say the same
thing for both. Which findings fail is decided once, by `Report.failing`: those at or above
`fail_on` that neither the requirements (`lint.ignore`), a `--accept` nor the baseline
suppressed. docs/ci.md describes every format.

>>> report = Report("lint", "shop.yaml", (RuleInfo("money-as-float", "Money in a float."),),
...     (Issue("money-as-float", "warning", "price is a float", "postgresql: item.price",
...            fingerprint("money-as-float", "item.price"), line=7),))
>>> print(format_report(report, "github"), end="")
::warning file=shop.yaml,line=7,title=money-as-float::postgresql: item.price: price is a float
>>> report.exit_status, replace(report, fail_on="warning").exit_status
(0, 1)
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from advisor import __version__
from advisor.errors import AdvisorError

FORMATS = ("text", "json", "sarif", "github", "junit")
SEVERITIES = ("error", "warning", "info")
FAIL_ON = (*SEVERITIES, "never")
REPORT_FORMAT = "advisor/lint-report/v1"
BASELINE_FORMAT = "advisor/lint-baseline/v1"
TOOL_NAME = "database-design-advisor"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
_RANK = {severity: rank for rank, severity in enumerate(reversed(SEVERITIES))}


@dataclass(frozen=True)
class RuleInfo:
    """A rule as a rule list shows it: its id, what it finds, and its other name if any."""

    id: str
    help: str
    name: str = ""  # squawk's name of a migration rule (`ban-drop-column`)


@dataclass(frozen=True)
class Issue:
    """One finding, wherever it came from, with what CI systems need to place it."""

    rule: str
    severity: str  # error, warning or info
    message: str
    location: str  # in the design, as the linter says it: `postgresql: order.total`
    fingerprint: str  # stable across runs and edits elsewhere in the file: see `fingerprint`
    fix: str = ""
    line: int | None = None  # in the requirements file, when known
    path: str = ""  # in the requirements document: `entities[2].attributes[0]`
    suppressed: str = ""  # why it does not count: `lint.ignore[0]`, `--accept`, `baseline`
    justification: str = ""  # the reason written beside the suppression

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "location": self.location,
            "message": self.message,
            "fix": self.fix,
            "path": self.path or None,
            "line": self.line,
            "fingerprint": self.fingerprint,
            "suppressed": (
                {"by": self.suppressed, "reason": self.justification} if self.suppressed else None
            ),
        }


@dataclass(frozen=True)
class Report:
    """The findings of one linter on one requirements file, and when they fail."""

    tool: str  # `lint` or `migrate`
    file: str  # the requirements file the findings point into
    rules: tuple[RuleInfo, ...]
    issues: tuple[Issue, ...]
    fail_on: str = "error"  # error, warning, info or never
    notes: tuple[str, ...] = field(default=())  # for a person, on stderr: unused suppressions

    def fails(self, issue: Issue) -> bool:
        if issue.suppressed or self.fail_on == "never":
            return False
        return _RANK[issue.severity] >= _RANK[self.fail_on]

    @property
    def failing(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if self.fails(issue))

    @property
    def exit_status(self) -> int:
        """0 when nothing fails, 1 otherwise (2, bad input, is the command line's)."""
        return 1 if self.failing else 0

    def summary(self) -> str:
        """One line for a person: how many findings of each severity, and what fails.

        >>> Report("lint", "a.yaml", (), ()).summary()
        'a.yaml: no lint findings.'
        """
        active = [issue for issue in self.issues if not issue.suppressed]
        if not self.issues:
            return f"{self.file}: no lint findings."
        counts = Counter(issue.severity for issue in active)
        parts = [
            f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in SEVERITIES
        ]
        suppressed = len(self.issues) - len(active)
        failing = len(self.failing)
        verdict = (
            f"{failing} at or above {self.fail_on}: failing"
            if failing
            else ("not failing" if self.fail_on == "never" else f"none at or above {self.fail_on}")
        )
        return f"{self.file}: {', '.join(parts)}, {suppressed} suppressed; {verdict}."


def fingerprint(*parts: str) -> str:
    """A finding's identity for the baseline and SARIF: the same rule at the same place gives
    the same fingerprint on every run, whatever the wording or the line.

    >>> fingerprint("money-as-float", "postgresql", "item.price")
    '9fee1be1c5929cad'
    """
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def format_report(report: Report, format: str) -> str:
    """The report in one of `FORMATS`."""
    return RENDERERS[format](report)


def render_text(report: Report) -> str:
    lines = []
    for issue in report.issues:
        where = f"{report.file}:{issue.line}" if issue.line else report.file
        mark = f" (suppressed: {issue.suppressed})" if issue.suppressed else ""
        lines.append(f"{where}: {issue.severity}{mark} [{issue.rule}] {issue.location}")
        lines.append(f"    {issue.message}")
        if issue.fix:
            lines.append(f"    fix: {issue.fix}")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    """The stable form (`advisor/lint-report/v1`, docs/ci.md)."""
    counts = Counter(issue.severity for issue in report.issues if not issue.suppressed)
    document = {
        "format": REPORT_FORMAT,
        "tool": report.tool,
        "file": report.file,
        "fail_on": report.fail_on,
        "passed": not report.failing,
        "summary": {
            **{severity: counts[severity] for severity in SEVERITIES},
            "suppressed": sum(bool(issue.suppressed) for issue in report.issues),
            "failing": len(report.failing),
        },
        "findings": [
            {**issue.to_dict(), "failing": report.fails(issue)} for issue in report.issues
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_sarif(report: Report) -> str:
    """SARIF 2.1.0 as GitHub code scanning reads it: one run, the rules with their help, each
    result at its line of the requirements file (line 1 when the finding's place is unknown)."""
    index = {rule.id: number for number, rule in enumerate(report.rules)}
    rules = [
        {
            "id": rule.id,
            **({"name": rule.name} if rule.name else {}),
            "shortDescription": {"text": rule.help},
            "fullDescription": {"text": rule.help},
            "help": {"text": rule.help, "markdown": f"**{rule.id}**: {rule.help}"},
        }
        for rule in report.rules
    ]
    results = []
    for issue in report.issues:
        result: dict[str, Any] = {
            "ruleId": issue.rule,
            "level": SARIF_LEVELS[issue.severity],
            "message": {"text": _sentence(issue)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(report.file)},
                        "region": {"startLine": issue.line or 1},
                    },
                    "logicalLocations": [{"fullyQualifiedName": issue.location}],
                }
            ],
            "partialFingerprints": {"advisorFinding/v1": issue.fingerprint},
        }
        if issue.rule in index:
            result["ruleIndex"] = index[issue.rule]
        if issue.suppressed:
            result["suppressions"] = [
                {
                    "kind": "external" if issue.suppressed == "baseline" else "inSource",
                    "justification": issue.justification or f"suppressed: {issue.suppressed}",
                }
            ]
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"advisor-{report.tool}/"},
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_github(report: Report) -> str:
    """GitHub Actions workflow commands: one annotation per finding that is not suppressed."""
    names = {rule.id: f"{rule.id} {rule.name}" for rule in report.rules if rule.name}
    lines = []
    for issue in report.issues:
        if issue.suppressed:
            continue
        properties = f"file={_property(report.file)}"
        if issue.line:
            properties += f",line={issue.line}"
        properties += f",title={_property(names.get(issue.rule, issue.rule))}"
        command = GITHUB_COMMANDS[issue.severity]
        lines.append(f"::{command} {properties}::{_data(_sentence(issue))}")
    return "".join(line + "\n" for line in lines)


def render_junit(report: Report) -> str:
    """JUnit XML: a test case per finding (a failure when it fails, skipped when suppressed)
    and a passing one per rule that found nothing."""
    suite = ET.Element("testsuite", name=f"advisor {report.tool}: {report.file}")
    counted = Counter[str]()
    for issue in report.issues:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"advisor.{report.tool}.{issue.rule}",
            name=issue.location,
            file=report.file,
        )
        if issue.line:
            case.set("line", str(issue.line))
        text = "\n".join(part for part in (_sentence(issue), issue.fix and f"fix: {issue.fix}"))
        if report.fails(issue):
            failure = ET.SubElement(case, "failure", message=issue.message, type=issue.severity)
            failure.text = text
            counted["failures"] += 1
        elif issue.suppressed:
            ET.SubElement(case, "skipped", message=f"suppressed by {issue.suppressed}")
            counted["skipped"] += 1
        else:
            ET.SubElement(case, "system-out").text = f"{issue.severity}: {text}"
        counted["tests"] += 1
    found = {issue.rule for issue in report.issues}
    for rule in report.rules:
        if rule.id not in found:
            ET.SubElement(suite, "testcase", classname=f"advisor.{report.tool}", name=rule.id)
            counted["tests"] += 1
    for key in ("tests", "failures", "skipped"):
        suite.set(key, str(counted[key]))
    suite.set("errors", "0")
    suites = ET.Element("testsuites", name=f"advisor {report.tool}")
    suites.append(suite)
    for key in ("tests", "failures", "errors", "skipped"):
        suites.set(key, suite.get(key, "0"))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


RENDERERS: Mapping[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "junit": render_junit,
}


def default_format(environ: Mapping[str, str]) -> str:
    """`github` inside a GitHub Actions job (GITHUB_ACTIONS=true), else `text`."""
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


# The baseline -----------------------------------------------------------------------------


def with_baseline(report: Report, accepted: Iterable[str]) -> Report:
    """The report with every finding whose fingerprint is in `accepted` suppressed."""
    known = frozenset(accepted)
    issues = tuple(
        replace(issue, suppressed="baseline")
        if issue.fingerprint in known and not issue.suppressed
        else issue
        for issue in report.issues
    )
    return replace(report, issues=issues)


def baseline_text(report: Report) -> str:
    """A baseline of every finding of `report` that the requirements do not already suppress:
    their fingerprints, with rule, place and message for the reviewer of the file."""
    kept = sorted(
        (issue for issue in report.issues if issue.suppressed in ("", "baseline")),
        key=lambda issue: (issue.rule, issue.location, issue.fingerprint),
    )
    document = {
        "format": BASELINE_FORMAT,
        "tool": report.tool,
        "findings": [
            {
                "fingerprint": issue.fingerprint,
                "rule": issue.rule,
                "severity": issue.severity,
                "location": issue.location,
                "message": issue.message,
            }
            for issue in kept
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def read_baseline(text: str, *, source: str) -> frozenset[str]:
    """The fingerprints of a baseline file written by `baseline_text`.

    >>> read_baseline('{"format": "advisor/lint-baseline/v1", "findings": []}', source="b")
    frozenset()
    >>> read_baseline("[]", source="b.json")
    Traceback (most recent call last):
    ...
    advisor.errors.AdvisorError: b.json: not a lint baseline (format advisor/lint-baseline/v1)
    """
    try:
        document = json.loads(text)
    except ValueError as error:
        raise AdvisorError(f"not JSON: {error}", location=source) from None
    if not isinstance(document, dict):
        document = {}
    findings = document.get("findings")
    if document.get("format") != BASELINE_FORMAT or not isinstance(findings, list):
        raise AdvisorError(f"not a lint baseline (format {BASELINE_FORMAT})", location=source)
    prints = [item.get("fingerprint") if isinstance(item, dict) else None for item in findings]
    if not all(isinstance(item, str) for item in prints):
        raise AdvisorError("every finding needs a fingerprint string", location=source)
    return frozenset(str(item) for item in prints)


def _sentence(issue: Issue) -> str:
    return f"{issue.location}: {issue.message}"


def _uri(file: str) -> str:
    """The file as SARIF wants it: relative to the repository (the working directory) when it
    is inside it, which is what GitHub code scanning matches against the checkout."""
    path = Path(file)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_uri()


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
