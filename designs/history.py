"""A project's history: its requirement versions and decision records in the order they came,
each version with what it changed and each record with the changes that caused it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import F

from advisor.requirements import Change, diff_requirements, parse_requirements
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
    # A document is read only when a later version is compared with it, and not again.
    versions = list(project.versions.order_by("number").defer("document"))
    events = []
    for previous, version in zip([None, *versions], versions, strict=False):
        changes = (
            [
                human_change(change.path, change.old, change.new)
                for change in version_diff(previous, version)
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
    # Of a record's sections, only the inputs it read (which mark the changes it caused).
    records = (
        project.decisions.select_related("supersedes__version", "version", "amends", "design")
        .defer(*RECORD_NEIGHBOURS_BULK, "supersedes__version__document")
        .defer("content")
        .annotate(read=F("content__inputs"), superseded_read=F("supersedes__content__inputs"))
    )
    for record in records.order_by("number"):
        caused = []
        if record.supersedes is not None and record.version is not None:
            old = record.supersedes.version
            if old is not None:
                read = set(record.read or []) | set(record.superseded_read or [])
                caused = [
                    change
                    for change in marked_changes(version_diff(old, record.version), read)
                    if change["read"]
                ]
        events.append(HistoryEvent(record.created_at, record=record, changes=caused))
    return sorted(events, key=lambda event: event.at)


def requirement_changes(old: Decision, new: Decision) -> list[dict[str, Any]]:
    """Which inputs changed between the versions the two records were decided from, each marked
    when either record read it, a part of it or a whole that holds it (a changed list
    `team.expertise` was read as `team.expertise[0]`)."""
    if old.version is None or new.version is None:
        return []
    return marked_changes(version_diff(old.version, new.version), _inputs(old) | _inputs(new))


def marked_changes(changes: tuple[Change, ...], read: set[str]) -> list[dict[str, Any]]:
    return [
        {
            **human_change(change.path, change.old, change.new),
            "read": any(_within(change.path, path) or _within(path, change.path) for path in read),
        }
        for change in changes
    ]


# A version never changes once saved (a change is a new version), so what differs between two
# is kept in this process, by their ids and the moments they were saved (an id alone comes back
# when a test's transaction is rolled back). Diffs of many changes are not kept: a rewrite of a
# large document differs in thousands of paths, read rarely.
DIFFS_KEPT = 256
DIFF_KEPT_CHANGES = 500
_diffs: OrderedDict[tuple[Any, ...], tuple[Change, ...]] = OrderedDict()
_diffs_lock = threading.Lock()


def version_diff(old: RequirementsVersion, new: RequirementsVersion) -> tuple[Change, ...]:
    """What changed from version `old` to version `new` (`diff_requirements`)."""
    key = (old.pk, old.created_at, new.pk, new.created_at)
    with _diffs_lock:
        if (kept := _diffs.get(key)) is not None:
            _diffs.move_to_end(key)
            return kept
    documents = dict(
        RequirementsVersion.objects.filter(pk__in=[old.pk, new.pk]).values_list("pk", "document")
    )
    changes = diff_requirements(
        parse_requirements(documents[old.pk]), parse_requirements(documents[new.pk])
    )
    if len(changes) <= DIFF_KEPT_CHANGES:
        with _diffs_lock:
            _diffs[key] = changes
            while len(_diffs) > DIFFS_KEPT:
                _diffs.popitem(last=False)
    return changes


def human_change(path: str, old: Any, new: Any) -> dict[str, Any]:
    return {"path": path, "old": human_value(old, path), "new": human_value(new, path)}


def _inputs(record: Decision) -> set[str]:
    return set(record.content.get("inputs") or [])


def _within(path: str, outer: str) -> bool:
    """`path` is `outer` or inside it: `team.expertise[0]` is within `team.expertise`."""
    return path == outer or path.startswith((outer + ".", outer + "["))
