"""Time the live recommendation panel's endpoint server-side: `python tests/bench/panel_bench.py`.

Sets up a throwaway SQLite database with the demo, then posts the demo's editor form to the
panel endpoint (what htmx sends while a person types) and prints the median and 95th percentile
of the server's time per request. The target is a p95 under 50 ms.

Then the same at 1,000 entities (`--entities`), as a person changing one workload figure meets
it: the editor posts the workload and team figures alone and the structure parsed before is
reused (designs/panel.py). The structure is kept as the editor page's panel keeps it (that page
refuses a document beyond its limits); the target is a p95 under 100 ms, with the engine's own
time inside each request printed beside it, and the processor time of the rest.

Then the editor page itself (GET requirements/), for the demo and for 200 generated entities
(the editor's limit; the generated access patterns are cut to the editor's limit of them): the
target for the demo is a p95 under 50 ms. The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 50.0
TARGET_LARGE_P95_MS = 100.0
TARGET_PAGE_P95_MS = 50.0
PAGE_ENTITIES = 200
FORM = "application/x-www-form-urlencoded"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--entities", type=int, default=1000)
    parser.add_argument("--large-runs", type=int, default=10)
    parser.add_argument("--page-runs", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designs.settings")
        demo = measure(args.runs)
        large = measure_figures(args.entities, args.large_runs)
        page = measure_editor_page(args.page_runs)
        return demo or large or page


def measure(runs: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from designs.models import Project
    from tests.designs.forms_in_html import form_fields

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    project = Project.objects.get(owner__username="demo")
    client = Client()
    client.force_login(project.owner)  # sign-in throttling (django-axes) wants a real request
    page = client.get(f"/projects/{project.pk}/requirements/").content.decode()
    fields = form_fields(page, "requirements-form")
    url = f"/projects/{project.pk}/requirements/preview/"

    timings = []
    for run in range(runs + 10):
        fields["workload.writes_per_second"] = str(300 + run)  # a person typing
        started = time.perf_counter()
        # htmx sends the form URL-encoded (the test client's default would be multipart).
        body = urlencode(fields)
        response = client.post(url, body, content_type=FORM, HTTP_HX_REQUEST="true")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200 and b"Primary store" in response.content
        if run >= 10:  # warm-up excluded
            timings.append(elapsed)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{'live panel (demo)':<32} {'median':>8} {'p95':>8}   target p95")
    label = "POST requirements/preview/"
    print(f"{label:<32} {median:>6.1f}ms {p95:>6.1f}ms   {TARGET_P95_MS:.0f} ms")
    return 0 if p95 < TARGET_P95_MS else 1


def percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[min(len(timings) - 1, round(0.95 * len(timings)))]


def measure_figures(entities: int, runs: int) -> int:
    from django.contrib.auth.models import User
    from django.test import Client

    from advisor.engine import advise
    from advisor.erd.synthetic import synthetic_requirements
    from advisor.requirements import requirements_to_document
    from designs import services
    from designs.editor import FIGURE_PARAMS, panel_context
    from designs.models import Project
    from designs.panel import STRUCTURES
    from designs.requirements_form import EditorState

    # One table in ten of the synthetic model is a junction: this many tables give `entities`.
    requirements = synthetic_requirements(entities * 10 // 9)
    document = requirements_to_document(requirements)
    user = User.objects.create_user("large", password="large-bench")
    project = Project.objects.create(owner=user, name="Large")
    key = panel_context(EditorState(document))["structure"]
    client = Client()
    client.force_login(user)
    url = f"/projects/{project.pk}/requirements/preview/"
    fields = {name: "" for name in FIGURE_PARAMS.split(",")} | {"part": "figures", "structure": key}

    # The engine is timed inside each request, so that the rest is what the web side adds
    # (form, kept structure, rendering, session, middleware), on the processor's clock too.
    inside: list[tuple[float, float]] = []

    def timed_advise(*args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return advise(*args, **kwargs)
        finally:
            inside.append((time.perf_counter() - started, time.process_time() - cpu))

    services.advise = timed_advise
    timings, engine, rest_cpu = [], [], []
    for run in range(runs + 1):
        fields["workload.writes_per_second"] = str(300 + run)  # a person typing
        inside.clear()
        started, cpu = time.perf_counter(), time.process_time()
        response = client.post(url, urlencode(fields), content_type=FORM, HTTP_HX_REQUEST="true")
        elapsed = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        assert response.status_code == 200 and b"Primary store" in response.content
        if run:  # the first run warms up
            timings.append(elapsed)
            engine.append(sum(wall for wall, _ in inside) * 1000)
            rest_cpu.append(cpu_ms - sum(cpu for _, cpu in inside) * 1000)
    services.advise = advise
    median, p95 = percentiles(timings)
    engine_median, engine_p95 = percentiles(engine)
    rest_median, rest_p95 = percentiles(rest_cpu)
    assert STRUCTURES.hits >= runs + 1, "the structure was parsed again"
    met = p95 < TARGET_LARGE_P95_MS
    print(f"{f'live panel ({len(requirements.entities):,} entities)':<32} {'median':>8} {'p95':>8}")
    print(f"{'POST figures only':<32} {median:>6.1f}ms {p95:>6.1f}ms")
    print(f"{'  of which the engine (advise)':<32} {engine_median:>6.1f}ms {engine_p95:>6.1f}ms")
    print(f"{'  the rest, processor time':<32} {rest_median:>6.1f}ms {rest_p95:>6.1f}ms")
    verdict = "MET" if met else "MISSED"
    print(f"target: p95 under {TARGET_LARGE_P95_MS:.0f} ms: {verdict}")
    return 0 if met else 1


def measure_editor_page(runs: int) -> int:
    from django.test import Client

    from advisor.requirements.fields import EDITOR_MAX_ACCESS_PATTERNS
    from advisor.requirements.synthetic import synthetic_document
    from designs import services
    from designs.models import Project

    demo = Project.objects.get(owner__username="demo")
    document = synthetic_document(PAGE_ENTITIES)
    document["access_patterns"] = document["access_patterns"][:EDITOR_MAX_ACCESS_PATTERNS]
    large = Project.objects.create(owner=demo.owner, name=f"{PAGE_ENTITIES} entities")
    services.requirements_save(project=large, document=document, created_by=demo.owner, note="")
    client = Client()
    client.force_login(demo.owner)

    def timed(project: Project, runs: int) -> tuple[float, float]:
        timings = []
        for run in range(runs + 2):
            started = time.perf_counter()
            response = client.get(f"/projects/{project.pk}/requirements/")
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200 and b'id="requirements-form"' in response.content
            if run >= 2:  # warm-up excluded
                timings.append(elapsed)
        return percentiles(timings)

    median, p95 = timed(demo, runs)
    large_median, large_p95 = timed(large, max(3, runs // 10))
    met = p95 < TARGET_PAGE_P95_MS
    print(f"{'editor page':<32} {'median':>8} {'p95':>8}")
    print(f"{'GET requirements/ (demo)':<32} {median:>6.1f}ms {p95:>6.1f}ms")
    label = f"GET requirements/ ({PAGE_ENTITIES} ent.)"
    print(f"{label:<32} {large_median:>6.1f}ms {large_p95:>6.1f}ms")
    verdict = "MET" if met else "MISSED"
    print(f"target: demo p95 under {TARGET_PAGE_P95_MS:.0f} ms: {verdict}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
