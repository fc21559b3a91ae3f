"""Store requests for the store tests: the requirements' facts under the default matrix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from advisor.facts import build_facts
from advisor.matrix import DEFAULT_MATRIX
from advisor.requirements import Requirements
from advisor.stores import StoreRequest


def request(
    requirements: Requirements,
    technology: str,
    *,
    patterns: Iterable[str] | None = None,
    role: str = "primary",
    sync: str = "cache_aside",
    key_strategy: str = "bigint_identity",
    distinct_values: Mapping[str, float] | None = None,
) -> StoreRequest:
    """A request for `technology`; `patterns` makes it a component's (all entities if None)."""
    return StoreRequest(
        build_facts(requirements, DEFAULT_MATRIX),
        technology,
        role=role,
        patterns=tuple(patterns) if patterns is not None else None,
        sync=sync,
        key_strategy=key_strategy,
        distinct_values=dict(distinct_values or {}),
    )
