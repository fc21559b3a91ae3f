"""What changed between two versions of the requirements, input by input."""

from __future__ import annotations

import dataclasses
from typing import Any

from advisor.requirements.document import requirements_to_document
from advisor.requirements.model import Requirements, Team, Workload


@dataclasses.dataclass(frozen=True)
class Change:
    """One input that differs: its path in the document and both values (None: absent)."""

    path: str
    old: Any
    new: Any


def diff_requirements(old: Requirements, new: Requirements) -> tuple[Change, ...]:
    """Every input that differs between `old` and `new`, by document path.

    Workload and team compare with their defaults filled in; list items compare by position.

    >>> from advisor.requirements.model import Requirements, Workload
    >>> diff_requirements(Requirements("Shop"), Requirements("Shop", workload=Workload(regions=3)))
    (Change(path='workload.regions', old=1, new=3),)
    """
    before = _flatten(_full_document(old), "")
    after = _flatten(_full_document(new), "")
    return tuple(
        Change(path, before.get(path), after.get(path))
        for path in dict.fromkeys([*before, *after])
        if before.get(path) != after.get(path)
    )


def _full_document(requirements: Requirements) -> dict[str, Any]:
    document = requirements_to_document(requirements)
    for key, item in (("workload", requirements.workload), ("team", requirements.team)):
        assert isinstance(item, Workload | Team)
        document[key] = {
            field.name: getattr(item, field.name) for field in dataclasses.fields(item)
        }
    return document


def _flatten(value: Any, path: str) -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{path}.{key}" if path else key))
        return flat
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        flat = {}
        for index, item in enumerate(value):
            flat.update(_flatten(item, f"{path}[{index}]"))
        return flat
    return {path: tuple(value) if isinstance(value, list) else value}
