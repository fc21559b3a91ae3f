"""The rule that keeps counters off hot rows: how each increment pattern adds to its numbers."""

from __future__ import annotations

import math

from advisor.draft import Draft
from advisor.facts import PatternFacts, counter_columns
from advisor.recommendation import Counter, Reason
from advisor.rules.common import listing, number
from advisor.rules.design import _best, _component

NATIVE = 3  # the increments level of a store built for counters


def counters(draft: Draft) -> Draft:
    """Each increment pattern, by the rate on its hottest item: an ordinary update up to
    `hot_row_updates_per_second` (one row's lock lets that many through); above it the
    primary's own counters when it has native ones; else, when the pattern needs strong
    consistency and `counter_max_slots` rows absorb the rate, a sharded counter table in the
    primary; else a counter store (Redis) flushed to the primary every `counter_flush_seconds`."""
    facts = draft.facts
    increments = [p for p in facts.patterns if p.pattern.kind == "increment"]
    if not increments:
        return draft
    primary = draft.primary
    hot = facts.threshold("hot_row_updates_per_second")
    max_slots = int(facts.threshold("counter_max_slots"))
    flush = facts.threshold("counter_flush_seconds")
    store = _best(draft, "counter_store", "increments")
    results: list[Counter] = []
    stored: list[PatternFacts] = []
    for p in increments:
        columns = counter_columns(facts, p.pattern.entity)
        adds = (
            f"{p.pattern.name!r} adds to {listing(columns)} of a {p.pattern.entity} "
            f"{number(p.rate)} times a second"
        )
        slots = math.ceil(p.rate / hot) if hot > 0 else 1
        kept: tuple[int, str | None, float] = (0, None, 0)  # slots, technology, flush
        if p.rate <= hot:
            how = "in_place"
            sentence = (
                f"{adds}, within the {number(hot)}/s one row takes while each update holds its "
                f"lock until commit: an ordinary UPDATE ... SET n = n + 1 in {primary.name}."
            )
        elif primary.capabilities["increments"] >= NATIVE:
            how = "native_counter"
            sentence = (
                f"{adds}, above the {number(hot)}/s one row's lock lets through; "
                f"{primary.name}'s own atomic counters take increments without a row lock."
            )
        elif p.consistency == "strong" and slots <= max_slots:
            how, kept = "sharded_counter", (slots, None, 0)
            sentence = (
                f"{adds}, above the {number(hot)}/s one row's lock lets through: a counter "
                f"table with {slots} slots per {p.pattern.entity} ({number(p.rate)} / "
                f"{number(hot)}); each increment adds to a random slot and a read sums them, "
                f"so every increment stays a transaction in {primary.name}, as its strong "
                f"consistency asks."
            )
        else:
            how, kept = "counter_store", (0, store.id, flush)
            why = (
                f"{p.consistency} consistency accepts it"
                if p.consistency != "strong"
                else f"a sharded counter would need {slots} slots, more than {max_slots} rows "
                f"a read can sum; state the loss you accept"
            )
            sentence = (
                f"{adds}, above the {number(hot)}/s one row's lock lets through: the "
                f"increments go to {store.name} (atomic INCRBY/HINCRBY) and every "
                f"{number(flush)} s a job adds each changed counter's total to "
                f"{primary.name}, one write per counter instead of {number(p.rate)}/s. Up to "
                f"{number(flush)} s of increments are lost if {store.name} fails; {why}."
            )
            stored.append(p)
        inputs = (
            p.path,
            f"{p.path}.consistency" if p.pattern.consistency else "workload.consistency",
        )
        results.append(
            Counter(
                p.pattern.name,
                p.pattern.entity,
                columns,
                p.rate,
                how,
                sentence,
                inputs,
                slots=kept[0],
                technology=kept[1],
                flush_seconds=kept[2],
            )
        )
        draft = draft.explain(Reason("counters", inputs, f"{p.pattern.name}: {how}", sentence))
    draft = draft.replace(counters=tuple(results))
    if not stored:
        return draft
    why = (
        f"{listing(repr(p.pattern.name) for p in stored)} increment counters faster than "
        f"one row of {primary.name} takes ({number(hot)}/s)."
    )
    sync = (
        "periodic_flush",
        False,
        f"flushed to {primary.name} every {number(flush)} s: a job takes each counter's "
        f"increments (GETDEL) and adds them to its row",
    )
    return _component(draft, "counter_store", "increments", stored, why, sync=sync)
