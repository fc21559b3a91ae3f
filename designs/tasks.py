from __future__ import annotations

from celery import shared_task

from designs.jobs import job_execute


@shared_task(name="designs.job_run")
def job_run(job_id: int) -> str:
    """Run the job with this id; returns its final status ("succeeded" or "failed")."""
    return job_execute(job_id)
