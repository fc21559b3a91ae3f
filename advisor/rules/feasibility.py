"""Feasibility: hard requirements rule technologies out before any score is compared.

A score weighs preferences; some requirements are not preferences. A store that cannot be the
system of record, cannot commit strongly consistent writes in several regions, or cannot be
bought or run the way the team must, is out, whatever it scores. Each rule names what it rules
out and why; `choose_primary` picks among the rest.
"""

from __future__ import annotations

from advisor.draft import Draft
from advisor.matrix import Technology
from advisor.recommendation import Reason
from advisor.rules.common import listing, number
from advisor.rules.reads import CONSISTENCY, REGIONS, reads


@reads()
def system_of_record(draft: Draft) -> Draft:
    """Search indexes and in-memory stores hold copies rebuilt from the record, never the
    record itself (`system_of_record: false` in the matrix, with each vendor's source)."""
    entities = draft.facts.requirements.entities
    if entities and all(entity.derived for entity in entities):
        sentence = (
            "Every entity is derived (rebuilt from a system of record elsewhere, or safe to "
            "lose), so an in-memory store or a search index may hold it alone."
        )
        return draft.explain(Reason("system_of_record", _derived_paths(draft), "none", sentence))
    out = [t for t in draft.facts.technologies if not t.system_of_record]
    if not out:
        return draft
    sentence = (
        f"The primary store is the system of record: {listing([t.name for t in out], 6)} hold "
        "copies that are rebuilt from it (an index, a cache), so they can serve beside it but "
        "never be it."
    )
    why = "holds copies rebuilt from a source of truth, not the record itself"
    return draft.disqualify(
        Reason("system_of_record", _derived_paths(draft), f"ruled out: {_ids(out)}", sentence),
        {t.id: why for t in out},
    )


@reads(REGIONS, CONSISTENCY)
def strong_writes_in_regions(draft: Draft) -> Draft:
    """Several writable regions with strong consistency need a store that agrees on every
    commit across regions; replication that resolves conflicts afterwards loses updates."""
    workload = draft.facts.requirements.workload
    if workload.regions <= 1 or workload.consistency != "strong":
        return draft
    out = [t for t in draft.facts.technologies if t.multi_region != "consensus"]
    sentence = (
        f"Writes in {number(workload.regions)} regions must be strongly consistent: only stores "
        "that commit by consensus across regions can do that; the others either take writes in "
        "one region or resolve concurrent writes afterwards (last writer wins)."
    )
    why = (
        f"cannot commit strongly consistent writes in {number(workload.regions)} regions "
        "(no cross-region consensus)"
    )
    inputs = ("workload.regions", "workload.consistency")
    return draft.disqualify(
        Reason("strong_writes_in_regions", inputs, f"ruled out: {_ids(out)}", sentence),
        {t.id: why for t in out},
    )


@reads()
def how_the_team_runs_it(draft: Draft) -> Draft:
    """A managed service that is required, or avoided, is a constraint, not a taste."""
    wish = draft.facts.requirements.team.managed_service
    technologies = draft.facts.technologies
    if wish == "required":
        out = [t for t in technologies if not t.managed]
        why = "no provider offers it as a managed service, which the team requires"
    elif wish == "avoid":
        out = [t for t in technologies if not t.self_hosted]
        why = "it exists only as a managed service, which the team avoids"
    else:
        return draft
    if not out:
        return draft
    sentence = f"{listing([t.name for t in out], 6)}: {why}."
    return draft.disqualify(
        Reason(
            "how_the_team_runs_it", ("team.managed_service",), f"ruled out: {_ids(out)}", sentence
        ),
        {t.id: why for t in out},
    )


@reads(REGIONS)
def one_process(draft: Draft) -> Draft:
    """An embedded database lives in one application process on one machine: no replica to
    fail over to, no second region, no second application server writing."""
    facts = draft.facts
    workload = facts.requirements.workload
    standby = facts.threshold("standby_above_availability_percent")
    needs = []
    if workload.availability_percent > standby:
        needs.append(
            f"{number(workload.availability_percent)}% availability needs a replica to fail over "
            f"to (above {number(standby)}%)"
        )
    if workload.regions > 1:
        needs.append(f"writes come from {number(workload.regions)} regions")
    out = [t for t in facts.technologies if t.scaling == "embedded"]
    if not needs or not out:
        return draft
    sentence = (
        f"{listing([t.name for t in out])} runs inside one application process, but "
        f"{listing(needs)}."
    )
    inputs = ("workload.availability_percent", "workload.regions")
    return draft.disqualify(
        Reason("one_process", inputs, f"ruled out: {_ids(out)}", sentence),
        {t.id: f"it runs inside one process, but {listing(needs)}" for t in out},
    )


def _ids(technologies: list[Technology]) -> str:
    return ", ".join(t.id for t in technologies)


def _derived_paths(draft: Draft) -> tuple[str, ...]:
    entities = draft.facts.requirements.entities
    return tuple(f"entities[{i}].derived" for i in range(len(entities))) or ("entities",)
