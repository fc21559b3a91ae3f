"""A person signs in, edits the demo's requirements, watches the recommendation follow, saves."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from designs import services
from designs.models import Project

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings) -> Project:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    call_command("demo", "--password", "demo-password-for-tests", verbosity=0)
    return Project.objects.get(owner__username="demo")


def sign_in(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo-password-for-tests")
    page.click("button[type=submit]")
    page.wait_for_url("**/projects/")


def test_the_panel_follows_the_form_live_and_the_edit_saves(page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    sign_in(page)
    page.click("text=Online shop")
    page.click("text=Edit requirements")
    panel = page.locator("#recommendation")
    assert panel.locator(".big").inner_text() == "PostgreSQL"
    first_reasons = panel.locator("ol.reasons").inner_text()

    page.fill("[name='workload.writes_per_second']", "200000")
    page.fill("[name='workload.regions']", "3")
    page.wait_for_function(
        "document.querySelector('#recommendation .big')?.innerText !== 'PostgreSQL'"
    )
    assert panel.locator("ol.reasons").inner_text() != first_reasons
    assert panel.locator("a.input-link", has_text="workload.regions").count() >= 1

    page.locator("#entities-0 button", has_text="Add attribute").click()
    page.get_by_label("Attribute 5 name of entity customer", exact=True).fill("nickname")
    page.get_by_label("Attribute 5 type of entity customer", exact=True).select_option("text")
    page.get_by_role("button", name="Remove attribute 3 of entity customer", exact=True).click()

    page.fill("[name='note']", "global scale")
    page.get_by_role("button", name="Save as a new version").click()
    page.wait_for_url("**/versions/3/")  # the demo arrives with two versions
    assert "Saved as version 3." in page.inner_text(".messages")

    version = demo.versions.get(number=3)
    customer = version.document["entities"][0]
    assert [a["name"] for a in customer["attributes"]] == [
        "email",
        "full_name",
        "loyalty_points",
        "nickname",
    ]
    assert version.document["workload"]["writes_per_second"] == 200000
    assert version.note == "global scale"


def test_a_mistake_shows_in_the_panel_and_points_at_its_field(page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    sign_in(page)
    page.goto(f"/projects/{demo.pk}/requirements/")
    page.fill("[name='access_patterns[0].filter']", "skuu")
    problem = page.locator("#recommendation ul.problems li")
    problem.wait_for()
    assert "did you mean 'sku'" in problem.inner_text()
    problem.locator("a").click()
    assert page.evaluate("location.hash") == "#f-access_patterns[0].filter"


def test_from_requirements_to_design_diagram_and_decisions(page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    latest = demo.versions.order_by("-number").first()
    assert latest is not None
    document = {**latest.document, "description": "A version not designed yet."}
    services.requirements_save(project=demo, document=document, created_by=demo.owner)
    sign_in(page)
    page.goto(f"/projects/{demo.pk}/versions/3/")  # the demo's two versions have designs
    page.click("text=Generate the design")
    page.wait_for_url("**/designs/3/")
    assert "CREATE TABLE sales.customer" in page.inner_text("#ddl")  # a schema per context

    page.click("nav.tabs >> text=MySQL / MariaDB")
    page.wait_for_function("document.querySelector('#ddl').innerText.includes(\"ENUM('pending'\")")
    assert page.url.endswith("?dialect=mysql")
    assert "Redis" in page.inner_text("#stores")

    page.click("text=Diagram")
    # The drawing is fetched and shown inline, so its tables can be picked.
    page.locator("[data-panzoom] .diagram-svg svg").wait_for()
    page.check("input[name=mode][value=overview]")
    page.wait_for_url("**mode=overview**")
    drawing = page.locator("[data-panzoom] [data-panzoom-content]")
    drawing.locator("svg").wait_for()
    page.click("[data-zoom=in]")
    assert "scale(" in (drawing.get_attribute("style") or "")

    page.goto(f"/projects/{demo.pk}/decisions/")
    assert "Use PostgreSQL as the primary store" in page.inner_text("ol.timeline")


def test_the_pages_work_under_the_content_security_policy(strict_page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    page = strict_page
    page.goto("/accounts/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo-password-for-tests")
    page.click("button[type=submit]")
    page.wait_for_url("**/projects/")
    page.goto(f"/projects/{demo.pk}/requirements/")
    rows = page.locator("#entities-0-attributes [data-row]")
    before = rows.count()
    rows.nth(1).locator("[data-remove-row]").click()  # the page script, not an inline handler
    assert rows.count() == before - 1
    page.fill("[name='workload.regions']", "3")
    page.locator("#recommendation a.input-link", has_text="workload.regions").first.wait_for()
    page.goto(f"/projects/{demo.pk}/designs/1/diagram/")
    drawing = page.locator("[data-panzoom] [data-panzoom-content]")
    drawing.locator("svg").wait_for()
    page.click("[data-zoom=in]")
    assert "scale(" in (drawing.get_attribute("style") or "")
    assert page.violations == []
