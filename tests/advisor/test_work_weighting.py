"""Patterns weigh by the work they do (rows and bytes touched times frequency), not by
requests: issue 10's objection "a dashboard query scanning billions of rows 10 times a second
decides the engine more than 100,000 single-row appends"."""

from __future__ import annotations

import pytest

from advisor.engine import advise
from advisor.facts import build_facts
from advisor.matrix import DEFAULT_MATRIX
from advisor.requirements import Requirements, read_requirements

EVENTS = """
format: advisor/v1
project: Events
workload: {{reads_per_second: 10, writes_per_second: 100000, data_volume_gb: {volume},
           growth_gb_per_month: 100, consistency: eventual, transactions: none}}
entities:
  - name: event
    attributes:
      - {{name: kind, type: string, length: 40, required: true}}
      - {{name: amount, type: decimal, precision: 12, scale: 2}}
      - {{name: at, type: datetime, required: true}}
access_patterns:
  - {{name: ingest, entity: event, operation: write, kind: append, per_second: 100000}}
  - {{name: dashboard, entity: event, operation: read, kind: aggregate, filter: [kind],
     per_second: 10, latency_ms: 2000}}
"""


def events(volume: float) -> Requirements:
    return read_requirements(EVENTS.format(volume=volume))


def test_a_dashboard_scanning_billions_of_rows_outweighs_the_append_stream() -> None:
    facts = build_facts(events(volume=200_000), DEFAULT_MATRIX)
    ingest, dashboard = facts.patterns
    assert dashboard.rows > 1e9 and ingest.rows == 1
    assert dashboard.work > ingest.work
    assert dashboard.needs["large_scans"] == pytest.approx(1.0)
    recommendation = advise(events(volume=200_000), project_load=False)
    assert recommendation.primary.category == "analytical"
    weights = {item.pattern: item.weight for item in recommendation.work}
    assert weights["dashboard"] > weights["ingest"]


def test_the_same_dashboard_over_little_data_needs_no_columns() -> None:
    facts = build_facts(events(volume=0.1), DEFAULT_MATRIX)
    dashboard = facts.patterns[1]
    assert dashboard.rows < DEFAULT_MATRIX.threshold("row_store_scan_rows")
    assert "large_scans" not in dashboard.needs


def test_row_counts_are_estimated_from_the_volume_unless_given_and_say_so() -> None:
    estimated = advise(events(volume=1000), project_load=False)
    [volume] = estimated.volumes
    assert volume.estimated and volume.rows * volume.row_bytes == pytest.approx(1000e9)
    given = read_requirements(
        EVENTS.format(volume=1000).replace("  - name: event\n", "  - name: event\n    rows: 5000\n")
    )
    [volume] = advise(given, project_load=False).volumes
    assert (volume.rows, volume.estimated) == (5000, False)


def test_an_aggregate_filtered_by_time_reads_one_window_not_the_table() -> None:
    timed = read_requirements(
        EVENTS.format(volume=200_000).replace("filter: [kind]", "filter: [at]")
    )
    dashboard = build_facts(timed, DEFAULT_MATRIX).patterns[1]
    per_day = 100_000 * DEFAULT_MATRIX.threshold("time_window_seconds")
    assert dashboard.rows == pytest.approx(per_day)


def test_a_traversal_over_many_rows_needs_a_graph_even_at_two_hops() -> None:
    graph = read_requirements(
        """
format: advisor/v1
project: Graph
entities: [{name: member}, {name: connection}]
relationships:
  - {from: connection, to: member, cardinality: many-to-one, name: from_member}
  - {from: connection, to: member, cardinality: many-to-one, name: to_member}
access_patterns:
  - {name: second degree, entity: member, operation: read, kind: traversal, depth: 2}
""".replace("{name: member}", "{name: member, rows: 1000000}").replace(
            "{name: connection}", "{name: connection, rows: 500000000}"
        )
    )
    [traversal] = build_facts(graph, DEFAULT_MATRIX).patterns
    assert traversal.rows == pytest.approx((2 * 500 + 0) ** 2, rel=0.01)
    assert traversal.needs["traversal"] > 0.5


def test_derived_data_does_not_ask_for_durability() -> None:
    derived = read_requirements(
        "format: advisor/v1\nproject: Feed\nentities: [{name: timeline, derived: true}]\n"
    )
    [reason] = [r for r in advise(derived, project_load=False).trace if r.rule == "durability"]
    assert "derived" in reason.sentence and "durability +0.00" in reason.effect


def test_the_lines_of_an_order_grow_with_their_orders(demo: Requirements) -> None:
    sizes = build_facts(demo, DEFAULT_MATRIX).sizes
    assert sizes["order_item"].rows >= sizes["order"].rows * (1 - 1e-9)
    assert sizes["order"].rows > sizes["customer"].rows
    assert all(size.estimated for size in sizes.values())
