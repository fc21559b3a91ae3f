"""Which Graphviz engine and options draw a diagram of a given size, and which view to offer.

The rules are data (`advisor/data/erd.yaml`), chosen by measurement; `docs/diagrams.md` has the
numbers and `tests/bench/erd_bench.py` measures them again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, cast, get_args

import yaml

from advisor.data_files import data_text

Mode = Literal["full", "compact", "overview"]
MODES: tuple[Mode, ...] = get_args(Mode)


@dataclass(frozen=True)
class Layout:
    """A Graphviz engine and the graph attributes it runs with (written into the DOT text)."""

    engine: str
    graph_attributes: tuple[tuple[str, str], ...]
    clusters: bool = True  # draw bounded contexts as clusters
    why: str = ""  # the measurement behind the choice


@dataclass(frozen=True)
class _Rule:
    up_to: int | None
    modes: tuple[Mode, ...]
    layout: Layout


@cache
def _data() -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return cast(dict[str, Any], yaml.load(data_text("erd.yaml"), Loader=loader))


@cache
def palette() -> tuple[tuple[str, str], ...]:
    """The (header, background) colour pairs that contexts are given, by a hash of their name."""
    return tuple((pair[0], pair[1]) for pair in _data()["palette"])


@cache
def _rules() -> tuple[_Rule, ...]:
    rules = []
    for item in _data()["layouts"]:
        attributes = tuple((str(k), str(v)) for k, v in item["attributes"].items())
        layout = Layout(
            engine=item["engine"],
            graph_attributes=(("layout", item["engine"]), *attributes),
            clusters=item.get("clusters", True),
            why=" ".join(str(item.get("measured", "")).split()),
        )
        rules.append(_Rule(item.get("up_to"), tuple(item["modes"]), layout))
    return tuple(rules)


def layout_for(table_count: int, mode: Mode, *, layered: bool = False) -> Layout:
    """The engine and options for `table_count` tables drawn in `mode`: the first rule that fits.

    `layered`: a layered (`dot`) layout whatever the size, when the person asks for one.

    >>> layout_for(30, "full").engine, layout_for(1000, "overview").engine
    ('dot', 'sfdp')
    >>> layout_for(1000, "full", layered=True).engine
    'dot'
    """
    for rule in _rules():
        if layered and rule.layout.engine != "dot":
            continue
        if mode in rule.modes and (rule.up_to is None or table_count <= rule.up_to):
            return rule.layout
    raise LookupError(f"advisor/data/erd.yaml has no layout for {table_count} tables in {mode}")


def default_mode(table_count: int) -> Mode:
    """The view shown first for a schema of `table_count` tables (the person can switch).

    >>> default_mode(12), default_mode(80), default_mode(400)
    ('full', 'compact', 'overview')
    """
    for item in _data()["views"]:
        if item.get("up_to") is None or table_count <= item["up_to"]:
            return cast(Mode, item["mode"])
    return "overview"


def max_drawn_tables() -> int:
    """The most tables one drawing holds (`drawable_up_to` in advisor/data/erd.yaml)."""
    return int(_data()["drawable_up_to"])


def too_many_to_draw(table_count: int) -> str:
    """Why a view of `table_count` tables is not drawn, or "" when Graphviz lays it out within
    a drawing's time limit (`drawable_up_to` in advisor/data/erd.yaml).

    >>> too_many_to_draw(500)
    ''
    >>> too_many_to_draw(5500)
    '5,500 tables are more than Graphviz lays out within its time limit (at most 2,000)'
    """
    limit = max_drawn_tables()
    if table_count <= limit:
        return ""
    return (
        f"{table_count:,} tables are more than Graphviz lays out within its time limit "
        f"(at most {limit:,})"
    )


def engine_of(dot: str) -> str:
    """The layout engine a DOT text of ours names in its graph attributes.

    >>> engine_of('digraph erd { graph [layout="sfdp", overlap="prism"]; }')
    'sfdp'
    """
    found = re.search(r'layout="(\w+)"', dot)
    return found.group(1) if found else "dot"
