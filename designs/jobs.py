"""What each kind of background job does, and the bookkeeping around running one."""

from __future__ import annotations

import io
import logging
import signal
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from advisor.erd import RenderHandle
from advisor.errors import AdvisorError
from designs import services
from designs.diagrams import diagram_view, draw
from designs.generation import design_generate
from designs.models import Design, Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobOutput:
    message: str
    content: bytes = b""
    filename: str = ""
    content_type: str = ""
    design: Design | None = None


Progress = Callable[[int, str], None]


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
    stored, records = design_generate(
        version=job.version, created_by=job.created_by, progress=progress
    )
    primary = stored.primary_name
    recorded = f" {len(records)} decision(s) recorded." if records else " No decision changed."
    return JobOutput(
        message=f"Design {stored.number} is ready: {primary} as the primary store.{recorded}",
        design=stored,
    )


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
        drawing = draw(view, params["format"], on_start=started)
    finally:
        _restore_sigterm()
    return JobOutput(message=f"Drawn in {drawing.seconds:.1f} s.")


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
    if _previous_sigterm:
        signal.signal(signal.SIGTERM, _previous_sigterm.pop())


JOB_KINDS: dict[str, Callable[[Job, Progress], JobOutput]] = {
    "export": export_project,
    "design": generate_design,
    "diagram": draw_diagram,
}


def job_execute(job_id: int) -> str:
    """Run a job to its end and record the outcome on its row; return the final status.

    A problem in the person's input (an `AdvisorError`) fails the job with its message. Anything
    else is a bug: the job fails with a generic message and the exception propagates to Celery.
    """
    job = Job.objects.select_related("project").get(pk=job_id)
    handler = JOB_KINDS.get(job.kind)
    if handler is None:
        return _finish(job, Job.Status.FAILED, f"Unknown kind of job: {job.kind!r}.")
    job.status = Job.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(percent: int, message: str) -> None:
        Job.objects.filter(pk=job.pk).update(progress=min(percent, 100), message=message)

    try:
        output = handler(job, progress)
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


def _finish(job: Job, status: str, message: str) -> str:
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    job.save()
    if status == Job.Status.FAILED:
        logger.warning("job %s (%s) failed: %s", job.pk, job.kind, message)
    return status
