"""Scaling: read replicas, a cache, sharding and write regions, as the load needs them."""

from __future__ import annotations

from advisor.decisions.common import (
    check_lines,
    drivers,
    input_paths,
    lower_first,
    operation_checks,
    reasons_of,
    sentence_list,
)
from advisor.decisions.context import RecordContext
from advisor.decisions.markdown import escape, quoted
from advisor.decisions.model import Decision, Option
from advisor.decisions.wording import ENGINE_DOCS
from advisor.rules.common import listing, number


def scaling(context: RecordContext) -> Decision:
    scaling = context.recommendation.scaling
    replicas = scaling.read_replicas.count
    cache = next((c for c in context.recommendation.components if c.role == "cache"), None)
    sharding = scaling.sharding
    keys = ",".join(f"{key.entity}:{key.key}" for key in sharding.keys)
    if sharding.needed:
        sharded = f"by {keys}" if keys else "yes"
    elif keys:
        sharded = f"distributed by {keys}"
    else:
        sharded = "none"
    factor = scaling.read_replicas.replication_factor
    copies = f"rf={factor}" if factor else f"replicas={replicas}"
    outcome = (
        f"{copies}; cache={cache.technology if cache else 'none'}; "
        f"sharding={sharded}; regions={scaling.regions.strategy}"
    )
    if factor:
        parts = [f"replication factor {factor}"]
    else:
        parts = [
            f"{replicas} read replica{'s' if replicas != 1 else ''}"
            if replicas
            else "no read replica"
        ]
    if cache is not None:
        parts.append(f"a {cache.name} cache")
    if sharding.needed:
        parts.append(
            "sharding " + ", ".join(f"{key.entity} by {key.key}" for key in sharding.keys)
            if sharding.keys
            else "sharding"
        )
    else:
        parts.append("no sharding")
    regions = scaling.regions
    parts.append(
        "writes in one region"
        if regions.write_regions <= 1
        else f"writes in {regions.write_regions} regions"
    )
    reasons = [
        *reasons_of(context, "read_replicas"),
        *reasons_of(context, "cache"),
        *reasons_of(context, "partitioning"),
        *reasons_of(context, "sharding"),
        *reasons_of(context, "regions"),
    ]
    inputs = input_paths(reasons)
    workload = context.requirements.workload
    problem = (
        f"The workload peaks at {number(context.facts.reads_per_second)} reads/s and "
        f"{number(context.facts.writes_per_second)} writes/s, with "
        f"{number(workload.data_volume_gb)} GB today and about "
        f"{number(round(context.facts.projected_volume_gb))} GB within the planning horizon, "
        f"in {number(workload.regions)} write region{'s' if workload.regions != 1 else ''} "
        f"at {number(workload.availability_percent)}% availability. How should "
        f"{escape(context.primary.name)} scale: replicas, a cache, sharding, regions?"
    )
    options = [
        Option(
            sentence_list(parts),
            None,
            "Chosen: what the load and availability targets need, and no more.",
        )
    ]
    if replicas:
        options.append(
            Option(
                "A single node without replicas",
                None,
                "The cheapest setup.",
                ("there is one server to run and pay for",),
                (
                    f"nothing takes over when it fails, short of the "
                    f"{number(workload.availability_percent)}% availability target",
                ),
            )
        )
    if sharding.needed:
        options.append(
            Option(
                "One larger primary instead of shards",
                None,
                "Scale up rather than out.",
                ("no cross-shard queries and no resharding",),
                (escape(sharding.reason),),
            )
        )
    else:
        options.append(
            Option(
                "Shard now",
                None,
                "Spread writes and storage over several nodes from the start.",
                ("it leaves headroom for writes and storage far beyond one node",),
                (
                    "queries that miss the shard key read every shard, and every "
                    "operation (backups, upgrades, schema changes) multiplies",
                    escape(sharding.reason),
                ),
            )
        )
    good: list[str] = []
    bad: list[str] = []
    if replicas:
        good.append("a standby takes over when the primary fails, and replicas can serve reads")
        bad.append(
            "replicas lag the primary: reads that must see their own writes go to the primary"
        )
    if cache is not None:
        good.append(f"hot reads come from {escape(cache.name)}'s memory")
    if sharding.needed:
        good.append("writes and storage spread over the shards")
        if sharding.cross_shard_patterns:
            bad.append(
                f"{listing([quoted(p) for p in sharding.cross_shard_patterns])} must read "
                "across shards (scatter-gather)"
            )
        bad.append("resharding and cross-shard transactions are hard to change later")
    else:
        good.append("every query and transaction stays on one node: no cross-shard work")
    if regions.write_regions > 1:
        bad.append(f"{escape(lower_first(regions.reason))}")
    if len(scaling.at_10x) > 1:
        bad.append(
            "it holds only to a point: "
            + lower_first(escape(scaling.at_10x[0]).rstrip(":"))
            + ", "
            + "; ".join(
                lower_first(escape(sentence)).rstrip(".") for sentence in scaling.at_10x[1:]
            )
        )
    return Decision(
        key="scaling",
        title=f"Scale with {sentence_list(parts)}",
        outcome=outcome,
        context=problem,
        drivers=drivers(context, inputs),
        options=tuple(options),
        justification=tuple(dict.fromkeys(escape(reason.sentence) for reason in reasons)),
        good=tuple(good),
        bad=tuple(bad),
        confirmation=(
            *check_lines(operation_checks(context.primary.id, "replication", "storage", "cache")),
            f"Peak load stays within the plan: {number(context.facts.reads_per_second)} "
            f"reads/s, {number(context.facts.writes_per_second)} writes/s and about "
            f"{number(round(context.facts.projected_volume_gb))} GB; revisit this decision "
            "when a figure doubles.",
        ),
        more_information=(ENGINE_DOCS,),
        inputs=inputs,
        because="it meets the stated load and availability with the least machinery",
    )
