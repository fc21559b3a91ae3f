"""Rules on access patterns: what each pattern needs from a store. They weigh the most."""

from __future__ import annotations

from collections import defaultdict

from advisor.draft import UNSAID, Draft
from advisor.facts import Facts, share
from advisor.recommendation import Reason
from advisor.rules.common import leaders, listing, number, percent
from advisor.rules.reads import READS_PER_SECOND, VOLUME, WRITES, reads

KIND_WORDING = {
    "lookup": ("a lookup", "lookups", "fetching items by key"),
    "range": ("a range read", "range reads", "ordered scans over an index"),
    "join": ("a join", "joins", "reading an item with its related items"),
    "aggregate": ("an aggregate", "aggregates", "sums and counts over many items"),
    "full_text": ("a full-text search", "full-text searches", "relevance-ranked text search"),
    "traversal": ("a traversal", "traversals", "following relationships several hops"),
    "time_window": (
        "a time-window aggregate",
        "time-window aggregates",
        "aggregating time buckets",
    ),
    "append": ("an append stream", "append streams", "a stream of inserts"),
    "increment": ("an increment", "increments", "adding to a number in place"),
    "nearby": ("a nearby search", "nearby searches", "finding items near a place"),
    "similarity": ("a similarity search", "similarity searches", "nearest neighbours of a vector"),
}


@reads(WRITES, READS_PER_SECOND, VOLUME)
def access_pattern_needs(draft: Draft) -> Draft:
    """Each pattern weighs half by its share of the work (the bytes a second it reads or
    writes, on a log scale: see `advisor.sizing`) and half equally, so a rare but essential
    pattern (a nightly report, an admin search) still counts."""
    facts = draft.facts
    patterns = facts.patterns
    if not patterns:
        reason = Reason(
            "access_pattern_needs",
            ("access_patterns",),
            "none",
            "No access patterns are given, so the recommendation rests on the workload, the data "
            "shape and the team alone; add patterns for a sharper answer.",
        )
        return draft.explain(reason)
    weights = pattern_weights(facts)
    by_kind = facts.positions_by_kind
    budget = facts.weight("access_patterns")
    for kind in facts.matrix.pattern_needs:
        positions = by_kind.get(kind)
        if not positions:
            continue
        needs: dict[str, float] = defaultdict(float)
        for position in positions:
            weight = weights[position]
            for capability, part in patterns[position].needs.items():
                needs[capability] += weight * part
        draft = draft.weigh(
            UNSAID if draft.quiet else _kind_reason(facts, kind, positions, weights, needs),
            *(
                (f"access_pattern_needs:{name}", budget * weight, facts.levels(name))
                for name, weight in sorted(needs.items())
            ),
        )
    return draft


def _kind_reason(
    facts: Facts,
    kind: str,
    positions: tuple[int, ...],
    weights: tuple[float, ...],
    needs: dict[str, float],
) -> Reason:
    """Why the patterns of `kind` (at `positions`) weigh what they need."""
    patterns = facts.patterns
    group_weight = sum(weights[position] for position in positions)
    rate = sum(patterns[position].rate for position in positions)
    singular, plural, meaning = KIND_WORDING[kind]
    main = max(needs, key=lambda name: needs[name])
    sentence = (
        f"{len(positions)} pattern{'s' if len(positions) > 1 else ''} "
        f"({listing(repr(patterns[p].pattern.name) for p in positions[:3])}"
        f"{'' if len(positions) <= 3 else ', ...'}) "
        f"{'are ' + plural if len(positions) > 1 else 'is ' + singular}, {number(rate)}/s and "
        f"{percent(group_weight)} of the pattern weight: {meaning} favours "
        f"{leaders(facts, facts.levels(main))} ({main.replace('_', ' ')})."
    )
    budget = facts.weight("access_patterns")
    effect = ", ".join(f"{name} +{budget * weight:.2f}" for name, weight in sorted(needs.items()))
    return Reason("access_pattern_needs", facts.paths(positions), effect, sentence)


def pattern_weights(facts: Facts) -> tuple[float, ...]:
    """Each pattern's share of the access patterns' weight: half by its share of the work,
    half equal; they add up to 1."""
    patterns = facts.patterns
    if not patterns:
        return ()
    total_work = sum(p.work for p in patterns)
    equal = (0.5 if total_work > 0 else 1.0) / len(patterns)
    if total_work <= 0:
        return (equal,) * len(patterns)
    return tuple(0.5 * (p.work / total_work) + equal for p in patterns)


@reads(WRITES, READS_PER_SECOND)
def latency_targets(draft: Draft) -> Draft:
    """Patterns whose latency target is below what disk-based stores guarantee need memory;
    weighted by their share of the traffic (all of it when the workload's own target is tight)."""
    facts = draft.facts
    limit = facts.threshold("in_memory_latency_ms")
    tight = [p for p in facts.patterns if p.latency_ms <= limit]
    workload_tight = facts.requirements.workload.latency_p99_ms <= limit
    if not tight and not workload_tight:
        return draft
    inputs = tuple(p.path + ".latency_ms" for p in tight)
    if workload_tight:
        inputs = ("workload.latency_p99_ms", *inputs)
    total = sum(p.rate for p in facts.patterns)
    tight_share = share(sum(p.rate for p in tight), total) if total else float(bool(tight))
    weight = facts.weight("low_latency") * (1.0 if workload_tight else tight_share)
    sentence = (
        f"A p99 latency of {number(limit)} ms or less is asked for "
        f"({listing(repr(p.pattern.name) for p in tight) or 'the whole workload'}); below that, "
        f"an in-memory store such as {leaders(facts, facts.levels('low_latency'))} is the "
        f"safe choice."
    )
    return draft.score(
        "latency_targets",
        weight,
        facts.levels("low_latency"),
        Reason("latency_targets", inputs, f"low_latency +{weight:.2f}", sentence),
    )
