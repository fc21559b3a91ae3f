"""In a browser, the YAML editor's panel follows the text as it is typed, under the app's
Content-Security-Policy."""

from __future__ import annotations

import os

import pytest
import yaml

from designs.models import Project
from tests.e2e.test_requirements_journey import demo, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["demo"]


def test_the_panel_follows_the_yaml_as_it_is_typed(strict_page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    page = strict_page
    sign_in(page)
    page.goto(f"/projects/{demo.pk}/requirements/yaml/")
    panel = page.locator("#recommendation")
    assert panel.locator(".big").inner_text() == "PostgreSQL"
    text = page.input_value("#yaml-text")

    with page.expect_response("**/requirements/yaml/preview/"):
        page.fill("#yaml-text", "format: advisor/v1\nproject: [Shop\n")
    assert "line 3, column 1 not valid YAML or JSON" in panel.inner_text()

    with page.expect_response("**/requirements/yaml/preview/"):
        page.fill("#yaml-text", text)
    assert panel.locator(".big").inner_text() == "PostgreSQL"
    if os.environ.get("YAML_EDITOR_SCREENSHOT"):
        page.screenshot(path=os.environ["YAML_EDITOR_SCREENSHOT"], full_page=False)
    assert not page.violations


def test_a_panel_link_selects_the_line_of_the_text_that_holds_the_field(  # type: ignore[no-untyped-def]
    strict_page, demo: Project
) -> None:
    page = strict_page
    sign_in(page)
    page.goto(f"/projects/{demo.pk}/requirements/yaml/")
    second = yaml.safe_load(page.input_value("#yaml-text"))["access_patterns"][1]["name"]
    for field, line in (
        ("workload.consistency", "consistency: strong"),
        ("access_patterns[1].name", f"- name: {second}"),
    ):
        link = page.locator(f'#recommendation a[href$="#f-{field}"]').first
        link.evaluate("link => link.click()")  # also when its section is folded
        selected = page.locator("#yaml-text").evaluate(
            "text => text.value.substring(text.selectionStart, text.selectionEnd)"
        )
        assert selected.strip() == line
    assert page.evaluate("document.activeElement.id") == "yaml-text"
    assert not page.violations
