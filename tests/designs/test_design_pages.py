"""The design, its records and the project's history read well: one title per page, stores by
their names, changes as a person writes them, a verdict first, guidance when a page is empty."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from designs import services
from designs.demo import demo_setup
from designs.generation import design_generate
from designs.models import Project
from tests.designs.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(db: None) -> Project:
    demo_setup(password="demo-password-for-tests")
    return Project.objects.get(owner__username="demo")


@pytest.fixture
def demo_client(demo: Project) -> Client:
    return client_for(demo.owner)


def demo_urls(project: Project) -> dict[str, str]:
    """Every screen of the design and history, for the demo's second design."""
    superseding = project.decisions.filter(supersedes__isnull=False).first()
    assert superseding is not None, "the demo has a superseded record"
    return {
        "project list": reverse("project_list"),
        "project": project.get_absolute_url(),
        "version": project.versions.get(number=2).get_absolute_url(),
        "design": project.designs.get(number=2).get_absolute_url(),
        "architecture": reverse("design_architecture", args=[project.pk, 2]),
        "records": reverse("decision_list", args=[project.pk]),
        "record": superseding.get_absolute_url(),
        "write a record": reverse("decision_create", args=[project.pk]),
    }


def test_every_screen_has_exactly_one_h1(demo: Project, demo_client: Client) -> None:
    for name, url in demo_urls(demo).items():
        page = demo_client.get(url).content.decode()
        assert len(re.findall(r"<h1[\s>]", page)) == 1, name


def test_the_design_page_leads_with_the_verdict_and_the_gap_of_each_alternative(
    demo: Project, demo_client: Client
) -> None:
    design = demo.designs.get(number=2)
    page = demo_client.get(design.get_absolute_url()).content.decode()
    recommendation = design.recommendation
    verdict = page.index('id="verdict"')
    assert verdict < page.index('id="schema"'), "the verdict comes before the schema"
    margin = recommendation["confidence"]["margin"]
    assert f"{margin} points</span> ahead of {recommendation['confidence']['runner_up_name']}" in (
        page
    )
    for flip in recommendation["confidence"]["flips"]:
        assert f"{flip['change']} → <strong>{flip['name']}</strong>" in page
    primary = recommendation["primary"]["score"]
    behind = [a for a in recommendation["alternatives"] if a["category"] != "relational"]
    for alternative in behind:
        gap = round(primary - alternative["score"], 1)
        assert f'<span class="gap">{gap} points behind</span>' in page, alternative["category"]
    lost = next(a for a in behind if a["feasible"])
    assert lost["behind"], "an alternative that lost says where"
    assert f"most on {lost['behind'][0]['label']} (−{lost['behind'][0]['points']})" in page


def test_bars_span_the_lowest_to_the_highest_score(demo: Project, demo_client: Client) -> None:
    design = demo.designs.get(number=2)
    response = demo_client.get(design.get_absolute_url())
    bars = [a["bar"] for a in response.context["recommendation"]["alternatives"]]
    assert max(bars) == 100 and min(bars) <= 10, "the lowest score's bar is short, not 55% full"


def test_stores_are_named_as_the_matrix_names_them(alice, alice_project) -> None:
    case = yaml.safe_load((ROOT / "tests/fixtures/cases/facebook-tao.yaml").read_text())
    version = services.requirements_save(
        project=alice_project, document=case["requirements"], created_by=alice
    )
    design, _ = design_generate(version=version, created_by=alice)
    assert "clickhouse" in {store["technology"] for store in design.details["stores"]}
    page = client_for(alice).get(design.get_absolute_url()).content.decode()
    assert "<h3>ClickHouse <span" in page
    assert "Clickhouse" not in page


def test_the_project_history_interleaves_versions_and_the_records_they_caused(
    demo: Project, demo_client: Client
) -> None:
    page = demo_client.get(demo.get_absolute_url()).content.decode()
    history = page[page.index('<ol class="history">') :]
    superseding = demo.decisions.filter(supersedes__isnull=False).order_by("number")
    first_record = demo.decisions.order_by("number").first()
    v1, v2 = history.index("<strong>v1</strong>"), history.index("<strong>v2</strong>")
    first = history.index(f">Record {first_record.number:04d}</a>")
    assert v1 < first < v2, "the first design's records come between v1 and v2"
    assert '<code>workload.reads_per_second</code>: <span class="old">3,000</span>' in history
    for record in superseding:
        line = f">Record {record.number:04d}</a> supersedes "
        assert v2 < history.index(line), "a superseding record follows the version that caused it"
        assert f"record {record.supersedes.number:04d}</a>" in history
    assert "Because of <code>workload.reads_per_second</code>" in history


def test_an_empty_project_list_offers_a_first_project_and_the_example(db: None) -> None:
    client = client_for(User.objects.create_user("newcomer", password="x" * 12))
    page = client.get(reverse("project_list")).content.decode()
    assert "Create your first project" in page and "Try the example" in page
    response = client.post(reverse("project_example"))
    project = Project.objects.get(owner__username="newcomer")
    assert response["Location"] == project.get_absolute_url()
    assert project.versions.count() == 1 and not project.designs.exists()


def test_a_project_without_a_design_explains_generating_one(alice, alice_project) -> None:
    client = client_for(alice)
    page = client.get(alice_project.get_absolute_url()).content.decode()
    assert "Describe the requirements" in page and "Generate a design" not in page
    services.requirements_save(
        project=alice_project, document={"format": "advisor/v1", "project": "L"}, created_by=alice
    )
    page = client.get(alice_project.get_absolute_url()).content.decode()
    assert "Generate a design</button>" in page
    assert reverse("design_generate", args=[alice_project.pk, 1]) in page
    assert "records every decision in the decision log" in page
    log = client.get(reverse("decision_list", args=[alice_project.pk])).content.decode()
    assert "Records appear when you generate a design" in log


def test_a_large_design_page_lists_the_largest_and_offers_long_schemas_as_downloads(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advisor.requirements.synthetic import synthetic_document
    from designs.views import designs as design_views

    owner = User.objects.create_user("big", password="big-project-password")
    project = Project.objects.create(owner=owner, name="Estate")
    version = services.version_create(
        project=project, document=synthetic_document(40), created_by=owner
    )
    design, _ = design_generate(version=version, created_by=owner)
    recommendation = design.recommendation
    assert len(recommendation["volumes"]) == 40 and len(recommendation["work"]) > 40
    monkeypatch.setattr(design_views, "STORE_INLINE_CHARS", 100)
    page = client_for(owner).get(design.get_absolute_url()).content.decode()

    assert "The 15 largest entities; 25 smaller ones are in the design" in page
    heaviest = len(recommendation["work"]) - 15
    assert f"The 15 heaviest access patterns; {heaviest} lighter ones" in page
    # Of the stores beside the primary, none is written into the page; each can be downloaded.
    stores = design.details["stores"]
    assert stores and page.count("is too long to read here: download it.") >= len(stores) - 1
    for store in stores:
        assert f"Download {store['path']}" in page
    biggest = max(len(reason["inputs"]) for reason in recommendation["trace"])
    assert biggest > 12 and f"and {biggest - 12} more" in page
