"""Jobs never hang, whatever happens to their worker: a real worker on Redis is killed mid-job,
runs past its time limit, has no Graphviz, or cannot be reached at all. Each case ends with the
job failed, the reason on its page, and a retry that works."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from designs import services
from designs.celery import app
from designs.generation import design_generate
from designs.models import Design, Job, Project
from designs.tasks import job_run
from tests.conftest import require_server
from tests.designs.conftest import minimal
from tests.designs.test_celery_worker import database_url_for_worker

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
SHOP = ROOT / "docs" / "examples" / "online-shop.yaml"

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@contextmanager
def publishing_to(broker: str, queue: str) -> Iterator[None]:
    """The app under test hands its jobs to `broker` (not in-process), on `queue`."""
    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager", "task_routes")}

    def configure(**conf: Any) -> None:
        app.conf.update(conf)
        app.amqp.flush_routes()
        app.amqp.__dict__.pop("router", None)
        app._pool = None  # connections pooled for the previous broker
        app.amqp._producer_pool = None

    routes = {job_run.name: {"queue": queue}}
    configure(broker_url=broker, task_always_eager=False, task_routes=routes)
    try:
        yield
    finally:
        configure(**saved)


Worker = Callable[..., subprocess.Popen[bytes]]


@pytest.fixture
def gate(tmp_path: Path) -> Iterator[Path]:
    """While this file exists, the worker holds every job at its start."""
    path = tmp_path / "gate"
    path.touch()
    yield path
    path.unlink(missing_ok=True)


@pytest.fixture
def queue(settings: Any) -> Iterator[str]:
    require_server(REDIS_URL, "TEST_REDIS_URL")
    settings.ADVISOR_JOB_STALE_AFTER_S = 3  # the worker beats every second
    name = f"test-faults-{uuid.uuid4().hex}"
    with publishing_to(REDIS_URL, name):
        yield name


@pytest.fixture
def start_worker(queue: str, gate: Path) -> Iterator[Worker]:
    """Start a worker of one process on `queue`; `env` adds to or overrides its environment."""
    started: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> subprocess.Popen[bytes]:
        for worker in started:
            stop(worker)
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "tests.designs.held_jobs", "worker"),
                *("--pool=prefork", "--concurrency=1", "--queues", queue),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url_for_worker(),
                "CELERY_BROKER_URL": REDIS_URL,
                "HELD_JOBS_GATE": str(gate),
                "ADVISOR_JOB_HEARTBEAT_S": "1",
                "ADVISOR_JOB_STALE_AFTER_S": "3",
                **env,
            },
            start_new_session=True,  # its pool processes go with it
        )
        started.append(worker)
        return worker

    yield start
    gate.unlink(missing_ok=True)
    for worker in started:
        stop(worker)


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def wait_for(job: Job, until: Callable[[Job], bool], timeout: float = 20) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if until(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"{job} stuck: {job.message}")


def status_of(client: Client, job: Job) -> dict[str, Any]:
    """The job as its page reads it (which fails it if its worker is gone), once finished."""
    url = reverse("job_status", args=[job.project_id, job.pk])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        status = client.get(url).json()
        if status["finished"]:
            return status
        time.sleep(0.2)
    raise AssertionError(f"{job} never finished: {status}")


def page_of(client: Client, job: Job) -> str:
    return unescape(client.get(job.get_absolute_url()).content.decode())


def retry(client: Client, job: Job, **data: str) -> Job:
    response = client.post(reverse("job_retry", args=[job.project_id, job.pk]), data)
    assert response.status_code == 302
    return Job.objects.get(kind=job.kind, key=job.key, pk__gt=job.pk)


def generate(client: Client, project: Project, number: int) -> Any:
    return client.post(reverse("design_generate", args=[project.pk, number]))


def test_a_worker_killed_mid_job_fails_the_job_and_a_retry_designs_once(
    alice, alice_client: Client, alice_project: Project, start_worker: Worker, gate: Path
) -> None:
    services.requirements_save(project=alice_project, document=minimal(), created_by=alice)
    start_worker()
    generate(alice_client, alice_project, 1)
    job = wait_for(Job.objects.get(kind="design"), lambda job: job.message == "Held at the gate")
    os.kill(int(job.worker.rsplit(":", 1)[1]), signal.SIGKILL)  # the pool process running it

    status = status_of(alice_client, job)
    assert status["status"] == "failed"
    assert status["message"] == "The worker stopped: no sign of life from it for 3 s."
    page = page_of(alice_client, job)
    assert status["message"] in page and ">Retry</button>" in page

    gate.unlink()
    again = retry(alice_client, job)
    assert status_of(alice_client, again)["status"] == "succeeded"
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED  # its redelivered task did not run it again
    assert Design.objects.count() == 1


def test_a_job_past_its_time_limit_fails_and_a_retry_works(
    alice,
    alice_client: Client,
    alice_project: Project,
    start_worker: Worker,
    gate: Path,
    settings: Any,
) -> None:
    services.requirements_save(project=alice_project, document=minimal(), created_by=alice)
    settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT = 2, 4  # sent with it
    start_worker()
    alice_client.post(reverse("project_export", args=[alice_project.pk]))
    job = Job.objects.get(kind="export")

    status = status_of(alice_client, job)
    assert status["status"] == "failed"
    assert status["message"] == "The job took longer than 2 s and was stopped."
    assert status["message"] in page_of(alice_client, job)

    gate.unlink()
    again = retry(alice_client, job)
    assert status_of(alice_client, again)["status"] == "succeeded"
    assert "Download alices-secret-ledger-export.zip" in page_of(alice_client, again)


def test_a_worker_without_graphviz_fails_the_drawing_once_and_a_retry_draws_it(
    alice, alice_client: Client, alice_project: Project, start_worker: Worker, gate: Path, tmp_path
) -> None:
    document = yaml.safe_load(SHOP.read_text(encoding="utf-8"))
    version = services.requirements_save(project=alice_project, document=document, created_by=alice)
    design, _ = design_generate(version=version, created_by=alice)
    gate.unlink()
    start_worker(PATH=str(tmp_path))  # no dot on it
    page_url = reverse("design_diagram", args=[alice_project.pk, design.number])
    alice_client.get(page_url)
    job = Job.objects.get(kind="diagram")

    status = status_of(alice_client, job)
    assert status["status"] == "failed"
    assert status["message"].startswith("Graphviz's 'dot' is not installed")
    for _ in range(2):
        page = unescape(alice_client.get(page_url).content.decode())
        assert f"The diagram could not be drawn: {status['message']}" in page
    assert Job.objects.filter(kind="diagram").count() == 1  # no new job per page view

    start_worker()  # Graphviz is installed
    again = retry(alice_client, job, next=page_url)
    assert status_of(alice_client, again)["status"] == "succeeded"
    assert "data-panzoom" in alice_client.get(page_url).content.decode()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_with_the_broker_down_starting_a_job_says_so_at_once_and_keeps_no_row(
    alice, alice_client: Client, alice_project: Project, start_worker: Worker, gate: Path
) -> None:
    services.requirements_save(project=alice_project, document=minimal(), created_by=alice)
    document = yaml.safe_load(SHOP.read_text(encoding="utf-8"))
    shop = services.requirements_save(project=alice_project, document=document, created_by=alice)
    design, _ = design_generate(version=shop, created_by=alice)
    with publishing_to(f"redis://127.0.0.1:{closed_port()}/0", "nowhere"):
        began = time.monotonic()
        response = generate(alice_client, alice_project, 1)
        assert time.monotonic() - began < 2
        page = unescape(alice_client.get(response["Location"]).content.decode())
        assert "The background service is unavailable; nothing was started." in page
        diagram = reverse("design_diagram", args=[alice_project.pk, design.number])
        page = unescape(alice_client.get(diagram).content.decode())
        assert "The background service is unavailable" in page
    assert not Job.objects.exists()

    gate.unlink()
    start_worker()  # the broker is back: the same click works
    generate(alice_client, alice_project, 1)
    assert status_of(alice_client, Job.objects.get(kind="design"))["status"] == "succeeded"
    assert "Graphviz is drawing" in alice_client.get(diagram).content.decode()
    drawn = status_of(alice_client, Job.objects.get(kind="diagram"))
    assert drawn["status"] == "succeeded"


@contextmanager
def silent_broker() -> Iterator[str]:
    """A server that accepts connections and never answers: a broker hung, or a firewall that
    lets the connection open and drops what follows. Yields its URL."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stopping = threading.Event()

    def accept() -> None:
        while not stopping.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        stopping.set()
        server.close()
        for connection in accepted:
            connection.close()
        thread.join(timeout=5)


def test_with_a_broker_that_never_answers_starting_a_job_says_so_and_keeps_no_row(
    alice, alice_client: Client, alice_project: Project, queue: str
) -> None:
    document = yaml.safe_load(SHOP.read_text(encoding="utf-8"))
    shop = services.requirements_save(project=alice_project, document=document, created_by=alice)
    design, _ = design_generate(version=shop, created_by=alice)
    services.requirements_save(project=alice_project, document=minimal(), created_by=alice)
    diagram = reverse("design_diagram", args=[alice_project.pk, design.number])
    with silent_broker() as broker, publishing_to(broker, "nowhere"):
        began = time.monotonic()
        response = generate(alice_client, alice_project, 2)
        generating = time.monotonic() - began
        page = unescape(alice_client.get(response["Location"]).content.decode())
        assert "The background service is unavailable; nothing was started." in page
        began = time.monotonic()
        page = unescape(alice_client.get(diagram).content.decode())
        drawing = time.monotonic() - began
        assert "The background service is unavailable" in page
    # Generous bounds: without the transport's socket timeout, redis-py waits 5 s per read.
    assert generating < 4 and drawing < 4
    assert not Job.objects.exists()
