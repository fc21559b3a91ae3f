"""ERD diagrams of a design: the DOT of each view stored with it, drawings cached by content hash,
text formats."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlencode

from advisor.erd import PNG_DPI, drawn_tables, engine_of, render_formats, too_many_to_draw
from advisor.erd.render import Format, RenderHandle
from designs.models import Design, DesignFile, Project, RenderedDiagram

DRAWN = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}
TEXT = {
    "dot": ("text/vnd.graphviz", "dot"),
    "mermaid": ("text/plain", "mmd"),
    "dbml": ("text/plain", "dbml"),
    "plantuml": ("text/plain", "puml"),
}
FORMATS = (*DRAWN, *TEXT)
ARCHIVED = ("svg", "png")  # the drawings of the default view that a design's zip holds
RENDER_TIMEOUT_S = 120.0
VIEWS_INDEX = "erd/views.json"
DEFAULT_VIEW = "erd/erd.dot"  # the one view of designs stored before every view was kept
# A design of more tables opens its Diagram page on its first context, not on all tables: past
# 250 tables the overview loses its context clusters (sfdp, advisor/data/erd.yaml), a window
# shows its boxes too small to read, and at thousands of tables Graphviz runs past its time
# limit, while one context draws in well under a second. All tables stay one click away.
OVERVIEW_MAX_TABLES = 300


class ViewNotStored(LookupError):
    """The design keeps no diagram of the view asked for (e.g. an unknown context)."""


class DiagramNotStored(ViewNotStored):
    """The design was stored without any diagram."""


@dataclass(frozen=True)
class DiagramView:
    """One stored view of a design's diagram, and the other views the design keeps."""

    dot: str
    mode: str  # "" for a design that kept its default view only
    context: str  # "" for the tables of every context
    modes: tuple[str, ...]
    contexts: tuple[str, ...]
    tables: int | None
    opens_on: str = ""  # the context shown when none is asked for ("" for all tables)

    @property
    def engine(self) -> str:
        return engine_of(self.dot)

    @functools.cached_property
    def shown(self) -> tuple[int, int]:
        """The tables the view draws: in colour, and greyed (referred to from another
        context)."""
        return drawn_tables(self.dot)

    @property
    def too_many_for_all(self) -> str:
        """Why the view of all tables is not drawn, or "" when it is."""
        return too_many_to_draw(self.tables) if self.tables is not None else ""

    @property
    def too_many_to_draw(self) -> str:
        """Why Graphviz is not asked to draw this view, or "" when it is: past a few
        thousand tables it runs past its time limit, and one context at a time is drawn."""
        return too_many_to_draw(sum(self.shown))

    def key(self, format: str) -> str:
        return drawing_key(self.dot, format)

    def query(self) -> str:
        """The query string that asks for this view again: all tables of a design that opens
        on a context are asked for by an empty `context`."""
        asked = {"mode": self.mode, "context": self.context}
        explicit = {"context"} if self.opens_on else set()
        return urlencode(
            {name: value for name, value in asked.items() if value or name in explicit}
        )


def drawing_key(dot: str, format: str) -> str:
    """The key a drawing of `dot` in `format` is kept by: what Graphviz is given (a PNG's
    resolution included, so that one drawn at another is drawn again)."""
    drawn_as = f"{format}@{PNG_DPI}dpi" if format == "png" else format
    return hashlib.sha256(f"{drawn_as}\n{engine_of(dot)}\n{dot}".encode()).hexdigest()


def drawings_delete(*, project: Project) -> int:
    """Delete the drawings of every view of the project's designs; return how many.

    A drawing is kept by content, so one equal to a diagram of another project goes too;
    that diagram is drawn again when it is next shown.
    """
    dots = DesignFile.objects.filter(
        design__project=project, path__startswith="erd/", path__endswith=".dot"
    ).values_list("content", flat=True)
    keys = {drawing_key(dot, format) for dot in dots.iterator() for format in DRAWN}
    deleted, _ = RenderedDiagram.objects.filter(key__in=keys).delete()
    return deleted


def diagram_view(design: Design, *, mode: str | None, context: str | None) -> DiagramView:
    """The view of `design` in `mode` (default: the design's) of `context` ("" for all tables;
    None for the design's default: all tables, or its first context when it has more than
    OVERVIEW_MAX_TABLES), as the design stored it.

    Raises `ViewNotStored` for a view the design does not keep, `DiagramNotStored` when it
    keeps no diagram at all. A design stored before every view was kept has one view, which
    stands for every mode and context.
    """
    index = _text(design, VIEWS_INDEX)
    if index is None:
        return _default_view(design)
    stored = json.loads(index)
    modes = tuple(dict.fromkeys(view["mode"] for view in stored["views"]))
    chosen = mode if mode in modes else stored["default_mode"]
    contexts = tuple(stored["contexts"])
    opens_on = contexts[0] if contexts and stored["tables"] > OVERVIEW_MAX_TABLES else ""
    if context is None:
        context = opens_on
    wanted = (chosen, context or None)
    path = next((v["path"] for v in stored["views"] if (v["mode"], v["context"]) == wanted), None)
    dot = _text(design, path) if path else None
    if dot is None:
        known = ", ".join(stored["contexts"]) or "none"
        raise ViewNotStored(f"This design has no view of the context {context!r} (known: {known}).")
    return DiagramView(dot, chosen, context, modes, contexts, stored["tables"], opens_on)


def context_sizes(design: Design) -> dict[str, int]:
    """How many tables each context holds, as its drawings colour them: read from the smallest
    view of each context, for a design of thousands of tables whose tables the Diagram page
    does not read all of."""
    index = _text(design, VIEWS_INDEX)
    if index is None:
        return {}
    paths: dict[str, str] = {}
    for view in json.loads(index)["views"]:
        if view["context"] and (view["context"] not in paths or view["mode"] == "overview"):
            paths[view["context"]] = view["path"]
    dots = dict(design.files.filter(path__in=paths.values()).values_list("path", "content"))
    return {context: drawn_tables(dots[path])[0] for context, path in paths.items() if path in dots}


def drawn_nodes(dot: str) -> list[str]:
    """The ids of the tables a DOT text of `erd_dot` draws (`t<position>`)."""
    return re.findall(r"^\s*(t\d+) \[label=", dot, flags=re.MULTILINE)


def _default_view(design: Design) -> DiagramView:
    dot = _text(design, DEFAULT_VIEW)
    if dot is None:
        raise DiagramNotStored("This design was stored without a diagram.")
    return DiagramView(dot, mode="", context="", modes=(), contexts=(), tables=None)


def diagram_text(design: Design, view: DiagramView, format: str) -> str:
    """The diagram in a text format: the view's DOT, or the stored Mermaid, DBML or PlantUML
    of every table."""
    if format == "dot":
        return view.dot
    path = f"erd/erd.{TEXT[format][1]}"
    text = _text(design, path)
    if text is None:
        raise ViewNotStored(f"This design keeps no {path}.")
    return text


def _text(design: Design, path: str) -> str | None:
    return design.files.filter(path=path).values_list("content", flat=True).first()


def cached_drawing(view: DiagramView, format: str) -> RenderedDiagram | None:
    return RenderedDiagram.objects.filter(key=view.key(format)).first()


def draw(
    view: DiagramView, format: str, *, on_start: Callable[[RenderHandle], None] | None = None
) -> RenderedDiagram:
    """Draw the diagram with Graphviz unless it was drawn before, and keep the drawing."""
    return draw_formats(view, (format,), on_start=on_start)[format]


def draw_formats(
    view: DiagramView,
    formats: Sequence[str],
    *,
    on_start: Callable[[RenderHandle], None] | None = None,
) -> dict[str, RenderedDiagram]:
    """The drawings of the view in each format: the ones not drawn before are drawn from one
    Graphviz layout, and kept."""
    drawings = {format: cached_drawing(view, format) for format in formats}
    missing = [format for format, drawing in drawings.items() if drawing is None]
    if missing:
        started = time.perf_counter()
        contents = render_formats(
            view.dot,
            [cast(Format, format) for format in missing],
            engine=view.engine,
            timeout_s=RENDER_TIMEOUT_S,
            on_start=on_start,
        )
        seconds = time.perf_counter() - started
        for format, content in contents.items():
            drawings[format], _ = RenderedDiagram.objects.get_or_create(
                key=view.key(format),
                defaults={"format": format, "content": content, "seconds": seconds},
            )
    return {format: drawing for format, drawing in drawings.items() if drawing is not None}


def archive_view(design: Design) -> DiagramView | None:
    """The view a design's zip holds drawings of (its default mode, of all tables); None
    without a diagram, or with more tables than Graphviz draws in time."""
    try:
        view = diagram_view(design, mode=None, context="")
    except ViewNotStored:
        return None
    return None if view.too_many_for_all else view


def archive_drawings(design: Design) -> dict[str, bytes]:
    """The drawings of the design's default view in the zip's formats, as far as drawn."""
    view = archive_view(design)
    if view is None:
        return {}
    found = RenderedDiagram.objects.filter(key__in=[view.key(f) for f in ARCHIVED])
    by_key = {drawing.key: bytes(drawing.content) for drawing in found}
    return {f: by_key[view.key(f)] for f in ARCHIVED if view.key(f) in by_key}
