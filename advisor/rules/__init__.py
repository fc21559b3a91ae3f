"""The rules of the engine, in the order they run.

Each rule is a small pure function `Draft -> Draft` (see `advisor.draft`). The scoring rules come
first, most important first: access patterns, then guarantees, data shape, scale, and team. Then
`choose_primary` picks the best-scoring technology, and the rules after it decide what goes
around it. A rule can run alone on a draft made by `advisor.engine.start`.
"""

from __future__ import annotations

from collections.abc import Callable

from advisor.draft import Draft
from advisor.rules.architecture import architecture_pattern, primary_keys
from advisor.rules.counters import counters
from advisor.rules.design import (
    analytics_component,
    cache_component,
    choose_primary,
    graph_component,
    search_component,
    time_series_component,
)
from advisor.rules.documents import document_modelling
from advisor.rules.feasibility import (
    how_the_team_runs_it,
    one_process,
    strong_writes_in_regions,
    system_of_record,
)
from advisor.rules.guarantees import consistency, transactions
from advisor.rules.patterns import access_pattern_needs, latency_targets
from advisor.rules.scale import (
    availability,
    data_volume,
    multi_region_writes,
    read_concurrency,
    start_simple,
    throughput_pricing,
    write_throughput,
)
from advisor.rules.scaling import (
    cache,
    expiry,
    partitioning,
    read_replicas,
    regions,
    sharding,
)
from advisor.rules.shape import (
    durability,
    relationship_density,
    retention_expiry,
    schema_flexibility,
)
from advisor.rules.team import budget, managed_service, team_expertise
from advisor.rules.tenancy import tenancy

Rule = Callable[[Draft], Draft]

RULES: tuple[Rule, ...] = (
    # What each access pattern needs
    access_pattern_needs,
    latency_targets,
    # Guarantees
    consistency,
    transactions,
    # Data shape
    relationship_density,
    schema_flexibility,
    durability,
    retention_expiry,
    # Scale
    write_throughput,
    throughput_pricing,
    read_concurrency,
    data_volume,
    multi_region_writes,
    availability,
    start_simple,
    # Team and operations
    team_expertise,
    managed_service,
    budget,
    # Feasibility: hard requirements rule technologies out
    system_of_record,
    strong_writes_in_regions,
    how_the_team_runs_it,
    one_process,
    # Decisions
    choose_primary,
    counters,
    cache_component,
    search_component,
    graph_component,
    time_series_component,
    analytics_component,
    read_replicas,
    cache,
    partitioning,
    expiry,
    sharding,
    regions,
    primary_keys,
    document_modelling,
    architecture_pattern,
    tenancy,
)

__all__ = ["RULES", "Rule"]
