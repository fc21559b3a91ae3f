"""Rules on guarantees: consistency and transactions."""

from __future__ import annotations

from advisor.draft import UNSAID, Draft
from advisor.facts import share
from advisor.recommendation import Reason
from advisor.rules.common import leaders, percent
from advisor.rules.reads import CONSISTENCY, READS_PER_SECOND, WRITES, reads


@reads(WRITES, READS_PER_SECOND, CONSISTENCY)
def consistency(draft: Draft) -> Draft:
    """Weighted by the share of traffic that must read its own and others' latest writes."""
    facts = draft.facts
    workload = facts.requirements.workload
    total = sum(p.rate for p in facts.patterns)
    if facts.patterns and total > 0:
        strong = share(sum(p.rate for p in facts.patterns if p.consistency == "strong"), total)
    else:
        strong = 1.0 if workload.consistency == "strong" else 0.0
    fits = facts.matrix.fits["consistency_strong"]
    weight = facts.weight("consistency") * strong
    if draft.quiet:
        return draft.score(
            "consistency", weight, lambda technology: fits[technology.consistency], UNSAID
        )
    overrides = tuple(p.path + ".consistency" for p in facts.patterns if p.pattern.consistency)
    inputs = ("workload.consistency", *overrides)
    if strong == 0:
        sentence = (
            "Every read tolerates eventual consistency, so stores that replicate asynchronously "
            "are as good as strongly consistent ones here."
        )
        return draft.explain(Reason("consistency", inputs, "none", sentence))
    sentence = (
        f"{percent(strong)} of the traffic needs strong consistency (a read sees every committed "
        f"write), which {leaders(facts, lambda t: fits[t.consistency], 6)} give by default; "
        f"tunable stores give it per query at a cost, eventual ones not at all."
    )
    return draft.score(
        "consistency",
        weight,
        lambda technology: fits[technology.consistency],
        Reason("consistency", inputs, f"consistency +{weight:.2f}", sentence),
    )


@reads()
def transactions(draft: Draft) -> Draft:
    facts = draft.facts
    needed = facts.requirements.workload.transactions
    inputs = ("workload.transactions",)
    if needed == "none":
        sentence = "No transactions are needed, so stores without them are not held back."
        return draft.explain(Reason("transactions", inputs, "none", sentence))
    fits = facts.matrix.fits[f"transactions_{needed}"]
    weight = facts.weight("transactions") * (1 if needed == "multi_entity" else 0.5)
    if needed == "multi_entity":
        sentence = (
            "Changes must be atomic across several items or entities (an order with its lines "
            "and the stock); stores with multi-item ACID transactions fit, single-item ones "
            "push that work into the application."
        )
    else:
        sentence = (
            "Changes are atomic per item; almost every store provides that, only stores "
            "without any transactions lose a little."
        )
    return draft.score(
        "transactions",
        weight,
        lambda technology: fits[technology.transactions],
        Reason("transactions", inputs, f"transactions +{weight:.2f}", sentence),
    )
