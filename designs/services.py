"""Every write the app makes goes through here: `<thing>_<action>(*, ...)`.

Views and commands call these; forms only validate. ORM objects stop here: what goes into the
engine in `advisor/` is converted in this module.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max

from designs.models import Job, Project, RequirementsVersion


class ProjectNameTaken(Exception):
    """The owner already has a project of that name (compared without regard to case)."""


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


def job_start(*, project: Project, kind: str, created_by: AbstractBaseUser | None) -> Job:
    """Record a job and hand it to Celery once the row is committed."""
    from designs.tasks import job_run

    job = Job.objects.create(project=project, kind=kind, created_by=created_by)
    transaction.on_commit(lambda: job_run.delay(job.pk))
    return job
