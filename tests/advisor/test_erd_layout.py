from __future__ import annotations

import time
import xml.etree.ElementTree as ET

import pytest

from advisor.erd import (
    MODES,
    default_mode,
    erd_dot,
    erd_model,
    layout_for,
    render,
    synthetic_requirements,
)
from advisor.schema import build_schema


@pytest.mark.parametrize(
    ("tables", "mode", "engine"),
    [
        (6, "full", "dot"),
        (100, "compact", "dot"),
        (101, "full", "sfdp"),
        (250, "overview", "dot"),
        (251, "overview", "sfdp"),
        (1000, "overview", "sfdp"),
    ],
)
def test_the_engine_is_chosen_by_size_and_mode(tables: int, mode: str, engine: str) -> None:
    assert layout_for(tables, mode).engine == engine  # type: ignore[arg-type]


def test_every_size_and_mode_has_a_layout_and_a_layered_one() -> None:
    for tables in (1, 50, 200, 500, 1000, 100_000):
        for mode in MODES:
            assert layout_for(tables, mode).why
            assert layout_for(tables, mode, layered=True).engine == "dot"


def test_force_directed_layouts_keep_tables_apart() -> None:
    layout = layout_for(1000, "full")
    assert ("overlap", "prism") in layout.graph_attributes and not layout.clusters


def test_large_schemas_open_in_the_overview() -> None:
    assert [default_mode(n) for n in (6, 40, 41, 100, 101, 1000)] == [
        "full",
        "full",
        "compact",
        "compact",
        "overview",
        "overview",
    ]


def test_the_dot_text_carries_its_layout() -> None:
    requirements = synthetic_requirements(50)
    erd = erd_model(build_schema(requirements, "postgresql"), requirements)
    assert 'layout="dot"' in erd_dot(erd, mode="full")
    assert 'overlap="prism"' in erd_dot(erd, mode="full", layout=layout_for(500, "full"))


def test_a_500_table_overview_renders_within_budget_with_the_chosen_layout() -> None:
    requirements = synthetic_requirements(500)
    erd = erd_model(build_schema(requirements, "postgresql"), requirements)
    mode = default_mode(len(erd.tables))
    layout = layout_for(len(erd.tables), mode)
    started = time.perf_counter()
    svg = render(erd_dot(erd, mode=mode, layout=layout), engine=layout.engine, timeout_s=30)
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"{elapsed:.1f} s"  # measured 0.4 s; the target is 5 s
    nodes = [g for g in ET.fromstring(svg).iter() if g.get("class") == "node"]
    assert len(nodes) >= 500


def test_a_500_table_context_diagram_is_small_and_layered() -> None:
    requirements = synthetic_requirements(500)
    erd = erd_model(build_schema(requirements, "postgresql"), requirements)
    dot = erd_dot(erd, mode="full", contexts=frozenset({"context_03"}))
    assert 'layout="dot"' in dot
    svg = render(dot, timeout_s=30)
    assert b"entity_0060" in svg and b"entity_0100" not in svg
