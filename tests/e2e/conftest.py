"""Browser tests: real Chromium (Debian's package), driven by Playwright, against a live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.conftest import in_ci

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        message = f"no Chromium at {CHROMIUM}; install Debian's chromium or set CHROMIUM"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread while the browser is open; the
    # tests' own ORM calls are synchronous and safe, so Django's guard is lifted until it closes.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    # The tests' own predicates (wait_for_function) are evaluated strings, which the app's
    # Content-Security-Policy forbids: `strict_page` keeps the policy for the pages' own code.
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, base_url=live_server.url, bypass_csp=True
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def strict_page(browser, live_server):  # type: ignore[no-untyped-def]
    """A tab under the app's Content-Security-Policy; `tab.violations` collects what the
    browser refused."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.violations = []
    tab.on(
        "console",
        lambda message: (
            tab.violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield tab
    context.close()
