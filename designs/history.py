"""A project's history: its requirement versions and decision records in the order they came,
each version with what it changed and each record with the changes that caused it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from advisor.requirements import Requirements, diff_requirements
from designs import services
from designs.models import RECORD_NEIGHBOURS_BULK, Decision, Project, RequirementsVersion
from designs.wording import human_value

CHANGES_SHOWN = 5


@dataclass
class HistoryEvent:
    at: datetime
    version: RequirementsVersion | None = None
    record: Decision | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    more: int = 0  # changes not shown


def project_history(project: Project) -> list[HistoryEvent]:
    """Versions and records interleaved by time, the oldest first: "v2: workload.reads_per_second
    3,000 → 30,000", then "0008 supersedes 0001", read from what was stored."""
    # A document is read only when a later version is compared with it.
    versions = list(project.versions.order_by("number").defer("document"))
    by_pk = {version.pk: version for version in versions}
    parsed: dict[int, Requirements] = {}

    def requirements(version: RequirementsVersion) -> Requirements:
        if version.pk not in parsed:
            parsed[version.pk] = services.requirements_of(by_pk.get(version.pk, version))
        return parsed[version.pk]

    events = []
    for previous, version in zip([None, *versions], versions, strict=False):
        changes = (
            [
                human_change(change.path, change.old, change.new)
                for change in diff_requirements(requirements(previous), requirements(version))
            ]
            if previous is not None
            else []
        )
        events.append(
            HistoryEvent(
                version.created_at,
                version=version,
                changes=changes[:CHANGES_SHOWN],
                more=max(0, len(changes) - CHANGES_SHOWN),
            )
        )
    records = (
        project.decisions.select_related("supersedes__version", "version", "amends", "design")
        .defer(*RECORD_NEIGHBOURS_BULK, "supersedes__version__document")
        .defer("content")
    )
    for record in records.order_by("number"):
        caused = []
        if record.supersedes is not None:
            changes = requirement_changes(record.supersedes, record, parse=requirements)
            caused = [change for change in changes if change["read"]]
        events.append(HistoryEvent(record.created_at, record=record, changes=caused))
    return sorted(events, key=lambda event: event.at)


def requirement_changes(
    old: Decision,
    new: Decision,
    *,
    parse: Callable[[RequirementsVersion], Requirements] = services.requirements_of,
) -> list[dict[str, Any]]:
    """Which inputs changed between the versions the two records were decided from, each marked
    when either record read it, a part of it or a whole that holds it (a changed list
    `team.expertise` was read as `team.expertise[0]`)."""
    if old.version is None or new.version is None:
        return []
    read = _inputs(old) | _inputs(new)
    changes = diff_requirements(parse(old.version), parse(new.version))
    return [
        {
            **human_change(change.path, change.old, change.new),
            "read": any(_within(change.path, path) or _within(path, change.path) for path in read),
        }
        for change in changes
    ]


def human_change(path: str, old: Any, new: Any) -> dict[str, Any]:
    return {"path": path, "old": human_value(old, path), "new": human_value(new, path)}


def _inputs(record: Decision) -> set[str]:
    return set(record.content.get("inputs") or [])


def _within(path: str, outer: str) -> bool:
    """`path` is `outer` or inside it: `team.expertise[0]` is within `team.expertise`."""
    return path == outer or path.startswith((outer + ".", outer + "["))
