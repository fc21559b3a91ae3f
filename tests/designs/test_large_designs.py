"""A design of thousands of entities reads as well as a small one: its pages fold by context and
fetch the rest when asked, and their long lists show their first items and count the others.
The thresholds are lowered here so that a generated document of 40 entities crosses them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from advisor.requirements.synthetic import synthetic_document
from designs import editor, services
from designs.models import Project, RequirementsVersion

ENTITIES = 40
# Enough writes that the design shards every entity, and a search index serves some reads.
WORKLOAD = {
    "reads_per_second": 100_000,
    "writes_per_second": 20_000,
    "data_volume_gb": 500,
    "growth_gb_per_month": 40,
    "latency_p99_ms": 20,
}


def generated(entities: int = ENTITIES) -> dict[str, Any]:
    document = synthetic_document(entities)
    document["workload"] = dict(WORKLOAD)
    return document


@pytest.fixture
def version(alice: User, alice_project: Project) -> RequirementsVersion:
    return services.requirements_save(project=alice_project, document=generated(), created_by=alice)


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
