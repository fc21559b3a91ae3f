"""Background jobs handed to Celery: starting one, retrying one, and the task that runs it."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from kombu.exceptions import OperationalError

from designs.diagrams import DiagramView
from designs.jobs import job_execute, job_settle
from designs.models import Design, Job, Project, RequirementsVersion

logger = logging.getLogger(__name__)


class BackgroundUnavailable(Exception):
    """The broker could not be reached: the job was not started and no row of it is kept."""


@shared_task(name="designs.job_run", bind=True)
def job_run(self: Task, job_id: int) -> str:
    """Run the job with this id; returns its final status ("succeeded" or "failed")."""
    time_limit, soft_time_limit = self.request.timelimit or (None, None)
    return job_execute(job_id, time_limit=time_limit, soft_time_limit=soft_time_limit)


def job_start(
    *,
    project: Project,
    kind: str,
    created_by: AbstractBaseUser | None,
    version: RequirementsVersion | None = None,
    params: dict[str, Any] | None = None,
    key: str = "",
) -> Job:
    """Record a job and hand it to Celery once the row is committed.

    With a `key`, a job of the project with that key still under way is returned instead of a
    new one (a failed one never is). Raises `BackgroundUnavailable` when the broker cannot be
    reached, after deleting the row, so that nothing waits for a job no worker will run.
    """
    if key and (active := _active_job(project, key)) is not None:
        return active
    try:
        with transaction.atomic():
            job = Job.objects.create(
                project=project,
                kind=kind,
                version=version,
                params=params or {},
                key=key,
                created_by=created_by,
            )
    except IntegrityError:
        # Another request started the same work a moment ago: share it.
        active = _active_job(project, key) if key else None
        if active is None:
            raise
        return active
    transaction.on_commit(lambda: _publish(job.pk), robust=False)
    return job


def job_retry(*, job: Job, created_by: AbstractBaseUser | None) -> Job:
    """A new job doing what the failed `job` set out to do; any other job is returned as is."""
    if job.status != Job.Status.FAILED:
        return job
    params = {name: value for name, value in job.params.items() if name != "pgid"}
    return job_start(
        project=job.project,
        kind=job.kind,
        version=job.version,
        params=params,
        key=job.key,
        created_by=created_by,
    )


def _active_job(project: Project, key: str) -> Job | None:
    for job in Job.objects.filter(project=project, key=key, status__in=Job.ACTIVE).defer("output"):
        if not job_settle(job).is_finished:
            return job
    return None


def _publish(job_id: int) -> None:
    try:
        # The outcome is written on the job's row: nothing waits on Celery's result backend.
        job_run.apply_async(
            (job_id,),
            ignore_result=True,
            time_limit=settings.CELERY_TASK_TIME_LIMIT,
            soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
        )
    except OperationalError as error:
        Job.objects.filter(pk=job_id).delete()
        logger.warning("job %s not started, the broker is unreachable: %s", job_id, error)
        raise BackgroundUnavailable(
            "The background service is unavailable; nothing was started. Try again in a moment."
        ) from error


def design_job_start(*, version: RequirementsVersion, created_by: AbstractBaseUser | None) -> Job:
    """The job designing `version`: one under way (two clicks, a page and the API share it),
    or a new one. Raises `BackgroundUnavailable` when the broker cannot be reached."""
    return job_start(
        project=version.project,
        kind="design",
        version=version,
        created_by=created_by,
        key=f"design:v{version.number}",
    )


def archive_job_start(*, design: Design, created_by: AbstractBaseUser | None) -> Job:
    """The job writing `design`'s zip: one under way, or a new one. Raises
    `BackgroundUnavailable` when the broker cannot be reached."""
    return job_start(
        project=design.project,
        kind="archive",
        created_by=created_by,
        params={"design": design.number},
        key=archive_key(design),
    )


def archive_key(design: Design) -> str:
    return f"archive:{design.number}"


def diagram_job_start(
    *,
    design: Design,
    view: DiagramView,
    created_by: AbstractBaseUser | None,
    format: str = "",
    formats: tuple[str, ...] = (),
    url: str = "",
    label: str = "",
) -> Job:
    """The job drawing this view of `design` in `format` (or in each of `formats`, from one
    layout): the latest one unless it succeeded (a failed drawing stays failed, with its
    message, until someone asks to retry it), or a new one. `url` and `label`: the link the
    job page offers once done (default: the drawing). Raises `BackgroundUnavailable` when the
    broker cannot be reached."""
    wanted = formats or (format,)
    key = view.key(wanted[0]) if len(wanted) == 1 else view.key("+".join(wanted))
    latest = Job.objects.filter(project=design.project, kind="diagram", key=key).defer("output")
    found = latest.first()
    if found is not None and found.status != Job.Status.SUCCEEDED:
        return job_settle(found)
    drawing_url = reverse(
        "design_diagram_file",
        kwargs={"project_id": design.project_id, "design": design.number, "format": wanted[0]},
    )
    params = {
        "design": design.number,
        "mode": view.mode,
        "context": view.context,
        "format": wanted[0],
        "formats": list(wanted),
        "key": key,
        "url": url or f"{drawing_url}?{view.query()}",
        "label": label,
    }
    return job_start(
        project=design.project, kind="diagram", created_by=created_by, params=params, key=key
    )
