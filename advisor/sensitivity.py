"""How sure the engine is, and what would change its answer.

The margin is the distance between the primary store's score and the best feasible store of
another category; the confidence reads it against the matrix's thresholds. The flips are the
smallest change of each key input (the write rate, the read rate, the volume, the consistency,
the write regions) that gives another primary store: the figures a team should watch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from advisor.draft import Draft
from advisor.facts import Facts, build_facts
from advisor.recommendation import Confidence, Flip, RankedTechnology, Recommendation
from advisor.replacing import replaced
from advisor.requirements.model import Requirements
from advisor.rules.common import number

Rule = Callable[[Draft], Draft]
FACTORS = (3, 10, 30)


def confidence(
    recommendation: Recommendation, facts: Facts, scoring: Sequence[Rule] | None = None
) -> Confidence:
    """The margin and its level; with `scoring` (the rules up to the choice of the primary),
    also the smallest change of each key input that changes the primary store."""
    primary = recommendation.primary
    other = _best_elsewhere(recommendation)
    margin = primary.score - other.score if other is not None else 100.0
    high = facts.threshold("confident_margin_points")
    close = facts.threshold("familiarity_margin_points")
    level = "high" if margin >= high else ("medium" if margin >= close else "low")
    flips = _flips(facts, primary.technology, scoring) if scoring is not None else ()
    return Confidence(
        margin=margin,
        level=level,
        runner_up=other.technology if other is not None else "",
        runner_up_name=other.name if other is not None else "",
        flips=flips,
        flips_checked=scoring is not None,
    )


def _best_elsewhere(recommendation: Recommendation) -> RankedTechnology | None:
    return next(
        (
            alternative.technologies[0]
            for alternative in recommendation.alternatives
            if alternative.category != recommendation.primary.category and alternative.feasible
        ),
        None,
    )


def _flips(facts: Facts, primary: str, scoring: Sequence[Rule]) -> tuple[Flip, ...]:
    flips = []
    for path, changes in _changes(facts.requirements).items():
        for wording, change in changes:
            changed = change(facts.requirements)
            draft = Draft(build_facts(changed, facts.matrix, like=facts))
            for rule in scoring:
                draft = rule(draft)
            chosen = draft.primary
            if chosen.id != primary:
                flips.append(Flip(path, wording, chosen.id, chosen.name))
                break
    return tuple(flips)


def _changes(
    requirements: Requirements,
) -> dict[str, list[tuple[str, Callable[[Requirements], Requirements]]]]:
    workload = requirements.workload
    changes: dict[str, list[tuple[str, Callable[[Requirements], Requirements]]]] = {
        "workload.writes_per_second": [
            (f"{number(workload.writes_per_second * f)} writes/s (x{f})", _writes(f))
            for f in FACTORS
        ],
        "workload.reads_per_second": [
            (f"{number(workload.reads_per_second * f)} reads/s (x{f})", _reads(f)) for f in FACTORS
        ],
        "workload.data_volume_gb": [
            (f"{number(workload.data_volume_gb * f)} GB (x{f})", _volume(f)) for f in FACTORS
        ],
    }
    other = "eventual" if workload.consistency == "strong" else "strong"
    changes["workload.consistency"] = [
        (f"{other} consistency", _workload(consistency=other)),
    ]
    changes["workload.regions"] = [
        (
            f"{workload.regions + 1} write regions",
            _workload(regions=workload.regions + 1),
        ),
    ]
    return changes


def _workload(**fields: object) -> Callable[[Requirements], Requirements]:
    def change(requirements: Requirements) -> Requirements:
        workload = dataclasses.replace(requirements.workload, **fields)  # type: ignore[arg-type]
        return dataclasses.replace(requirements, workload=workload)

    return change


def _writes(factor: int) -> Callable[[Requirements], Requirements]:
    return _rates(factor, writes=True)


def _reads(factor: int) -> Callable[[Requirements], Requirements]:
    return _rates(factor, writes=False)


def _rates(factor: int, *, writes: bool) -> Callable[[Requirements], Requirements]:
    def change(requirements: Requirements) -> Requirements:
        workload = requirements.workload
        field = "writes_per_second" if writes else "reads_per_second"
        scaled = dataclasses.replace(workload, **{field: getattr(workload, field) * factor})
        patterns = tuple(
            replaced(p, per_second=p.per_second * factor)
            if p.per_second is not None and (p.operation != "read") == writes
            else p
            for p in requirements.access_patterns
        )
        return dataclasses.replace(requirements, workload=scaled, access_patterns=patterns)

    return change


def _volume(factor: int) -> Callable[[Requirements], Requirements]:
    def change(requirements: Requirements) -> Requirements:
        workload = requirements.workload
        scaled = dataclasses.replace(
            workload,
            data_volume_gb=workload.data_volume_gb * factor,
            growth_gb_per_month=workload.growth_gb_per_month * factor,
        )
        return dataclasses.replace(requirements, workload=scaled)

    return change
