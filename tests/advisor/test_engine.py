from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from advisor.engine import _projected_rules, advise, compare, run, start, ten_times_load
from advisor.errors import InvalidMatrix
from advisor.matrix import DEFAULT_MATRIX
from advisor.recommendation import Recommendation, render_text
from advisor.requirements import Requirements, read_requirements
from advisor.rules import RULES
from advisor.rules.design import choose_primary
from advisor.rules.scale import write_throughput
from advisor.schemas import recommendation_schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "requirements"


def at_scale(requirements: Requirements, **workload: object) -> Requirements:
    return dataclasses.replace(
        requirements, workload=dataclasses.replace(requirements.workload, **workload)
    )


def rules_that_fired(recommendation: Recommendation) -> set[str]:
    return {reason.rule for reason in recommendation.trace}


def test_the_demo_gets_postgresql_with_replicas_a_cache_and_a_search_index(
    demo: Requirements,
) -> None:
    recommendation = advise(demo)
    assert (recommendation.primary.category, recommendation.primary.technology) == (
        "relational",
        "postgresql",
    )
    assert recommendation.scaling.read_replicas.count >= 1
    assert recommendation.scaling.cache.enabled
    roles = {component.role: component for component in recommendation.components}
    assert roles["cache"].patterns == ("product page",)
    assert roles["search_index"].patterns == ("search products by text",)
    assert roles["search_index"].sync == "change_data_capture"
    assert not recommendation.scaling.sharding.needed
    assert recommendation.keys.strategy == "bigint_identity"
    assert recommendation.scaling.regions.strategy == "single_region"


def test_the_demo_at_200000_writes_in_3_regions_changes_design_and_reasons(
    demo: Requirements,
) -> None:
    before = advise(demo)
    after = advise(at_scale(demo, writes_per_second=200_000, regions=3))

    assert after.primary.technology != "postgresql"
    technology = DEFAULT_MATRIX.technologies[after.primary.technology]
    assert technology.scaling == "distributed"
    assert technology.multi_region == "consensus"  # strong consistency is still required
    assert after.scaling.sharding.needed and after.scaling.sharding.shards >= 20
    assert {(key.entity, key.key) for key in after.scaling.sharding.keys} >= {("order", "customer")}
    assert after.scaling.sharding.cross_shard_patterns
    assert after.keys.strategy == "uuid_v7"
    assert "workload.regions" in after.keys.inputs
    assert after.scaling.regions.write_regions == 3
    assert after.scaling.regions.strategy == "multi_region_consensus"

    def sentence(recommendation: Recommendation, rule: str) -> str:
        return next(r.sentence for r in recommendation.trace if r.rule == rule)

    assert sentence(before, "write_throughput") != sentence(after, "write_throughput")
    assert "200,000 writes/s" in sentence(after, "write_throughput")
    assert "3 regions" in sentence(after, "multi_region_writes")
    written = {reason.rule for reason in after.trace if reason.effect != "none"}
    assert {"write_throughput", "multi_region_writes"} <= written


def test_the_same_requirements_give_byte_identical_json(demo: Requirements) -> None:
    assert advise(demo).to_json() == advise(demo).to_json()


def test_the_json_validates_against_the_recommendation_schema(demo: Requirements) -> None:
    schema = recommendation_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for requirements in (demo, at_scale(demo, writes_per_second=200_000, regions=3)):
        jsonschema.validate(json.loads(advise(requirements).to_json()), schema)


def test_every_reason_points_at_inputs_that_exist(demo: Requirements) -> None:
    recommendation = advise(demo)
    for reason in recommendation.trace:
        for path in reason.inputs:
            head = path.split(".")[0].split("[")[0]
            assert head in ("workload", "team", "entities", "relationships", "access_patterns")
            if path.startswith("access_patterns["):
                index = int(path.split("[")[1].split("]")[0])
                assert index < len(demo.access_patterns)
    assert recommendation.reasons_for("workload.regions")
    assert all(
        any(p.startswith("access_patterns[2]") for p in r.inputs)
        for r in recommendation.reasons_for("access_patterns[2]")
    )


def test_alternatives_list_every_category_ranked(demo: Requirements) -> None:
    alternatives = advise(demo).alternatives
    assert {a.category for a in alternatives} == set(DEFAULT_MATRIX.categories)
    # Feasible categories first, each part by score.
    order = [(not a.feasible, -a.score) for a in alternatives]
    assert order == sorted(order)
    for alternative in alternatives:
        ranked = [(bool(t.disqualified), -t.score) for t in alternative.technologies]
        assert ranked == sorted(ranked)
        assert alternative.score == alternative.technologies[0].score


def test_a_rule_runs_alone_on_a_draft(demo: Requirements) -> None:
    heavy = at_scale(demo, writes_per_second=50_000)
    draft = write_throughput(start(heavy))
    (reason,) = draft.trace
    assert reason.rule == "write_throughput"
    assert "workload.writes_per_second" in reason.inputs
    ranking = choose_primary(draft).ranking
    assert ranking[0][0].scaling in ("distributed", "sharded")


def test_thresholds_can_be_overridden(demo: Requirements) -> None:
    assert not advise(demo).scaling.sharding.needed
    tight = advise(demo, thresholds={"single_node_writes_per_second": 100})
    assert tight.scaling.sharding.needed
    with pytest.raises(InvalidMatrix):
        advise(demo, thresholds={"no_such_threshold": 1})


def test_custom_rules_still_give_a_complete_recommendation(demo: Requirements) -> None:
    recommendation = advise(demo, rules=RULES[:2], project_load=False)
    assert recommendation.primary.score > 0
    assert recommendation.scaling.read_replicas.reason.startswith("Not decided")


def test_ten_times_the_load_is_described(demo: Requirements) -> None:
    at_10x = advise(demo).scaling.at_10x
    assert at_10x[0].startswith("At 30,010 reads/s and 3,000 writes/s")
    assert any("Read replicas go from 1 to" in sentence for sentence in at_10x)


def test_an_empty_document_still_gets_an_explained_recommendation() -> None:
    recommendation = advise(Requirements("Nothing yet"))
    assert recommendation.trace
    assert "access_pattern_needs" in rules_that_fired(recommendation)


def test_the_text_form_shows_the_primary_store_and_the_reasons(demo: Requirements) -> None:
    text = render_text(advise(demo))
    assert "Primary store: PostgreSQL (relational)" in text
    assert "Reasons:" in text
    assert "write_throughput [workload.writes_per_second" in text


def test_decisions_doc_lists_every_threshold_and_rule() -> None:
    from tests.advisor.conftest import ROOT

    text = (ROOT / "docs" / "decisions.md").read_text(encoding="utf-8")
    for name in DEFAULT_MATRIX.thresholds:
        assert f"`{name}`" in text
    for rule in RULES:
        assert f"`{rule.__name__}`" in text


@pytest.mark.parametrize(
    "path",
    [path for path in sorted(FIXTURES.glob("*.yaml")) if ".expected." not in path.name],
    ids=lambda path: path.stem,
)
def test_the_10x_projection_skips_only_rules_whose_decisions_it_does_not_compare(
    path: Path,
) -> None:
    requirements = read_requirements(path.read_text())
    now = run(start(requirements), RULES)
    later = start(ten_times_load(requirements))
    assert _projected_rules(RULES) != RULES
    assert compare(now, run(later, _projected_rules(RULES))) == compare(now, run(later, RULES))


@pytest.mark.parametrize(
    "path",
    [path for path in sorted(FIXTURES.glob("*.yaml")) if ".expected." not in path.name],
    ids=lambda path: path.stem,
)
def test_a_quiet_10x_projection_decides_as_one_that_explains(path: Path) -> None:
    """The projection runs on a quiet draft (no reasons kept, fewer sentences written): its
    decisions, and so what `compare` says, are those of a draft that explains them."""
    requirements = read_requirements(path.read_text())
    now = run(start(requirements), RULES)
    scaled = ten_times_load(requirements)
    quiet = run(dataclasses.replace(start(scaled), quiet=True), RULES)
    said = run(start(scaled), RULES)
    assert quiet.trace == ()
    assert dataclasses.replace(quiet, trace=(), quiet=False) == dataclasses.replace(said, trace=())
    assert compare(now, quiet) == compare(now, said)
