"""What each kind of background job does, and the bookkeeping around running one."""

from __future__ import annotations

import io
import logging
import os
import signal
import socket
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.text import slugify

from advisor.erd import RenderHandle
from advisor.errors import AdvisorError
from designs import services
from designs.diagrams import ARCHIVED, archive_drawings, archive_view, diagram_view, draw_formats
from designs.generation import DESIGN_STAGES, design_generate
from designs.models import Design, Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobOutput:
    message: str
    content: bytes = b""
    filename: str = ""
    content_type: str = ""
    design: Design | None = None


class Progress:
    """How a running job tells its page how far it is, written on its row with a heartbeat.

    Each call is one UPDATE: a handler reports between steps (a stage, a file), never per item.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id

    def __call__(self, percent: int, message: str) -> None:
        self._write(progress=min(percent, 100), message=message)

    def stages(self, names: Sequence[str]) -> Callable[[str, float], None]:
        """A reporter for a job done in the stages `names`: `report(stage, done)` records the
        stage, its number, and the share of the whole job done (`done` of that stage)."""

        def report(stage: str, done: float) -> None:
            number, count = names.index(stage) + 1, len(names)
            self._write(
                stage=stage,
                stage_number=number,
                stage_count=count,
                progress=min(int(100 * (number - 1 + done) / count), 100),
                message=f"Stage {number} of {count}: {stage}",
            )

        return report

    def _write(self, **fields: object) -> None:
        Job.objects.filter(pk=self.job_id).update(**fields, heartbeat_at=timezone.now())


def export_project(job: Job, progress: Progress) -> JobOutput:
    """A zip of every requirements version of the project, as YAML files."""
    project = job.project
    versions = list(project.versions.order_by("number"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, version in enumerate(versions, start=1):
            text = services.version_yaml(version)
            archive.writestr(f"requirements/v{version.number:04d}.yaml", text)
            progress(100 * done // max(len(versions), 1), f"Wrote version {version.number}")
    slug = slugify(project.name) or f"project-{project.pk}"
    return JobOutput(
        content=buffer.getvalue(),
        filename=f"{slug}-export.zip",
        content_type="application/zip",
        message=f"Exported {len(versions)} requirements version(s).",
    )


def generate_design(job: Job, progress: Progress) -> JobOutput:
    """The design of the job's requirements version, stored with all its files."""
    if job.version is None:
        raise AdvisorError("this job names no requirements version to design from")
    existing = services.design_for(job.version)
    if existing is not None:  # a task delivered again, or a retry after the design was stored
        return JobOutput(
            message=f"Design {existing.number} was made from v{job.version.number} already.",
            design=existing,
        )
    stored, records = design_generate(
        version=job.version, created_by=job.created_by, progress=progress.stages(DESIGN_STAGES)
    )
    _draw_for_archive(stored, progress)
    primary = stored.primary_name
    recorded = f" {len(records)} decision(s) recorded." if records else " No decision changed."
    return JobOutput(
        message=f"Design {stored.number} is ready: {primary} as the primary store.{recorded}",
        design=stored,
    )


def archive_design(job: Job, progress: Progress) -> JobOutput:
    """The zip of a design too large to write while a page waits (its files run to tens of
    megabytes at thousands of tables)."""
    design = Design.objects.select_related("project", "version").get(
        project=job.project, number=job.params["design"]
    )
    progress(5, "Writing the requirements as YAML, then every file of the design")
    return JobOutput(
        content=services.design_archive(design, drawings=archive_drawings(design)),
        filename=f"{services.design_slug(design)}.zip",
        content_type="application/zip",
        message=f"The zip of design {design.number} is ready.",
    )


def _draw_for_archive(design: Design, progress: Progress) -> None:
    """Draw the diagram the design's zip holds (one layout, SVG and PNG), so that the zip is
    ready at once. A drawing that fails leaves the design as it is: the zip's download starts
    a job of its own, which shows the error."""
    view = archive_view(design)
    if view is None:
        return
    progress(98, "Drawing the diagram")
    try:
        draw_formats(view, ARCHIVED, on_start=_cancel_on_sigterm)
    except AdvisorError as error:
        logger.warning("design %s: the diagram was not drawn: %s", design.pk, error)
    finally:
        _restore_sigterm()


def draw_diagram(job: Job, progress: Progress) -> JobOutput:
    """Draw a design's diagram with Graphviz into the drawing cache."""
    params = job.params
    design = Design.objects.select_related("version").get(
        project=job.project, number=params["design"]
    )
    view = diagram_view(design, mode=params["mode"], context=params.get("context"))
    tables = "the diagram" if view.tables is None else f"{view.tables} tables"
    progress(10, f"Graphviz ({view.engine}) is drawing {tables}")

    def started(handle: RenderHandle) -> None:
        Job.objects.filter(pk=job.pk).update(params={**params, "pgid": handle.pgid})
        _cancel_on_sigterm(handle)

    try:
        formats = params.get("formats") or [params["format"]]
        drawings = draw_formats(view, formats, on_start=started)
    finally:
        _restore_sigterm()
    seconds = max(drawing.seconds for drawing in drawings.values())
    return JobOutput(message=f"Drawn in {seconds:.1f} s.")


_previous_sigterm: list[object] = []


def _cancel_on_sigterm(handle: RenderHandle) -> None:
    """A revoked task is sent SIGTERM: stop Graphviz's whole process group before exiting."""
    if threading.current_thread() is not threading.main_thread():
        return  # tasks run in-process (eagerly) by a web server thread

    def stop(signum: int, frame: object) -> None:
        handle.cancel()
        raise SystemExit(128 + signum)

    _previous_sigterm.append(signal.signal(signal.SIGTERM, stop))


def _restore_sigterm() -> None:
    """Put back the handler that was there before the render (which may have run Graphviz
    more than once: a layout, then a PNG drawn from it)."""
    if _previous_sigterm:
        signal.signal(signal.SIGTERM, _previous_sigterm[0])
        _previous_sigterm.clear()


Handler = Callable[[Job, Progress], JobOutput]

JOB_KINDS: dict[str, Handler] = {
    "export": export_project,
    "design": generate_design,
    "diagram": draw_diagram,
    "archive": archive_design,
}


def job_execute(
    job_id: int, *, time_limit: float | None = None, soft_time_limit: float | None = None
) -> str:
    """Run a queued job to its end and record the outcome on its row; return the final status.

    Only a queued job runs: a task delivered again (acks late, a worker lost) finds its job
    running or finished and leaves it be. A problem in the person's input (an `AdvisorError`)
    fails the job with its message, so does the soft time limit. Anything else is a bug: the
    job fails with a generic message and the exception propagates to Celery. The limits are
    the task's (the settings' when it came without).
    """
    job = Job.objects.select_related("project").get(pk=job_id)
    now = timezone.now()
    time_limit = time_limit or settings.CELERY_TASK_TIME_LIMIT
    claimed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        deadline_at=now + timedelta(seconds=time_limit),
        worker=f"{socket.gethostname()}:{os.getpid()}",
    )
    if not claimed:
        return job_settle(job).status
    job.refresh_from_db(fields=["status", "started_at", "heartbeat_at", "deadline_at"])
    handler = JOB_KINDS.get(job.kind)
    if handler is None:
        return _finish(job, Job.Status.FAILED, f"Unknown kind of job: {job.kind!r}.")

    try:
        with _heartbeat(job.pk):
            output = handler(job, Progress(job.pk))
    except SoftTimeLimitExceeded:
        limit = soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT
        stopped = f"The job took longer than {limit} s and was stopped."
        return _finish(job, Job.Status.FAILED, stopped)
    except AdvisorError as error:
        return _finish(job, Job.Status.FAILED, str(error))
    except Exception:
        _finish(job, Job.Status.FAILED, "The job failed unexpectedly; it has been logged.")
        raise
    job.output = output.content or None
    job.output_name = output.filename
    job.output_type = output.content_type
    job.design = output.design
    job.progress = 100
    return _finish(job, Job.Status.SUCCEEDED, output.message)


@contextmanager
def _heartbeat(job_id: int) -> Iterator[None]:
    """Beat the job's heartbeat from a thread while the block runs (Graphviz or the engine may
    not report progress for minutes); a reader fails the job once the beats stop."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.ADVISOR_JOB_HEARTBEAT_S):
                try:
                    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    logger.warning("job %s: heartbeat not written", job_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _finish(job: Job, status: str, message: str) -> str:
    """Record the outcome, unless a reader failed the job first (its verdict stands)."""
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    finished = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=status,
        message=message,
        finished_at=job.finished_at,
        progress=job.progress,
        output=job.output,
        output_name=job.output_name,
        output_type=job.output_type,
        design=job.design,
    )
    if not finished:
        job.refresh_from_db(fields=["status", "message", "finished_at"])
        logger.warning("job %s (%s) ended after it was failed: %s", job.pk, job.kind, message)
    elif status == Job.Status.FAILED:
        logger.warning("job %s (%s) failed: %s", job.pk, job.kind, message)
    return job.status


def job_stage(job: Job) -> dict[str, object] | None:
    """The stage the job is in (or ended in), as the status endpoints give it."""
    if not job.stage_count:
        return None
    return {"number": job.stage_number, "count": job.stage_count, "name": job.stage}


JOB_PROGRESS_FIELDS = ("progress", "message", "stage", "stage_number", "stage_count")


def job_settle(job: Job) -> Job:
    """The job as it stands: one whose worker stopped beating, that ran past its deadline or
    that no worker started in time is failed now, with the reason.

    Reads nothing unless the row says the job is overdue; call it wherever a job is shown.
    """
    reason = _overdue(job, timezone.now())
    if reason is None:
        return job
    now = timezone.now()
    failed = Job.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at).update(
        status=Job.Status.FAILED, message=reason, finished_at=now
    )
    if not failed:  # it moved on meanwhile: beat, ended, or another reader failed it
        job.refresh_from_db(fields=[*JOB_PROGRESS_FIELDS, "status", "finished_at", "heartbeat_at"])
        return job
    logger.warning("job %s (%s) failed: %s", job.pk, job.kind, reason)
    job.status, job.message, job.finished_at = Job.Status.FAILED, reason, now
    return job


def _overdue(job: Job, now: datetime) -> str | None:
    """Why the job must be failed now, or None while it may still end by itself."""
    if job.status == Job.Status.QUEUED:
        limit = settings.ADVISOR_JOB_QUEUE_TIMEOUT_S
        if job.created_at + timedelta(seconds=limit) < now:
            return (
                f"No worker started the job within {limit} s: the background service may be down."
            )
    elif job.status == Job.Status.RUNNING:
        stale = settings.ADVISOR_JOB_STALE_AFTER_S
        alive = job.heartbeat_at or job.started_at or job.created_at
        if job.deadline_at is not None and job.deadline_at < now:
            limit = round((job.deadline_at - (job.started_at or job.created_at)).total_seconds())
            return f"The job took longer than {limit} s and was stopped."
        if alive + timedelta(seconds=stale) < now:
            return f"The worker stopped: no sign of life from it for {stale} s."
    return None
