"""Every page of a large design, timed server-side: `python tests/bench/pages_bench.py`.

Sets up a throwaway SQLite database, imports a generated document of `--entities` entities
(5,000 by default: tests/bench/curve_bench.py's `document`), generates its design as its job
does (in-process), then requests each page and download a person reaches from the design and
prints the median processor time of a request and the size of the answer. Each is asked once
before it is timed: the diagram page's first request has Graphviz draw the view (in-process
here); the drawing of all tables, minutes of Graphviz at thousands, is not asked for.

A page must answer in under 300 ms of processor time and 3 MB, a file download in under
300 ms; what pages fetch once shown (a folded context, the diagram's tables, a large version's
recommendation) is printed without a target. The exit status is 1 when a target is missed.

    python tests/bench/pages_bench.py [--entities 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

TARGET_MS = 300.0
TARGET_BYTES = 3_000_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designs.settings")
        return measure(args.entities, args.runs)


def measure(entities: int, runs: int) -> int:
    import django

    django.setup()
    from curve_bench import document
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from designs import services
    from designs.generation import design_generate

    setup_test_environment()
    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("bench", password="bench-password-not-used")
    project = services.project_create(owner=owner, name=f"{entities} entities")
    version = services.requirements_save(
        project=project, document=document(entities), created_by=owner
    )
    started = time.perf_counter()
    design, _ = design_generate(version=version, created_by=owner)
    print(f"{entities:,} entities: design generated in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(owner)  # sign-in throttling (django-axes) wants a real request

    base = f"/projects/{project.pk}"
    shown = f"{base}/designs/{design.number}"
    contexts = design.details["postgresql"]["table_contexts"]
    second = sorted({context for context in contexts.values() if context})[1:2] or [""]
    pages = {
        "project": f"{base}/",
        "requirements version": f"{base}/versions/{version.number}/",
        "requirements editor": f"{base}/requirements/",
        "design": f"{shown}/",
        "design, MySQL tab": f"{shown}/?dialect=mysql",
        "design, another context": f"{shown}/?context={second[0]}",
        "architecture document": f"{shown}/architecture/",
        "decision log": f"{base}/decisions/",
        "diagram (first context)": f"{shown}/diagram/",
    }
    records = project.decisions.order_by("number").values_list("number", flat=True)
    pages |= {f"decision record {number:04d}": f"{base}/decisions/{number}/" for number in records}
    downloads = {
        "DDL download": f"{shown}/files/schema/postgresql.sql",
        "diagram DOT download": f"{shown}/diagram.dot?mode=full&context={second[0]}",
        "model.json download": f"{shown}/files/model.json",
    }
    fetched = {
        "a folded context (htmx)": (f"{shown}/?context={second[0]}", True),
        "the diagram's tables (context)": (f"{shown}/diagram/?context={second[0]}&tables=1", False),
        "the version's recommendation (htmx)": (f"{base}/versions/{version.number}/", True),
    }

    def timed(url: str, htmx: bool = False) -> tuple[float, int, int]:
        times, size, status = [], 0, 0
        client.get(url)  # warm-up: the diagram is drawn by its job (in-process here) once
        for _ in range(runs):
            started = time.process_time()
            response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
            times.append((time.process_time() - started) * 1000)
            size, status = len(response.content), response.status_code
        return statistics.median(times), size, status

    missed = 0
    print(f"{'page':<40} {'cpu':>9} {'size':>9}  status")
    for name, url in pages.items():
        cpu, size, status = timed(url)
        over = cpu > TARGET_MS or size > TARGET_BYTES or status != 200
        missed += over
        verdict = "MISSED" if over else ""
        print(f"{name:<40} {cpu:>7.0f}ms {size / 1e6:>7.2f}MB  {status} {verdict}")
    print(f"downloads (under {TARGET_MS:.0f} ms):")
    for name, url in downloads.items():
        cpu, size, status = timed(url)
        over = cpu > TARGET_MS or status != 200
        missed += over
        print(f"{name:<40} {cpu:>7.0f}ms {size / 1e6:>7.2f}MB  {status} {'MISSED' if over else ''}")
    print("fetched once a page is shown (no target):")
    for name, (url, htmx) in fetched.items():
        cpu, size, status = timed(url, htmx)
        print(f"{name:<40} {cpu:>7.0f}ms {size / 1e6:>7.2f}MB  {status}")
    target = f"under {TARGET_MS:.0f} ms and {TARGET_BYTES / 1e6:.0f} MB"
    print(f"target: every page {target}: {'MISSED' if missed else 'MET'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
