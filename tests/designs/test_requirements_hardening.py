"""Hostile requirements documents are refused with a 400 that says why, and nothing is saved."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from designs.models import Design, Project, RequirementsVersion
from tests.advisor.hostile import PARAMS


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
    if "2,097,152" not in message:  # the form states the upload limit in its own words
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
