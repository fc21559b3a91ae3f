"""A long design job says which stage it is in, on its row, and every page and API showing the
job shows that stage with a progress bar."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisor.erd.synthetic import synthetic_requirements
from advisor.requirements import requirements_to_document
from designs import jobs, services
from designs.generation import DESIGN_STAGES
from designs.models import Job, Project


def design_job(project: Project, user: User, tables: int) -> Job:
    document = requirements_to_document(synthetic_requirements(tables))
    version = services.version_create(project=project, document=document, created_by=user)
    return Job.objects.create(project=project, kind="design", version=version)


def stage_writes(job: Job) -> list[int]:
    """The stage numbers the job wrote on its row while it ran, in order."""
    with CaptureQueriesContext(connection) as queries:
        assert jobs.job_execute(job.pk) == Job.Status.SUCCEEDED
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "designs_job"')]
    return [int(m[1]) for sql in updates if (m := re.search(r'"stage_number" = (\d+)', sql))]


def test_a_design_job_writes_each_stage_on_its_row_a_few_times_whatever_its_size(
    alice: User, alice_project: Project
) -> None:
    small = stage_writes(design_job(alice_project, alice, tables=3))
    large = stage_writes(design_job(alice_project, alice, tables=60))
    assert sorted(set(large)) == list(range(1, len(DESIGN_STAGES) + 1))
    assert large == sorted(large)  # never back to an earlier stage
    assert len(large) == len(small) < 2 * len(DESIGN_STAGES)  # per stage, not per entity
    job = Job.objects.latest("pk")
    assert (job.stage, job.stage_number, job.stage_count) == ("storing the design", 7, 7)
    assert job.progress == 100 and job.design is not None


def at_stage(project: Project, stage: str, *, beat: float = 1) -> Job:
    """A design job that reported `stage`, last heard from `beat` seconds ago."""
    now = timezone.now()
    job = Job.objects.create(
        project=project,
        kind="design",
        status=Job.Status.RUNNING,
        started_at=now - timedelta(seconds=beat),
        deadline_at=now + timedelta(seconds=300),
    )
    jobs.Progress(job.pk).stages(DESIGN_STAGES)(stage, 0.0)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=now - timedelta(seconds=beat))
    return job


def test_the_job_page_and_its_status_show_the_stage_and_a_progress_bar(
    alice_client: Client, alice_project: Project
) -> None:
    job = at_stage(alice_project, "other stores' schemas")
    status_url = reverse("job_status", args=[alice_project.pk, job.pk])
    for page in (
        alice_client.get(job.get_absolute_url()),
        alice_client.get(f"{status_url}?poll=2", HTTP_HX_REQUEST="true"),
    ):
        text = html.unescape(page.content.decode())
        assert "Stage 4 of 7: other stores' schemas" in text
        assert '<progress max="100" value="42"' in text  # three stages of seven done
    status = alice_client.get(status_url).json()
    assert status["stage"] == {"number": 4, "count": 7, "name": "other stores' schemas"}
    assert status["progress"] == 42 and status["finished"] is False


def test_the_api_gives_the_stage_of_a_job(alice: User, alice_project: Project) -> None:
    job = at_stage(alice_project, "SQL schemas")
    _, secret = services.api_token_create(user=alice, name="CI")
    api = Client(headers={"authorization": f"Bearer {secret}"})
    url = reverse("api:job_detail", kwargs={"project_id": alice_project.pk, "job_id": job.pk})
    answer = api.get(url).json()
    assert answer["stage"] == {"number": 3, "count": 7, "name": "SQL schemas"}
    assert answer["message"] == "Stage 3 of 7: SQL schemas"


@pytest.mark.parametrize("kind", ["export", "design"])
def test_a_job_without_stages_has_none(alice_client: Client, alice_project: Project, kind: str):
    job = Job.objects.create(project=alice_project, kind=kind)
    status = alice_client.get(reverse("job_status", args=[alice_project.pk, job.pk])).json()
    assert status["stage"] is None
    assert "Stage " not in alice_client.get(job.get_absolute_url()).content.decode()


def test_a_job_failed_mid_way_says_the_stage_it_stopped_at(
    alice_client: Client, alice_project: Project
) -> None:
    job = at_stage(alice_project, "SQL schemas", beat=31)  # the worker went silent
    page = html.unescape(alice_client.get(job.get_absolute_url()).content.decode())
    assert "The worker stopped: no sign of life from it for 30 s." in page
    assert "It stopped at stage 3 of 7: SQL schemas." in page
