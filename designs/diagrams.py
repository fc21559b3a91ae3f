"""ERD diagrams of a design: the DOT source, drawings cached by content hash, text formats."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from advisor.erd import (
    MODES,
    Erd,
    default_mode,
    engine_of,
    erd_dbml,
    erd_dot,
    erd_mermaid,
    erd_model,
    erd_plantuml,
    render,
)
from advisor.erd.render import RenderHandle
from advisor.schema import build_schema
from designs import services
from designs.models import Design, RenderedDiagram

DRAWN = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}
TEXT = {
    "dot": ("text/vnd.graphviz", "dot"),
    "mermaid": ("text/plain", "mmd"),
    "dbml": ("text/plain", "dbml"),
    "plantuml": ("text/plain", "puml"),
}
FORMATS = (*DRAWN, *TEXT)
RENDER_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class DiagramView:
    """What one diagram shows: its mode and contexts, and the DOT that draws it."""

    erd: Erd
    mode: str
    contexts: frozenset[str]
    dot: str

    @property
    def engine(self) -> str:
        return engine_of(self.dot)

    def key(self, format: str) -> str:
        source = f"{format}\n{self.engine}\n{self.dot}".encode()
        return hashlib.sha256(source).hexdigest()

    def query(self) -> str:
        contexts = "".join(f"&context={name}" for name in sorted(self.contexts))
        return f"mode={self.mode}{contexts}"


def diagram_view(design: Design, *, mode: str | None, contexts: list[str]) -> DiagramView:
    """The diagram of `design` in `mode` (default: chosen by size), limited to `contexts`.

    Raises `AdvisorError` (`DiagramError`) for an unknown context.
    """
    requirements = services.requirements_of(design.version)
    keys = design.recommendation.get("keys", {})
    schema = build_schema(
        requirements,
        "postgresql",
        key_strategy=keys.get("strategy", "bigint_identity"),
        key_reason=keys.get("reason"),
    )
    erd = erd_model(schema, requirements)
    chosen = mode if mode in MODES else default_mode(len(erd.tables))
    wanted = frozenset(name for name in contexts if name)
    dot = erd_dot(erd, mode=chosen, contexts=wanted or None)
    return DiagramView(erd, chosen, wanted, dot)


def diagram_text(view: DiagramView, format: str) -> str:
    if format == "dot":
        return view.dot
    writer = {"mermaid": erd_mermaid, "dbml": erd_dbml, "plantuml": erd_plantuml}[format]
    return writer(view.erd)


def cached_drawing(view: DiagramView, format: str) -> RenderedDiagram | None:
    return RenderedDiagram.objects.filter(key=view.key(format)).first()


def draw(
    view: DiagramView, format: str, *, on_start: Callable[[RenderHandle], None] | None = None
) -> RenderedDiagram:
    """Draw the diagram with Graphviz unless it was drawn before, and keep the drawing."""
    cached = cached_drawing(view, format)
    if cached is not None:
        return cached
    started = time.perf_counter()
    content = render(
        view.dot,
        format=format,
        engine=view.engine,
        timeout_s=RENDER_TIMEOUT_S,
        on_start=on_start,
    )
    drawing, _ = RenderedDiagram.objects.get_or_create(
        key=view.key(format),
        defaults={
            "format": format,
            "content": content,
            "seconds": time.perf_counter() - started,
        },
    )
    return drawing
