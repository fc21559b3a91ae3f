"""The app's Celery worker with every kind of job held at its start while a gate file exists,
so that a test can kill the worker, or pass its time limit, in the middle of a real job.

Run as `celery -A tests.designs.held_jobs worker` with HELD_JOBS_GATE naming the file.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import django

from designs.celery import app

django.setup()  # before the app's models are imported, as a worker does before its tasks

from designs import jobs  # noqa: E402

__all__ = ["app"]

GATE = Path(os.environ["HELD_JOBS_GATE"])


def held(handler: jobs.Handler) -> jobs.Handler:
    def wait_then_run(job: jobs.Job, progress: jobs.Progress) -> jobs.JobOutput:
        progress(1, "Held at the gate")
        while GATE.exists():
            time.sleep(0.05)
        return handler(job, progress)

    return wait_then_run


for kind, handler in list(jobs.JOB_KINDS.items()):
    jobs.JOB_KINDS[kind] = held(handler)
