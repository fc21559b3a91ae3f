"""A design keeps the DOT of every view the diagram page offers, so the page draws what the
design decided instead of building the schema again."""

from __future__ import annotations

import json
import re

from advisor.design import create_design
from advisor.erd import MODES
from advisor.requirements import Requirements, read_requirements


def views_of(requirements: Requirements) -> tuple[dict[str, object], dict[tuple[str, str], str]]:
    design = create_design(requirements)
    stored = design.file("erd/views.json")
    assert stored is not None
    index = json.loads(stored.text)
    views = {}
    for view in index["views"]:
        item = design.file(view["path"])
        assert item is not None, view["path"]
        views[(view["mode"], view["context"])] = item.text
    return index, views


def test_every_mode_of_every_context_and_of_the_whole_schema_is_kept(demo: Requirements) -> None:
    index, views = views_of(demo)
    assert index["contexts"] == ["catalogue", "sales"]
    assert set(views) == {
        (mode, context) for mode in MODES for context in (None, "catalogue", "sales")
    }
    assert len(set(views.values())) == len(views)
    assert "order_item" in views[("full", None)]
    assert "order_item" not in views[("full", "catalogue")]
    assert "timestamptz" in views[("full", "sales")]
    assert "timestamptz" not in views[("compact", "sales")]


def test_erd_dot_is_the_default_view(demo: Requirements) -> None:
    design = create_design(demo)
    index, views = views_of(demo)
    erd = design.file("erd/erd.dot")
    assert erd is not None and erd.text == views[(str(index["default_mode"]), None)]


def test_contexts_with_any_name_get_distinct_plain_folders() -> None:
    document = """
format: advisor/v1
project: Names
entities:
  - {name: a, context: Sales}
  - {name: b, context: "sales!"}
  - {name: c, context: "客户"}
  - {name: d, context: "../../etc"}
"""
    design = create_design(read_requirements(document))
    paths = [item.path for item in design.files if item.path.startswith("erd/views/")]
    assert len(paths) == len(set(paths)) == len(MODES) * 5
    assert all(
        re.fullmatch(r"erd/views/([a-z0-9-]+/)?(full|compact|overview)\.dot", p) for p in paths
    )
