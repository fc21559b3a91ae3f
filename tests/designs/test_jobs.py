from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

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


def test_a_running_job_page_polls_and_htmx_gets_only_the_status(
    alice_client: Client, alice_project: Project
) -> None:
    job = Job.objects.create(project=alice_project, kind="export")
    page = alice_client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page
    partial = alice_client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="job-status"')
    assert "<html" not in partial


def test_a_finished_job_page_stops_polling(alice_client: Client, two_versions: Project) -> None:
    job = job_start(project=two_versions, kind="export", created_by=None)
    jobs.job_execute(job.pk)
    page = alice_client.get(job.get_absolute_url()).content.decode()
    assert "every 1s" not in page


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
