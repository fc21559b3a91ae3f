"""A design of thousands of entities reads as well as a small one: its pages fold by context and
fetch the rest when asked, and their long lists show their first items and count the others.
The thresholds are lowered here so that a generated document of 40 entities crosses them."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from advisor.requirements.synthetic import synthetic_document
from designs import document_sections, editor, schema_sections, services
from designs.decisions import record_markdown
from designs.generation import design_generate
from designs.models import Design, Job, Project, RequirementsVersion
from designs.services import design_slug
from designs.views import designs as design_views
from tests.bench.curve_bench import WORKLOAD  # every entity sharded, a search index

ENTITIES = 40


def generated(entities: int = ENTITIES) -> dict[str, Any]:
    document = synthetic_document(entities)
    document["workload"] = dict(WORKLOAD)
    return document


@pytest.fixture
def version(alice: User, alice_project: Project) -> RequirementsVersion:
    return services.requirements_save(project=alice_project, document=generated(), created_by=alice)


@pytest.fixture
def design(alice: User, version: RequirementsVersion) -> Design:
    stored, _ = design_generate(version=version, created_by=alice)
    return stored


def htmx_get(client: Client, url: str) -> str:
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_a_version_too_large_to_edit_is_outlined_by_context_not_written_out(
    alice_client: Client, version: RequirementsVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = version.get_absolute_url()
    assert "entity_0001" in alice_client.get(url).content.decode()  # small: the whole YAML
    monkeypatch.setattr(editor, "EDITOR_LIMITS", (("entities", 10),))
    page = alice_client.get(url).content.decode()
    assert "entity_0001" not in page
    assert "This document has 40 entities" in page
    contexts = re.findall(r"<tr><td>(context_\d)</td><td>(\d+)</td></tr>", page)
    assert len(contexts) == 8 and sum(int(count) for _, count in contexts) == ENTITIES
    assert f'hx-get="{url}" hx-trigger="load"' in page
    assert "Primary store" not in page  # the recommendation comes once the page is shown


def test_a_large_versions_recommendation_is_fetched_on_its_own(
    alice_client: Client, version: RequirementsVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(editor, "EDITOR_LIMITS", (("entities", 10),))
    panel = htmx_get(alice_client, version.get_absolute_url())
    assert panel.startswith('<section id="recommendation"')
    assert "Primary store" in panel and "<h1" not in panel


def test_a_large_versions_recommendation_is_the_one_its_design_stored(
    alice: User,
    alice_client: Client,
    version: RequirementsVersion,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(editor, "EDITOR_LIMITS", (("entities", 10),))
    advised = htmx_get(alice_client, version.get_absolute_url())
    design_generate(version=version, created_by=alice)

    def advise(*args: object, **kwargs: object) -> None:
        raise AssertionError("the stored recommendation is advised again")

    monkeypatch.setattr(services, "advise", advise)
    assert htmx_get(alice_client, version.get_absolute_url()) == advised


def test_the_panel_lists_the_first_sharding_keys_and_counts_the_others(
    alice_client: Client, design: Design
) -> None:
    keys = design.recommendation["scaling"]["sharding"]["keys"]
    assert len(keys) > services.ROWS_SHOWN
    page = alice_client.get(design.get_absolute_url()).content.decode()
    more = len(keys) - services.ROWS_SHOWN
    assert f"and {more} more entities, in the design's <code>recommendation.json</code>" in page
    assert keys[services.ROWS_SHOWN - 1]["entity"] in page
    assert f"<li>{keys[services.ROWS_SHOWN]['entity']} by" not in page


def test_a_components_patterns_past_the_first_are_counted(
    alice_client: Client, design: Design, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = [c for c in design.recommendation["components"] if len(c["patterns"]) > 2]
    assert served, "a component serves several patterns"
    monkeypatch.setattr(services, "LINKS_SHOWN", 2)
    page = alice_client.get(design.get_absolute_url()).content.decode()
    assert f'<span class="muted">and {len(served[0]["patterns"]) - 2} more</span>' in page
    assert f">{served[0]['patterns'][2]}</a>" not in page


def section_rows(page: str) -> dict[str, bool]:
    """Each context of the page's schema, and whether the page holds its rows."""
    sections = re.findall(r'<details class="context".*?</details>', page, re.S)
    return {
        re.search(r"<strong>(.*?)</strong>", section)[1]: "<h3>Indexes</h3>" in section
        for section in sections
    }


def test_a_small_schema_holds_the_rows_of_every_context(
    alice_client: Client, design: Design
) -> None:
    page = alice_client.get(design.get_absolute_url()).content.decode()
    rows = section_rows(page)
    assert len(rows) == 9 and all(rows.values())  # eight contexts and the tables of none
    assert 'hx-trigger="toggle once' not in page


def test_a_large_schema_holds_one_contexts_rows_and_fetches_another_when_opened(
    alice_client: Client, design: Design, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema_sections, "SECTIONS_INLINE_ROWS", 10)
    url = design.get_absolute_url()
    page = alice_client.get(url).content.decode()
    rows = section_rows(page)
    assert list(rows.values()) == [True] + [False] * 8
    first, _, third, *_ = rows
    fetch = f"?dialect=postgresql&amp;context={third}"
    assert f'hx-get="{fetch}" hx-trigger="toggle once from:closest details"' in page
    assert f'href="{fetch}#schema"' in page  # without JavaScript, a link

    opened = htmx_get(alice_client, f"{url}?dialect=postgresql&context={third}")
    assert "<h3>Indexes</h3>" in opened and "<details" not in opened
    tables = set(re.findall(r"<td><code>(entity_\d+)</code></td>", opened))
    contexts = design.details["postgresql"]["table_contexts"]
    assert tables and {contexts[table] for table in tables} == {third}

    linked = section_rows(alice_client.get(f"{url}?context={third}").content.decode())
    assert linked[third] and not linked[first]


def test_an_unknown_context_is_not_found(alice_client: Client, design: Design) -> None:
    response = alice_client.get(f"{design.get_absolute_url()}?context=nowhere")
    assert response.status_code == 404


def test_a_long_architecture_document_folds_its_long_sections_until_one_is_opened(
    alice_client: Client, design: Design, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = reverse("design_architecture", args=[design.project_id, design.number])
    whole = alice_client.get(url).content.decode()
    assert "<details" not in whole and "<h2>Indexes and the patterns they serve</h2>" in whole
    monkeypatch.setattr(document_sections, "DOCUMENT_INLINE_CHARS", 1000)
    monkeypatch.setattr(document_sections, "SECTION_INLINE_CHARS", 2000)
    text = design.files.get(path="architecture.md").content
    sections = document_sections.document_sections(text)
    folded = [n for n, section in enumerate(sections) if len(section.body) > 2000]
    assert folded and len(folded) < len(sections)

    page = alice_client.get(url).content.decode()
    assert page.count('<details class="document-section"') == len(folded)
    for section in sections:  # every heading stays, in its order
        assert section.heading.lstrip("# ") in page
    longest = max(folded, key=lambda n: len(sections[n].body))
    assert f'hx-get="?section={longest}" hx-trigger="toggle once from:closest details"' in page
    assert len(page) < len(whole)

    opened = htmx_get(alice_client, f"{url}?section={longest}")
    assert "<h1" not in opened and len(opened) > 2000
    assert opened.strip() in alice_client.get(url, {"section": longest}).content.decode()


def test_a_long_decision_record_folds_its_long_sections_too(
    alice_client: Client, design: Design, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = max(design.project.decisions.all(), key=lambda r: len(record_markdown(r)))
    url = record.get_absolute_url()
    whole = alice_client.get(url).content.decode()
    monkeypatch.setattr(document_sections, "DOCUMENT_INLINE_CHARS", 1000)
    monkeypatch.setattr(document_sections, "SECTION_INLINE_CHARS", 2000)
    page = alice_client.get(url).content.decode()
    folded = re.findall(r'<details class="document-section" hx-get="\?section=(\d+)"', page)
    assert folded and len(page) < len(whole)
    assert page.count("<h1") == 1  # the record's title stays the page's, not the document's
    opened = htmx_get(alice_client, f"{url}?section={folded[0]}")
    assert len(opened) > 1000 and opened.strip() in whole


def test_a_migration_between_large_versions_is_planned_once_the_page_is_shown(
    alice: User,
    alice_client: Client,
    alice_project: Project,
    version: RequirementsVersion,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    changed = generated()
    changed["entities"][0]["attributes"].append({"name": "note", "type": "text"})
    services.requirements_save(project=alice_project, document=changed, created_by=alice)
    url = reverse("migration_detail", args=[alice_project.pk])
    assert 'id="migration-form"' in alice_client.get(url).content.decode()  # small: at once
    monkeypatch.setattr(editor, "EDITOR_LIMITS", (("entities", 10),))
    page = alice_client.get(url, {"old": 1, "new": 2}).content.decode()
    assert 'id="migration-form"' not in page
    assert f'hx-get="{url}?old=1&amp;new=2" hx-trigger="load"' in page
    assert f'href="{url}?old=1&amp;new=2&amp;plan=now"' in page  # without JavaScript
    plan = htmx_get(alice_client, f"{url}?old=1&new=2")
    assert plan.lstrip().startswith('<div id="migration">') and "note" in plan
    now = alice_client.get(url, {"old": 1, "new": 2, "plan": "now"}).content.decode()
    assert 'id="migration-form"' in now and "<h1>" in now


def test_a_large_designs_zip_is_written_by_a_job_once_and_then_downloaded_at_once(
    alice_client: Client,
    design: Design,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,
) -> None:
    url = reverse("design_zip", args=[design.project_id, design.number])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(url)  # its diagram drawn by a job first
    small = alice_client.get(url)
    assert small.status_code == 200 and small["Content-Type"] == "application/zip"
    monkeypatch.setattr(design_views, "ARCHIVE_APART_TABLES", 10)
    with django_capture_on_commit_callbacks(execute=True):
        first = alice_client.get(url)
    job = Job.objects.get(kind="archive")
    assert job.status == Job.Status.SUCCEEDED
    download = reverse("job_download", args=[design.project_id, job.pk])
    assert first.status_code == 302 and first["Location"] == job.get_absolute_url()
    again = alice_client.get(url)
    assert again.status_code == 302 and again["Location"] == download
    assert Job.objects.filter(kind="archive").count() == 1  # written once
    zipped = alice_client.get(download)
    assert zipped["Content-Disposition"] == f'attachment; filename="{design_slug(design)}.zip"'
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        names = set(archive.namelist())
    with zipfile.ZipFile(io.BytesIO(small.content)) as archive:
        assert names == set(archive.namelist())


def test_a_large_designs_zip_not_written_yet_sends_to_its_job(
    alice_client: Client,
    design: Design,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,
) -> None:
    url = reverse("design_zip", args=[design.project_id, design.number])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(url)  # its diagram drawn by a job first
    monkeypatch.setattr(design_views, "ARCHIVE_APART_TABLES", 10)
    response = alice_client.get(url)
    job = Job.objects.get(kind="archive")  # queued: its task runs once the request commits
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()


def test_a_large_versions_yaml_downloads_at_once_as_a_small_ones(
    alice_client: Client, version: RequirementsVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = reverse("version_download", args=[version.project_id, version.number])
    small = alice_client.get(url)
    assert small.status_code == 200
    monkeypatch.setattr(editor, "EDITOR_LIMITS", (("entities", 10),))
    large = alice_client.get(url)
    assert large.status_code == 200 and large.content == small.content
    assert large["Content-Disposition"] == small["Content-Disposition"]
    assert not Job.objects.exists()
