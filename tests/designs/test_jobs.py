from __future__ import annotations

import io
import time
import zipfile
from datetime import datetime, timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisor.errors import AdvisorError
from designs import jobs, services
from designs.models import Job, Project
from designs.tasks import job_start
from tests.designs.conftest import minimal


@pytest.fixture
def two_versions(alice, alice_project: Project) -> Project:
    for name in ("first", "second"):
        services.requirements_save(project=alice_project, document=minimal(name), created_by=alice)
    return alice_project


def test_export_runs_and_offers_a_zip_of_every_version(
    alice_client: Client, two_versions: Project, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("project_export", args=[two_versions.pk]))
    response = alice_client.get(response["Location"])
    job = Job.objects.get()
    assert response.request["PATH_INFO"] == job.get_absolute_url()
    assert job.status == Job.Status.SUCCEEDED
    assert "Exported 2 requirements version(s)." in response.content.decode()
    download = alice_client.get(reverse("job_download", args=[two_versions.pk, job.pk]))
    assert download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert archive.namelist() == ["requirements/v0001.yaml", "requirements/v0002.yaml"]
        assert "project: second" in archive.read("requirements/v0002.yaml").decode()


def status_url(job: Job, poll: int | None = None) -> str:
    url = reverse("job_status", args=[job.project_id, job.pk])
    return url if poll is None else f"{url}?poll={poll}"


def test_a_running_job_page_polls_its_status_ever_more_slowly(
    alice_client: Client, alice_project: Project
) -> None:
    job = Job.objects.create(project=alice_project, kind="export")
    page = alice_client.get(job.get_absolute_url()).content.decode()
    assert f'hx-get="{status_url(job, 1)}" hx-trigger="load delay:1s"' in page
    delays = []
    for poll in range(1, 7):
        fragment = alice_client.get(status_url(job, poll), HTTP_HX_REQUEST="true").content.decode()
        assert fragment.lstrip().startswith('<div id="job-status"') and "<html" not in fragment
        assert f'hx-get="{status_url(job, poll + 1)}"' in fragment
        delays.append(int(fragment.split('hx-trigger="load delay:')[1].split("s")[0]))
    assert delays == [2, 4, 8, 10, 10, 10]


def test_polling_reads_the_job_row_and_nothing_else(
    alice_client: Client, alice_project: Project
) -> None:
    job = Job.objects.create(project=alice_project, kind="export")
    alice_client.get(status_url(job, 1), HTTP_HX_REQUEST="true")  # the session is warm
    with CaptureQueriesContext(connection) as queries:
        alice_client.get(status_url(job, 2), HTTP_HX_REQUEST="true")
    tables = [q["sql"] for q in queries if "designs_" in q["sql"]]
    assert len(tables) == 1 and 'FROM "designs_job"' in tables[0]


def test_the_status_answers_json_to_a_script(alice_client: Client, two_versions: Project) -> None:
    job = job_start(project=two_versions, kind="export", created_by=None)
    jobs.job_execute(job.pk)
    status = alice_client.get(status_url(job)).json()
    assert status["status"] == "succeeded" and status["finished"] is True
    assert status["message"] == "Exported 2 requirements version(s)."


def test_a_finished_job_page_stops_polling(alice_client: Client, two_versions: Project) -> None:
    job = job_start(project=two_versions, kind="export", created_by=None)
    jobs.job_execute(job.pk)
    page = alice_client.get(job.get_absolute_url()).content.decode()
    assert "hx-get" not in page.split('id="job-status"')[1]
    fragment = alice_client.get(status_url(job, 3), HTTP_HX_REQUEST="true")
    assert "hx-get" not in fragment.content.decode()
    assert fragment["HX-Trigger"] == "job-finished"


def test_no_download_before_the_job_succeeds(alice_client: Client, alice_project: Project) -> None:
    job = Job.objects.create(project=alice_project, kind="export")
    response = alice_client.get(
        reverse("job_download", args=[alice_project.pk, job.pk]), follow=True
    )
    assert "That job has no output to download yet." in response.content.decode()


def test_a_problem_in_the_input_fails_the_job_with_its_message(
    monkeypatch: pytest.MonkeyPatch, alice_project: Project
) -> None:
    def refuse(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
        raise AdvisorError("'strng' is not a type", location="entities[0].attributes[0].type")

    monkeypatch.setitem(jobs.JOB_KINDS, "export", refuse)
    job = Job.objects.create(project=alice_project, kind="export")
    assert jobs.job_execute(job.pk) == "failed"
    job.refresh_from_db()
    assert job.message == "entities[0].attributes[0].type: 'strng' is not a type"
    assert job.finished_at is not None


def test_a_bug_fails_the_job_and_reaches_celery(
    monkeypatch: pytest.MonkeyPatch, alice_project: Project
) -> None:
    def crash(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
        raise ZeroDivisionError

    monkeypatch.setitem(jobs.JOB_KINDS, "export", crash)
    job = Job.objects.create(project=alice_project, kind="export")
    with pytest.raises(ZeroDivisionError):
        jobs.job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "failed unexpectedly" in job.message


def test_an_unknown_kind_fails_cleanly(alice_project: Project) -> None:
    job = Job.objects.create(project=alice_project, kind="teleport")
    assert jobs.job_execute(job.pk) == "failed"
    job.refresh_from_db()
    assert job.message == "Unknown kind of job: 'teleport'."


def ago(seconds: float) -> datetime:
    return timezone.now() - timedelta(seconds=seconds)


def running(project: Project, *, started: float = 1, beat: float = 1, key: str = "") -> Job:
    """A job a worker took `started` seconds ago and last heard from `beat` seconds ago."""
    return Job.objects.create(
        project=project,
        kind="export",
        key=key,
        status=Job.Status.RUNNING,
        started_at=ago(started),
        heartbeat_at=ago(beat),
        deadline_at=ago(started) + timedelta(seconds=300),
    )


def test_a_job_whose_worker_stopped_is_failed_when_its_page_is_read(
    alice_client: Client, alice_project: Project
) -> None:
    job = running(alice_project, started=60, beat=31)
    page = alice_client.get(job.get_absolute_url()).content.decode()
    assert "The worker stopped: no sign of life from it for 30 s." in page
    assert reverse("job_retry", args=[alice_project.pk, job.pk]) in page
    assert "hx-get" not in page.split('id="job-status"')[1]
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None


def test_a_job_past_its_deadline_is_failed_with_its_time_limit(
    alice_client: Client, alice_project: Project
) -> None:
    job = running(alice_project, started=301, beat=1)
    status = alice_client.get(status_url(job)).json()
    assert status["status"] == "failed"
    assert status["message"] == "The job took longer than 300 s and was stopped."


def test_a_job_no_worker_started_is_failed_after_the_queue_timeout(
    alice_client: Client, alice_project: Project
) -> None:
    job = Job.objects.create(project=alice_project, kind="export")
    Job.objects.filter(pk=job.pk).update(created_at=ago(601))
    page = alice_client.get(alice_project.get_absolute_url()).content.decode()
    assert '<span class="badge failed">Failed</span>' in page
    job.refresh_from_db()
    assert job.message.startswith("No worker started the job within 600 s")


def test_a_job_with_a_live_worker_is_left_running(
    alice_client: Client, alice_project: Project
) -> None:
    job = running(alice_project, started=200, beat=20)
    assert alice_client.get(status_url(job)).json()["status"] == "running"


def test_a_late_outcome_does_not_overwrite_the_failure_a_page_showed(
    monkeypatch: pytest.MonkeyPatch, alice_project: Project
) -> None:
    def outlived(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, message="The worker stopped")
        return jobs.JobOutput(message="Done.")

    monkeypatch.setitem(jobs.JOB_KINDS, "export", outlived)
    job = Job.objects.create(project=alice_project, kind="export")
    assert jobs.job_execute(job.pk) == "failed"
    job.refresh_from_db()
    assert job.message == "The worker stopped"


def test_the_soft_time_limit_fails_the_job_with_its_reason(
    monkeypatch: pytest.MonkeyPatch, alice_project: Project, settings
) -> None:
    def slow(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
        raise SoftTimeLimitExceeded

    settings.CELERY_TASK_SOFT_TIME_LIMIT = 42
    monkeypatch.setitem(jobs.JOB_KINDS, "export", slow)
    job = Job.objects.create(project=alice_project, kind="export")
    assert jobs.job_execute(job.pk) == "failed"
    job.refresh_from_db()
    assert job.message == "The job took longer than 42 s and was stopped."


def test_a_task_delivered_again_runs_its_job_once(
    monkeypatch: pytest.MonkeyPatch, alice_project: Project
) -> None:
    runs = []

    def count(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
        runs.append(job.pk)
        return jobs.JobOutput(message="Done.")

    monkeypatch.setitem(jobs.JOB_KINDS, "export", count)
    job = Job.objects.create(project=alice_project, kind="export")
    assert jobs.job_execute(job.pk) == "succeeded"
    assert jobs.job_execute(job.pk) == "succeeded"
    assert runs == [job.pk]


@pytest.mark.django_db(transaction=True)
def test_a_running_job_beats_while_it_works(
    monkeypatch: pytest.MonkeyPatch, alice_project: Project, settings
) -> None:
    settings.ADVISOR_JOB_HEARTBEAT_S = 1
    beats = []

    def quiet(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
        time.sleep(1.5)  # no progress reported, as when Graphviz draws
        beats.append(Job.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk))
        return jobs.JobOutput(message="Done.")

    monkeypatch.setitem(jobs.JOB_KINDS, "export", quiet)
    job = Job.objects.create(project=alice_project, kind="export")
    jobs.job_execute(job.pk)
    job.refresh_from_db()
    assert beats[0] > job.started_at


@pytest.mark.django_db(transaction=True)
def test_a_job_that_reads_then_writes_in_a_transaction_survives_its_heartbeat(
    monkeypatch: pytest.MonkeyPatch, alice_project: Project, settings
) -> None:
    """As storing a design does: the last number read, then the row written. On SQLite the
    heartbeat's write in between made the job's write fail with "database is locked"."""
    settings.ADVISOR_JOB_HEARTBEAT_S = 1

    def store(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
        with transaction.atomic():
            last = Project.objects.count()
            time.sleep(1.5)  # the heartbeat beats meanwhile
            Project.objects.create(owner=alice_project.owner, name=f"project {last + 1}")
        return jobs.JobOutput(message="Stored.")

    monkeypatch.setitem(jobs.JOB_KINDS, "export", store)
    job = Job.objects.create(project=alice_project, kind="export")
    assert jobs.job_execute(job.pk) == "succeeded"
    assert Project.objects.count() == 2


def test_a_failed_job_is_retried_as_a_new_job(
    alice_client: Client, two_versions: Project, django_capture_on_commit_callbacks
) -> None:
    failed = running(two_versions, started=60, beat=31)
    url = reverse("job_retry", args=[two_versions.pk, failed.pk])
    assert alice_client.get(url)["Location"] == failed.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url)
    retried = Job.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == retried.get_absolute_url()
    assert retried.status == Job.Status.SUCCEEDED
    assert retried.output_name.endswith("-export.zip")


def test_a_failed_job_never_blocks_a_new_one_with_the_same_key(alice_project: Project) -> None:
    first = job_start(project=alice_project, kind="export", created_by=None, key="k")
    assert job_start(project=alice_project, kind="export", created_by=None, key="k") == first
    Job.objects.filter(pk=first.pk).update(status=Job.Status.FAILED)
    second = job_start(project=alice_project, kind="export", created_by=None, key="k")
    assert second != first


def test_a_job_whose_worker_stopped_never_blocks_a_new_one(alice_project: Project) -> None:
    lost = running(alice_project, started=60, beat=31, key="k")
    fresh = job_start(project=alice_project, kind="export", created_by=None, key="k")
    assert fresh != lost
    lost.refresh_from_db()
    assert lost.status == Job.Status.FAILED


def test_the_database_keeps_one_active_job_per_key(alice_project: Project) -> None:
    Job.objects.create(project=alice_project, kind="export", key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(project=alice_project, kind="export", key="k")
