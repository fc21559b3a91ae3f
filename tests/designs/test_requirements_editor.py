"""The requirements editor, its live panel, import and export, as a person uses them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from advisor.requirements import read_requirements
from designs import services
from designs.editor import FORM_FIELDS
from designs.models import Project, RequirementsVersion
from tests.designs.forms_in_html import form_fields

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "docs" / "examples" / "online-shop.yaml"


@pytest.fixture
def shop(alice, alice_project: Project) -> Project:
    document = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    services.requirements_save(project=alice_project, document=document, created_by=alice)
    return alice_project


def editor_url(project: Project) -> str:
    return reverse("requirements_edit", args=[project.pk])


def editor_form(client: Client, project: Project) -> dict[str, str]:
    page = client.get(editor_url(project)).content.decode()
    return form_fields(page, "requirements-form")


def test_the_editor_shows_the_latest_version_and_its_recommendation(
    alice_client: Client, shop: Project
) -> None:
    page = alice_client.get(editor_url(shop)).content.decode()
    assert 'value="order_item"' in page
    assert 'id="recommendation"' in page
    assert "Primary store" in page
    assert "PostgreSQL" in page


def test_saving_the_form_unchanged_stores_nothing(alice_client: Client, shop: Project) -> None:
    fields = editor_form(alice_client, shop)
    response = alice_client.post(editor_url(shop), {**fields, "save": "1"}, follow=True)
    assert "Nothing changed since v1; not saved." in response.content.decode()
    assert shop.versions.count() == 1


def test_the_form_round_trips_every_field_of_the_demo(alice_client: Client, shop: Project) -> None:
    fields = editor_form(alice_client, shop)
    fields["workload.writes_per_second"] = "450"
    response = alice_client.post(editor_url(shop), {**fields, "note": "more writes"})
    assert response.status_code == 302
    first, second = (services.requirements_of(v) for v in shop.versions.order_by("number"))
    assert second.workload.writes_per_second == 450
    # Everything but the edited figure survived the trip through the page.
    assert first.entities == second.entities
    assert first.relationships == second.relationships
    assert first.access_patterns == second.access_patterns
    assert second.workload.reads_per_second == first.workload.reads_per_second
    assert shop.versions.get(number=2).note == "more writes"


def test_invalid_input_shows_errors_beside_the_fields_and_saves_nothing(
    alice_client: Client, shop: Project
) -> None:
    fields = editor_form(alice_client, shop)
    fields["workload.reads_per_second"] = "-5"
    fields["relationships[0].to"] = "custmer"
    response = alice_client.post(editor_url(shop), fields)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Not saved: 2 problems to fix" in page
    assert re.search(r'id="err-workload.reads_per_second">.*?</ul>', page, re.S)
    error = re.search(r'id="err-relationships\[0\].to">(.*?)</ul>', page, re.S)
    assert error and "custmer" in error.group(1)
    assert 'value="custmer"' in page  # what was typed is kept
    assert shop.versions.count() == 1


def test_a_new_project_starts_from_an_empty_form_and_saves_version_1(
    alice_client: Client, alice_project: Project
) -> None:
    fields = editor_form(alice_client, alice_project)
    assert fields["project"] == alice_project.name
    fields.update(
        {
            "entities[0].name": "customer",
            "entities[0].attributes[0].name": "email",
            "entities[0].attributes[0].type": "string",
            "entities[0].attributes[0].unique": "1",
        }
    )
    response = alice_client.post(editor_url(alice_project), fields)
    version = alice_project.versions.get()
    assert response["Location"] == version.get_absolute_url()
    entity = services.requirements_of(version).entities[0]
    assert entity.attributes[0].unique is True


def test_the_live_panel_answers_with_the_panel_only(alice_client: Client, shop: Project) -> None:
    fields = editor_form(alice_client, shop)
    url = reverse("requirements_preview", args=[shop.pk])
    response = alice_client.post(url, fields, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="recommendation"')
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html  # the entity names offered in the form follow along
    assert '<option value="order_item">' in html
    assert shop.versions.count() == 1


def test_the_live_panel_follows_a_jump_in_write_rate_across_regions(
    alice_client: Client, shop: Project
) -> None:
    fields = editor_form(alice_client, shop)
    url = reverse("requirements_preview", args=[shop.pk])
    before = alice_client.post(url, fields).content.decode()
    fields.update({"workload.writes_per_second": "200000", "workload.regions": "3"})
    after = alice_client.post(url, fields).content.decode()
    assert before != after
    assert "workload.writes_per_second" in after
    assert "workload.regions" in after


def test_the_live_panel_shows_the_margin_and_what_would_change_the_answer(
    alice_client: Client, shop: Project
) -> None:
    fields = editor_form(alice_client, shop)
    url = reverse("requirements_preview", args=[shop.pk])
    html = alice_client.post(url, fields, HTTP_HX_REQUEST="true").content.decode()
    assert "confidence</strong>: " in html
    assert "What would change this answer" in html
    assert "2 write regions →" in html


def test_the_live_panel_lists_problems_pointing_at_their_fields(
    alice_client: Client, shop: Project
) -> None:
    fields = editor_form(alice_client, shop)
    fields["access_patterns[1700000000].name"] = "by colour"
    fields["access_patterns[1700000000].entity"] = "product"
    fields["access_patterns[1700000000].filter"] = "colour"
    html = alice_client.post(reverse("requirements_preview", args=[shop.pk]), fields).content
    assert b'href="#f-access_patterns[1700000000].filter"' in html


def test_a_row_for_each_list(alice_client: Client, shop: Project) -> None:
    url = reverse("requirements_row", args=[shop.pk])
    for where, field in [
        ("entities", "name"),
        ("entities[0].attributes", "type"),
        ("relationships", "cardinality"),
        ("access_patterns", "kind"),
    ]:
        html = alice_client.get(url, {"add": where}).content.decode()
        assert re.search(rf'name="{re.escape(where)}\[\d+\]\.{field}"', html), where
        assert "<html" not in html
    assert alice_client.get(url, {"add": "bogus"}).status_code == 400


def test_rows_are_added_and_removed_without_javascript(alice_client: Client, shop: Project) -> None:
    fields = editor_form(alice_client, shop)
    page = alice_client.post(editor_url(shop), {**fields, "add": "relationships"}).content
    assert b'name="relationships[8].from"' in page
    page = alice_client.post(editor_url(shop), {**fields, "remove": "entities[0]"}).content
    entity_names = re.findall(rb'name="entities\[\d+\]\.name" id="[^"]*" value="([^"]*)"', page)
    assert entity_names == [b"address", b"category", b"product", b"order", b"order_item"]
    assert shop.versions.count() == 1


def test_import_a_yaml_file_as_a_new_version(alice_client: Client, alice_project: Project) -> None:
    upload = SimpleUploadedFile("shop.yaml", DEMO.read_bytes(), content_type="application/yaml")
    response = alice_client.post(
        reverse("requirements_import", args=[alice_project.pk]), {"file": upload}
    )
    version = alice_project.versions.get()
    assert response["Location"] == version.get_absolute_url()
    assert version.note == "Imported from shop.yaml."
    assert services.requirements_of(version) == read_requirements(DEMO.read_text())


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        pytest.param({"text": ""}, "Choose a file or paste a document.", id="nothing"),
        pytest.param({"text": "project: [Shop"}, "pasted text:1:15: not valid YAML", id="bad-yaml"),
        pytest.param(
            {"text": "format: advisor/v1\nproject: Shop\nentites: []\n"},
            "entites",
            id="unknown-key",
        ),
        pytest.param(
            {"file": SimpleUploadedFile("shop.yaml", b"project: \xff\xfe")},
            "“shop.yaml” is not UTF-8 text",
            id="not-utf8",
        ),
    ],
)
def test_a_bad_import_says_where_and_what_and_saves_nothing(
    alice_client: Client, alice_project: Project, payload: dict[str, object], message: str
) -> None:
    response = alice_client.post(reverse("requirements_import", args=[alice_project.pk]), payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RequirementsVersion.objects.exists()


def test_the_import_page_states_the_size_it_takes(
    alice_client: Client, alice_project: Project
) -> None:
    url = reverse("requirements_import", args=[alice_project.pk])
    page = alice_client.get(url).content.decode()
    stated = int(re.search(r"file, up to (\d+) MB", page).group(1)) * 2**20  # type: ignore[union-attr]
    document = b"format: advisor/v1\nproject: Shop\n"
    padded = document + b"#" * (stated - len(document) - 1) + b"\n"
    upload = SimpleUploadedFile("big.yaml", padded)
    assert alice_client.post(url, {"file": upload}).status_code == 302
    upload = SimpleUploadedFile("bigger.yaml", padded + b"\n")
    response = alice_client.post(url, {"file": upload})
    assert f"“bigger.yaml” is {stated + 1:,} bytes" in response.content.decode()
    assert alice_project.versions.count() == 1


def test_an_exported_version_imports_to_the_same_requirements(
    alice_client: Client, shop: Project
) -> None:
    text = alice_client.get(reverse("version_download", args=[shop.pk, 1])).content.decode()
    assert text.startswith("format: advisor/v1\nproject: Online shop\n")
    assert read_requirements(text) == services.requirements_of(shop.versions.get())


def test_the_format_and_its_schema_are_published(client: Client) -> None:
    assert "advisor/v1" in client.get(reverse("requirements_format")).content.decode()
    schema = client.get(reverse("requirements_schema"))
    assert schema.json()["properties"]["format"]["const"] == "advisor/v1"


def test_the_editor_has_an_input_with_its_label_for_every_field_of_the_table(
    alice_client: Client, shop: Project
) -> None:
    page = alice_client.get(editor_url(shop)).content.decode()
    missing = [
        field.path
        for fields in FORM_FIELDS.values()
        for field in fields
        if f'name="{field.path.replace("[]", "[0]")}"' not in page
        or f">{field.label}" not in page
        or any(f'<option value="{choice}"' not in page for choice in field.choices)
    ]
    assert missing == []


def test_the_live_panel_shows_estimated_rows_and_the_weight_of_each_pattern(
    alice_client: Client, shop: Project
) -> None:
    fields = editor_form(alice_client, shop)
    url = reverse("requirements_preview", args=[shop.pk])
    html = alice_client.post(url, fields, HTTP_HX_REQUEST="true").content.decode()
    assert "<h3>Data and work</h3>" in html
    assert '<span class="muted">est.</span>' in html
    assert "Rows each time" in html and "%</td>" in html


def test_saving_an_edit_keeps_the_lint_section_the_form_has_no_inputs_for(
    alice_client: Client, alice, alice_project: Project
) -> None:
    document = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    document["lint"] = {"ignore": [{"rule": "reserved_word", "reason": "quoted on purpose"}]}
    services.requirements_save(project=alice_project, document=document, created_by=alice)
    fields = editor_form(alice_client, alice_project)
    fields["workload.writes_per_second"] = "450"
    response = alice_client.post(editor_url(alice_project), {**fields, "note": "more writes"})
    assert response.status_code == 302
    first, second = (services.requirements_of(v) for v in alice_project.versions.order_by("number"))
    assert second.workload.writes_per_second == 450
    assert second.lint == first.lint and second.lint.ignore


def test_after_a_refused_save_the_heading_names_the_version_the_edit_started_from(
    alice_client: Client, alice, shop: Project
) -> None:
    document = {**shop.versions.get().document, "description": "v2"}
    services.requirements_save(project=shop, document=document, created_by=alice)
    page = alice_client.get(editor_url(shop), {"from": 1}).content.decode()
    fields = form_fields(page, "requirements-form")
    assert fields["base"] == "1"
    fields["workload.reads_per_second"] = "-5"
    response = alice_client.post(editor_url(shop), fields)
    assert response.status_code == 400
    assert "editing from v1" in response.content.decode()
    assert "data-unsaved" in response.content.decode()  # the page script warns before leaving


def applies(page: str, name: str) -> str:
    """Whether the page shows the input `name` ("yes"), or hides it once the script runs."""
    found = re.search(rf'data-applies="(yes|no)">\s*<[^>]*"(?:f-)?{re.escape(name)}"', page)
    assert found, name
    return found.group(1)


def test_fields_that_apply_only_to_some_types_or_kinds_are_marked_by_the_rows_own(
    alice_client: Client, shop: Project
) -> None:
    page = alice_client.get(editor_url(shop)).content.decode()
    email, price = "entities[0].attributes[0]", "entities[3].attributes[3]"
    assert f'name="{price}.name" id="f-{price}.name" value="price"' in page
    assert applies(page, f"{email}.length") == "yes"  # a string
    assert applies(page, f"{email}.precision") == "no"
    assert applies(page, f"{email}.case_insensitive") == "yes"
    assert applies(page, f"{price}.precision") == "yes"  # a decimal
    assert applies(page, f"{price}.length") == "no"
    assert applies(page, f"{price}.case_insensitive") == "no"
    assert applies(page, "access_patterns[0].depth") == "no"  # a lookup


def test_a_new_row_shows_the_fields_of_its_first_type(alice_client: Client, shop: Project) -> None:
    html = alice_client.get(
        reverse("requirements_row", args=[shop.pk]), {"add": "entities[0].attributes"}
    ).content.decode()
    assert re.search(r'data-applies="yes">\s*<label for="f-[^"]*\.length"', html)
    assert re.search(r'data-applies="no">\s*<label for="f-[^"]*\.dimensions"', html)


def test_every_input_of_a_row_is_named_after_its_row(alice_client: Client, shop: Project) -> None:
    page = alice_client.get(editor_url(shop)).content.decode()
    for name in (
        "Entity 1 name",
        "Entity 1 unique keys",
        "Attribute 1 name of entity customer",
        "Attribute 2 required of entity customer",
        "Relationship 1 from (holds the reference)",
        "Access pattern 2 filter on",
        "Remove attribute 1 of entity customer",
        "Move access pattern 1 down",
    ):
        assert f'aria-label="{name}"' in page, name


def test_unique_keys_read_as_names_together(alice_client: Client, alice, shop: Project) -> None:
    document = shop.versions.get().document
    customer = document["entities"][0]
    customer["attributes"][0]["case_insensitive"] = True
    customer["unique"] = [["email", "full_name"], ["phone"]]
    services.requirements_save(project=shop, document=document, created_by=alice)
    page = alice_client.get(editor_url(shop)).content.decode()
    assert 'value="email,full_name; phone"' in page
    summary = re.search(r"data-keys-summary>(.*?)</p>", page, re.S)
    assert summary
    text = " ".join(re.sub(r"<[^>]+>", " ", summary.group(1)).split())
    assert "email + full_name (together) (ignoring case of email)" in text
    assert "phone" in text


def test_a_project_without_entities_is_guided_to_its_first(
    alice_client: Client, alice_project: Project
) -> None:
    page = alice_client.get(editor_url(alice_project)).content.decode()
    assert "Add your first entity" in page
    assert 'class="message info needs"' in page  # the live panel says what it needs
    fields = editor_form(alice_client, alice_project)
    fields["entities[0].name"] = "customer"
    html = alice_client.post(reverse("requirements_preview", args=[alice_project.pk]), fields)
    assert b'class="message info needs"' not in html.content


def test_a_restored_draft_is_shown_to_save_and_nothing_is_stored(
    alice_client: Client, shop: Project
) -> None:
    fields = editor_form(alice_client, shop)
    fields.update({"workload.writes_per_second": "450", "restore": "1"})
    response = alice_client.post(editor_url(shop), fields)
    assert response.status_code == 200
    assert 'name="workload.writes_per_second" id="f-workload.writes_per_second" value="450"' in (
        response.content.decode()
    )
    assert shop.versions.count() == 1


def test_the_editor_has_no_inline_script_or_handler(alice_client: Client, shop: Project) -> None:
    page = alice_client.get(editor_url(shop)).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert not re.search(r"\s(on[a-z]+|hx-on[:\w-]*)=", page)
