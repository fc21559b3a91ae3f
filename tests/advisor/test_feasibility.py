"""Hard requirements rule technologies out before scores are compared (issue 10, step 1)."""

from __future__ import annotations

from advisor.engine import advise
from advisor.matrix import DEFAULT_MATRIX
from advisor.recommendation import Recommendation
from advisor.requirements import Requirements, read_requirements


def _doc(body: str) -> Requirements:
    return read_requirements("format: advisor/v1\nproject: Test\n" + body)


def _ruled_out(recommendation: Recommendation) -> dict[str, str]:
    return {
        t.technology: t.disqualified
        for alternative in recommendation.alternatives
        for t in alternative.technologies
        if t.disqualified
    }


SEARCH_ONLY = (
    "entities: [{name: page, {derived}attributes: [{name: body, type: text}]}]\n"
    "access_patterns: [{name: find, entity: page, operation: read, kind: full_text,"
    " filter: [body], per_second: 500}]\n"
)


def test_a_search_index_is_never_the_system_of_record() -> None:
    recommendation = advise(_doc(SEARCH_ONLY.replace("{derived}", "")))
    assert DEFAULT_MATRIX.technologies[recommendation.primary.technology].system_of_record
    ruled = _ruled_out(recommendation)
    assert {"elasticsearch", "opensearch", "solr", "redis"} <= set(ruled)
    assert "source of truth" in ruled["elasticsearch"]
    assert "search_index" in {c.role for c in recommendation.components}


def test_derived_data_may_live_in_a_search_index_alone() -> None:
    recommendation = advise(_doc(SEARCH_ONLY.replace("{derived}", "derived: true, ")))
    assert not {"elasticsearch", "redis"} & set(_ruled_out(recommendation))
    search = next(a for a in recommendation.alternatives if a.category == "search")
    assert search.feasible


def test_turbine_telemetry_is_not_kept_in_a_search_index() -> None:
    # 13 TB of sensor readings: the objection was Elasticsearch winning as the record.
    recommendation = advise(
        _doc(
            "workload: {writes_per_second: 50000, reads_per_second: 200, data_volume_gb: 13000,"
            " consistency: eventual, transactions: none}\n"
            "entities: [{name: reading, attributes: [{name: turbine, type: string, length: 40},"
            " {name: at, type: datetime}, {name: value, type: float},"
            " {name: note, type: text}]}]\n"
            "access_patterns:\n"
            "  - {name: ingest, entity: reading, operation: write, kind: append}\n"
            "  - {name: window, entity: reading, operation: read, kind: time_window,"
            " filter: [turbine, at]}\n"
            "  - {name: notes, entity: reading, operation: read, kind: full_text, filter: [note]}\n"
        )
    )
    assert recommendation.primary.category != "search"


def test_strong_writes_in_several_regions_need_consensus() -> None:
    recommendation = advise(
        _doc(
            "workload: {regions: 3, consistency: strong, writes_per_second: 2000}\n"
            "team: {expertise: [postgresql, mongodb]}\n"
            "entities: [{name: account}]\n"
        )
    )
    primary = DEFAULT_MATRIX.technologies[recommendation.primary.technology]
    assert primary.multi_region == "consensus"
    ruled = _ruled_out(recommendation)
    assert {"postgresql", "mongodb", "cassandra"} <= set(ruled)
    assert "3 regions" in ruled["postgresql"]


def test_the_teams_way_of_running_it_is_a_constraint() -> None:
    required = advise(_doc("team: {managed_service: required}\nentities: [{name: a}]\n"))
    assert DEFAULT_MATRIX.technologies[required.primary.technology].managed
    avoid = advise(
        _doc(
            "team: {managed_service: avoid, expertise: [dynamodb]}\n"
            "workload: {consistency: eventual, transactions: single_entity}\n"
            "entities: [{name: a}]\n"
        )
    )
    assert DEFAULT_MATRIX.technologies[avoid.primary.technology].self_hosted
    assert "only as a managed service" in _ruled_out(avoid)["dynamodb"]


def test_an_embedded_database_is_out_when_it_would_need_a_replica() -> None:
    ruled = _ruled_out(
        advise(_doc("workload: {availability_percent: 99.9}\nentities: [{name: a}]\n"))
    )
    assert "fail over" in ruled["sqlite"]
    relaxed = advise(_doc("workload: {availability_percent: 99}\nentities: [{name: a}]\n"))
    assert "sqlite" not in _ruled_out(relaxed)


def test_a_ruled_out_category_is_listed_last_and_says_why() -> None:
    recommendation = advise(_doc(SEARCH_ONLY.replace("{derived}", "")))
    search = next(a for a in recommendation.alternatives if a.category == "search")
    assert not search.feasible
    assert recommendation.alternatives[-1].feasible is False
    assert recommendation.to_dict()["alternatives"][-1]["technologies"][0]["disqualified"]


def test_the_derived_flag_survives_the_canonical_document() -> None:
    from advisor.requirements import dump_yaml, requirements_to_document

    requirements = _doc("entities: [{name: feed, derived: true}]\n")
    again = read_requirements(dump_yaml(requirements_to_document(requirements)))
    assert again == requirements and again.entities[0].derived
