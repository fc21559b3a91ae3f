"""The Diagram page in a browser: it fills the window, a table can be picked by a click, by its
name or from the keyboard, and a phone-sized window pans the drawing inside its box."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import User
from django.urls import reverse

from designs import services
from designs.generation import design_generate
from designs.models import Design

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "diagram-explorer-password"
DEMO = Path(__file__).resolve().parents[2] / "docs" / "examples" / "online-shop.yaml"


@pytest.fixture
def design() -> Design:
    owner = User.objects.create_user(username="erin", password=PASSWORD)
    project = services.project_create(owner=owner, name="Shop")
    document = yaml.safe_load(DEMO.read_text())
    version = services.requirements_save(project=project, document=document, created_by=owner)
    stored, _ = design_generate(version=version, created_by=owner)
    return stored


def open_diagram(page, design: Design, query: str = "", *, wait: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Sign in and open the design's Diagram page; `wait` for the drawing to be explorable."""
    page.goto("/accounts/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/projects/")
    url = reverse("design_diagram", args=[design.project_id, design.number]) + query
    page.goto(url, wait_until="load" if wait else "domcontentloaded")
    if wait:
        page.locator(".diagram-svg svg g.node[data-node]").first.wait_for()


def table(page, name: str):  # type: ignore[no-untyped-def]
    return page.locator(f'g.node[data-table="{name}"]')


def classes(locator) -> set[str]:  # type: ignore[no-untyped-def]
    return set((locator.get_attribute("class") or "").split())


def test_the_diagram_fills_the_window_below_the_header(strict_page, design: Design) -> None:  # type: ignore[no-untyped-def]
    open_diagram(strict_page, design)
    box = strict_page.locator("[data-panzoom]").bounding_box()
    height = strict_page.evaluate("window.innerHeight")
    width = strict_page.evaluate("window.innerWidth")
    assert box["y"] + box["height"] >= height - 40  # reaches the bottom of the window
    assert box["height"] >= height * 0.55
    assert box["width"] >= width * 0.65  # beside a panel, not in a narrow column
    assert strict_page.evaluate("document.documentElement.scrollHeight") <= height + 1
    strict_page.click("[data-zoom=in]")  # pan and zoom are kept
    drawing = strict_page.locator(".diagram-svg")
    assert "scale(" in (drawing.get_attribute("style") or "")
    assert strict_page.violations == []


def test_clicking_a_table_highlights_its_neighbours_and_shows_its_columns(  # type: ignore[no-untyped-def]
    strict_page, design: Design
) -> None:
    open_diagram(strict_page, design)
    table(strict_page, "order").click()
    assert "is-picked" in classes(table(strict_page, "order"))
    for neighbour in ("customer", "address", "order_item"):
        assert "is-neighbour" in classes(table(strict_page, neighbour)), neighbour
    for other in ("category", "product"):
        assert not classes(table(strict_page, other)) & {"is-picked", "is-neighbour"}, other
    # the rest is dimmed, after its short fade
    strict_page.wait_for_function(
        "node => Number(getComputedStyle(node).opacity) < 0.5",
        arg=table(strict_page, "category").element_handle(),
        timeout=2000,
    )
    panel = strict_page.locator("[data-diagram-panel]")
    assert panel.locator("h2").inner_text() == "order"
    columns = panel.locator(".diagram-columns th").all_inner_texts()
    assert {"customer_id", "shipping_address_id", "status"} <= set(columns)
    assert "Access patterns" in panel.inner_text() and "Indexes" in panel.inner_text()
    assert strict_page.violations == []


def test_search_finds_a_table_and_centres_it(strict_page, design: Design) -> None:  # type: ignore[no-untyped-def]
    open_diagram(strict_page, design)
    strict_page.fill("[data-diagram-search]", "order_it")
    picked = table(strict_page, "order_item")
    strict_page.wait_for_function(
        "document.querySelector('g.is-picked')?.dataset.table === 'order_item'"
    )
    assert "order_item is highlighted" in strict_page.inner_text("[data-diagram-status]")
    viewport = strict_page.locator("[data-panzoom]").bounding_box()
    box = picked.bounding_box()
    assert abs(box["x"] + box["width"] / 2 - (viewport["x"] + viewport["width"] / 2)) < 20
    assert abs(box["y"] + box["height"] / 2 - (viewport["y"] + viewport["height"] / 2)) < 20
    strict_page.fill("[data-diagram-search]", "nothing like it")
    assert "No single table matches" in strict_page.inner_text("[data-diagram-status]")


def test_a_table_found_while_the_drawing_loads_is_highlighted_once_it_has(  # type: ignore[no-untyped-def]
    strict_page, design: Design
) -> None:
    held = []  # the drawing's requests, answered once the table has been looked for

    def hold(route) -> None:  # type: ignore[no-untyped-def]
        held.append(route)

    strict_page.route("**/diagram.svg?*", hold)
    open_diagram(strict_page, design, wait=False)
    strict_page.fill("[data-diagram-search]", "order_it")
    status = strict_page.locator("[data-diagram-status]")
    assert status.inner_text() == "order_item is highlighted once the drawing has loaded."
    assert "not drawn" not in strict_page.inner_text("[data-diagram-panel]")
    assert held, "the drawing is still loading"
    for route in held:
        route.continue_()
    strict_page.locator('g.node.is-picked[data-table="order_item"]').wait_for()
    assert status.inner_text() == "order_item is highlighted."
    assert strict_page.locator("[data-diagram-panel] h2").inner_text() == "order_item"


def test_tables_are_reachable_from_the_keyboard_and_escape_clears(  # type: ignore[no-untyped-def]
    strict_page, design: Design
) -> None:
    open_diagram(strict_page, design)
    strict_page.focus("[data-diagram-search]")
    strict_page.keyboard.press("Tab")
    name = strict_page.evaluate("document.activeElement.dataset.table")
    assert name, "Tab from the search box reaches a table"
    strict_page.keyboard.press("Enter")
    assert "is-picked" in classes(table(strict_page, name))
    assert strict_page.locator("[data-diagram-panel] h2").inner_text() == name
    strict_page.keyboard.press("Escape")
    assert strict_page.locator("g.is-picked").count() == 0
    assert "Pick a table" in strict_page.inner_text("[data-diagram-panel]")


def test_a_context_is_chosen_from_the_list_and_the_counts_match(  # type: ignore[no-untyped-def]
    strict_page, design: Design
) -> None:
    open_diagram(strict_page, design)
    strict_page.locator("label", has_text="catalogue (2)").click()
    strict_page.wait_for_url("**context=catalogue**")
    strict_page.locator(".diagram-svg svg g.node[data-node]").first.wait_for()
    assert strict_page.locator(".diagram-svg g.node[data-node]").count() == 2
    assert strict_page.inner_text("[data-diagram-summary]").startswith("2 tables of catalogue")
    assert strict_page.violations == []


def test_a_phone_sized_window_pans_the_diagram_inside_its_box(browser, live_server, design) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        open_diagram(page, design, "?mode=full")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator("[data-panzoom]").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        table(page, "order").click()
        assert page.locator("[data-diagram-panel] h2").inner_text() == "order"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
