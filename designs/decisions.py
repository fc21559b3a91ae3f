"""The decision log: recording a design's decisions, superseding, and the records' Markdown."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from advisor.decisions import Decision as AdvisorDecision
from advisor.decisions import Option, decision_log_index, filename, render_madr
from designs.highlight import highlight
from designs.models import Decision, Design, DesignFile, Project
from designs.services import create_numbered


def decisions_record(
    *,
    design: Design,
    decisions: Sequence[AdvisorDecision],
    created_by: AbstractBaseUser | None,
) -> list[Decision]:
    """Record what a new design decided, the way an architect keeps a decision log.

    A decision seen for the first time is recorded as accepted. One that says anything other than
    the accepted record for the same question (its outcome, or any fact it states: the store it
    is about, a column, a figure, the data migration from the previous store) supersedes it.
    One that says the same, or the same without the migration the accepted one gave (the
    migration belongs to the design that changed the store), records nothing. An
    accepted generated record whose question this design no longer decides (a component
    dropped) is deprecated. Returns the records created.
    """
    project = design.project
    created = []
    with transaction.atomic():
        current = _accepted_by_key(project)
        for decision in decisions:
            old = current.pop(decision.key, None)
            if old is not None and decision.restates(_stored(old)):
                continue
            record = create_numbered(
                Decision,
                project=project,
                key=decision.key,
                title=decision.title[:300],
                status=Decision.Status.ACCEPTED,
                outcome=decision.outcome[:1000],
                content=decision_content(decision),
                design=design,
                version=design.version,
                supersedes=old,
                created_by=created_by,
                decided_on=timezone.localdate(),
            )
            if old is not None:
                _set_status(old, Decision.Status.SUPERSEDED)
            created.append(record)
        for old in current.values():
            if old.design_id is not None:
                old.retired_by = design
                _set_status(old, Decision.Status.DEPRECATED, also=("retired_by",))
    return created


def decision_files_renumber(*, design: Design, decisions: Sequence[AdvisorDecision]) -> None:
    """Give the design's record files the project's numbers: `decisions/0012-slug.md` holds
    record 0012 of the log as the log renders it, wherever the engine numbered it from 1.

    Call it once the decisions are recorded: each then has its accepted record, new or kept.
    """
    current = _accepted_by_key(design.project)
    files = design.files.filter(path__startswith="decisions/").order_by("id")
    for item, decision in zip(files, decisions, strict=True):
        record = current[decision.key]
        item.path = f"decisions/{record_filename(record)}"
        item.content = record_markdown(record)
        item.highlighted = highlight(item.path, item.content)
        item.save(update_fields=["path", "content", "highlighted"])


def decision_propose(
    *,
    project: Project,
    content: dict[str, Any],
    created_by: AbstractBaseUser | None,
    amends: Decision | None = None,
) -> Decision:
    """A record written by a person: proposed, and editable until accepted or rejected."""
    return create_numbered(
        Decision,
        project=project,
        title=content["title"][:300],
        status=Decision.Status.PROPOSED,
        outcome=content.get("outcome", "")[:1000],
        content=content,
        amends=amends,
        created_by=created_by,
        decided_on=timezone.localdate(),
    )


class NotEditable(Exception):
    """Only proposed records change; an accepted one is replaced by a new record."""


def decision_update(*, record: Decision, content: dict[str, Any]) -> Decision:
    if not record.is_editable:
        raise NotEditable(f"record {record.number:04d} is {record.status}")
    record.title = content["title"][:300]
    record.outcome = content.get("outcome", "")[:1000]
    record.content = content
    record.decided_on = timezone.localdate()
    record.save(update_fields=["title", "outcome", "content", "decided_on"])
    return record


# The status changes a person may make, from each status.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Decision.Status.PROPOSED: (Decision.Status.ACCEPTED, Decision.Status.REJECTED),
    Decision.Status.ACCEPTED: (Decision.Status.DEPRECATED,),
}


def decision_set_status(*, record: Decision, status: str) -> Decision:
    if status not in TRANSITIONS.get(record.status, ()):
        raise NotEditable(f"record {record.number:04d} cannot go from {record.status} to {status}")
    _set_status(record, status)
    return record


def _set_status(record: Decision, status: str, also: tuple[str, ...] = ()) -> None:
    record.status = status
    record.status_changed_at = timezone.now()
    record.save(update_fields=["status", "status_changed_at", *also])


def _accepted_by_key(project: Project) -> dict[str, Decision]:
    records = project.decisions.filter(status=Decision.Status.ACCEPTED).exclude(key="")
    return {record.key: record for record in records.order_by("number")}


def _stored(record: Decision) -> AdvisorDecision:
    """A generated record as the engine made it, from its content (which keeps the title and
    outcome whole)."""
    content = record.content
    decision = advisor_decision(record)
    whole = {
        "title": content.get("title", record.title),
        "outcome": content.get("outcome", record.outcome),
    }
    return dataclasses.replace(decision, **whole)


def decision_content(decision: AdvisorDecision) -> dict[str, Any]:
    return dataclasses.asdict(decision)


def advisor_decision(record: Decision) -> AdvisorDecision:
    """The engine's form of a stored record, for rendering it."""
    content = dict(record.content)
    fields = {field.name for field in dataclasses.fields(AdvisorDecision)}
    values: dict[str, Any] = {name: content.get(name) for name in fields}
    values["key"] = record.key
    values["title"] = record.title
    values["outcome"] = record.outcome
    values["options"] = tuple(Option(**option) for option in content.get("options") or ())
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = tuple(value)
        elif value is None:
            values[name] = () if name not in {"context"} else ""
    return AdvisorDecision(**values)


def record_markdown(record: Decision) -> str:
    """The record as MADR 4 Markdown, with its links to the records around it."""
    return render_madr(
        advisor_decision(record),
        number=record.number,
        status=record.status,
        date=record.decided_on,
        supersedes=_links([record.supersedes]),
        superseded_by=_links(record.superseded_by.all()),
        amends=_links([record.amends]),
    )


def _links(records: Any) -> tuple[tuple[int, str], ...]:
    return tuple((item.number, item.title) for item in records if item is not None)


def record_filename(record: Decision) -> str:
    return filename(record.number, record.title)


def design_records(design: Design) -> list[tuple[DesignFile, Decision | None]]:
    """The design's record files in the order it wrote them, each with the project's record
    it holds (None for a file no record is named after, as in designs stored before records
    took the project's numbers)."""
    files = list(design.files.filter(path__startswith="decisions/").order_by("id"))
    numbers = [_leading_number(item.path) for item in files]
    records = design.project.decisions.filter(number__in=[n for n in numbers if n is not None])
    by_name = {f"decisions/{record_filename(record)}": record for record in records}
    return [(item, by_name.get(item.path)) for item in files]


def _leading_number(path: str) -> int | None:
    digits = path.removeprefix("decisions/").partition("-")[0]
    return int(digits) if digits.isascii() and digits.isdigit() else None


def decisions_zip(project: Project) -> bytes:
    """Every record as `docs/decisions/NNNN-slug.md`, with the log's `README.md`."""
    records = list(project.decisions.order_by("number"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for record in records:
            archive.writestr(f"docs/decisions/{record_filename(record)}", record_markdown(record))
        index = decision_log_index(
            [(record.number, record.title, record.status, record.decided_on) for record in records]
        )
        archive.writestr("docs/decisions/README.md", index)
    return buffer.getvalue()


def chain(record: Decision) -> list[Decision]:
    """The records that decided the same question in turn: 0003 -> 0007 -> 0012."""
    earlier = []
    step = record.supersedes
    while step is not None:
        earlier.append(step)
        step = step.supersedes
    later = []
    step = record.superseded_by.first()
    while step is not None:
        later.append(step)
        step = step.superseded_by.first()
    return [*reversed(earlier), record, *later]
