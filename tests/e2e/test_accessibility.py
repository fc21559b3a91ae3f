"""Every screen passes axe-core's WCAG 2 A/AA rules without a serious or critical violation, fits
a phone's 390 px without scrolling sideways, and shows where the keyboard focus is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from tests.e2e.accessibility import (
    axe_violations,
    blocking,
    describe,
    overflowing,
    page_width,
    unfocused_looking,
)
from tests.e2e.screens import SCREENS, DemoSite, Screen, demo_site, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
screens = pytest.mark.parametrize("screen", SCREENS, ids=[screen.name for screen in SCREENS])


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
    if screen.signed_in:
        sign_in(page)
    page.goto(site.url(screen))
    page.wait_for_load_state("networkidle")


@screens
def test_the_screen_has_no_serious_accessibility_violation(
    page: Page, site: DemoSite, screen: Screen
) -> None:
    visit(page, site, screen)
    found = blocking(axe_violations(page))
    assert not found, "axe-core found:\n" + describe(screen.name, found)


@screens
def test_the_screen_fits_a_phone_without_scrolling_sideways(
    phone: Page, site: DemoSite, screen: Screen
) -> None:
    visit(phone, site, screen)
    width = page_width(phone)
    assert width <= PHONE["width"], (
        f"{screen.name} is {width}px wide on a {PHONE['width']}px phone; too wide: "
        + "; ".join(overflowing(phone))
    )


@screens
def test_the_keyboard_focus_shows_on_the_screen(
    phone: Page, site: DemoSite, screen: Screen
) -> None:
    visit(phone, site, screen)
    invisible = unfocused_looking(phone, presses=12)
    assert not invisible, f"{screen.name}: focus does not show on " + "; ".join(invisible)


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
