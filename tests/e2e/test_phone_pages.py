"""On a 390 px phone, the design and history screens fit the screen: tables and code scroll in
their own boxes, never the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from designs.demo import demo_setup
from designs.models import Project

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):  # type: ignore[no-untyped-def]
    demo_setup(password="demo-password-for-tests")
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.goto("/accounts/login/")
    tab.fill("#id_username", "demo")
    tab.fill("#id_password", "demo-password-for-tests")
    tab.click("button[type=submit]")
    tab.wait_for_url("**/projects/")
    yield tab
    context.close()


def test_no_screen_is_wider_than_the_phone(phone) -> None:  # type: ignore[no-untyped-def]
    project = Project.objects.get(owner__username="demo")
    record = project.decisions.filter(supersedes__isnull=False).first()
    urls = [
        reverse("project_list"),
        project.get_absolute_url(),
        project.versions.get(number=2).get_absolute_url(),
        project.designs.get(number=2).get_absolute_url(),
        reverse("design_architecture", args=[project.pk, 2]),
        reverse("decision_list", args=[project.pk]),
        record.get_absolute_url(),
    ]
    for url in urls:
        phone.goto(url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} is {width} px wide on a {PHONE['width']} px phone"
    phone.goto(project.designs.get(number=2).get_absolute_url())
    ddl = phone.locator("#ddl")
    assert ddl.evaluate("box => box.scrollWidth > box.clientWidth"), "the DDL scrolls in its box"
