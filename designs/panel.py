"""The live recommendation panel, incremental: while a person changes workload or team figures,
the editor posts only those, and the entities, relationships and patterns parsed when the full
form was last posted are reused from a cache in this process.

The structure (everything but the workload and the team) is keyed by a hash of it, which the
panel hands the page; a post of the workload names that key. A key this process does not hold
(another process, evicted, restarted) gives `None`: the page then posts the full form.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.requirements import Requirements, parse_requirements
from designs.requirements_form import EditorState, form_to_document

FIGURES = ("workload", "team")  # the sections a workload post carries


@dataclass(frozen=True)
class Structure:
    """A valid document's requirements, for its structure, and the form's row numbering."""

    requirements: Requirements
    renumbered: Mapping[str, str]


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

    def put(self, key: str, structure: Structure) -> None:
        with self._lock:
            self._items[key] = structure
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


STRUCTURES = StructureCache(size=32)


def structure_key(state: EditorState) -> str:
    """A hash of the document as read from the form, without its workload and team, and of
    the form's row numbering (which the panel's links point at)."""
    part = {name: value for name, value in state.document.items() if name not in FIGURES}
    text = json.dumps([part, state.renumbered], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def structure_keep(state: EditorState, requirements: Requirements) -> str:
    """Keep the structure of a document that parsed as `requirements`; returns its key."""
    key = structure_key(state)
    STRUCTURES.put(key, Structure(requirements, dict(state.renumbered)))
    return key


def with_figures(key: str, data: Mapping[str, Any]) -> tuple[Requirements, EditorState] | None:
    """The requirements of the structure kept under `key` with the workload and team figures
    posted in `data`, and the form's state (for placing problems and links); raises
    `InvalidRequirements` for figures a full parse would refuse. None when the structure is not
    here, or when a full parse could place a problem on an entity (tenancy turned off while an
    entity holds the tenants): the page posts the full form then.
    """
    structure = STRUCTURES.get(key) if key else None
    if structure is None:
        return None
    figures = {
        name: value for name, value in form_to_document(data).document.items() if name in FIGURES
    }
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
