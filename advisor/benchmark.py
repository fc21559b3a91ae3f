"""The public case benchmark: the engine's answers for published systems, against what
their teams chose and what an expert would accept.

A case file (`tests/fixtures/cases/NAME.yaml`, described in docs/cases.md) holds two keys:
`case` (title, sources, year, the team's choice, the accepted categories, optional accepted
technologies, notes) and `requirements` (an `advisor/v1` document). The first accepted
category is the category of the team's choice; it is the row of the confusion matrix.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.engine import advise
from advisor.errors import AdvisorError, InvalidRequirements
from advisor.matrix import DEFAULT_MATRIX, Matrix
from advisor.requirements import Requirements, load_document, parse_requirements

CASES_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "cases"
TARGET_ACCURACY = 0.9  # issue 10, "Done when"
TARGET_LARGEST_SHARE = 1 / 3
REQUIRED_CASE_KEYS = ("title", "sources", "year", "chose", "accepted_categories", "notes")
CASE_KEYS = frozenset((*REQUIRED_CASE_KEYS, "accepted_technologies"))


class InvalidCase(AdvisorError):
    """A case file that cannot be benchmarked: unreadable, incomplete or with invalid
    requirements. `location` is the file's path."""


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    sources: tuple[str, ...]
    year: int
    chose: str
    accepted_categories: tuple[str, ...]
    accepted_technologies: tuple[str, ...]
    notes: str
    requirements: Requirements

    @property
    def expected(self) -> str:
        """The category of the team's choice: the first accepted one."""
        return self.accepted_categories[0]


@dataclass(frozen=True)
class Ranked:
    category: str
    technology: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "technology": self.technology,
            "score": round(self.score, 2),
        }


@dataclass(frozen=True)
class CaseResult:
    case: Case
    chosen: Ranked
    runner_up: Ranked  # the best technology of the second-ranked category
    best_accepted: Ranked  # the best technology of an accepted category

    @property
    def hit(self) -> bool:
        return self.chosen.category in self.case.accepted_categories

    @property
    def technology_hit(self) -> bool | None:
        """Whether the technology is an accepted one; None when the case lists none."""
        if not self.case.accepted_technologies:
            return None
        return self.chosen.technology in self.case.accepted_technologies

    @property
    def margin(self) -> float:
        return self.chosen.score - self.runner_up.score

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case.name,
            "title": self.case.title,
            "expected": self.case.expected,
            "accepted_categories": list(self.case.accepted_categories),
            "hit": self.hit,
            "technology_hit": self.technology_hit,
            "chosen": self.chosen.to_dict(),
            "runner_up": self.runner_up.to_dict(),
            "margin": round(self.margin, 2),
            "best_accepted": self.best_accepted.to_dict(),
        }


@dataclass(frozen=True)
class Report:
    results: tuple[CaseResult, ...]
    categories: tuple[str, ...]  # the matrix's, in its order

    @property
    def accuracy(self) -> float:
        return _share(sum(r.hit for r in self.results), len(self.results))

    def accuracy_by_category(self) -> dict[str, tuple[int, int]]:
        """Expected category -> (hits, cases), for the categories that have cases."""
        table: dict[str, tuple[int, int]] = {}
        for category in self.categories:
            rows = [r for r in self.results if r.case.expected == category]
            if rows:
                table[category] = (sum(r.hit for r in rows), len(rows))
        return table

    def confusion(self) -> dict[str, Counter[str]]:
        """Expected category -> chosen categories counted."""
        table: dict[str, Counter[str]] = {}
        for result in self.results:
            table.setdefault(result.case.expected, Counter())[result.chosen.category] += 1
        return table

    def technology_shares(self) -> list[tuple[str, int, float]]:
        """(technology, cases, share) for every chosen technology, most chosen first."""
        counts = Counter(r.chosen.technology for r in self.results)
        return [
            (technology, count, _share(count, len(self.results)))
            for technology, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]

    @property
    def largest_share(self) -> float:
        shares = self.technology_shares()
        return shares[0][2] if shares else 0.0

    def constant_answer(self) -> tuple[str, float]:
        """The category that, answered for every case, would be accepted most often, and
        its accuracy: the floor any engine must beat to show it discriminates."""
        counts = Counter(c for r in self.results for c in r.case.accepted_categories)
        category = min(counts, key=lambda c: (-counts[c], c))
        return category, _share(counts[category], len(self.results))

    @property
    def misses(self) -> tuple[CaseResult, ...]:
        return tuple(r for r in self.results if not r.hit)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": len(self.results),
            "accuracy": round(self.accuracy, 4),
            "target_accuracy": TARGET_ACCURACY,
            "constant_answer": {
                "category": self.constant_answer()[0],
                "accuracy": round(self.constant_answer()[1], 4),
            },
            "largest_technology_share": round(self.largest_share, 4),
            "target_largest_technology_share": round(TARGET_LARGEST_SHARE, 4),
            "by_category": {
                category: {"hits": hits, "cases": cases}
                for category, (hits, cases) in self.accuracy_by_category().items()
            },
            "confusion": {
                expected: dict(sorted(chosen.items()))
                for expected, chosen in sorted(self.confusion().items())
            },
            "technologies": [
                {"technology": technology, "cases": count, "share": round(share, 4)}
                for technology, count, share in self.technology_shares()
            ],
            "results": [result.to_dict() for result in self.results],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def case_paths(directory: Path) -> list[Path]:
    """The case files of a folder: every `*.yaml` except `BASELINE.yaml`."""
    return sorted(path for path in directory.glob("*.yaml") if path.name != "BASELINE.yaml")


def load_case(path: Path, matrix: Matrix = DEFAULT_MATRIX) -> Case:
    """Read and check one case file; raises `InvalidCase` naming the file and the problem.

    >>> case = load_case(CASES_DIR / "personal-blog.yaml")
    >>> case.expected, case.sources
    ('relational', ('https://www.sqlite.org/whentouse.html',))
    """
    location = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidCase(f"cannot be read: {error}", location=location) from None
    try:
        document = load_document(text, source=location)
    except AdvisorError as error:
        raise InvalidCase(error.message, location=error.location or location) from None
    if set(document) != {"case", "requirements"}:
        raise InvalidCase("needs exactly two keys, 'case' and 'requirements'", location=location)
    case = document["case"]
    if not isinstance(case, dict):
        raise InvalidCase("'case' must be a mapping", location=location)
    problems = [f"case.{key}: is required" for key in REQUIRED_CASE_KEYS if not case.get(key)]
    problems += [f"case.{key}: unknown key" for key in sorted(set(case) - CASE_KEYS)]
    sources = _strings(case.get("sources"))
    if case.get("sources") and not all(s.startswith(("https://", "http://")) for s in sources):
        problems.append("case.sources: every source must be a URL")
    categories = _strings(case.get("accepted_categories"))
    problems += [
        f"case.accepted_categories: {c!r} is not a category of the matrix"
        for c in categories
        if c not in matrix.categories
    ]
    technologies = _strings(case.get("accepted_technologies"))
    problems += [
        f"case.accepted_technologies: {t!r} is not a technology of the matrix"
        for t in technologies
        if t not in matrix.technologies
    ]
    if not isinstance(case.get("year"), int):
        problems.append("case.year: must be a year such as 2021")
    if not isinstance(document["requirements"], dict):
        problems.append("requirements: must be an advisor/v1 document")
    if problems:
        raise InvalidCase("; ".join(problems), location=location)
    try:
        requirements = parse_requirements(document["requirements"])
    except InvalidRequirements as error:
        listed = "; ".join(f"requirements.{problem}" for problem in error.problems)
        raise InvalidCase(listed, location=location) from None
    return Case(
        name=path.stem,
        title=str(case["title"]),
        sources=sources,
        year=case["year"],
        chose=str(case["chose"]),
        accepted_categories=categories,
        accepted_technologies=technologies,
        notes=str(case["notes"]),
        requirements=requirements,
    )


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return ()


def evaluate(case: Case, matrix: Matrix = DEFAULT_MATRIX) -> CaseResult:
    """Run the engine on one case."""
    recommendation = advise(case.requirements, matrix=matrix, project_load=False)
    ranked = [
        Ranked(a.category, a.technologies[0].technology, a.score)
        for a in recommendation.alternatives
    ]
    primary = recommendation.primary
    chosen = Ranked(primary.category, primary.technology, primary.score)
    others = [r for r in ranked if r.category != chosen.category]
    accepted = [r for r in ranked if r.category in case.accepted_categories]
    return CaseResult(case, chosen, others[0], accepted[0] if accepted else chosen)


def run_benchmark(directory: Path = CASES_DIR, matrix: Matrix = DEFAULT_MATRIX) -> Report:
    """Load every case of `directory` (all of them, before running any) and run the engine;
    raises `InvalidCase` for the first file that is not a valid case."""
    cases = [load_case(path, matrix) for path in case_paths(directory)]
    if not cases:
        raise InvalidCase("no case files (*.yaml) here", location=str(directory))
    return Report(tuple(evaluate(case, matrix) for case in cases), tuple(matrix.categories))


def render_report(report: Report) -> str:
    """The benchmark as text: accuracy, by category, the confusion matrix, technology shares
    and the misses."""
    constant, constant_accuracy = report.constant_answer()
    lines = [
        f"Case benchmark: {len(report.results)} cases",
        f"accuracy: {_percent(report.accuracy)} in an accepted category "
        f"(target {_percent(TARGET_ACCURACY)})",
        f"largest technology share: {_percent(report.largest_share)} "
        f"(target at most {_percent(TARGET_LARGEST_SHARE)})",
        f"always answering {constant} would score {_percent(constant_accuracy)}",
        "",
        "By expected category (the category of the team's choice):",
    ]
    for category, (hits, cases) in report.accuracy_by_category().items():
        lines.append(f"  {category:<12} {hits:>3}/{cases:<3} {_percent(_share(hits, cases)):>5}")
    lines += ["", "Confusion matrix (rows: expected, columns: chosen):"]
    confusion = report.confusion()
    columns = report.categories
    width = max(len(c) for c in columns)
    lines.append("  " + " " * 12 + " ".join(f"{c[:width]:>{width}}" for c in columns))
    for expected in report.categories:
        if expected in confusion:
            row = confusion[expected]
            cells = " ".join(f"{row.get(c, 0) or '.':>{width}}" for c in columns)
            lines.append(f"  {expected:<12}{cells}")
    lines += ["", "Chosen technologies:"]
    for technology, count, share in report.technology_shares():
        lines.append(f"  {technology:<14} {count:>3}  {_percent(share):>5}")
    misses = report.misses
    lines += ["", f"Misses ({len(misses)}):"]
    for miss in misses:
        accepted = "/".join(miss.case.accepted_categories)
        lines.append(
            f"  {miss.case.name}: chose {_ranked(miss.chosen)}, runner-up "
            f"{_ranked(miss.runner_up)}, margin {miss.margin:.1f}; accepted {accepted}, best "
            f"{_ranked(miss.best_accepted)} ({miss.best_accepted.score - miss.chosen.score:+.1f})"
        )
    return "\n".join(lines) + "\n"


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _ranked(ranked: Ranked) -> str:
    return f"{ranked.technology} ({ranked.category}) {ranked.score:.1f}"
