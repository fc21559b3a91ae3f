"""The whole journey in a browser, as a new person takes it: sign up, create a project, describe
it in the editor while the panel follows, design it, read and download the schema and the
diagram, change the workload until the primary store changes and find the superseding decision,
then import an existing schema and see its diagram.

Elements are found by their role, label or text, so that a restyled page keeps the journey.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from advisor.engine import advise
from advisor.recommendation import Recommendation
from advisor.requirements import parse_requirements
from advisor.requirements.fields import FIELDS, FIELDS_TABLE
from designs.editor import short_label
from designs.models import Decision, Project
from tests.advisor.conftest import postgres_database  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
CHINOOK = ROOT.parent / "shared" / "corpus" / "chinook" / "chinook_postgresql.sql"
PASSWORD = "a journey through the advisor"

pytestmark = pytest.mark.django_db(transaction=True)

LABELS = {field.path: field.label for field in FIELDS_TABLE}

# What the person types, as a requirements document: the test types each value into the
# editor, and asks the engine what it recommends for the same document.
BOOKINGS: dict[str, Any] = {
    "format": "advisor/v1",
    "project": "Bookings",
    "description": "Guests book rooms.",
    "workload": {"writes_per_second": 50},
    "entities": [
        {"name": "guest", "attributes": [{"name": "email", "type": "string"}]},
        {"name": "booking", "attributes": [{"name": "starts_on", "type": "date"}]},
    ],
    "relationships": [{"from": "booking", "to": "guest", "cardinality": "many-to-one"}],
    "access_patterns": [
        {
            "name": "bookings_of_guest",
            "entity": "booking",
            "operation": "read",
            "kind": "lookup",
            "filter": ["guest"],
        }
    ],
}


def recommended(document: dict[str, Any], **workload: int) -> Recommendation:
    changed = copy.deepcopy(document)
    changed["workload"].update(workload)
    return advise(parse_requirements(changed))


def label(path: str) -> str:
    return LABELS[path]


def row_field(page: Any, row: str, path: str, of: str = "") -> Any:
    """The input of `path` in the editor row named `row` ("Attribute 1", "Access pattern 2"),
    as a screen reader names it: "Attribute 1 type of entity guest"."""
    return page.get_by_label(f"{row} {short_label(FIELDS[path])}{of}", exact=True)


def sign_up(page: Any, username: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/projects/")


def create_project(page: Any, name: str) -> None:
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Description").fill(BOOKINGS["description"])
    page.get_by_role("button", name="Create project").click()
    page.get_by_role("heading", name=name, level=1).wait_for()


def add_row(page: Any, button: str) -> None:
    """Click an "add row" button and wait for htmx to append the row."""
    with page.expect_response(lambda response: "/requirements/row/" in response.url):
        page.get_by_role("button", name=button, exact=True).last.click()


def describe(page: Any, document: dict[str, Any]) -> None:
    """Type `document` into an empty editor, row by row."""
    page.get_by_label(label("workload.writes_per_second")).fill(
        str(document["workload"]["writes_per_second"])
    )
    for e, entity in enumerate(document["entities"], 1):
        add_row(page, "Add entity")
        row_field(page, f"Entity {e}", "entities[].name").fill(entity["name"])
        for a, attribute in enumerate(entity["attributes"], 1):
            add_row(page, "Add attribute")
            of = f" of entity {entity['name']}"
            attribute_field = f"Attribute {a}"
            row_field(page, attribute_field, "entities[].attributes[].name", of).fill(
                attribute["name"]
            )
            row_field(page, attribute_field, "entities[].attributes[].type", of).select_option(
                attribute["type"]
            )
    for r, relationship in enumerate(document["relationships"], 1):
        add_row(page, "Add relationship")
        row = f"Relationship {r}"
        row_field(page, row, "relationships[].from").fill(relationship["from"])
        row_field(page, row, "relationships[].to").fill(relationship["to"])
        row_field(page, row, "relationships[].cardinality").select_option(
            relationship["cardinality"]
        )
    for p, pattern in enumerate(document["access_patterns"], 1):
        add_row(page, "Add access pattern")
        row = f"Access pattern {p}"
        row_field(page, row, "access_patterns[].name").fill(pattern["name"])
        row_field(page, row, "access_patterns[].entity").fill(pattern["entity"])
        row_field(page, row, "access_patterns[].operation").select_option(pattern["operation"])
        row_field(page, row, "access_patterns[].kind").select_option(pattern["kind"])
        row_field(page, row, "access_patterns[].filter").fill(", ".join(pattern["filter"]))


def panel_says(page: Any, text: str) -> None:
    """Wait until the live recommendation panel (the region htmx swaps) shows `text`."""
    page.locator("#recommendation").get_by_text(text).first.wait_for()


def diagram_words(page: Any, alt: str) -> set[str]:
    """On a design's diagram page: wait for the drawing, download it as SVG, and return the
    words it writes (an SVG that does not parse as XML fails here)."""
    # The page shows the drawing as an image, then inline (its tables can be picked), named
    # the same either way: wait until it is there in its inline form.
    page.get_by_role("group", name=alt).locator("svg").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="SVG", exact=True).click()
    svg = ElementTree.parse(download.value.path()).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    return {word for element in svg.iter() for word in (element.text or "").split()}


def test_a_new_person_designs_redesigns_and_imports_in_the_browser(
    page: Any,
    postgres_database: Any,  # noqa: F811 (the fixture imported above)
) -> None:
    sign_up(page, "journey")
    create_project(page, "Bookings")
    project = Project.objects.get(owner__username="journey", name="Bookings")
    tables = {entity["name"] for entity in BOOKINGS["entities"]}

    page.get_by_role("link", name="Describe the requirements").first.click()
    describe(page, BOOKINGS)
    first = recommended(BOOKINGS)
    panel_says(page, first.scaling.sharding.reason)

    # Ten times the writes: the panel says what the engine says for them, then goes back.
    writes = BOOKINGS["workload"]["writes_per_second"]
    busier = recommended(BOOKINGS, writes_per_second=writes * 10)
    assert busier.scaling.sharding.reason != first.scaling.sharding.reason
    page.get_by_label(label("workload.writes_per_second")).fill(str(writes * 10))
    panel_says(page, busier.scaling.sharding.reason)
    page.get_by_label(label("workload.writes_per_second")).fill(str(writes))
    panel_says(page, first.scaling.sharding.reason)
    panel_says(page, first.primary.name)

    page.get_by_role("button", name="Save as a new version").click()
    page.wait_for_url("**/versions/1/")
    # What was typed is the document the engine was asked about above.
    saved = project.versions.get(number=1).document
    assert parse_requirements(saved) == parse_requirements(BOOKINGS)

    page.get_by_role("button", name="Generate the design").click()
    page.wait_for_url("**/designs/1/")
    dialects = page.get_by_role("navigation", name="SQL dialect")
    dialects.get_by_role("link", name="MySQL / MariaDB").click()
    page.wait_for_url("**/designs/1/?dialect=mysql")
    page.get_by_role("link", name="Download schema/mysql.sql").wait_for()
    dialects.get_by_role("link", name="PostgreSQL", exact=True).click()
    page.wait_for_url("**/designs/1/?dialect=postgresql")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download schema/postgresql.sql").click()
    postgres_database.execute(Path(download.value.path()).read_text(encoding="utf-8"))
    made = postgres_database.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
    )
    assert tables <= {name for (name,) in made}

    page.get_by_role("link", name="Diagram", exact=True).click()
    assert tables <= diagram_words(page, "Entity-relationship diagram of Bookings")

    # The writes grow until the engine moves the primary store: its decision is superseded.
    rate, moved = next(
        (rate, result)
        for rate in (writes * 10**n for n in range(1, 6))
        if (result := recommended(BOOKINGS, writes_per_second=rate)).primary.name
        != first.primary.name
    )
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Edit requirements").click()
    page.get_by_label(label("workload.writes_per_second")).fill(str(rate))
    panel_says(page, moved.primary.name)
    page.get_by_role("button", name="Save as a new version").click()
    page.wait_for_url("**/versions/2/")
    page.get_by_role("button", name="Generate the design").click()
    page.wait_for_url("**/designs/2/")

    new = Decision.objects.get(project=project, key="primary-store", supersedes__isnull=False)
    old = new.supersedes
    assert old is not None
    assert moved.primary.name in new.title and first.primary.name in old.title
    page.get_by_role("link", name="Decision log").click()
    earlier = page.get_by_role("listitem").filter(has_text=old.title)
    assert f"Superseded by {new.number:04d}" in earlier.inner_text()
    page.get_by_role("link", name=new.title).click()
    page.get_by_role("heading", name=f"What changed from {old.number:04d}").wait_for()
    change = page.get_by_role("listitem").filter(has_text="workload.writes_per_second")
    assert change.locator(".old").inner_text() == f"{writes:,}"
    assert change.locator(".new").inner_text() == f"{rate:,}"

    # An existing schema, imported, is designed and drawn.
    if not CHINOOK.exists():
        pytest.skip(f"the import step needs the shared corpus at {CHINOOK}")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Import a schema").click()
    page.get_by_label("Schema file").set_input_files(CHINOOK)
    page.get_by_role("button", name="Import as a new version").click()
    page.get_by_text("Imported 11 tables as version 3.").wait_for()  # ../shared/README.md
    page.get_by_role("link", name="Open v3").click()
    page.get_by_role("button", name="Generate the design").click()
    page.wait_for_url("**/designs/3/")
    page.get_by_role("link", name="Diagram", exact=True).click()
    imported = {entity["name"] for entity in project.versions.get(number=3).document["entities"]}
    assert imported <= diagram_words(page, "Entity-relationship diagram of Bookings")
