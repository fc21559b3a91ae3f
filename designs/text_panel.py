"""The live panel of the YAML editor, incremental where typing mostly is.

Reading the whole text costs most of a panel update on a large document (about 0.1 s of YAML at
1,000 entities, then the checks). When only the workload or the team changed since a text whose
rest was read whole, the update reads those sections alone and puts them on the structure kept
from that read (`designs.panel`), as the form's posts of figures do: the same panel, a small
part of the work. Anything else (another section changed, a problem, a text that is not plainly
one key per top-level line) is read whole, which also says exactly where a problem is.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from advisor.errors import InvalidRequirements, UnreadableDocument
from advisor.requirements import load_document
from advisor.requirements.fields import MAX_DOCUMENT_BYTES
from designs.editor import NEEDS_AN_ENTITY, panel_context
from designs.panel import FIGURES, STRUCTURES, Recent, document_figures, on_figures
from designs.requirements_form import EditorState
from designs.services import recommendation_for

# The name load_document gives the text of the YAML editor in the places it reports.
TYPED = "typed"
# Workload and team sections longer than this are read with the whole text, which applies the
# document's limits to them.
FIGURES_MAX_CHARACTERS = 20_000
_TOP_LEVEL_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*:(?:[ \t]|\r?\n|$)")
# The key of the structure kept for the last texts read whole, by a hash of their rest.
_STRUCTURES_BY_REST: Recent[str] = Recent(32)


def read_typed(text: str) -> dict[str, Any]:
    """The document in the YAML editor's text, not yet validated; raises `UnreadableDocument`
    located at `line N, column M` (or at the document, for one too large or not a mapping)."""
    try:
        return load_document(text, source=TYPED)
    except UnreadableDocument as error:
        line_column = error.location.removeprefix(TYPED).lstrip(":").split(":")
        where = "line {}, column {}".format(*line_column) if len(line_column) == 2 else ""
        raise UnreadableDocument(error.message, location=where) from None


def text_panel_context(text: str) -> dict[str, Any]:
    """The panel for requirements typed as YAML or JSON: the recommendation, or the problems
    with where they are (the line and column of unreadable text, the path of an invalid field).
    """
    parts = figures_apart(text)
    if parts is not None and (found := _on_kept_structure(text, *parts)) is not None:
        return found | {"typed": True}
    try:
        document = read_typed(text)
    except UnreadableDocument as error:
        problems = [{"field": error.location, "message": error.message}]
        return {"problems": problems, "typed": True}
    context = panel_context(EditorState(document))
    if parts is not None and "structure" in context:
        _STRUCTURES_BY_REST.put(_digest(parts[1]), context["structure"])
    return context | {"typed": True}


def figures_apart(text: str) -> tuple[str, str] | None:
    """(the workload and team sections, the rest) of a block-style YAML text whose top-level
    lines each start a key; None for any other text (JSON, flow style, directives, anchors,
    quoted or repeated keys), which is read whole.

    >>> figures_apart("project: Shop\\nworkload:\\n  regions: 2\\nentities: []\\n")
    ('workload:\\n  regions: 2\\n', 'project: Shop\\nentities: []\\n')
    >>> figures_apart('{"project": "Shop"}') is None
    True
    """
    figures: list[str] = []
    rest: list[str] = []
    current, seen = rest, set()
    for line in text.splitlines(keepends=True):
        if line[0] in " \t\r\n#" or line.startswith(("- ", "-\n", "-\r\n")):
            current.append(line)  # within the section above (or a comment, or blank)
            continue
        if not _TOP_LEVEL_KEY.match(line):
            return None
        key = line[: line.index(":")]
        if key in seen:
            return None
        seen.add(key)
        current = figures if key in FIGURES else rest
        current.append(line)
    return "".join(figures), "".join(rest)


def _on_kept_structure(text: str, figures_text: str, rest: str) -> dict[str, Any] | None:
    """The panel of `text` from its figures alone, when its rest was read whole lately and
    nothing needs the whole text read; None otherwise."""
    key = _STRUCTURES_BY_REST.get(_digest(rest))
    structure = STRUCTURES.get(key) if key else None
    if structure is None or len(figures_text) > FIGURES_MAX_CHARACTERS:
        return None
    if len(text.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES:
        return None
    try:
        figures = load_document(figures_text) if figures_text.strip() else {}
        if not all(isinstance(section, dict) for section in figures.values()):
            return None
        found = on_figures(structure, figures)
    except (UnreadableDocument, InvalidRequirements):
        return None
    if found is None:
        return None
    requirements, state = found
    recommendations = structure.recommendations
    figures_key = document_figures(state)
    recommendation = recommendations.get(figures_key)
    if recommendation is None:
        recommendation = recommendation_for(requirements, field_path=state.field_path)
        recommendations.put(figures_key, recommendation)
    context: dict[str, Any] = {"recommendation": recommendation, "structure": structure.key}
    if not requirements.entities:
        context["needs"] = NEEDS_AN_ENTITY
    return context


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
