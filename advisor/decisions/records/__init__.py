"""The decision records of a design, one builder per kind of record, in the order they are listed.

Each builder is a small pure function `RecordContext -> Decision | None` (None when the design
made no such decision). The primary store comes first, then each store added beside it, the
architecture pattern and scaling, then the modelling choices. A builder can run alone on a
context made by `advisor.decisions.record_context`.
"""

from __future__ import annotations

from collections.abc import Callable

from advisor.decisions.context import RecordContext
from advisor.decisions.model import Decision
from advisor.decisions.records.components import (
    analytics,
    cache,
    counter_store,
    graph_store,
    search_index,
    time_series_store,
)
from advisor.decisions.records.documents import document_modelling
from advisor.decisions.records.enums import enum_representation
from advisor.decisions.records.keys import primary_keys
from advisor.decisions.records.partitioning import partitioning
from advisor.decisions.records.pattern import architecture_pattern
from advisor.decisions.records.primary_store import primary_store
from advisor.decisions.records.scaling import scaling
from advisor.decisions.records.tenancy import tenancy

RecordBuilder = Callable[[RecordContext], Decision | None]

RECORD_BUILDERS: tuple[RecordBuilder, ...] = (
    primary_store,
    # The stores beside it, in the order the engine adds them
    cache,
    search_index,
    graph_store,
    time_series_store,
    analytics,
    counter_store,
    # How the data is divided and scaled
    architecture_pattern,
    scaling,
    tenancy,
    # Modelling choices that apply
    primary_keys,
    enum_representation,
    partitioning,
    document_modelling,
)


def decisions_for(
    context: RecordContext, builders: tuple[RecordBuilder, ...] = RECORD_BUILDERS
) -> tuple[Decision, ...]:
    """The significant decisions of a design, in a stable order: those the builders return.

    >>> from advisor.decisions.context import record_context
    >>> from advisor.engine import advise
    >>> from advisor.requirements import read_requirements
    >>> from advisor.schema import build_schema
    >>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\nentities: [{name: a}]")
    >>> schemas = {"postgresql": build_schema(shop, "postgresql")}
    >>> context = record_context(shop, advise(shop), schemas)
    >>> [decision.key for decision in decisions_for(context)]
    ['primary-store', 'architecture-pattern', 'scaling', 'primary-keys']
    """
    return tuple(decision for build in builders if (decision := build(context)) is not None)
