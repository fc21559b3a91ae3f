"""The live panel, incremental: a change of a workload or team figure posts those figures alone
and reuses the structure parsed before, with the same panel as the whole form would give."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from designs import services
from designs.editor import FIGURE_PARAMS, panel_context
from designs.models import Project
from designs.panel import STRUCTURES, structure_key, with_figures
from designs.requirements_form import form_to_document
from tests.designs.forms_in_html import form_fields

DEMO = Path(__file__).resolve().parents[2] / "docs" / "examples" / "online-shop.yaml"
FIGURES = FIGURE_PARAMS.split(",")


def saved(project: Project, user: Any, document: dict[str, Any]) -> Project:
    services.requirements_save(project=project, document=document, created_by=user)
    return project


@pytest.fixture
def shop(alice, alice_project: Project) -> Project:
    return saved(alice_project, alice, yaml.safe_load(DEMO.read_text(encoding="utf-8")))


def preview(client: Client, project: Project, data: dict[str, str]) -> str:
    url = reverse("requirements_preview", args=[project.pk])
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def panel_of(html: str) -> str:
    """The panel section, without the key of the structure it was made from."""
    section = html[: html.index("</section>") + len("</section>")]
    return re.sub(r'<input type="hidden" id="panel-structure"[^>]*>', "", section)


def key_in(html: str) -> str:
    return re.search(r'id="panel-structure" name="structure" value="(\w+)"', html)[1]


def editor(client: Client, project: Project) -> tuple[dict[str, str], str]:
    page = client.get(reverse("requirements_edit", args=[project.pk])).content.decode()
    return form_fields(page, "requirements-form"), key_in(page)


def figures_of(fields: dict[str, str], key: str) -> dict[str, str]:
    """What the workload fieldset posts (hx-params): its figures, the team's, and the key."""
    sent = {name: value for name, value in fields.items() if name in FIGURES}
    return sent | {"part": "figures", "structure": key}


def test_a_workload_change_reuses_the_structure_and_shows_the_full_forms_panel(
    alice_client: Client, shop: Project
) -> None:
    fields, key = editor(alice_client, shop)
    panels = []
    for writes in ("450", "90000"):
        fields["workload.writes_per_second"] = writes
        hits = STRUCTURES.hits
        quick = preview(alice_client, shop, figures_of(fields, key))
        assert STRUCTURES.hits == hits + 1
        assert key_in(quick) == key
        full = preview(alice_client, shop, fields)
        assert "Primary store" in quick and panel_of(quick) == panel_of(full)
        panels.append(panel_of(quick))
    assert panels[0] != panels[1]  # the figure changed the answer


def test_the_structure_is_not_parsed_again_for_new_figures(shop: Project) -> None:
    state = form_to_document(
        {"project": "Shop", "entities[0].name": "customer", "workload.reads_per_second": "10"}
    )
    key = panel_context(state)["structure"]
    assert key == structure_key(state)
    kept = STRUCTURES.get(key)
    requirements, _ = with_figures(key, {"workload.reads_per_second": "7000"})
    assert requirements.workload.reads_per_second == 7000
    assert requirements.entities is kept.requirements.entities  # the same objects, not re-read


def test_a_structure_this_process_does_not_hold_asks_the_page_for_the_whole_form(
    alice_client: Client, shop: Project
) -> None:
    fields, _ = editor(alice_client, shop)
    html = preview(alice_client, shop, figures_of(fields, "0" * 32))
    assert 'hx-include="#requirements-form" hx-trigger="load"' in html
    assert 'id="panel-structure"' not in html


def test_a_bad_figure_is_named_beside_its_input_as_the_whole_form_would(
    alice_client: Client, shop: Project
) -> None:
    fields, key = editor(alice_client, shop)
    fields["workload.writes_per_second"] = "lots"
    quick = preview(alice_client, shop, figures_of(fields, key))
    assert '<a href="#f-workload.writes_per_second">' in quick
    assert panel_of(quick) == panel_of(preview(alice_client, shop, fields))
    assert key_in(quick) == key  # the next figure is quick again


def tenants_document() -> dict[str, Any]:
    return {
        "format": "advisor/v1",
        "project": "Tenants",
        "workload": {"tenancy": "shared_schema"},
        "entities": [{"name": "invoice"}, {"name": "account", "tenant": True}],
    }


def test_turning_tenancy_off_with_a_tenants_entity_asks_for_the_whole_form(
    alice, alice_client: Client, alice_project: Project
) -> None:
    project = saved(alice_project, alice, tenants_document())
    fields, key = editor(alice_client, project)
    assert "Primary store" in preview(alice_client, project, figures_of(fields, key))
    fields["workload.tenancy"] = "none"
    assert 'hx-trigger="load"' in preview(alice_client, project, figures_of(fields, key))
    full = preview(alice_client, project, fields)
    assert "entities[1].tenant" in full  # the whole form places the problem on the entity


class _Fieldsets(HTMLParser):
    """The hx-params of each fieldset and the inputs inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[str]]] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "fieldset" and attributes.get("hx-params"):
            self.found.append((attributes["hx-params"] or "", []))
            self.depth = 1
        elif tag == "fieldset" and self.depth:
            self.depth += 1
        elif self.depth and tag in ("input", "select") and attributes.get("name"):
            self.found[-1][1].append(attributes["name"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "fieldset" and self.depth:
            self.depth -= 1


def test_the_workload_and_team_inputs_post_only_their_figures(
    alice_client: Client, shop: Project
) -> None:
    page = alice_client.get(reverse("requirements_edit", args=[shop.pk])).content.decode()
    reader = _Fieldsets()
    reader.feed(page)
    inputs = [name for _, names in reader.found for name in names]
    assert [params for params, _ in reader.found] == [FIGURE_PARAMS, FIGURE_PARAMS]
    assert sorted(inputs) == sorted(FIGURES[2:])  # every figure, nothing of the structure
    assert "workload.writes_per_second" in inputs and "team.expertise" in inputs


def test_figures_typed_back_get_their_panel_again_without_the_engine(
    alice_client: Client, shop: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields, key = editor(alice_client, shop)
    advised = []
    advise = services.advise
    monkeypatch.setattr(services, "advise", lambda *a, **k: advised.append(1) or advise(*a, **k))
    panels = {}
    for writes in ("451", "90001", "451"):
        fields["workload.writes_per_second"] = writes
        hits = STRUCTURES.hits
        panels.setdefault(writes, []).append(preview(alice_client, shop, figures_of(fields, key)))
        assert STRUCTURES.hits == hits + 1  # the structure is reused either way
    assert len(advised) == 2  # 451 typed back is not advised again
    assert panels["451"][0] == panels["451"][1] != panels["90001"][0]
    fields["workload.writes_per_second"] = "451"
    assert panel_of(panels["451"][1]) == panel_of(preview(alice_client, shop, fields))


def test_an_editor_opened_again_on_a_version_is_not_advised_again(
    alice_client: Client, shop: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    advised = []
    advise = services.advise
    monkeypatch.setattr(services, "advise", lambda *a, **k: advised.append(1) or advise(*a, **k))
    first = alice_client.get(reverse("requirements_edit", args=[shop.pk])).content.decode()
    again = alice_client.get(reverse("requirements_edit", args=[shop.pk])).content.decode()
    assert len(advised) <= 1  # none when an earlier test of this process opened it
    assert panel_of(first[first.index('<section id="recommendation"') :]) == panel_of(
        again[again.index('<section id="recommendation"') :]
    )
    fields, _ = editor(alice_client, shop)
    fields["workload.reads_per_second"] = "4321"
    before = len(advised)
    preview(alice_client, shop, fields)  # another workload of the same structure is advised
    assert len(advised) == before + 1
