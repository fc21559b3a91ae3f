"""The live recommendation panel, incremental: while a person changes workload or team figures,
the editor posts only those, and the entities, relationships and patterns parsed when the full
form was last posted are reused from a cache in this process.

The structure (everything but the workload and the team) is keyed by a hash of it, which the
panel hands the page; a post of the workload names that key. A key this process does not hold
(another process, evicted, restarted) gives `None`: the page then posts the full form. With each
structure, the panels last rendered on it are kept by the figures posted: a person who types a
figure back, or turns a choice to and fro, gets the same panel without the engine.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.http import QueryDict

from advisor.requirements import Requirements, parse_requirements
from designs.requirements_form import EditorState, form_to_document

FIGURES = ("workload", "team")  # the sections a workload post carries
FIGURE_PREFIXES = tuple(f"{section}." for section in FIGURES)
PANELS_KEPT = 16  # per structure; the structures kept bound them all
RECOMMENDATIONS_KEPT = 4
V = TypeVar("V")


class Recent(Generic[V]):
    """The last few values kept by key (the least recently used dropped), across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass(frozen=True)
class Structure:
    """A valid document's requirements, for its structure, and the form's row numbering; with
    what was made of it: the recommendations of the last few workloads and teams of whole
    documents (by `document_figures`) and the panels of the last figure posts (by
    `figures_key`). They go with the structure when it is dropped."""

    key: str
    requirements: Requirements
    renumbered: Mapping[str, str]
    recommendations: Recent[dict[str, Any]] = field(
        default_factory=lambda: Recent(RECOMMENDATIONS_KEPT), compare=False, repr=False
    )
    panels: Recent[str] = field(
        default_factory=lambda: Recent(PANELS_KEPT), compare=False, repr=False
    )


class StructureCache:
    """The last few structures parsed in this process, by key (least recently used dropped)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[str, Structure] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Structure | None:
        with self._lock:
            structure = self._items.get(key)
            if structure is None:
                self.misses += 1
                return None
            self.hits += 1
            self._items.move_to_end(key)
            return structure

    def keep(self, structure: Structure) -> Structure:
        """Keep `structure`, or the one kept under its key already (with what was made of it)."""
        with self._lock:
            kept = self._items.setdefault(structure.key, structure)
            self._items.move_to_end(structure.key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return kept


STRUCTURES = StructureCache(size=32)


def structure_key(state: EditorState) -> str:
    """A hash of the document as read from the form, without its workload and team, and of
    the form's row numbering (which the panel's links point at)."""
    part = {name: value for name, value in state.document.items() if name not in FIGURES}
    text = json.dumps([part, state.renumbered], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def structure_keep(state: EditorState, requirements: Requirements) -> Structure:
    """Keep the structure of a document that parsed as `requirements`."""
    return STRUCTURES.keep(Structure(structure_key(state), requirements, dict(state.renumbered)))


def document_figures(state: EditorState) -> str:
    """The workload and team of a whole document read from the form, as a key of the
    recommendations of its structure."""
    figures = [state.document.get(name) for name in FIGURES]
    return json.dumps(figures, sort_keys=True, ensure_ascii=False, default=str)


def figures_key(data: QueryDict) -> str:
    """What a post says of the workload and the team, as a key of the panels of a structure."""
    figures = sorted(
        (name, values) for name, values in data.lists() if name.startswith(FIGURE_PREFIXES)
    )
    return hashlib.sha256(json.dumps(figures, ensure_ascii=False).encode()).hexdigest()[:32]


def with_figures(key: str, data: Mapping[str, Any]) -> tuple[Requirements, EditorState] | None:
    """The requirements of the structure kept under `key` with the workload and team figures
    posted in `data`, and the form's state (for placing problems and links); raises
    `InvalidRequirements` for figures a full parse would refuse. None when the structure is not
    here, or when a full parse could place a problem on an entity (tenancy turned off while an
    entity holds the tenants): the page posts the full form then.
    """
    structure = STRUCTURES.get(key) if key else None
    return None if structure is None else on_structure(structure, data)


def on_structure(
    structure: Structure, data: Mapping[str, Any]
) -> tuple[Requirements, EditorState] | None:
    """`with_figures` on a structure already found."""
    figures = {
        name: value for name, value in form_to_document(data).document.items() if name in FIGURES
    }
    return on_figures(structure, figures)


def on_figures(
    structure: Structure, figures: Mapping[str, Any]
) -> tuple[Requirements, EditorState] | None:
    """The requirements of `structure` with the workload and team sections in `figures` (as a
    document holds them), and the state for placing links; raises `InvalidRequirements` for
    figures a full parse would refuse; None when a full parse could place a problem on an
    entity (see `with_figures`)."""
    kept = structure.requirements
    tenant = next((entity.name for entity in kept.entities if entity.tenant), None)
    tenancy = figures.get("workload", {}).get("tenancy", "none")
    if tenant is not None and tenancy == "none":
        return None
    # The workload is checked against the entities only for tenancy: a stand-in for the
    # tenants' entity gives the same answer as the whole document.
    probe = {"format": "advisor/v1", "project": kept.project, **figures}
    if tenant is not None:
        probe["entities"] = [{"name": tenant, "tenant": True}]
    parsed = parse_requirements(probe)
    requirements = dataclasses.replace(kept, workload=parsed.workload, team=parsed.team)
    return requirements, EditorState(dict(figures), renumbered=dict(structure.renumbered))
