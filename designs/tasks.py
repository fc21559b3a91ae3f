"""Background jobs handed to Celery: starting one, and the task that runs it."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse

from designs.diagrams import DiagramView
from designs.jobs import job_execute
from designs.models import Design, Job, Project, RequirementsVersion


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


def diagram_job_start(
    *, design: Design, view: DiagramView, format: str, created_by: AbstractBaseUser | None
) -> Job:
    """The job drawing this view of `design` in `format`: one already under way, or a new one."""
    params = {
        "design": design.number,
        "mode": view.mode,
        "context": view.context,
        "format": format,
        "key": view.key(format),
        "url": reverse(
            "design_diagram_file",
            kwargs={"project_id": design.project_id, "design": design.number, "format": format},
        )
        + f"?{view.query()}",
    }
    running = Job.objects.filter(
        project=design.project,
        kind="diagram",
        params__key=params["key"],
        status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
    ).first()
    if running is not None:
        return running
    return job_start(project=design.project, kind="diagram", created_by=created_by, params=params)
