"""Rules on scale: write throughput, data volume, regions, availability."""

from __future__ import annotations

from advisor.draft import Draft
from advisor.matrix import Technology
from advisor.recommendation import Reason
from advisor.rules.common import leaders, listing, number, region_round_trip
from advisor.rules.reads import CONSISTENCY, READS_PER_SECOND, REGIONS, VOLUME, WRITES, reads


@reads(WRITES)
def write_throughput(draft: Draft) -> Draft:
    """Writes beyond one node's budget need a store that spreads them. Batched appends count
    against the larger append budget, and in-memory stores against a single Redis instance's
    throughput."""
    facts = draft.facts
    writes = facts.writes_per_second
    load = facts.write_load()
    budget = facts.threshold("single_node_writes_per_second")
    appends = facts.appends_per_second
    in_memory = facts.threshold("redis_ops_per_second")
    inputs = ("workload.writes_per_second", *facts.paths(facts.write_positions))
    what = (
        f"{number(writes)} writes/s ({number(appends)}/s of them batched appends)"
        if appends
        else f"{number(writes)} writes/s"
    )
    if load <= 1:
        sentence = (
            f"{what} fit within one node's practical budget ({number(budget)} writes/s, "
            f"{number(facts.threshold('single_node_appends_per_second'))} appends/s), so any "
            f"store can take them without sharding."
        )
        return draft.explain(Reason("write_throughput", inputs, "none", sentence))
    weight = facts.weight("write_scaling_far" if load > 10 else "write_scaling")
    fits = facts.matrix.fits["write_scaling"]

    def fit(technology: Technology) -> float:
        if technology.capabilities["low_latency"] == 3 and writes <= in_memory:
            return 1.0  # one in-memory primary takes it
        return fits[technology.scaling]

    def append(technology: Technology) -> float:
        # Spreading writes is one thing; absorbing them cheaply is another: log-structured
        # stores append, consensus stores replicate every write through a Raft log first.
        if technology.capabilities["low_latency"] == 3 and writes <= in_memory:
            return 1.0
        return technology.level("append")

    sentence = (
        f"{what} fill {load:.1f} times one node's practical budget ({number(budget)} writes/s): "
        f"writes must spread over many nodes, which {leaders(facts, fit, 6)} do by design"
        + (
            f" (an in-memory store takes up to {number(in_memory)} operations/s on one node)"
            if writes <= in_memory
            else ""
        )
        + f", and log-structured stores ({leaders(facts, facts.levels('append'), 4)}) "
        f"absorb best."
    )
    return draft.weigh(
        Reason("write_throughput", inputs, f"write_scaling +{weight:.2f}", sentence),
        ("write_throughput", weight, fit),
        ("write_throughput:append", weight / 2, append),
    )


@reads(WRITES)
def throughput_pricing(draft: Draft) -> Draft:
    """Stores billed per request are cheap when idle and dear under sustained load."""
    facts = draft.facts
    writes = facts.writes_per_second
    limit = facts.threshold("per_request_pricing_writes_per_second")
    if writes <= limit:
        return draft
    per_request = [t.name for t in facts.technologies if t.pricing == "per_request"]
    weight = facts.weight("throughput_pricing")
    if facts.requirements.team.budget == "high":
        weight /= 3
    sentence = (
        f"{number(writes)} writes/s sustained cost far more on stores billed per request "
        f"({listing(per_request)}) than on provisioned nodes: above {number(limit)} writes/s, "
        f"per-request billing costs several times a cluster that takes the same load."
    )
    return draft.score(
        "throughput_pricing",
        weight,
        lambda technology: 0.2 if technology.pricing == "per_request" else 1.0,
        Reason(
            "throughput_pricing",
            ("workload.writes_per_second", "team.budget"),
            f"pricing +{weight:.2f}",
            sentence,
        ),
    )


@reads(READS_PER_SECOND)
def read_concurrency(draft: Draft) -> Draft:
    """Thousands of small reads a second overwhelm stores built for a few heavy queries."""
    facts = draft.facts
    reads = facts.reads_per_second
    limit = facts.threshold("low_concurrency_reads_per_second")
    low = [t.name for t in facts.technologies if t.concurrency == "low"]
    if reads <= limit or not low:
        return draft
    weight = facts.weight("read_concurrency")
    sentence = (
        f"{number(reads)} reads/s are many small queries; {listing(low)} answer a few hundred "
        f"heavy queries per second per server and would need a cache or many servers in front."
    )
    return draft.score(
        "read_concurrency",
        weight,
        lambda technology: 0.2 if technology.concurrency == "low" else 1.0,
        Reason(
            "read_concurrency",
            ("workload.reads_per_second",),
            f"concurrency +{weight:.2f}",
            sentence,
        ),
    )


@reads(WRITES, VOLUME)
def data_volume(draft: Draft) -> Draft:
    """Beyond one node's storage the data is spread over nodes, unless the store compresses it
    enough to keep it on one (time-series and columnar stores: `compression` in the matrix)."""
    facts = draft.facts
    volume = facts.projected_volume_gb
    inputs = ("workload.data_volume_gb", "workload.growth_gb_per_month", "workload.retention_days")
    storage = facts.threshold("single_node_storage_gb")
    memory = facts.threshold("in_memory_practical_gb")
    months = facts.threshold("planning_horizon_months")
    fits = facts.matrix.fits["storage_scaling"]
    if volume > storage:
        weight = facts.weight("storage_scaling")
        compact = [t for t in facts.technologies if facts.stored_volume_gb(t) <= storage]
        sentence = (
            f"About {number(round(volume))} GB within {number(months)} months is more than one "
            f"node should hold ({number(storage)} GB: restores and upgrades get too long), so "
            f"the data must be spread over several nodes"
        )
        if compact:
            held = (
                f"{t.name} (about {number(round(facts.stored_volume_gb(t)))} GB)"
                for t in compact[:4]
            )
            sentence += (
                f", unless the store compresses it below that: {listing(held)} keep it on one."
            )
        else:
            sentence += "."

        small = {technology.id for technology in compact}

        def fit(technology: Technology) -> float:
            return 1.0 if technology.id in small else fits[technology.scaling]

        def large(technology: Technology) -> float:
            return 1.0 if technology.id in small else technology.level("large_volume")

        return draft.weigh(
            Reason("data_volume", inputs, f"storage_scaling +{weight:.2f}", sentence),
            ("data_volume", weight, fit),
            ("data_volume:large", weight / 2, large),
        )
    if volume > memory:
        weight = facts.weight("storage_scaling") / 2
        sentence = (
            f"About {number(round(volume))} GB within {number(months)} months fits one node's "
            f"disk but not its memory ({number(memory)} GB): stores that keep everything in RAM "
            f"are held back."
        )
        return draft.score(
            "data_volume",
            weight,
            facts.levels("large_volume"),
            Reason("data_volume", inputs, f"large_volume +{weight:.2f}", sentence),
        )
    sentence = (
        f"About {number(round(volume))} GB within {number(months)} months fits on one node, even "
        f"in memory."
    )
    return draft.explain(Reason("data_volume", inputs, "none", sentence))


@reads(REGIONS, CONSISTENCY)
def multi_region_writes(draft: Draft) -> Draft:
    facts = draft.facts
    workload = facts.requirements.workload
    inputs: tuple[str, ...] = ("workload.regions", "workload.consistency")
    if workload.regions <= 1:
        return draft.explain(
            Reason(
                "multi_region_writes",
                inputs,
                "none",
                "Writes are accepted in one region; other regions can still read from replicas.",
            )
        )
    strong = workload.consistency == "strong"
    rtt, pair, read = region_round_trip(facts)
    tight = not strong and workload.latency_p99_ms < rtt
    fits = facts.matrix.fits[
        "multi_region_strong"
        if strong
        else ("multi_region_eventual_tight" if tight else "multi_region_eventual")
    ]
    weight = facts.weight("multi_region")
    if strong:
        sentence = (
            f"{workload.regions} regions accept writes and reads must be strongly consistent: "
            f"only stores that agree on each commit across regions by consensus "
            f"({leaders(facts, lambda t: fits[t.multi_region], 5)}) do both; last-writer-wins "
            f"replication would lose concurrent updates."
        )
    else:
        sentence = (
            f"{workload.regions} regions accept writes and eventual consistency is acceptable: "
            f"multi-active stores that resolve conflicts "
            f"({leaders(facts, lambda t: fits[t.multi_region], 5)}) write locally in each region."
        )
        if tight:
            sentence += (
                f" A commit by consensus across regions costs a round trip (about {number(rtt)} "
                f"ms {pair}), more than the {number(workload.latency_p99_ms)} ms p99 target."
            )
            inputs = (*inputs, "workload.latency_p99_ms", *read)
    return draft.score(
        "multi_region_writes",
        weight,
        lambda technology: fits[technology.multi_region],
        Reason("multi_region_writes", inputs, f"multi_region +{weight:.2f}", sentence),
    )


@reads()
def availability(draft: Draft) -> Draft:
    facts = draft.facts
    target = facts.requirements.workload.availability_percent
    reaches = facts.threshold("standby_reaches_availability_percent")
    if target <= reaches:
        return draft.explain(
            Reason(
                "availability",
                ("workload.availability_percent",),
                "none",
                f"{number(target)}% availability is within what one primary with a standby in "
                f"another zone reaches ({number(reaches)}%), so any replicated store meets it.",
            )
        )
    high = target >= facts.threshold("second_replica_from_availability_percent")
    weight = facts.weight("availability") * (2 if high else 1)
    fits = facts.matrix.fits["availability"]
    sentence = (
        f"{number(target)}% availability needs automatic failover to a replica; stores that "
        f"replicate and fail over by design ({leaders(facts, lambda t: fits[t.scaling], 4)}) "
        f"get there with the least effort, an embedded database not at all."
    )
    return draft.score(
        "availability",
        weight,
        lambda technology: fits[technology.scaling],
        Reason(
            "availability",
            ("workload.availability_percent",),
            f"availability +{weight:.2f}",
            sentence,
        ),
    )


@reads(WRITES, VOLUME, REGIONS)
def start_simple(draft: Draft) -> Draft:
    """While one primary (with replicas and a standby) takes the load, the simplest store
    wins: a cluster adds nodes, rebalancing and consensus round trips the workload does not
    need. The reason says which figure would need more."""
    facts = draft.facts
    workload = facts.requirements.workload
    writes_budget = facts.threshold("single_node_writes_per_second")
    storage = facts.threshold("single_node_storage_gb")
    volume = facts.projected_volume_gb
    inputs = (
        "workload.writes_per_second",
        "workload.data_volume_gb",
        "workload.growth_gb_per_month",
        "workload.regions",
    )
    outgrown = []
    if facts.write_load() > 1:
        outgrown.append(f"{number(facts.writes_per_second)} writes/s")
    if volume > storage:
        outgrown.append(f"about {number(round(volume))} GB")
    if workload.regions > 1:
        outgrown.append(f"writes in {number(workload.regions)} regions")
    if outgrown:
        sentence = f"{listing(outgrown)} need more than one primary, so simplicity does not decide."
        return draft.explain(Reason("start_simple", inputs, "none", sentence))
    weight = facts.weight("start_simple")
    fits = facts.matrix.fits["start_simple"]
    sentence = (
        f"{number(facts.writes_per_second)} writes/s and about {number(round(volume))} GB in one "
        f"write region fit one primary with replicas, so the simplest store wins: a cluster "
        f"that spreads data over nodes is machinery this workload does not need. It would need "
        f"more above {number(writes_budget)} writes/s (one node's budget), "
        f"{number(storage)} GB, or a second write region."
    )

    def fit(technology: Technology) -> float:
        if technology.scaling == "distributed" and not technology.self_hosted:
            return fits["serverless"]
        return fits[technology.scaling]

    return draft.score(
        "start_simple",
        weight,
        fit,
        Reason("start_simple", inputs, f"start_simple +{weight:.2f}", sentence),
    )
