"""The requirements editor from the keyboard, on a phone, and across leaving and coming back."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from designs.models import Project
from tests.e2e.test_requirements_journey import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings) -> Project:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    call_command("demo", "--password", "demo-password-for-tests", verbosity=0)
    return Project.objects.get(owner__username="demo")


def open_editor(page, project: Project) -> None:  # type: ignore[no-untyped-def]
    sign_in(page)
    page.goto(f"/projects/{project.pk}/requirements/")


def label(page, text: str):  # type: ignore[no-untyped-def]
    return page.get_by_label(text, exact=True)


def save(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Save as a new version").click()
    page.wait_for_url(re.compile(r"/versions/3/$"))  # the demo arrives with two versions


def test_enter_in_a_rows_last_field_adds_a_row_and_moves_there(page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    open_editor(page, demo)
    label(page, "Attribute 2 name of entity customer").press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Attribute 2 type of entity customer"
    )
    label(page, "Attribute 4 renamed from of entity customer").press("Enter")
    new_name = label(page, "Attribute 5 name of entity customer")
    new_name.wait_for()
    assert new_name.evaluate("input => input === document.activeElement")
    page.keyboard.type("nickname")
    page.keyboard.press("Enter")  # to its type, not a submission
    page.keyboard.press("ArrowDown")
    save(page)
    customer = demo.versions.get(number=3).document["entities"][0]
    assert customer["attributes"][-1] == {"name": "nickname", "type": "text"}


def test_alt_arrows_move_rows_and_the_saved_version_keeps_the_order(page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    open_editor(page, demo)
    label(page, "Attribute 2 name of entity customer").press("Alt+ArrowUp")
    assert page.evaluate("document.activeElement.value") == "full_name"
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Attribute 1 name of entity customer"
    )
    label(page, "Entity 1 name").press("Alt+ArrowDown")  # customer after address
    assert label(page, "Entity 2 name").input_value() == "customer"
    page.locator("#entities-1").get_by_role("button", name="Add attribute").click()
    label(page, "Attribute 5 name of entity customer").fill("nickname")  # added where it moved
    page.get_by_role("button", name="Move relationship 2 up").click()
    save(page)
    before = demo.versions.get(number=2).document
    after = demo.versions.get(number=3).document
    assert [e["name"] for e in after["entities"][:2]] == ["address", "customer"]
    customer = after["entities"][1]
    assert [a["name"] for a in customer["attributes"]] == [
        "full_name",
        "email",
        "phone",
        "loyalty_points",
        "nickname",
    ]
    assert customer["attributes"][1] == before["entities"][0]["attributes"][0]
    first, second = before["relationships"][:2]
    assert after["relationships"][:2] == [second, first]


def test_fields_appear_by_type_and_kind(page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    open_editor(page, demo)
    length = label(page, "Attribute 1 length of entity customer")
    precision = label(page, "Attribute 1 precision of entity customer")
    assert length.is_visible() and not precision.is_visible()
    assert not label(page, "Attribute 4 length of entity customer").is_visible()  # an integer
    label(page, "Attribute 1 type of entity customer").select_option("decimal")
    assert precision.is_visible() and not length.is_visible()
    assert label(page, "Attribute 1 scale of entity customer").is_visible()
    assert not label(page, "Attribute 1 ignore case of entity customer").is_visible()

    depth = label(page, "Access pattern 1 depth")
    assert not depth.is_visible()
    label(page, "Access pattern 1 kind").select_option("traversal")
    assert depth.is_visible()

    # The email's length and format no longer apply: they are left out, not refused.
    label(page, "Attribute 1 type of entity customer").select_option("text")
    label(page, "Access pattern 1 kind").select_option("lookup")
    label(page, "Attribute 3 type of entity customer").select_option("integer")
    save(page)
    phone = demo.versions.get(number=3).document["entities"][0]["attributes"][2]
    assert phone == {"name": "phone", "type": "integer"}


def test_leaving_with_unsaved_edits_asks_first_but_saving_does_not(page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    open_editor(page, demo)
    asked = []

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("link", name="Cancel").click()  # nothing typed yet: no question
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    assert asked == []
    page.go_back()
    label(page, "Writes").fill("450")
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.url.endswith("/requirements/")
    save(page)
    assert asked == ["beforeunload"]


def test_an_unsaved_draft_is_offered_back_until_saved(page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    open_editor(page, demo)
    page.on("dialog", lambda dialog: dialog.accept())
    label(page, "Writes").fill("450")
    page.get_by_role("button", name="Add attribute").first.click()
    label(page, "Attribute 5 name of entity customer").fill("nickname")
    page.wait_for_timeout(600)  # the draft is written shortly after the last keystroke
    page.reload()

    offer = page.get_by_role("status").filter(has_text="Restore your unsaved draft from")
    offer.wait_for()
    assert label(page, "Writes").input_value() == "300"  # the saved version, until restored
    offer.get_by_role("button", name="Restore").click()
    page.wait_for_load_state()
    assert label(page, "Writes").input_value() == "450"
    assert label(page, "Attribute 5 name of entity customer").input_value() == "nickname"
    assert demo.versions.count() == 2
    save(page)

    page.goto(f"/projects/{demo.pk}/requirements/")
    assert label(page, "Writes").input_value() == "450"
    assert not page.locator("#draft-offer").is_visible()


def test_a_discarded_draft_is_not_offered_again(page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    open_editor(page, demo)
    page.on("dialog", lambda dialog: dialog.accept())
    label(page, "Reads").fill("77")
    page.wait_for_timeout(600)
    page.reload()
    page.get_by_role("button", name="Discard").click()
    assert not page.locator("#draft-offer").is_visible()
    page.reload()
    page.wait_for_load_state()
    assert not page.locator("#draft-offer").is_visible()


def test_the_editor_fits_a_phone(page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 390, "height": 844})
    open_editor(page, demo)
    label(page, "Attribute 1 name of entity customer").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    label(page, "Attribute 1 type of entity customer").select_option("vector")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
