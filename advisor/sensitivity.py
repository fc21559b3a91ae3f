"""How sure the engine is, and what would change its answer.

The margin is the distance between the primary store's score and the best feasible store of
another category; the confidence reads it against the matrix's thresholds. The flips are the
smallest change of each key input (the write rate, the read rate, the volume, the consistency,
the write regions) that gives another primary store: the figures a team should watch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

from advisor.draft import Criterion, Draft
from advisor.facts import Facts, build_facts
from advisor.matrix import Technology
from advisor.recommendation import Confidence, Flip, RankedTechnology, Reason, Recommendation
from advisor.replacing import replaced
from advisor.requirements.model import Requirements
from advisor.rules.common import number
from advisor.rules.design import choose_primary, rank
from advisor.rules.reads import (
    CONSISTENCY,
    READS_PER_SECOND,
    REGIONS,
    VOLUME,
    WRITES,
    figures_read,
)

Rule = Callable[[Draft], Draft]
Step = tuple[Rule, Draft, Draft]  # a rule, the draft it read, the draft it returned
FACTORS = (3, 10, 30)
DRAFT_FIELDS = tuple(field.name for field in dataclasses.fields(Draft))


def confidence(
    recommendation: Recommendation,
    facts: Facts,
    scoring: Sequence[Rule] | None = None,
    steps: Sequence[Step] = (),
) -> Confidence:
    """The margin and its level; with `scoring` (the rules up to the choice of the primary),
    also the smallest change of each key input that changes the primary store. `steps`, the
    run of the rules on `facts` if there was one (see `record`), saves running them again."""
    primary = recommendation.primary
    other = _best_elsewhere(recommendation)
    margin = primary.score - other.score if other is not None else 100.0
    high = facts.threshold("confident_margin_points")
    close = facts.threshold("familiarity_margin_points")
    level = "high" if margin >= high else ("medium" if margin >= close else "low")
    flips = _flips(facts, primary.technology, scoring, steps) if scoring is not None else ()
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


def kept_for(rule: Rule, path: str) -> bool:
    """Whether a change of the figure at `path` leaves what `rule` added as it was: the rule
    declares the figures it reads (`advisor.rules.reads`), and this is not one of them."""
    declared = figures_read(rule)
    return declared is not None and path not in declared


def _flips(
    facts: Facts, primary: str, scoring: Sequence[Rule], steps: Sequence[Step] = ()
) -> tuple[Flip, ...]:
    steps = steps[: len(scoring)]
    if [rule for rule, _, _ in steps] != list(scoring) or (
        steps and steps[0][1].facts is not facts
    ):
        steps = record(Draft(facts), scoring)
    adds = [_only_adds(before, after) for _, before, after in steps]
    flips = []
    for path, changes in _changes(facts.requirements).items():
        kept = [
            only_adds and kept_for(rule, path)
            for (rule, _, _), only_adds in zip(steps, adds, strict=True)
        ]
        for wording, change in changes:
            # Built in the call, so that each change's facts are freed before the next one's
            # are built: two sets of 5,000 entities' facts overflow the processor's caches.
            chosen = _chosen(
                Draft(
                    build_facts(change(facts.requirements), facts.matrix, like=facts), quiet=True
                ),
                steps,
                kept,
            )
            if chosen.id != primary:
                flips.append(Flip(path, wording, chosen.id, chosen.name))
                break
    return tuple(flips)


def _chosen(draft: Draft, steps: Sequence[Step], kept: Sequence[bool]) -> Technology:
    """The primary store the scoring rules choose for `draft` (see `rescore`): the last
    rule, the choice of the primary, only ranks; its reason is not needed here, nor those of
    the others (the draft is quiet)."""
    if steps and steps[-1][0] is choose_primary:
        return rank(rescore(draft, steps[:-1], kept[:-1]))[0][0][0]
    return rescore(draft, steps, kept).primary


def record(draft: Draft, rules: Sequence[Rule]) -> list[Step]:
    """Each rule run on `draft` in turn, with the draft it read and the draft it returned."""
    steps = []
    for rule in rules:
        after = rule(draft)
        steps.append((rule, draft, after))
        draft = after
    return steps


def rescore(draft: Draft, steps: Sequence[Step], kept: Sequence[bool]) -> Draft:
    """The rules of `steps` (a run on the stated requirements) run on `draft`, whose facts
    differ from the stated ones in one figure; a rule `kept` reads nothing that figure changes
    and only adds criteria and reasons, sets the team's familiar stores or rules stores out: it
    keeps what it added to the stated requirements' draft instead of working it out again (a
    rule that rules stores out, only where the same were ruled out before it)."""
    # What the kept rules in a row added, joined to the draft once before the next rule runs.
    criteria: list[Criterion] = []
    trace: list[Reason] = []
    familiar, disqualified = draft.familiar, draft.disqualified
    for (rule, before, after), keep in zip(steps, kept, strict=True):
        rules_out = after.disqualified is not before.disqualified
        if keep and (not rules_out or disqualified == before.disqualified):
            criteria += after.criteria[len(before.criteria) :]
            if not draft.quiet:
                trace += after.trace[len(before.trace) :]
            if after.familiar is not before.familiar:
                familiar = after.familiar
            if rules_out:
                disqualified = after.disqualified
            continue
        draft = rule(_joined(draft, criteria, trace, familiar, disqualified))
        criteria, trace = [], []
        familiar, disqualified = draft.familiar, draft.disqualified
    return _joined(draft, criteria, trace, familiar, disqualified)


def _joined(
    draft: Draft,
    criteria: list[Criterion],
    trace: list[Reason],
    familiar: Mapping[str, float],
    disqualified: Mapping[str, str],
) -> Draft:
    changes: dict[str, object] = {}
    if criteria:
        changes["criteria"] = (*draft.criteria, *criteria)
    if trace:
        changes["trace"] = (*draft.trace, *trace)
    if familiar is not draft.familiar:
        changes["familiar"] = familiar
    if disqualified is not draft.disqualified:
        changes["disqualified"] = disqualified
    return draft.replace(**changes) if changes else draft


def _only_adds(before: Draft, after: Draft) -> bool:
    """Whether a rule added criteria and reasons, set the familiar stores or ruled stores
    out, and did nothing else (no ranking)."""
    return all(
        getattr(before, name) is getattr(after, name)
        for name in DRAFT_FIELDS
        if name not in ("criteria", "trace", "familiar", "disqualified")
    ) and (
        after.criteria[: len(before.criteria)] == before.criteria
        and after.trace[: len(before.trace)] == before.trace
    )


def _changes(
    requirements: Requirements,
) -> dict[str, list[tuple[str, Callable[[Requirements], Requirements]]]]:
    workload = requirements.workload
    changes: dict[str, list[tuple[str, Callable[[Requirements], Requirements]]]] = {
        WRITES: [
            (f"{number(workload.writes_per_second * f)} writes/s (x{f})", _writes(f))
            for f in FACTORS
        ],
        READS_PER_SECOND: [
            (f"{number(workload.reads_per_second * f)} reads/s (x{f})", _reads(f)) for f in FACTORS
        ],
        VOLUME: [(f"{number(workload.data_volume_gb * f)} GB (x{f})", _volume(f)) for f in FACTORS],
    }
    other = "eventual" if workload.consistency == "strong" else "strong"
    changes[CONSISTENCY] = [
        (f"{other} consistency", _workload(consistency=other)),
    ]
    changes[REGIONS] = [
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
