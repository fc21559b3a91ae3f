"""The primary store: which technology holds the data, against the best of the others."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.decisions.common import (
    check_lines,
    data_migration_lines,
    drivers,
    input_paths,
    operation_checks,
    reasons_before,
    reasons_of,
    role_capabilities,
    score_gap,
)
from advisor.decisions.context import RecordContext
from advisor.decisions.markdown import code, escape, quoted
from advisor.decisions.model import Decision, Option
from advisor.decisions.operations import operations_for
from advisor.decisions.wording import (
    CAPABILITY_NAMES,
    ENGINE_DOCS,
    LEVELS,
    PROPERTY_CLAUSES,
    RANKS,
)
from advisor.matrix import MAX_LEVEL, Technology
from advisor.migrate.data import DataMigration, data_migration
from advisor.recommendation import Recommendation
from advisor.rules.common import listing, number


@dataclass(frozen=True)
class _Needs:
    """What the requirements ask of a store, read once from the access patterns for every
    option weighed."""

    capabilities: tuple[str, ...]
    properties: tuple[str, ...]


def primary_store(context: RecordContext) -> Decision:
    recommendation = context.recommendation
    primary = context.primary
    scoring = reasons_before(context, "choose_primary", effective=True)
    # Every scoring rule read its inputs, also those that changed no score this time: a change
    # to any of them can change the choice.
    read = input_paths(reasons_before(context, "choose_primary", effective=False))
    ranked = [
        technology.technology
        for alternative in recommendation.alternatives
        if alternative.category == primary.category
        for technology in alternative.technologies
        if technology.technology != primary.id
    ][:2]
    ranked += [
        alternative.technologies[0].technology
        for alternative in recommendation.alternatives
        if alternative.category != primary.category and alternative.technologies
    ]
    needs = _Needs(_needed_capabilities(context), _relevant_properties(context))
    options = (
        _technology_option(context, primary, chosen=primary, needs=needs),
        *(
            _technology_option(
                context, context.matrix.technologies[item], chosen=primary, needs=needs
            )
            for item in ranked
        ),
    )
    requirements = context.requirements
    entities = listing([escape(entity.name) for entity in requirements.entities], 6)
    problem = (
        f"{escape(requirements.project)} needs a system of record"
        + (f" for {len(requirements.entities)} entities ({entities})" if entities else "")
        + f" and {len(requirements.access_patterns)} access patterns."
        + (f" {escape(requirements.description)}" if requirements.description else "")
        + " Which store should hold the data and serve most of the traffic? The advisor "
        "scores every technology of its matrix against the weighted requirements."
    )
    good, bad = _primary_consequences(context, needs.capabilities)
    ten_times = [escape(sentence) for sentence in recommendation.scaling.at_10x]
    more = [
        f"Managed offerings: {escape(', '.join(primary.managed))}."
        if primary.managed
        else "No managed offering: the team runs it.",
        f"Licence: {escape(primary.licence)}.",
    ]
    if ten_times:
        more.append(" ".join(ten_times))
    more += confidence_lines(recommendation)
    more.append(ENGINE_DOCS)
    return Decision(
        key="primary-store",
        title=f"Use {primary.name} as the primary store",
        outcome=primary.id,
        context=problem,
        drivers=drivers(context, input_paths(scoring)),
        options=options,
        justification=tuple(
            escape(reason.sentence) for reason in (*reasons_of(context, "choose_primary"), *scoring)
        ),
        good=good,
        bad=bad,
        confirmation=(
            *_latency_targets(context),
            *check_lines(operation_checks(primary.id)),
        ),
        more_information=tuple(more),
        inputs=read,
        because=(
            f"it fits the weighted requirements best, with {recommendation.primary.score:.1f} "
            "of 100"
        ),
        migration=_migration_lines(_data_migration(context)),
    )


def _data_migration(context: RecordContext) -> DataMigration | None:
    previous = context.previous
    if previous is None:
        return None
    return data_migration(
        previous.recommendation.primary, context.recommendation.primary, previous.schema
    )


def _migration_lines(moving: DataMigration | None) -> tuple[str, ...]:
    if moving is None:
        return ()
    return (
        f"The previous design kept the data in {escape(moving.old_name)}. It moves to "
        f"{escape(moving.new_name)} without downtime, the two stores side by side until "
        f"{escape(moving.old_name)} is retired, each step verified before the next:",
        "",
        *data_migration_lines(moving),
    )


def _primary_consequences(
    context: RecordContext, needed: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    primary = context.primary
    native = [c for c in needed if primary.capabilities[c] == MAX_LEVEL]
    good: list[str] = []
    bad: list[str] = []
    if native:
        good.append(
            f"it offers native {listing([CAPABILITY_NAMES[c] for c in native], 6)}, which "
            "the access patterns need"
        )
    workload = context.requirements.workload
    if workload.consistency == "strong" and primary.consistency == "strong":
        good.append("reads are strongly consistent by default, as the workload asks")
    if workload.transactions == "multi_entity" and primary.transactions == "multi_entity":
        good.append("changes to several entities commit atomically in one transaction")
    if _team_runs(context, primary):
        good.append("the team already runs it")
    if primary.managed:
        good.append(f"managed offerings exist ({escape(listing(primary.managed, 3))})")
    served = {
        capability: component
        for component in context.recommendation.components
        for capability in role_capabilities(component.role)
    }
    for capability in needed:
        level = primary.capabilities[capability]
        if level == MAX_LEVEL:
            continue
        clause = (
            f"its support for {CAPABILITY_NAMES[capability]} is "
            f"{('absent', 'limited', 'good')[level]}, not native"
        )
        if capability in served:
            component = served[capability]
            clause += (
                f": {escape(component.name)} serves "
                f"{listing([quoted(name) for name in component.patterns])} beside it"
            )
        bad.append(clause)
    if workload.consistency == "strong" and primary.consistency != "strong":
        bad.append(
            f"reads are {primary.consistency} by default: strongly consistent reads must "
            "ask for it and cost more"
        )
    if primary.scaling in ("single_primary", "embedded"):
        bad.append(
            f"{PROPERTY_CLAUSES['scaling'][primary.scaling]}: its capacity bounds the "
            "write load, and beyond it the data must be sharded or moved"
        )
    if primary.operations != "low":
        bad.append(
            f"it needs operating (operational weight {primary.operations}): "
            + "; ".join(operations_for(primary.id).maintenance[:1])
        )
    return tuple(good), tuple(bad)


def _technology_option(
    context: RecordContext, technology: Technology, *, chosen: Technology, needs: _Needs
) -> Option:
    name = f"{technology.name} ({technology.category.replace('_', ' ')})"
    score = context.scores.get(technology.id)
    if technology is chosen:
        pros, cons = _absolute(technology, needs)
        return Option(name, score, "Chosen: the best fit of the weighted requirements.", pros, cons)
    pros, cons = _compare(context, technology, chosen, needs)
    category = context.matrix.categories[technology.category].description
    behind = (
        f" {score_gap(context.scores.get(chosen.id), score)} {escape(chosen.name)}."
        if score is not None
        else ""
    )
    ruled_out = next(
        (
            ranked.disqualified
            for alternative in context.recommendation.alternatives
            for ranked in alternative.technologies
            if ranked.technology == technology.id and ranked.disqualified
        ),
        "",
    )
    if ruled_out:
        behind = f" Ruled out: {escape(ruled_out)}."
    return Option(name, score, f"{escape(category)}{behind}", pros, cons)


def _absolute(technology: Technology, needs: _Needs) -> tuple[tuple[str, ...], tuple[str, ...]]:
    by_level: dict[int, list[str]] = {}
    for capability in needs.capabilities:
        level = technology.capabilities[capability]
        by_level.setdefault(level, []).append(CAPABILITY_NAMES[capability])
    pros = [
        f"it offers {LEVELS[level]} {listing(by_level[level], 8)}"
        for level in (3, 2)
        if level in by_level
    ]
    cons = [
        f"it offers {LEVELS[level]} {listing(by_level[level], 8)}"
        for level in (1, 0)
        if level in by_level
    ]
    for key in needs.properties:
        value = getattr(technology, key)
        ranks = RANKS[key]
        if ranks.index(value) >= (len(ranks) + 1) // 2:
            pros.append(PROPERTY_CLAUSES[key][value])
        elif ranks.index(value) < len(ranks) // 2:
            cons.append(PROPERTY_CLAUSES[key][value])
    return tuple(pros), tuple(cons)


def _compare(
    context: RecordContext, technology: Technology, chosen: Technology, needs: _Needs
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    pros: list[str] = []
    cons: list[str] = []
    for capability in needs.capabilities:
        level = technology.capabilities[capability]
        other = chosen.capabilities[capability]
        if level != other:
            clause = (
                f"it offers {LEVELS[level]} {CAPABILITY_NAMES[capability]} "
                f"({escape(chosen.name)}: {LEVELS[other].removeprefix('only ')})"
            )
            (pros if level > other else cons).append(clause)
    for key in needs.properties:
        value, other = getattr(technology, key), getattr(chosen, key)
        if value != other:
            better = RANKS[key].index(value) > RANKS[key].index(other)
            (pros if better else cons).append(PROPERTY_CLAUSES[key][value])
    runs = _team_runs(context, technology)
    if runs != _team_runs(context, chosen) and context.requirements.team.expertise:
        (pros if runs else cons).append(
            "the team already runs it" if runs else "the team would have to learn it"
        )
    return tuple(pros), tuple(cons)


def _needed_capabilities(context: RecordContext) -> tuple[str, ...]:
    weights: dict[str, float] = {}
    for pattern in context.facts.patterns:
        for capability, share in pattern.needs.items():
            weights[capability] = weights.get(capability, 0) + share
    workload = context.requirements.workload
    if workload.schema_stability == "evolving":
        weights.setdefault("schema_flexibility", 0.5)
    fast = context.matrix.threshold("in_memory_latency_ms")
    if any(pattern.latency_ms <= fast for pattern in context.facts.patterns):
        weights.setdefault("low_latency", 0.5)
    order = list(CAPABILITY_NAMES)
    return tuple(sorted((c for c, w in weights.items() if w >= 0.1), key=order.index))


def _relevant_properties(context: RecordContext) -> tuple[str, ...]:
    workload = context.requirements.workload
    keys = []
    if workload.consistency == "strong" or any(
        pattern.consistency == "strong" for pattern in context.facts.patterns
    ):
        keys.append("consistency")
    if workload.transactions != "none":
        keys.append("transactions")
    keys.append("scaling")
    if workload.regions > 1:
        keys.append("multi_region")
    return (*keys, "operations", "cost")


def _team_runs(context: RecordContext, technology: Technology) -> bool:
    return any(
        context.matrix.technology_for(name) is technology
        for name in context.requirements.team.expertise
    )


def _latency_targets(context: RecordContext) -> tuple[str, ...]:
    if not context.facts.patterns:
        return ()
    tightest = min(context.facts.patterns, key=lambda p: (p.latency_ms, p.index))
    return (
        f"Every access pattern meets its p99 latency target in production (the tightest: "
        f"{quoted(tightest.pattern.name)}, {number(tightest.latency_ms)} ms), measured at "
        "the application.",
    )


def confidence_lines(recommendation: Recommendation) -> list[str]:
    """The margin of the choice and what would change it, for the record."""
    confidence = recommendation.confidence
    if confidence is None:
        return []
    lines = []
    if confidence.runner_up:
        lines.append(
            f"Confidence: {confidence.level}, {confidence.margin:.1f} points ahead of the best "
            f"store of another category, {escape(confidence.runner_up_name)}."
        )
    if confidence.flips:
        lines.append(
            "What would change this answer: "
            + "; ".join(
                f"{escape(flip.change)} ({code(flip.input)}) gives {escape(flip.name)}"
                for flip in confidence.flips
            )
            + "."
        )
    elif confidence.flips_checked and confidence.runner_up:
        lines.append(
            "No single change of the write rate, read rate or volume (up to 30 times), the "
            "consistency or one more write region changes this answer."
        )
    return lines
