"""The Diagram view of a design: drawings cached by content hash, every format downloadable."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from designs import services
from designs.generation import design_generate
from designs.models import Design, Job, Project, RenderedDiagram

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
    assert 'hx-trigger="every 1s"' in page  # the job waits for its commit; the page polls
    job = Job.objects.get(kind="diagram")
    assert job.params["mode"] == "overview"


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
