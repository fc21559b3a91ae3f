"""Generating a design from a requirements version, and reading it on the page."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import threading
import zipfile
from html import unescape
from pathlib import Path

import pytest
import yaml
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from designs import generation, jobs, services
from designs.models import Design, Job, Project, RequirementsVersion


def text_of(html: str) -> str:
    """What a person reads: the page without its tags (Pygments splits code into spans)."""
    return unescape(re.sub(r"<[^>]+>", "", html))


DEMO = Path(__file__).resolve().parents[2] / "docs" / "examples" / "online-shop.yaml"


@pytest.fixture
def shop_version(alice, alice_project: Project) -> RequirementsVersion:
    document = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    return services.requirements_save(project=alice_project, document=document, created_by=alice)


@pytest.fixture
def shop_design(
    alice_client: Client, shop_version: RequirementsVersion, django_capture_on_commit_callbacks
) -> Design:
    url = reverse("design_generate", args=[shop_version.project_id, shop_version.number])
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url)
    job = Job.objects.get(kind="design")
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    return job.design


def test_the_job_page_leads_to_the_generated_design(alice_client: Client, shop_design: Design):
    job = Job.objects.get(kind="design")
    page = alice_client.get(job.get_absolute_url()).content.decode()
    assert f'href="{shop_design.get_absolute_url()}"' in page
    assert "PostgreSQL as the primary store" in page
    status = reverse("job_status", args=[job.project_id, job.pk])
    polled = alice_client.get(status, HTTP_HX_REQUEST="true")
    assert polled.status_code == 204
    assert polled["HX-Redirect"] == shop_design.get_absolute_url()


def test_the_design_page_shows_the_schema_its_indexes_and_findings(
    alice_client: Client, shop_design: Design
) -> None:
    page = alice_client.get(shop_design.get_absolute_url()).content.decode()
    assert 'class="highlight"' in page  # Pygments
    assert "CREATE TABLE sales.customer (" in text_of(page)  # a schema per context
    assert "orders of a customer, newest first" in page  # the pattern -> index table
    assert "Lint findings" in page
    assert "Primary store" in page  # the recommendation beside it


def test_the_other_stores_are_shown_with_their_reasons(alice_client: Client, shop_design: Design):
    page = alice_client.get(shop_design.get_absolute_url()).content.decode()
    assert "The other stores" in page
    assert "Redis" in page and "Elasticsearch" in page
    redis = reverse("design_file", args=[shop_design.project_id, 1, "schema/redis.md"])
    assert f'href="{redis}"' in page
    stores = shop_design.details["stores"]
    assert {store["technology"] for store in stores} == {"redis", "elasticsearch"}
    assert all(store["decisions"] for store in stores)


def test_the_dialect_switch_swaps_only_the_schema(alice_client: Client, shop_design: Design):
    response = alice_client.get(
        shop_design.get_absolute_url(), {"dialect": "mysql"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="schema"')
    assert "status ENUM('pending'" in text_of(html)  # MySQL's inline enum
    assert "<html" not in html


def test_an_unknown_dialect_is_404(alice_client: Client, shop_design: Design) -> None:
    response = alice_client.get(shop_design.get_absolute_url(), {"dialect": "db2"})
    assert response.status_code == 404


def test_each_file_downloads_and_the_sqlite_ddl_runs(alice_client: Client, shop_design: Design):
    url = reverse(
        "design_file", args=[shop_design.project_id, shop_design.number, "schema/sqlite.sql"]
    )
    response = alice_client.get(url)
    assert response["Content-Disposition"].endswith('design-1-schema-sqlite.sql"')
    connection = sqlite3.connect(":memory:")
    connection.executescript(response.content.decode())
    tables = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert {"customer", "order", "order_item", "product", "category", "address"} <= tables


def test_the_zip_holds_the_requirements_and_every_file(
    alice_client: Client, shop_design: Design, django_capture_on_commit_callbacks
):
    url = reverse("design_zip", args=[shop_design.project_id, 1])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(url)  # a job draws the diagram first
    response = alice_client.get(url)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
        folder = "alices-secret-ledger-design-1"
        assert {
            f"{folder}/requirements.yaml",
            f"{folder}/recommendation.json",
            f"{folder}/lint.json",
            *(
                f"{folder}/schema/{d}.sql"
                for d in ("postgresql", "mysql", "sqlite", "sqlserver", "oracle")
            ),
        } <= names
        recommendation = json.loads(archive.read(f"{folder}/recommendation.json"))
    assert recommendation["primary"]["technology"] == "postgresql"


def test_generating_again_from_the_same_version_opens_the_existing_design(
    alice_client: Client, shop_design: Design
) -> None:
    url = reverse("design_generate", args=[shop_design.project_id, shop_design.version.number])
    response = alice_client.post(url)
    assert response["Location"] == shop_design.get_absolute_url()
    assert Design.objects.count() == 1
    assert Job.objects.filter(kind="design").count() == 1


def test_the_project_lists_its_designs(alice_client: Client, shop_design: Design) -> None:
    page = alice_client.get(shop_design.project.get_absolute_url()).content.decode()
    assert f'href="{shop_design.get_absolute_url()}"' in page
    listing = alice_client.get(reverse("project_list"))
    assert listing.context["projects"][0].design_count == 1


def test_a_design_task_delivered_again_makes_no_second_design(shop_design: Design) -> None:
    version = shop_design.version
    again = Job.objects.create(project=shop_design.project, kind="design", version=version)
    assert jobs.job_execute(again.pk) == "succeeded"
    again.refresh_from_db()
    assert again.design == shop_design
    assert again.message == "Design 1 was made from v1 already."
    assert Design.objects.count() == 1


def test_a_generation_that_finds_the_design_stored_meanwhile_returns_it(
    shop_design: Design,
) -> None:
    stored, records = generation.design_generate(version=shop_design.version, created_by=None)
    assert (stored, records) == (shop_design, [])
    assert Design.objects.count() == 1


def test_the_database_keeps_one_design_per_version(shop_design: Design) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Design.objects.create(
            project=shop_design.project,
            version=shop_design.version,
            number=2,
            advisor_version=shop_design.advisor_version,
            recommendation={},
        )


def test_two_generate_clicks_share_one_job(
    alice_client: Client, shop_version: RequirementsVersion
) -> None:
    url = reverse("design_generate", args=[shop_version.project_id, shop_version.number])
    first, second = alice_client.post(url), alice_client.post(url)  # the first is still queued
    job = Job.objects.get(kind="design")
    assert first["Location"] == second["Location"] == job.get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_two_generations_of_one_version_at_once_store_one_design(alice, alice_project) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (the CI run with DATABASE_URL set)")
    document = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    version = services.requirements_save(project=alice_project, document=document, created_by=alice)
    barrier = threading.Barrier(2)
    stored: list[Design] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            stored.append(generation.design_generate(version=version, created_by=alice)[0])
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(stored) == 2 and stored[0] == stored[1]
    assert version.designs.count() == 1
