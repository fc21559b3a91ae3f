"""Rules that decide: the primary store, then the stores added beside it."""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

from advisor.draft import Draft
from advisor.facts import PatternFacts
from advisor.matrix import Technology
from advisor.recommendation import Component, Reason
from advisor.rules.common import listing, number


def choose_primary(draft: Draft) -> Draft:
    """The feasible technology with the highest score; ties go to the one listed first in the
    matrix. Technologies a feasibility rule ruled out rank after every feasible one (when all
    are ruled out, the best score wins, and the reason says so)."""
    ranking, familiar_wins = rank(draft)
    best, best_score = ranking[0]
    runners = [
        f"{technology.name} {score:.1f}"
        for technology, score in ranking[1:]
        if technology.category == best.category and draft.feasible(technology)
    ][:1]
    other = next(
        ((t, s) for t, s in ranking if t.category != best.category and draft.feasible(t)), None
    )
    behind = [*runners]
    if other is not None:
        behind.append(
            f"the best {other[0].category.replace('_', ' ')} store, {other[0].name} {other[1]:.1f}"
        )
    if familiar_wins:
        sentence = (
            f"{best.name} ({best.category.replace('_', ' ')}) scores {best_score:.1f} of 100. "
            f"{familiar_wins}"
        )
    else:
        sentence = (
            f"{best.name} ({best.category.replace('_', ' ')}) fits the weighted requirements best "
            f"with {best_score:.1f} of 100" + (f", ahead of {listing(behind)}." if behind else ".")
        )
    if not draft.feasible(best):
        sentence += " Every technology was ruled out by a hard requirement; this one scores best."
    elif draft.disqualified:
        sentence += f" {len(draft.disqualified)} technologies were ruled out first."
    reason = Reason("choose_primary", (), f"primary = {best.id}", sentence)
    return draft.explain(reason, ranking=ranking)


def rank(draft: Draft) -> tuple[tuple[tuple[Technology, float], ...], str]:
    """The technologies in the order `choose_primary` ranks them, with its sentence when
    familiarity won a close call (empty otherwise): the what-would-change search asks this
    alone."""
    scores = draft.scores()
    ranking = tuple(
        sorted(
            zip(draft.facts.technologies, scores, strict=True),
            key=lambda item: (not draft.feasible(item[0]), -round(item[1], 9)),
        )
    )
    return _close_call(draft, ranking)


def _close_call(
    draft: Draft, ranking: tuple[tuple[Technology, float], ...]
) -> tuple[tuple[tuple[Technology, float], ...], str]:
    """Within the familiarity margin of the best feasible score, the store the team knows best
    wins; the ranking with it first, and the sentence saying so (empty when nothing moved)."""
    best, best_score = ranking[0]
    margin = draft.facts.threshold("familiarity_margin_points")
    close = [
        (technology, score)
        for technology, score in ranking
        if draft.feasible(technology) and best_score - score <= margin
    ]
    if not close or not draft.feasible(best):
        return ranking, ""
    chosen, score = max(close, key=lambda item: (draft.familiar.get(item[0].id, 0.0), item[1]))
    if chosen is best:
        return ranking, ""
    runs = "runs it" if draft.familiar.get(chosen.id) == 1.0 else "runs a store of its protocol"
    sentence = (
        f"It is {best_score - score:.1f} points behind {best.name}, within the "
        f"{number(margin)}-point margin of a close call, and the team {runs}: familiarity "
        "breaks the tie."
    )
    reordered = ((chosen, score), *(item for item in ranking if item[0] is not chosen))
    return reordered, sentence


def sync_method(primary: Technology) -> tuple[str, bool, str]:
    """How a derived store is fed from the primary: (method, risky, why)."""
    if primary.change_stream:
        return (
            "change_data_capture",
            False,
            f"fed by change data capture from {primary.name}'s change stream, so no write is "
            f"lost and the application writes once",
        )
    if primary.transactions == "multi_entity":
        return (
            "transactional_outbox",
            False,
            f"fed through a transactional outbox: the change and its event commit together in "
            f"{primary.name}",
        )
    return (
        "dual_write",
        True,
        f"written by the application next to {primary.name} (dual write): {primary.name} has "
        f"neither a change stream nor transactions for an outbox, so the two can drift apart; "
        f"reconcile them regularly",
    )


ROLE_CATEGORIES = {
    "cache": "key_value",
    "search_index": "search",
    "graph_store": "graph",
    "time_series_store": "time_series",
    "analytics": "analytical",
    "counter_store": "key_value",
}


def _best(draft: Draft, role: str, capability: str) -> Technology:
    """The technology of the role's category with the highest level of `capability`; among
    equals, the one ranked higher (team, managed service and budget decide)."""
    order = {technology.id: position for position, (technology, _) in enumerate(draft.ranking)}
    candidates = [t for t in draft.facts.technologies if t.category == ROLE_CATEGORIES[role]]
    return min(candidates, key=lambda t: (-t.capabilities[capability], order[t.id]))


def _component(
    draft: Draft,
    role: str,
    capability: str,
    served: Sequence[PatternFacts],
    why: str,
    *,
    sync: tuple[str, bool, str] | None = None,
) -> Draft:
    primary = draft.primary
    technology = _best(draft, role, capability)
    method, risky, how = sync if sync is not None else sync_method(primary)
    reason_text = f"{why} {technology.name} is {how}."
    component = Component(
        role=role,
        category=technology.category,
        technology=technology.id,
        name=technology.name,
        patterns=tuple(p.pattern.name for p in served),
        inputs=tuple(p.path for p in served),
        sync=method,
        risky=risky,
        reason=reason_text,
    )
    reason = Reason(
        f"{role}_component", component.inputs, f"component {role} = {technology.id}", reason_text
    )
    return draft.explain(reason, components=(*draft.components, component))


def cache_component(draft: Draft) -> Draft:
    facts = draft.facts
    primary = draft.primary
    if primary.level("low_latency") == 1.0:
        return draft
    hot = facts.threshold("cache_reads_per_second")
    fast = facts.threshold("in_memory_latency_ms")
    served = [
        p
        for p in facts.patterns
        if p.pattern.operation == "read"
        and p.pattern.kind == "lookup"
        and (p.rate >= hot or p.latency_ms <= fast)
    ]
    moving, live = _live_positions(draft)
    served += moving
    if not served:
        return draft
    served, refused, through = _cache_consistency(draft, served)
    through += [sentence for p, sentence in live if p in served]
    for sentence, inputs in refused:
        draft = draft.explain(Reason("cache_component", inputs, "none", sentence))
    if refused:
        notes = {**draft.notes, "cache_refused": tuple(sentence for sentence, _ in refused)}
        draft = draft.replace(notes=MappingProxyType(notes))
    if not served:
        return draft
    lookups = [p for p in served if p.pattern.kind == "lookup"]
    why = (
        (
            f"{listing(repr(p.pattern.name) for p in lookups)} read single items at "
            f"{number(sum(p.rate for p in lookups))}/s (a cache pays off from {number(hot)}/s "
            f"per pattern or below {number(fast)} ms): hot keys served from memory spare "
            f"{primary.name}."
        )
        if lookups
        else ""
    )
    sync = (
        "cache_aside",
        False,
        "filled on a miss and invalidated on every write to the cached items (cache-aside), "
        "with a time-to-live as a safety net",
    )
    if through:
        why = " ".join([why, *through]).strip()
        sync = (
            "write_through",
            False,
            "written through: every write that changes a cached item also writes its new "
            "state to the cache, so reads find the latest state instead of missing",
        )
    return _component(draft, "cache", "low_latency", served, why, sync=sync)


CHANGES = ("update", "delete")


def _live_positions(draft: Draft) -> tuple[list[PatternFacts], list[tuple[PatternFacts, str]]]:
    """Nearby searches over items that move faster than `live_position_updates_per_second`:
    each move rewrites the point's spatial index entry (an update of an indexed column is never
    HOT in PostgreSQL), so the latest positions live in a geo set in memory, written through on
    every move, while the primary store keeps the record."""
    facts = draft.facts
    limit = facts.threshold("live_position_updates_per_second")
    moving: list[PatternFacts] = []
    sentences: list[tuple[PatternFacts, str]] = []
    for p in facts.patterns:
        if p.pattern.kind != "nearby" or p.pattern.operation != "read":
            continue
        moves = sum(
            q.rate
            for q in facts.patterns_by_entity.get(p.pattern.entity, ())
            if q.pattern.operation in CHANGES
        )
        if moves < limit:
            continue
        moving.append(p)
        sentences.append(
            (
                p,
                f"{p.pattern.entity} moves {number(moves)} times a second (from "
                f"{number(limit)}/s a spatial index on disk churns on every move): "
                f"{p.pattern.name!r} searches live positions kept in a geo set, written "
                "through on every move.",
            )
        )
    return moving, sentences


def _cache_consistency(
    draft: Draft, candidates: Sequence[PatternFacts]
) -> tuple[list[PatternFacts], list[tuple[str, tuple[str, ...]]], list[str]]:
    """Which hot lookups a cache may serve: (served, refused with why, write-through whys).

    A read that needs strong consistency of an item that is written gets no cache: a
    cache-aside copy is stale between the write and its invalidation (a stale balance or
    idempotency key is a double spend). An item changed so often that cache-aside would miss
    (hit rate about 1 - changes/reads, below `cache_min_hit_rate`) is written through."""
    facts = draft.facts
    least = facts.threshold("cache_min_hit_rate")
    served: list[PatternFacts] = []
    refused: list[tuple[str, tuple[str, ...]]] = []
    through: list[str] = []
    for p in candidates:
        entity = p.pattern.entity
        writes = [q for q in facts.patterns_by_entity.get(entity, ()) if q.writes]
        changes = sum(q.rate for q in writes if q.pattern.operation in CHANGES)
        inputs = (p.path, *(q.path for q in writes))
        if p.consistency == "strong" and writes:
            refused.append(
                (
                    f"No cache for {p.pattern.name!r}: it needs strong consistency and {entity} "
                    f"is written at {number(sum(q.rate for q in writes))}/s, so a cache-aside "
                    f"copy would be stale between a write and its invalidation (a stale "
                    f"balance or idempotency key is a double spend); it reads "
                    f"{draft.primary.name}, scaled by replicas.",
                    inputs,
                )
            )
            continue
        hit = max(0.0, 1 - changes / p.rate) if p.rate > 0 else 1.0
        if hit < least and p.pattern.kind != "nearby":  # live positions say why themselves
            through.append(
                f"{entity} changes {number(changes)} times a second against "
                f"{number(p.rate)} reads of {p.pattern.name!r}: cache-aside would hit about "
                f"{round(100 * hit)}% (below {round(100 * least)}%), so the latest state is "
                f"written through."
            )
        served.append(p)
    return served, refused, through


# Pattern kinds a search component also serves, by the capability each needs, when the primary
# store has less than a good level of it (a spatial or vector index it lacks).
SEARCH_SERVED_KINDS = {"nearby": "geo", "similarity": "vector"}
SEARCH_WORDING = {"geo": "spatial search", "vector": "vector similarity search"}


def search_component(draft: Draft) -> Draft:
    facts = draft.facts
    primary = draft.primary
    served = [p for p in facts.patterns if p.pattern.kind == "full_text"]
    beyond = _beyond_primary(draft)
    if not served or primary.level("full_text") == 1.0:
        return _search_beyond(draft, [], beyond, "")
    rate = sum(p.rate for p in served)
    threshold = facts.threshold("search_component_reads_per_second")
    inputs = tuple(p.path for p in served)
    if primary.capabilities["full_text"] >= 2 and rate < threshold:
        sentence = (
            f"Full-text search runs at {number(rate)}/s, below {number(threshold)}/s: "
            f"{primary.name}'s own text search serves it without a second system to sync."
        )
        draft = draft.explain(Reason("search_component", inputs, "none", sentence))
        return _search_beyond(draft, [], beyond, "")
    why = (
        f"{listing(repr(p.pattern.name) for p in served)} need relevance-ranked full-text "
        f"search at {number(rate)}/s, which {primary.name} does not do natively."
    )
    return _search_beyond(draft, served, beyond, why)


def _beyond_primary(draft: Draft) -> list[PatternFacts]:
    """Patterns that need an index the primary store lacks (spatial, vector): a search
    component serves them."""
    primary = draft.primary
    return [
        p
        for p in draft.facts.patterns
        if (capability := SEARCH_SERVED_KINDS.get(p.pattern.kind)) is not None
        and primary.capabilities[capability] < 2
    ]


def _search_beyond(
    draft: Draft, served: list[PatternFacts], beyond: list[PatternFacts], why: str
) -> Draft:
    if not beyond:
        return _component(draft, "search_index", "full_text", served, why) if served else draft
    primary = draft.primary
    capabilities = list(dict.fromkeys(SEARCH_SERVED_KINDS[p.pattern.kind] for p in beyond))
    for capability in capabilities:
        patterns = [p for p in beyond if SEARCH_SERVED_KINDS[p.pattern.kind] == capability]
        level = primary.capabilities[capability]
        why += (" " if why else "") + (
            f"{listing(repr(p.pattern.name) for p in patterns)} need "
            f"{SEARCH_WORDING[capability]}, which {primary.name} "
            f"{'does not offer' if level == 0 else 'offers only in a limited way'}: "
            "a search index holds that index."
        )
    capability = "full_text" if served else capabilities[0]
    return _component(draft, "search_index", capability, [*served, *beyond], why)


def graph_component(draft: Draft) -> Draft:
    facts = draft.facts
    primary = draft.primary
    native = facts.threshold("traversal_native_depth")
    served = [p for p in facts.patterns if p.pattern.kind == "traversal" and p.depth >= native]
    if not served or primary.level("traversal") == 1.0:
        return draft
    why = (
        f"{listing(repr(p.pattern.name) for p in served)} traverse {number(native)} hops or more; "
        f"in {primary.name} each hop is another join or lookup whose cost multiplies."
    )
    return _component(draft, "graph_store", "traversal", served, why)


def time_series_component(draft: Draft) -> Draft:
    facts = draft.facts
    primary = draft.primary
    served = [p for p in facts.patterns if p.pattern.kind == "time_window"]
    if not served or primary.capabilities["time_buckets"] >= 2:
        return draft
    why = (
        f"{listing(repr(p.pattern.name) for p in served)} aggregate time windows, which "
        f"{primary.name} cannot bucket efficiently."
    )
    return _component(draft, "time_series_store", "time_buckets", served, why)


def analytics_component(draft: Draft) -> Draft:
    facts = draft.facts
    primary = draft.primary
    served = [p for p in facts.patterns if p.pattern.kind == "aggregate" and not p.writes]
    if not served or primary.level("aggregation") == 1.0:
        return draft
    volume = facts.projected_volume_gb
    large = volume >= facts.threshold("analytics_volume_gb")
    if primary.capabilities["aggregation"] >= 2 and not large:
        return draft
    why = (
        f"{listing(repr(p.pattern.name) for p in served)} aggregate over "
        f"{'about ' + number(round(volume)) + ' GB' if large else 'many items'}, which "
        f"{primary.name} would scan row by row, competing with the transactional load."
    )
    return _component(draft, "analytics", "aggregation", served, why)
