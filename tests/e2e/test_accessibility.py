"""Every screen passes axe-core's WCAG 2 A/AA rules without a serious or critical violation, fits
a phone's 390 px without scrolling sideways, and shows where the keyboard focus is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from tests.e2e.accessibility import (
    axe_violations,
    blocking,
    dangling_references,
    describe,
    header_offset,
    overflowing,
    page_width,
    unfocused_looking,
)
from tests.e2e.screens import SCREENS, DemoSite, Screen, demo_site, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site() -> DemoSite:
    return demo_site()


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, base_url=live_server.url, bypass_csp=True
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def visit(page: Page, site: DemoSite, screen: Screen) -> None:
    page.goto(site.url(screen))
    page.wait_for_load_state("networkidle")


def screen_faults(page: Page, phone: Page, site: DemoSite, screen: Screen) -> list[str]:
    """What is wrong with `screen`: axe-core's serious and critical violations on a desktop,
    sideways scrolling on a 390 px phone, and controls whose keyboard focus does not show."""
    faults = []
    visit(page, site, screen)
    if found := blocking(axe_violations(page)):
        faults.append("axe-core found:\n" + describe(screen.name, found))
    if dangling_references(page):
        faults.append(f"{screen.name}: aria references to no element")
    if (offset := header_offset(page)) > 1:
        faults.append(f"{screen.name}: the header starts {offset:.0f}px away from the page")
    visit(phone, site, screen)
    if (width := page_width(phone)) > PHONE["width"]:
        faults.append(
            f"{screen.name} is {width}px wide on a {PHONE['width']}px phone; too wide: "
            + "; ".join(overflowing(phone))
        )
    if invisible := unfocused_looking(phone, presses=12):
        faults.append(f"{screen.name}: focus does not show on " + "; ".join(invisible))
    return faults


def test_every_screen_passes_axe_fits_a_phone_and_shows_focus(
    page: Page, phone: Page, site: DemoSite
) -> None:
    # One walk over the list with one demo (its two designs are most of the cost): the screens
    # of a visitor first, then the signed-in ones.
    faults = []
    for signed_in in (False, True):
        if signed_in:
            for tab in (page, phone):
                sign_in(tab)
        for screen in SCREENS:
            if screen.signed_in == signed_in:
                faults += screen_faults(page, phone, site, screen)
    assert not faults, "\n".join(faults)


def test_the_skip_link_shows_when_focused_and_leads_to_the_content(
    page: Page, site: DemoSite
) -> None:
    sign_in(page)
    page.goto(f"/projects/{site.project}/")
    skip = page.get_by_role("link", name="Skip to content")
    hidden = skip.bounding_box()
    assert hidden is not None and hidden["y"] + hidden["height"] <= 0  # above the window
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    shown = skip.bounding_box()
    assert shown is not None and shown["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


@pytest.mark.parametrize("template", ["400.html", "500.html"])
def test_the_error_pages_pass_axe_and_fit_a_phone(phone: Page, template: str) -> None:
    phone.set_content(render_to_string(template))
    found = blocking(axe_violations(phone))
    assert not found, "axe-core found:\n" + describe(template, found)
    assert page_width(phone) <= PHONE["width"], "; ".join(overflowing(phone))


def test_a_form_with_mistakes_reads_its_errors_and_help_to_a_screen_reader(page: Page) -> None:
    page.goto("/accounts/signup/")
    page.fill("#id_password1", "short")
    page.click("button[type=submit]")
    page.locator(".field.invalid").first.wait_for()
    found = blocking(axe_violations(page))
    assert not found, "axe-core found:\n" + describe("signup with mistakes", found)
    assert dangling_references(page) == []
    described = page.get_attribute("#id_password1", "aria-describedby") or ""
    assert "at least 8 characters" in " ".join(
        page.inner_text(f"[id='{id}']") for id in described.split()
    )


# The checks themselves: each finds the fault it is there to find.


def test_the_focus_check_finds_a_control_whose_focus_does_not_show(page: Page) -> None:
    page.set_content(
        "<style>a:focus { outline: none }</style>"
        '<a href="#one">shows</a> <a href="#two" style="outline: none">hidden</a>'
    )
    page.add_style_tag(content="a[href='#one']:focus-visible { outline: 2px solid blue }")
    found = unfocused_looking(page, presses=2)
    assert len(found) == 1 and '"hidden"' in found[0]


def test_the_overflow_check_names_what_is_too_wide_and_lets_a_scroll_box_be(phone: Page) -> None:
    phone.set_content(
        '<meta name="viewport" content="width=device-width">'
        '<div style="overflow-x: auto">'
        '<table style="width: 900px"><tr><td>fine</td></tr></table></div>'
        '<pre class="wide" style="width: 700px">too wide</pre>'
    )
    assert page_width(phone) > PHONE["width"]
    assert overflowing(phone) == ["pre.wide (right edge 708px)"]
    phone.set_content(
        '<main id="content"><section><p>'
        '<code style="display: inline-block; width: 20px; margin-left: 500px">x</code>'
    )
    assert overflowing(phone) == ["main#content > section > p > code (right edge 528px)"]
