"""Hostile requirements documents are refused with a 400 that says why, and nothing is saved."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from advisor.requirements.fields import (
    EDITOR_MAX_ACCESS_PATTERNS,
    EDITOR_MAX_ATTRIBUTES,
    EDITOR_MAX_ENTITIES,
    EDITOR_MAX_RELATIONSHIPS,
    MAX_DOCUMENT_BYTES,
)
from designs import services
from designs.models import Design, Project, RequirementsVersion
from tests.advisor.hostile import PARAMS
from tests.designs.forms_in_html import form_fields


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize(("text", "message"), PARAMS)
def test_a_hostile_import_is_a_400_that_says_why_and_saves_nothing(
    alice_client: Client, alice_project: Project, text: str, message: str
) -> None:
    upload = SimpleUploadedFile("shop.yaml", text.encode("utf-8", "surrogatepass"))
    response = alice_client.post(
        reverse("requirements_import", args=[alice_project.pk]), {"file": upload}
    )
    assert response.status_code == 400
    if f"{MAX_DOCUMENT_BYTES:,}" not in message:  # the form states the limit in its own words
        assert message in text_of(response.content.decode())
    assert not RequirementsVersion.objects.exists()
    assert not Design.objects.exists()


def test_nul_typed_into_the_editor_is_a_400_beside_the_field(
    alice_client: Client, alice_project: Project
) -> None:
    url = reverse("requirements_edit", args=[alice_project.pk])
    response = alice_client.post(url, {"project": "Shop", "description": "a\x00b", "save": "1"})
    assert response.status_code == 400
    assert "contains a NUL character (\\x00)" in text_of(response.content.decode())
    assert not RequirementsVersion.objects.exists()


def _at_the_limits() -> dict[str, object]:
    per_entity = EDITOR_MAX_ATTRIBUTES // EDITOR_MAX_ENTITIES
    entities = [
        {
            "name": f"entity_{i}",
            "attributes": [
                {"name": f"attribute_{j}", "type": "string", "length": 80, "required": True}
                for j in range(per_entity)
            ],
        }
        for i in range(EDITOR_MAX_ENTITIES)
    ]
    relationships = [
        {
            "from": f"entity_{i % EDITOR_MAX_ENTITIES}",
            "to": f"entity_{(i + 1) % EDITOR_MAX_ENTITIES}",
            "name": f"relationship_{i}",
            "cardinality": "many-to-one",
        }
        for i in range(EDITOR_MAX_RELATIONSHIPS)
    ]
    patterns = [
        {
            "name": f"pattern_{i}",
            "entity": "entity_0",
            "operation": "read",
            "kind": "lookup",
            "filter": ["attribute_0"],
        }
        for i in range(EDITOR_MAX_ACCESS_PATTERNS)
    ]
    return {
        "format": "advisor/v1",
        "project": "Big",
        "entities": entities,
        "relationships": relationships,
        "access_patterns": patterns,
    }


def test_the_editor_posts_a_document_at_the_limits_to_the_panel_and_saves_it(
    alice, alice_client: Client, alice_project: Project
) -> None:
    services.requirements_save(project=alice_project, document=_at_the_limits(), created_by=alice)
    url = reverse("requirements_edit", args=[alice_project.pk])
    fields = form_fields(alice_client.get(url).content.decode(), "requirements-form")
    fields["workload.reads_per_second"] = "4000"
    body = urlencode(fields)
    form = "application/x-www-form-urlencoded"
    preview = reverse("requirements_preview", args=[alice_project.pk])
    assert alice_client.post(preview, body, content_type=form).status_code == 200
    assert alice_client.post(url, body + "&save=1", content_type=form).status_code == 302
    assert alice_project.versions.count() == 2


def test_a_post_over_the_field_limit_says_what_happened(
    alice_client: Client, alice_project: Project
) -> None:
    body = urlencode({f"entities[{i}].name": f"e{i}" for i in range(45_000)})
    url = reverse("requirements_edit", args=[alice_project.pk])
    response = alice_client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    page = text_of(response.content.decode())
    assert "Nothing was saved" in page and f"{EDITOR_MAX_ENTITIES} entities" in page


def test_a_document_beyond_the_editor_is_edited_as_a_file_and_the_editor_says_so(
    alice, alice_client: Client, alice_project: Project
) -> None:
    document = _at_the_limits()
    entities = document["entities"]
    assert isinstance(entities, list)
    entities.append({"name": "one_more"})
    services.requirements_save(project=alice_project, document=document, created_by=alice)
    page = alice_client.get(reverse("requirements_edit", args=[alice_project.pk]))
    assert page.status_code == 200
    text = text_of(page.content.decode())
    assert f"{EDITOR_MAX_ENTITIES + 1} entities" in text and "Import YAML/JSON" in text
    assert 'id="requirements-form"' not in page.content.decode()
