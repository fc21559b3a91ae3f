"""The Diagram view of a design: drawings cached by content hash, every format downloadable."""

from __future__ import annotations

import io
import json
import os
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisor.erd.tables import TABLES_FILE
from designs import services
from designs.diagram_tables import diagram_tables
from designs.diagrams import archive_view
from designs.generation import design_generate
from designs.models import Design, Job, Project, RenderedDiagram
from designs.tasks import design_job_start

DEMO = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "docs" / "examples" / "online-shop.yaml").read_text()
)


@pytest.fixture
def shop_design(alice, alice_project: Project) -> Design:
    version = services.requirements_save(project=alice_project, document=DEMO, created_by=alice)
    design, _ = design_generate(version=version, created_by=alice)
    return design


def file_url(design: Design, format: str) -> str:
    return reverse("design_diagram_file", args=[design.project_id, design.number, format])


def test_the_diagram_page_shows_the_drawing_and_draws_it_once(
    alice_client: Client, shop_design: Design, django_capture_on_commit_callbacks
) -> None:
    page_url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(page_url)
    page = alice_client.get(page_url).content.decode()
    assert "data-panzoom" in page
    assert f'src="{file_url(shop_design, "svg")}?mode=full&amp;inline=1"' in page
    svg = alice_client.get(file_url(shop_design, "svg"), {"mode": "full", "inline": "1"})
    assert svg["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(svg.content)
    text = " ".join(root.itertext())
    assert "order_item" in text and "customer" in text
    alice_client.get(page_url)
    assert RenderedDiagram.objects.count() == 1
    assert Job.objects.filter(kind="diagram").count() == 1


def test_a_drawing_not_yet_made_is_drawn_by_a_job_and_the_page_polls(
    alice_client: Client, shop_design: Design
) -> None:
    page_url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    page = alice_client.get(page_url, {"mode": "overview"}).content.decode()
    job = Job.objects.get(kind="diagram")  # it waits for its commit: the page polls its status
    assert job.params["mode"] == "overview"
    status = reverse("job_status", args=[job.project_id, job.pk])
    assert f'hx-get="{status}?poll=1" hx-trigger="load delay:1s"' in page
    assert f'hx-get="{page_url}?mode=overview" hx-trigger="job-finished from:body"' in page


@pytest.mark.parametrize(
    ("format", "starts"),
    [
        ("dot", b"digraph"),
        ("mermaid", b"erDiagram"),
        ("dbml", b'Project "Online shop"'),
        ("plantuml", b"@startuml"),
        ("png", b"\x89PNG"),
        ("pdf", b"%PDF"),
        ("svg", b"<?xml"),
    ],
)
def test_every_format_downloads(
    alice_client: Client, shop_design: Design, django_capture_on_commit_callbacks, format, starts
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.get(file_url(shop_design, format), {"mode": "compact"})
    if response.status_code == 302:  # drawn by a job: the job page, then the file again
        response = alice_client.get(file_url(shop_design, format), {"mode": "compact"})
    assert response.status_code == 200
    assert response.content.lstrip().startswith(starts)
    assert "attachment;" in response["Content-Disposition"]


def test_a_context_filter_draws_only_that_context_and_what_it_references(
    alice_client: Client, shop_design: Design
) -> None:
    dot = alice_client.get(file_url(shop_design, "dot"), {"context": "catalogue"}).content
    assert b"catalogue" in dot
    assert b"order_item" not in dot


def test_an_unknown_context_or_format_is_404(alice_client: Client, shop_design: Design) -> None:
    assert alice_client.get(file_url(shop_design, "dot"), {"context": "nope"}).status_code == 404
    assert alice_client.get(file_url(shop_design, "gif")).status_code == 404


def dot_of(client: Client, design: Design, **query: str) -> str:
    response = client.get(file_url(design, "dot"), query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("mode", "context", "path"),
    [
        ("full", "", "erd/views/full.dot"),
        ("overview", "", "erd/views/overview.dot"),
        ("compact", "sales", "erd/views/context-sales/compact.dot"),
    ],
)
def test_each_view_is_the_dot_the_design_stored(
    alice_client: Client, shop_design: Design, mode: str, context: str, path: str
) -> None:
    shop_design.files.filter(path=path).update(content="digraph erd { stored }")
    assert dot_of(alice_client, shop_design, mode=mode, context=context) == "digraph erd { stored }"


def test_the_page_offers_every_stored_mode_and_one_context_at_a_time(
    alice_client: Client, shop_design: Design
) -> None:
    url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    page = alice_client.get(url, {"mode": "compact", "context": "sales"}).content.decode()
    assert 'name="mode" value="overview"' in page
    assert 'name="context" value="catalogue"' in page and 'type="radio" name="context"' in page
    assert 'name="context" value="sales" checked' in page
    assert f'href="{file_url(shop_design, "png")}?mode=compact&amp;context=sales"' in page


def test_a_context_name_is_escaped_in_every_link(alice, alice_project: Project) -> None:
    document = {
        "format": "advisor/v1",
        "project": "Lab",
        "entities": [{"name": "sample", "context": "R&D <lab>"}, {"name": "invoice"}],
    }
    version = services.requirements_save(project=alice_project, document=document, created_by=alice)
    design, _ = design_generate(version=version, created_by=alice)
    client = Client()
    client.force_login(alice)
    url = reverse("design_diagram", args=[design.project_id, design.number])
    page = client.get(url, {"context": "R&D <lab>"}).content.decode()
    assert "context=R%26D+%3Clab%3E" in page and "<lab>" not in page
    dot = dot_of(client, design, context="R&D <lab>")
    assert "sample" in dot and "invoice" not in dot


def test_a_design_stored_with_one_view_shows_that_view(
    alice_client: Client, shop_design: Design, django_capture_on_commit_callbacks
) -> None:
    shop_design.files.filter(path__startswith="erd/views").delete()
    stored = shop_design.files.get(path="erd/erd.dot").content
    url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    with django_capture_on_commit_callbacks(execute=True):
        page = alice_client.get(url, {"mode": "overview", "context": "sales"})
    assert page.status_code == 200
    assert "stored with one view of its diagram" in page.content.decode()
    assert dot_of(alice_client, shop_design, mode="overview") == stored
    job = Job.objects.get(kind="diagram")
    assert job.status == Job.Status.SUCCEEDED
    assert "data-panzoom" in alice_client.get(url).content.decode()


def test_a_design_stored_without_a_diagram_says_so(
    alice_client: Client, shop_design: Design
) -> None:
    shop_design.files.filter(path__startswith="erd/").delete()
    url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    page = alice_client.get(url)
    assert page.status_code == 200
    assert "stored without a diagram" in page.content.decode()
    assert alice_client.get(file_url(shop_design, "dot")).status_code == 404
    assert alice_client.get(file_url(shop_design, "svg")).status_code == 404
    assert not Job.objects.filter(kind="diagram").exists()


def test_a_design_whose_names_hold_brackets_draws_every_view(
    alice, alice_client: Client, alice_project: Project, django_capture_on_commit_callbacks
) -> None:
    document = {
        "format": "advisor/v1",
        "project": "]",
        "entities": [{"name": "]", "context": "]"}, {"name": "[x]", "context": "R&D"}],
        "relationships": [{"from": "[x]", "to": "]", "cardinality": "many-to-one"}],
    }
    version = services.requirements_save(project=alice_project, document=document, created_by=alice)
    design, _ = design_generate(version=version, created_by=alice)
    for context in ("", "]", "R&D"):
        with django_capture_on_commit_callbacks(execute=True):
            alice_client.get(file_url(design, "svg"), {"mode": "full", "context": context})
        svg = alice_client.get(file_url(design, "svg"), {"mode": "full", "context": context})
        assert svg.status_code == 200, context
        assert b"<svg" in svg.content
    assert not Job.objects.filter(kind="diagram", status="failed").exists()


def test_deleting_a_project_deletes_its_drawings_and_no_one_elses(
    alice, alice_client: Client, shop_design: Design, django_capture_on_commit_callbacks
) -> None:
    other = services.project_create(owner=alice, name="Other")
    document = {"format": "advisor/v1", "project": "Other", "entities": [{"name": "thing"}]}
    version = services.requirements_save(project=other, document=document, created_by=alice)
    kept, _ = design_generate(version=version, created_by=alice)
    for design in (shop_design, kept):
        for format in ("svg", "png"):
            with django_capture_on_commit_callbacks(execute=True):
                alice_client.get(file_url(design, format), {"mode": "overview"})
    assert RenderedDiagram.objects.count() == 4
    url = reverse("project_delete", args=[shop_design.project_id])
    assert alice_client.post(url).status_code == 302
    assert RenderedDiagram.objects.count() == 2
    svg = alice_client.get(file_url(kept, "svg"), {"mode": "overview"})
    assert svg.status_code == 200 and b"thing" in svg.content


def test_a_failed_drawing_stays_failed_until_someone_retries_it(
    alice_client: Client,
    shop_design: Design,
    django_capture_on_commit_callbacks,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    page_url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    path = os.environ["PATH"]
    monkeypatch.setenv("PATH", str(tmp_path))  # no Graphviz here
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(page_url)
    for _ in range(2):
        page = unescape(alice_client.get(page_url).content.decode())
        assert "The diagram could not be drawn: Graphviz's 'dot' is not installed" in page
        assert alice_client.get(file_url(shop_design, "svg")).status_code == 302  # to the job
    failed = Job.objects.get(kind="diagram")
    assert failed.status == Job.Status.FAILED
    monkeypatch.setenv("PATH", path)
    retry = reverse("job_retry", args=[shop_design.project_id, failed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(retry, {"next": f"{page_url}?"})
    assert response["Location"] == f"{page_url}?"
    assert "data-panzoom" in alice_client.get(page_url).content.decode()
    assert Job.objects.filter(kind="diagram").count() == 2


def test_a_drawing_whose_worker_was_killed_can_be_drawn_again(
    alice_client: Client, shop_design: Design, django_capture_on_commit_callbacks
) -> None:
    page_url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    alice_client.get(page_url)  # queued: the task waits for a commit that never comes
    killed = Job.objects.get(kind="diagram")
    stopped = timezone.now() - timedelta(minutes=1)
    Job.objects.filter(pk=killed.pk).update(status=Job.Status.RUNNING, heartbeat_at=stopped)
    page = alice_client.get(page_url).content.decode()
    assert "The diagram could not be drawn: The worker stopped" in page
    retry = reverse("job_retry", args=[shop_design.project_id, killed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(retry, {"next": page_url})
    assert "data-panzoom" in alice_client.get(page_url).content.decode()


def test_the_design_zip_holds_the_diagram_as_svg_and_high_dpi_png(
    alice_client: Client, shop_design: Design, django_capture_on_commit_callbacks
) -> None:
    url = reverse("design_zip", args=[shop_design.project_id, shop_design.number])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(url)  # the job drawing them runs once the request commits
    response = alice_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    folder = services.design_slug(shop_design)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        svg = archive.read(f"{folder}/erd/erd.svg")
        png = archive.read(f"{folder}/erd/erd.png")
    root = ElementTree.fromstring(svg)
    assert "order_item" in " ".join(root.itertext())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width_pt = float(root.attrib["width"].removesuffix("pt"))
    width_px = int.from_bytes(png[16:20], "big")
    assert abs(width_px - width_pt * 192 / 72) <= 3  # twice the 96 dpi of a plain PNG
    job = Job.objects.get(kind="diagram")
    assert job.params["formats"] == ["svg", "png"] and job.status == Job.Status.SUCCEEDED
    assert Job.objects.filter(kind="diagram").count() == 1  # drawn once, kept


def test_a_zip_whose_drawings_are_not_made_yet_sends_to_the_job(
    alice_client: Client, shop_design: Design
) -> None:
    url = reverse("design_zip", args=[shop_design.project_id, shop_design.number])
    response = alice_client.get(url)  # the job waits for a commit that never comes
    job = Job.objects.get(kind="diagram")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.params["url"] == url and job.params["label"] == "Download the design (zip)"


def summary_of(page: str) -> str:
    found = re.search(r"data-diagram-summary>(.*?)</span>", page, flags=re.DOTALL)
    assert found is not None
    return " ".join(found.group(1).split())


def test_the_counts_agree_with_the_tables_drawn(alice_client: Client, shop_design: Design) -> None:
    url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    for context, colour, greyed in (("", 6, 0), ("catalogue", 2, 0), ("sales", 4, 1)):
        page = alice_client.get(url, {"mode": "full", "context": context}).content.decode()
        dot = dot_of(alice_client, shop_design, mode="full", context=context)
        drawn = re.findall(r"^\s*t\d+ \[label=", dot, flags=re.MULTILINE)
        assert len(drawn) == colour + greyed
        summary = summary_of(page)
        assert summary.startswith(f"{colour} tables"), summary
        assert ("1 referenced from another context" in summary) == bool(greyed)
        choices = re.sub(r'value="[^"]*"( checked)?> ', "", page)
        assert "catalogue (2)" in choices and "sales (4)" in choices and "all (6)" in choices


def test_the_page_carries_each_table_with_its_columns_indexes_and_patterns(
    alice_client: Client, shop_design: Design, django_capture_on_commit_callbacks
) -> None:
    url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(url)  # drawn by its job
    page = alice_client.get(url).content.decode()
    found = re.search(
        r'<script id="diagram-tables" type="application/json">(.*?)</script>', page, re.DOTALL
    )
    assert found is not None
    tables = {table["name"]: table for table in json.loads(found.group(1))}
    order = tables["order"]
    assert {"customer_id", "status"} <= {column["name"] for column in order["columns"]}
    assert order["neighbours"] == ["address", "customer", "order_item"]
    assert order["context"] == "sales"
    served = {pattern["pattern"] for table in tables.values() for pattern in table["patterns"]}
    details = shop_design.details["postgresql"]
    assert served == {pattern["pattern"] for pattern in details["patterns"]}
    indexed = {(i["name"], name) for name, table in tables.items() for i in table["indexes"]}
    assert indexed == {(index["name"], index["table"]) for index in details["indexes"]}
    dot = dot_of(alice_client, shop_design, mode="full")
    assert f"{order['node']} [label=<" in dot and ">order</B>" in dot.split(f"{order['node']} [")[1]


def test_a_design_made_by_its_job_has_its_zip_drawings_ready(
    alice, alice_client: Client, alice_project: Project, django_capture_on_commit_callbacks
) -> None:
    version = services.requirements_save(project=alice_project, document=DEMO, created_by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        job = design_job_start(version=version, created_by=alice)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.design is not None
    url = reverse("design_zip", args=[alice_project.pk, job.design.number])
    response = alice_client.get(url)
    assert response.status_code == 200  # no job to wait for
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
    folder = services.design_slug(job.design)
    assert {f"{folder}/erd/erd.svg", f"{folder}/erd/erd.png"} <= set(names)
    assert not Job.objects.filter(kind="diagram").exists()


def test_a_design_stored_without_its_schema_shows_the_drawing_without_the_explorer(
    alice_client: Client, shop_design: Design, django_capture_on_commit_callbacks
) -> None:
    shop_design.files.filter(path__in=["model.json", TABLES_FILE]).delete()
    url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(url)
    page = alice_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-panzoom" in html and 'id="diagram-tables"' not in html
    assert "> all (6)" in re.sub(r'value="[^"]*"( checked)?', "", html)


def test_the_tables_a_design_wrote_are_those_its_schema_gives(shop_design: Design) -> None:
    assert shop_design.files.filter(path=TABLES_FILE).exists()
    written = diagram_tables(shop_design)
    assert [table["name"] for table in written][:2] == ["customer", "address"]
    assert any(table["indexes"] and table["patterns"] for table in written)
    shop_design.files.filter(path=TABLES_FILE).delete()  # as a design made before they were
    assert diagram_tables(shop_design) == written
    assert diagram_tables(shop_design, nodes=["t1"]) == [
        table for table in written if table["node"] == "t1" or "address" in table["neighbours"]
    ]


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shop's few tables count as a design too large to open on all of them."""
    monkeypatch.setattr("designs.diagrams.OVERVIEW_MAX_TABLES", 3)


def test_a_large_design_opens_its_diagram_on_its_first_context(
    large: None, alice_client: Client, shop_design: Design
) -> None:
    url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    page = alice_client.get(url).content.decode()
    assert 'name="context" value="catalogue" checked' in page
    assert 'name="context" value="" checked' not in page
    assert "the diagram opens on the first context" in page
    assert f'href="{file_url(shop_design, "png")}?mode=full&amp;context=catalogue"' in page
    assert "order_item" not in dot_of(alice_client, shop_design)  # a link without a context


def test_all_tables_of_a_large_design_stay_one_choice_away(
    large: None, alice_client: Client, shop_design: Design
) -> None:
    url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    page = alice_client.get(url, {"mode": "overview", "context": ""}).content.decode()
    assert 'name="context" value="" checked' in page
    # Every link asks for all tables again: without `context` it would get the first context.
    assert f'href="{file_url(shop_design, "dot")}?mode=overview&amp;context="' in page
    assert f'hx-get="{url}?mode=overview&amp;context=" hx-trigger="job-finished' in page
    overview = shop_design.files.get(path="erd/views/overview.dot").content
    assert dot_of(alice_client, shop_design, mode="overview", context="") == overview


def test_a_large_design_sends_the_tables_of_its_view_apart(
    large: None, alice_client: Client, shop_design: Design, django_capture_on_commit_callbacks
) -> None:
    url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(url, {"mode": "full", "context": "catalogue"})  # drawn by its job
    page = alice_client.get(url, {"mode": "full", "context": "catalogue"}).content.decode()
    tables_url = f"{url}?mode=full&amp;context=catalogue&amp;tables=1"
    assert f'<script type="application/json" id="diagram-tables" data-src="{tables_url}">' in page
    assert "customer_id" not in page  # no column of any table in the page itself
    choices = re.sub(r'value="[^"]*"( checked)?> ', "", page)
    assert "catalogue (2)" in choices and "sales (4)" in choices  # counted from the drawings

    sent = alice_client.get(unescape(tables_url)).json()
    every = {table["name"]: table for table in diagram_tables(shop_design)}
    assert all(every[table["name"]] == table for table in sent)
    dot = dot_of(alice_client, shop_design, mode="full", context="catalogue")
    drawn = set(re.findall(r"^\s*(t\d+) \[label=", dot, flags=re.MULTILINE))
    assert drawn <= {table["node"] for table in sent}
    neighbours = {name for table in sent if table["node"] in drawn for name in table["neighbours"]}
    assert {table["name"] for table in sent} == {
        table["name"] for table in every.values() if table["node"] in drawn
    } | neighbours
    assert len(sent) < len(every)


def test_a_small_design_still_opens_on_all_tables_with_links_as_before(
    alice_client: Client, shop_design: Design
) -> None:
    url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    page = alice_client.get(url).content.decode()
    assert 'name="context" value="" checked' in page
    assert "opens on the first context" not in page
    assert f'href="{file_url(shop_design, "dot")}?mode=full"' in page
    assert "order_item" in dot_of(alice_client, shop_design)


def test_a_large_design_keeps_all_tables_in_its_zip_and_its_api(
    large: None, alice, shop_design: Design
) -> None:
    view = archive_view(shop_design)
    assert view is not None and view.context == ""
    _, secret = services.api_token_create(user=alice, name="CI")
    api = Client(headers={"authorization": f"Bearer {secret}"})
    erd = f"/api/projects/{shop_design.project_id}/designs/{shop_design.number}/erd/dot"
    assert "order_item" in api.get(erd).content.decode()


def test_a_design_too_large_to_draw_downloads_its_zip_with_every_view_and_no_picture(
    monkeypatch: pytest.MonkeyPatch, alice_client: Client, shop_design: Design
) -> None:
    monkeypatch.setattr("advisor.erd.layout.max_drawn_tables", lambda: 3)
    url = reverse("design_zip", args=[shop_design.project_id, shop_design.number])
    response = alice_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
    assert not any(name.endswith(("erd/erd.svg", "erd/erd.png")) for name in names)
    assert any(name.endswith("erd/views/overview.dot") for name in names)
    assert any("erd/views/context-" in name for name in names)


def test_a_view_of_more_tables_than_graphviz_draws_in_time_offers_its_contexts_and_dot(
    monkeypatch: pytest.MonkeyPatch, alice, alice_client: Client, shop_design: Design
) -> None:
    monkeypatch.setattr("advisor.erd.layout.max_drawn_tables", lambda: 5)
    url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    page = unescape(alice_client.get(url, {"context": ""}).content.decode())
    assert "more than Graphviz lays out within its time limit (at most 5), so this view" in page
    assert "Pick one bounded context above, or download the DOT" in page
    assert not Job.objects.filter(kind="diagram").exists()  # nothing is started to time out
    assert f'href="{file_url(shop_design, "dot")}?' in page
    assert f'href="{file_url(shop_design, "svg")}?' not in page
    refused = alice_client.get(file_url(shop_design, "svg"), {"context": ""})
    assert refused.status_code == 422 and b"pick one bounded context" in refused.content
    # One context is drawn as usual.
    assert "(at most 5)" not in alice_client.get(url, {"context": "catalogue"}).content.decode()
    _, secret = services.api_token_create(user=alice, name="CI")
    api = Client(headers={"authorization": f"Bearer {secret}"})
    erd = f"/api/projects/{shop_design.project_id}/designs/{shop_design.number}/erd"
    answer = api.get(f"{erd}/svg")
    assert answer.status_code == 422 and answer.json()["code"] == "too_large"
    assert api.get(f"{erd}/dot").status_code == 200


def test_a_design_too_large_to_draw_whole_says_all_tables_give_the_dot(
    large: None, monkeypatch: pytest.MonkeyPatch, alice_client: Client, shop_design: Design
) -> None:
    url = reverse("design_diagram", args=[shop_design.project_id, shop_design.number])
    assert "Graphviz takes long for that" in alice_client.get(url).content.decode()
    monkeypatch.setattr("advisor.erd.layout.max_drawn_tables", lambda: 5)
    page = alice_client.get(url).content.decode()
    assert "Choose all for the DOT of every table: Graphviz cannot draw that many" in page
