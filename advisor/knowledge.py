"""The planning figures of `advisor/data/stores.yaml`, read once: value sizes shared by the
engine's row estimates (`advisor.sizing`) and the other stores' generators (`advisor.stores`)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from advisor.data_files import data_document


@cache
def knowledge() -> Mapping[str, Any]:
    """The contents of `advisor/data/stores.yaml`."""
    data: dict[str, Any] = data_document("stores.yaml")
    return data


@cache
def reserved_words(name: str) -> frozenset[str]:
    """The reserved words listed under `name` in `advisor/data/stores.yaml` (`cql_reserved`,
    `clickhouse_reserved`), as a set: a generator looks up every name it writes."""
    return frozenset(knowledge()[name])
