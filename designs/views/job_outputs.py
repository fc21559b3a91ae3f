"""Downloads too slow to write while a request waits: a job writes each once, and every later
download is that job's output."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from designs.models import Job, Project
from designs.tasks import BackgroundUnavailable


def output_by_job(
    request: HttpRequest, *, project: Project, key: str, start: Callable[[], Job]
) -> HttpResponse:
    """The download of the succeeded job with `key`; else the page of the job writing it, one
    under way or one `start` starts (503 when the background service is unavailable)."""
    done = (
        Job.objects.filter(project=project, key=key, status=Job.Status.SUCCEEDED)
        .defer("output")
        .first()
    )
    if done is None:
        try:
            done = start()
        except BackgroundUnavailable as error:
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
        done.refresh_from_db(fields=["status"])  # tasks run in-process have finished by now
        if done.status != Job.Status.SUCCEEDED:
            return redirect(done)
    return redirect("job_download", project_id=project.pk, job_id=done.pk)
