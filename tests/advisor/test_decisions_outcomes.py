"""A decision's outcome changes when the decision does, and only then."""

from __future__ import annotations

import dataclasses
import datetime

from advisor.design import create_design
from advisor.requirements import Requirements

DAY = datetime.date(2025, 1, 1)


def outcomes(requirements: Requirements) -> dict[str, str]:
    design = create_design(requirements, partitions_from=DAY)
    return {decision.key: decision.outcome for decision in design.decisions}


def with_workload(requirements: Requirements, **changes: object) -> Requirements:
    return dataclasses.replace(
        requirements, workload=dataclasses.replace(requirements.workload, **changes)
    )


def test_a_figure_that_changes_no_decision_keeps_every_outcome(demo: Requirements) -> None:
    before = outcomes(demo)
    after = outcomes(with_workload(demo, reads_per_second=3100))
    assert list(after.items()) == list(before.items())


def test_more_data_that_fits_the_same_design_keeps_every_outcome(demo: Requirements) -> None:
    assert outcomes(with_workload(demo, data_volume_gb=250)) == outcomes(demo)


def test_writes_at_scale_in_three_regions_change_the_store_and_the_scaling(
    demo: Requirements,
) -> None:
    before = outcomes(demo)
    after = outcomes(with_workload(demo, writes_per_second=200_000, regions=3))
    assert after["primary-store"] != before["primary-store"]
    assert after["scaling"] != before["scaling"]
    assert "sharding=by " in after["scaling"] and "regions=multi_region" in after["scaling"]
    assert after["primary-keys"] == "uuid_v7"


def test_outcomes_hold_no_scores(demo: Requirements) -> None:
    design = create_design(demo, partitions_from=DAY)
    scores = {f"{t.score:.1f}" for a in design.recommendation.alternatives for t in a.technologies}
    for decision in design.decisions:
        assert not any(score in decision.outcome for score in scores), decision.outcome


def test_every_decision_names_the_inputs_it_rests_on(demo: Requirements) -> None:
    decisions = {d.key: d for d in create_design(demo, partitions_from=DAY).decisions}
    assert "workload.consistency" in decisions["primary-store"].inputs
    assert "access_patterns[0]" in decisions["component:cache"].inputs
    assert "workload.reads_per_second" in decisions["scaling"].inputs
    assert "entities[4].attributes[0]" in decisions["enum-representation"].inputs
    assert "300 writes/s at peak" in decisions["scaling"].drivers
