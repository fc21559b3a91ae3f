"""Start simple, let familiarity break only close calls, and never trade headroom for load
(issue 10's property tests), over the golden documents and the case benchmark."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from advisor.engine import advise, ten_times_load
from advisor.matrix import DEFAULT_MATRIX
from advisor.requirements import Requirements, parse_requirements, read_requirements

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HEADROOM = {"embedded": 0, "single_primary": 1, "sharded": 2, "distributed": 2}


def _documents() -> dict[str, Requirements]:
    found = {
        f"golden/{path.stem}": read_requirements(path.read_text(encoding="utf-8"))
        for path in sorted((FIXTURES / "requirements").glob("*.yaml"))
        if not path.name.endswith(".expected.yaml")
    }
    for path in sorted((FIXTURES / "cases").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "requirements" in data:
            found[f"case/{path.stem}"] = parse_requirements(data["requirements"])
    return found


DOCUMENTS = _documents()
MARGIN = DEFAULT_MATRIX.threshold("familiarity_margin_points")


def _without_team(requirements: Requirements) -> Requirements:
    return dataclasses.replace(
        requirements, team=dataclasses.replace(requirements.team, expertise=())
    )


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_familiarity_moves_the_answer_only_within_the_margin(name: str) -> None:
    plain = advise(_without_team(DOCUMENTS[name]), project_load=False)
    scores = {t.technology: t for a in plain.alternatives for t in a.technologies}
    best = plain.primary.score
    for technology in ("postgresql", "mysql", "mongodb", "cassandra", "redis", "neo4j"):
        team = dataclasses.replace(DOCUMENTS[name].team, expertise=(technology,))
        chosen = advise(
            dataclasses.replace(DOCUMENTS[name], team=team), project_load=False
        ).primary.technology
        if chosen != plain.primary.technology:
            assert not scores[chosen].disqualified, (technology, chosen)
            assert scores[chosen].score >= best - MARGIN - 1e-9, (technology, chosen)


def _more_writes_and_data(requirements: Requirements) -> Requirements:
    """Ten times the writes and the data, the reads as they were."""
    scaled = ten_times_load(requirements)
    workload = dataclasses.replace(
        scaled.workload,
        reads_per_second=requirements.workload.reads_per_second,
        data_volume_gb=requirements.workload.data_volume_gb * 10,
    )
    patterns = tuple(
        later if p.operation != "read" else p
        for p, later in zip(requirements.access_patterns, scaled.access_patterns, strict=True)
    )
    return dataclasses.replace(scaled, workload=workload, access_patterns=patterns)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_more_writes_and_data_never_move_to_a_store_with_less_headroom(name: str) -> None:
    now = advise(DOCUMENTS[name], project_load=False).primary.technology
    scaled = _more_writes_and_data(DOCUMENTS[name])
    later = advise(scaled, project_load=False).primary.technology
    technologies = DEFAULT_MATRIX.technologies
    assert HEADROOM[technologies[later].scaling] >= HEADROOM[technologies[now].scaling], (
        now,
        later,
    )


def test_an_empty_document_gets_the_simplest_store() -> None:
    recommendation = advise(read_requirements("format: advisor/v1\nproject: New\n"))
    primary = DEFAULT_MATRIX.technologies[recommendation.primary.technology]
    assert (primary.category, primary.scaling) == ("relational", "single_primary")
    assert "start_simple" in {r.rule for r in recommendation.trace if r.effect != "none"}


def test_the_reason_says_which_figure_would_need_more() -> None:
    recommendation = advise(read_requirements("format: advisor/v1\nproject: New\n"))
    (reason,) = [r for r in recommendation.trace if r.rule == "start_simple"]
    assert "would need more above 10,000 writes/s" in reason.sentence
    assert "workload.writes_per_second" in reason.inputs
