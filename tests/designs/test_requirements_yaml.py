"""The YAML editor: the requirements as text beside the live panel, saved as a new version."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from advisor.requirements.fields import MAX_DOCUMENT_BYTES
from designs import editor, services
from designs.models import Project, RequirementsVersion

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "docs" / "examples" / "online-shop.yaml"


@pytest.fixture
def shop(alice, alice_project: Project) -> RequirementsVersion:
    document = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    return services.requirements_save(project=alice_project, document=document, created_by=alice)


def page_url(project: Project) -> str:
    return reverse("requirements_yaml", args=[project.pk])


def panel_url(project: Project) -> str:
    return reverse("requirements_yaml_preview", args=[project.pk])


def textarea(page: str) -> str:
    found = re.search(r'<textarea id="yaml-text"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, "the page has no YAML textarea"
    return html.unescape(found.group(1)).removeprefix("\n")  # HTML drops a first newline


def test_the_page_holds_the_versions_canonical_yaml_and_its_recommendation(
    alice_client: Client, shop: RequirementsVersion
) -> None:
    page = alice_client.get(f"{page_url(shop.project)}?from={shop.number}").content.decode()
    assert textarea(page) == services.version_yaml(shop)
    assert "editing from v1" in page
    assert "Primary store" in page
    assert f'hx-post="{panel_url(shop.project)}"' in page


def test_the_panel_follows_the_text(alice_client: Client, shop: RequirementsVersion) -> None:
    text = services.version_yaml(shop)
    panel = alice_client.post(panel_url(shop.project), {"text": text}).content.decode()
    assert panel.startswith('<section id="recommendation"')
    assert "Primary store" in panel and "<h1" not in panel


def test_unreadable_yaml_is_shown_at_its_line_and_column(
    alice_client: Client, shop: RequirementsVersion
) -> None:
    text = "format: advisor/v1\nproject: [Shop\n"
    response = alice_client.post(panel_url(shop.project), {"text": text})
    panel = response.content.decode()
    assert response.status_code == 200
    assert "Fix 1 problem" in panel
    assert re.search(r"<code>line 3, column 1</code> not valid YAML or JSON", panel)


def test_invalid_requirements_are_shown_at_their_field(
    alice_client: Client, shop: RequirementsVersion
) -> None:
    text = services.version_yaml(shop).replace("type: decimal", "type: decimals", 1)
    panel = alice_client.post(panel_url(shop.project), {"text": text}).content.decode()
    assert "Primary store" not in panel
    assert re.search(r"<code>entities\[\d+\]\.attributes\[\d+\]\.type</code>", panel)
    assert 'href="#f-' not in panel  # no form fields to point at


def test_a_document_over_the_size_limit_is_refused_with_the_limit(
    alice_client: Client, shop: RequirementsVersion
) -> None:
    text = services.version_yaml(shop) + "#" * MAX_DOCUMENT_BYTES
    panel = alice_client.post(panel_url(shop.project), {"text": text}).content.decode()
    assert f"at most {MAX_DOCUMENT_BYTES:,}" in panel


def test_saving_the_text_makes_a_new_version(
    alice_client: Client, shop: RequirementsVersion
) -> None:
    text = services.version_yaml(shop).replace("project: ", "project: New ", 1)
    response = alice_client.post(page_url(shop.project), {"text": text, "note": "renamed"})
    latest = shop.project.versions.order_by("-number").first()
    assert latest.number == 2 and latest.note == "renamed"
    assert latest.document["project"].startswith("New ")
    assert response.status_code == 302 and response["Location"] == latest.get_absolute_url()


def test_saving_the_text_unchanged_stores_nothing_and_says_so(
    alice_client: Client, shop: RequirementsVersion
) -> None:
    text = services.version_yaml(shop)
    response = alice_client.post(page_url(shop.project), {"text": text}, follow=True)
    assert shop.project.versions.count() == 1
    assert "Nothing changed since v1; not saved." in response.content.decode()


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(lambda text: text + "\n  : [unclosed\n", id="unreadable"),
        pytest.param(lambda text: text.replace("type: decimal", "type: decimals", 1), id="invalid"),
    ],
)
def test_a_refused_save_keeps_the_text_as_typed(
    alice_client: Client, shop: RequirementsVersion, broken
) -> None:
    text = broken(services.version_yaml(shop)).replace("\n", "\r\n")  # a browser posts CRLF
    response = alice_client.post(
        page_url(shop.project), {"text": text, "note": "mine", "base": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert shop.project.versions.count() == 1
    assert textarea(page) == text
    assert 'value="mine"' in page and "Not saved: 1 problem" in page
    assert "editing from v1" in page


def test_another_users_project_is_not_found(
    charlie_client: Client, shop: RequirementsVersion
) -> None:
    text = services.version_yaml(shop)
    assert charlie_client.get(page_url(shop.project)).status_code == 404
    assert charlie_client.post(page_url(shop.project), {"text": text}).status_code == 404
    assert charlie_client.post(panel_url(shop.project), {"text": text}).status_code == 404
    assert shop.project.versions.count() == 1


def test_a_document_beyond_the_form_leads_to_the_yaml_editor(
    alice_client: Client, shop: RequirementsVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    yaml_editor = f"{page_url(shop.project)}?from={shop.number}"
    form = alice_client.get(reverse("requirements_edit", args=[shop.project.pk])).content.decode()
    assert f'class="button secondary" href="{yaml_editor}">Edit as YAML' in form
    monkeypatch.setattr(editor, "EDITOR_LIMITS", (("entities", 2),))
    page = alice_client.get(reverse("requirements_edit", args=[shop.project.pk])).content.decode()
    assert "too large to edit as a form" in page
    assert f'class="button" href="{yaml_editor}">Edit as YAML' in page
    assert "Primary store" in alice_client.get(yaml_editor).content.decode()


def test_a_version_page_offers_the_yaml_editor(
    alice_client: Client, shop: RequirementsVersion
) -> None:
    page = alice_client.get(shop.get_absolute_url()).content.decode()
    assert f'href="{page_url(shop.project)}?from={shop.number}">Edit as YAML' in page
