"""Every write the app makes goes through here: `<thing>_<action>(*, ...)`.

Views and commands call these; forms only validate. ORM objects stop here: what goes into the
engine in `advisor/` is converted in this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max

from advisor.engine import advise
from advisor.requirements import (
    Requirements,
    dump_yaml,
    parse_requirements,
    requirements_to_document,
)
from designs.models import Job, Project, RequirementsVersion


class ProjectNameTaken(Exception):
    """The owner already has a project of that name (compared without regard to case)."""


class NothingChanged(Exception):
    """The requirements are the same as the project's latest version."""

    def __init__(self, version: RequirementsVersion) -> None:
        super().__init__(f"no change since v{version.number}")
        self.version = version


def project_create(*, owner: AbstractBaseUser, name: str, description: str = "") -> Project:
    try:
        with transaction.atomic():
            return Project.objects.create(owner=owner, name=name, description=description)
    except IntegrityError as error:
        if Project.objects.filter(owner=owner, name__iexact=name).exists():
            raise ProjectNameTaken(name) from error
        raise


def project_update(*, project: Project, name: str, description: str) -> Project:
    project.name = name
    project.description = description
    try:
        with transaction.atomic():
            project.save(update_fields=["name", "description", "updated_at"])
    except IntegrityError as error:
        taken = Project.objects.filter(owner_id=project.owner_id, name__iexact=name)
        if taken.exclude(pk=project.pk).exists():
            raise ProjectNameTaken(name) from error
        raise
    return project


def project_delete(*, project: Project) -> None:
    project.delete()


def version_create(
    *,
    project: Project,
    document: dict[str, Any],
    created_by: AbstractBaseUser | None,
    note: str = "",
    attempts: int = 5,
) -> RequirementsVersion:
    """Store a new requirements version numbered after the project's last one.

    Two saves at the same moment race for the same number; the unique constraint decides and
    the loser takes the next number.
    """
    for attempt in range(attempts):
        last = project.versions.aggregate(last=Max("number"))["last"] or 0
        try:
            with transaction.atomic():
                version = RequirementsVersion.objects.create(
                    project=project,
                    number=last + 1,
                    document=document,
                    note=note,
                    created_by=created_by,
                )
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            continue
        Project.objects.filter(pk=project.pk).update(updated_at=version.created_at)
        return version
    raise AssertionError("unreachable")


def requirements_of(version: RequirementsVersion) -> Requirements:
    """The engine's model of a stored version (stored documents were validated on saving)."""
    return parse_requirements(version.document)


def version_yaml(version: RequirementsVersion) -> str:
    """A stored version as canonical YAML (the database may not keep the document's key order)."""
    return dump_yaml(requirements_to_document(requirements_of(version)))


def recommendation_for(
    requirements: Requirements, *, field_path: Callable[[str], str] = str
) -> dict[str, Any]:
    """The engine's recommendation as the page shows it: its JSON form, with a bar length for
    each alternative and, for each input a reason read, the form field that holds it."""
    data = advise(requirements).to_dict()
    top = max((alternative["score"] for alternative in data["alternatives"]), default=0) or 1
    for alternative in data["alternatives"]:
        alternative["bar"] = max(0, min(100, round(100 * alternative["score"] / top)))
    for reason in data["trace"]:
        reason["links"] = [
            {"path": path, "field": input_field(field_path(path))} for path in reason["inputs"]
        ]
    for component in data["components"]:
        component["links"] = [
            {"name": name, "field": input_field(field_path(path))}
            for name, path in zip(component["patterns"], component["inputs"], strict=False)
        ]
    return data


def input_field(path: str) -> str:
    """The input to point at for a document path: a row points at its name field.

    >>> input_field("access_patterns[3]"), input_field("workload"), input_field("workload.regions")
    ('access_patterns[3].name', 'workload.reads_per_second', 'workload.regions')
    """
    if path.endswith("]"):
        return f"{path}.name"
    return {"workload": "workload.reads_per_second", "team": "team.expertise"}.get(path, path)


def requirements_save(
    *,
    project: Project,
    document: dict[str, Any],
    created_by: AbstractBaseUser | None,
    note: str = "",
) -> RequirementsVersion:
    """Validate a requirements document and store it, canonical, as the project's next version.

    Raises `InvalidRequirements` (nothing is saved) or `NothingChanged` when it equals the
    latest version.
    """
    requirements = parse_requirements(document)
    latest = project.versions.order_by("-number").first()
    if latest is not None and requirements_of(latest) == requirements:
        raise NothingChanged(latest)
    return version_create(
        project=project,
        document=requirements_to_document(requirements),
        created_by=created_by,
        note=note,
    )


def job_start(*, project: Project, kind: str, created_by: AbstractBaseUser | None) -> Job:
    """Record a job and hand it to Celery once the row is committed."""
    from designs.tasks import job_run

    job = Job.objects.create(project=project, kind=kind, created_by=created_by)
    transaction.on_commit(lambda: job_run.delay(job.pk))
    return job
