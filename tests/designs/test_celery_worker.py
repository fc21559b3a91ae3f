"""A real Celery worker process, on a real Redis broker, runs the app's task."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import Celery
from celery.result import AsyncResult
from django.db import connection

from designs import services
from designs.models import Job
from designs.tasks import job_run
from tests.conftest import require_server
from tests.designs.conftest import minimal

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def database_url_for_worker() -> str:
    """The URL of the database the tests run on, for the worker process to open."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or ""
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.fixture
def worker_queue() -> Iterator[str]:
    require_server(REDIS_URL, "TEST_REDIS_URL")
    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "designs",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def run_on_worker(queue: str, job_id: int) -> AsyncResult:
    # A client of its own: the app under test runs tasks in-process, as configured for tests.
    client = Celery("test-client", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    result = client.send_task(job_run.name, args=[job_id], queue=queue)
    result.get(timeout=60, propagate=False)
    return result


def test_a_worker_runs_a_job_and_returns_its_result(worker_queue: str, alice, alice_project):
    services.requirements_save(project=alice_project, document=minimal(), created_by=alice)
    job = Job.objects.create(project=alice_project, kind="export")
    result = run_on_worker(worker_queue, job.pk)
    assert result.successful()
    assert result.result == "succeeded"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.output_name == "alices-secret-ledger-export.zip"


def test_a_failing_task_reports_its_failure(worker_queue: str, db: None) -> None:
    missing = 987_654
    result = run_on_worker(worker_queue, missing)
    assert result.failed()
    assert isinstance(result.result, Exception)
    assert "Job matching query does not exist" in str(result.result)
