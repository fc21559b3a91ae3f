"""In a browser, a change of a workload figure posts the figures alone, and an entity's change
the whole form, each ending with the panel of the form as it stands."""

from __future__ import annotations

import pytest

from designs.models import Project
from designs.panel import STRUCTURES
from tests.e2e.test_requirements_journey import demo, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["demo"]


def test_a_workload_figure_posts_only_the_figures(page, demo: Project) -> None:  # type: ignore[no-untyped-def]
    sign_in(page)
    page.goto(f"/projects/{demo.pk}/requirements/")
    bodies: list[str] = []
    page.on(
        "request",
        lambda request: (
            bodies.append(request.post_data or "")
            if request.url.endswith("/requirements/preview/")
            else None
        ),
    )
    hits = STRUCTURES.hits
    with page.expect_response("**/requirements/preview/"):
        page.fill("[name='workload.writes_per_second']", "200000")
    page.wait_for_function(
        "document.querySelector('#recommendation .big')?.innerText !== 'PostgreSQL'"
    )
    assert len(bodies) == 1 and "part=figures" in bodies[0]
    assert "entities" not in bodies[0] and "structure=" in bodies[0]
    assert STRUCTURES.hits == hits + 1

    def whole_form(request) -> bool:  # type: ignore[no-untyped-def]
        return request.url.endswith("/requirements/preview/") and "part=figures" not in (
            request.post_data or ""
        )

    with page.expect_request(whole_form) as posted:
        page.fill("[name='entities[0].name']", "client")
    assert "entities%5B0%5D.name=client" in posted.value.post_data
