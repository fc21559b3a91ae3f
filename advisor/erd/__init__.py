"""ERD diagrams of a logical schema: DOT for Graphviz, Mermaid, PlantUML and DBML text.

Every format draws the same model, built once from the schema (and the requirements, which
give the title and each table's bounded context):

>>> from advisor.requirements import read_requirements
>>> from advisor.schema import build_schema
>>> shop = read_requirements('''
... format: advisor/v1
... project: Shop
... entities: [{name: customer, context: sales}, {name: order, context: sales}]
... relationships: [{from: order, to: customer, cardinality: many-to-one, required: true}]
... ''')
>>> erd = erd_model(build_schema(shop, "postgresql"), shop)
>>> [line for line in erd_mermaid(erd).splitlines() if "||" in line]
['    "customer" ||..o{ "order" : "customer_id"']

DOT text carries its layout (engine and options chosen by size, `layout_for`); the view that
opens first is `default_mode(len(erd.tables))`; `render` runs Graphviz with a deadline:

>>> mode = default_mode(len(erd.tables))
>>> dot = erd_dot(erd, mode=mode, contexts=frozenset({"sales"}))
>>> mode, layout_for(len(erd.tables), mode).engine
('full', 'dot')
>>> render(dot, format="svg", engine="dot", timeout_s=30).startswith(b"<?xml")
True

- `erd_model(schema, requirements=None) -> Erd`
- `erd_dot(erd, *, mode="full", contexts=None, layout=None, legend=True) -> str`;
  `erd_dots(erd, views) -> list[str]`: the DOT of many (mode, contexts) views at once
- `drawn_tables(dot) -> (in colour, greyed)`: what a DOT text of `erd_dot` shows
- `erd_mermaid(erd) -> str`, `erd_plantuml(erd) -> str`, `erd_dbml(erd) -> str`
- `default_mode(table_count) -> Mode`;
  `layout_for(table_count, mode, *, layered=False) -> Layout(engine, graph_attributes, ...)`;
  `too_many_to_draw(table_count) -> str`: why a view that large is not drawn ("" if it is)
- `render(dot_text, *, format="svg", engine="dot", timeout_s=60, on_start=None) -> bytes`,
  raising `RenderTimeout`, `RenderCancelled` or `RenderError`; `on_start` receives a
  `RenderHandle` (`pgid`, `cancel()`) for a caller that must be able to stop it.
- `render_formats(dot_text, formats, ...) -> dict[Format, bytes]`: several formats from one
  layout (PNGs at `PNG_DPI`).
- `start_render(format) -> PendingRender`: Graphviz started before the text is made;
  `draw(dot_text) -> bytes`.
- `synthetic_requirements(table_count)`: generated models for measurements and tests.

Every error is an `AdvisorError`: `DiagramError` (e.g. an unknown context) and `RenderError`.
"""

from __future__ import annotations

from advisor.erd.dbml import erd_dbml
from advisor.erd.dot import (
    DiagramError,
    context_colours,
    drawn_tables,
    erd_dot,
    erd_dots,
    html_text,
)
from advisor.erd.layout import (
    MODES,
    Layout,
    Mode,
    default_mode,
    engine_of,
    layout_for,
    too_many_to_draw,
)
from advisor.erd.mermaid import erd_mermaid
from advisor.erd.model import END_WORDS, End, Erd, ErdColumn, ErdEnum, ErdTable, Link, erd_model
from advisor.erd.plantuml import erd_plantuml
from advisor.erd.render import (
    FORMATS,
    PNG_DPI,
    Format,
    RenderCancelled,
    RenderError,
    RenderHandle,
    RenderTimeout,
    render,
    render_formats,
    start_render,
)
from advisor.erd.synthetic import synthetic_requirements

__all__ = [
    "END_WORDS",
    "FORMATS",
    "MODES",
    "PNG_DPI",
    "DiagramError",
    "End",
    "Erd",
    "ErdColumn",
    "ErdEnum",
    "ErdTable",
    "Format",
    "Layout",
    "Link",
    "Mode",
    "RenderCancelled",
    "RenderError",
    "RenderHandle",
    "RenderTimeout",
    "context_colours",
    "default_mode",
    "drawn_tables",
    "engine_of",
    "erd_dbml",
    "erd_dot",
    "erd_dots",
    "erd_mermaid",
    "erd_model",
    "erd_plantuml",
    "html_text",
    "layout_for",
    "render",
    "render_formats",
    "start_render",
    "synthetic_requirements",
    "too_many_to_draw",
]
