"""Background jobs handed to Celery: starting one, and the task that runs it."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from designs.jobs import job_execute
from designs.models import Job, Project, RequirementsVersion


@shared_task(name="designs.job_run")
def job_run(job_id: int) -> str:
    """Run the job with this id; returns its final status ("succeeded" or "failed")."""
    return job_execute(job_id)


def job_start(
    *,
    project: Project,
    kind: str,
    created_by: AbstractBaseUser | None,
    version: RequirementsVersion | None = None,
    params: dict[str, Any] | None = None,
) -> Job:
    """Record a job and hand it to Celery once the row is committed."""
    job = Job.objects.create(
        project=project, kind=kind, version=version, params=params or {}, created_by=created_by
    )
    transaction.on_commit(lambda: job_run.delay(job.pk))
    return job
