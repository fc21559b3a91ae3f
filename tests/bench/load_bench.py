"""The app under load: `python tests/bench/load_bench.py` (run by `make bench`).

It serves the app as the README's Production section says: gunicorn with 2 x cores + 1 processes of
one thread each (`--threads` to compare: threads of one process take turns on its interpreter, so a
quick panel post waits behind a page rendered beside it), DEBUG off, PostgreSQL (a throwaway
database it creates, migrates and drops), jobs on a real Celery worker through Redis (db 5 by
default). The demo command makes a user and a project with two designed versions. Then CLIENTS
people, each signed in with a session of their own, go round the main pages (projects, the project,
the requirements editor, a design, the decision log) and type in the editor, which posts the form
to the live panel (with its CSRF token, as htmx does), pausing THINK_S between requests as the
editor's own debounce does. Every round also asks for a view that does nothing (routed only with
ADVISOR_BENCH on): the ceiling, what gunicorn, Django and the middleware cost alone.

The load comes from threads with requests, one per person, rather than locust: the figures
wanted are a handful of percentiles per route, which the standard library computes, and locust
would add gevent and its web stack to the project for that.

Prints, per route, the requests, throughput, p50/p95/p99 and errors, and p50 as a multiple of
the bare view's; then the throughput of the live panel and of the bare view when every person
posts without pausing. The target: the live panel's p95 under 50 ms with CLIENTS people, and no
error. The exit status is 1 when it is missed. The figures depend on what else the machine runs.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.designs.forms_in_html import form_fields  # noqa: E402

BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("LOAD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
CLIENTS = 20
THINK_S = 0.5  # the editor posts to the panel 500 ms after the last keystroke
TARGET_PANEL_P95_MS = 50.0
PASSWORD = secrets.token_urlsafe(16)
PANEL = "live panel (POST)"
BARE = "bare view (ceiling)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=25, help="of the paced rounds")
    parser.add_argument("--burst", type=float, default=5, help="seconds of each unpaced burst")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--threads", type=int, default=1, help="of each gunicorn worker")
    args = parser.parse_args()
    began = time.monotonic()
    with database() as url, server(url, args.workers, args.threads) as base, worker(url):
        project = demo_project_id(url)
        first = Person(base, project)
        first.background_job_runs()
        editor = first.page(f"/projects/{project}/requirements/")
        form = form_fields(editor, "requirements-form")
        kept = STRUCTURE.search(editor)
        assert kept is not None, "the editor's panel keeps no structure for figure posts"
        people = [first, *parallel(lambda: Person(base, project), args.clients - 1)]
        PEOPLE.extend(people)
        for person in people:
            person.fields = {**form, "csrfmiddlewaretoken": person.http.cookies["csrftoken"]}
            person.structure = kept[1]
        print(f"set up in {time.monotonic() - began:.0f} s", flush=True)
        paced = drive(people, args.seconds, think=THINK_S, rounds=Person.round)
        burst_panel = drive(people, args.burst, think=0, rounds=Person.type_once)
        burst_bare = drive(people, args.burst, think=0, rounds=Person.bare_once)
    return report(paced, burst_panel, burst_bare, args)


@contextmanager
def database() -> Iterator[str]:
    """A new PostgreSQL database with the app's tables and the demo; dropped afterwards."""
    name = f"advisor_load_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        manage(url, "migrate", "--noinput", "--verbosity=0")
        manage(url, "demo", "--password", PASSWORD, "--force", "--verbosity=0")
        print(f"database {name} migrated, with the demo", flush=True)
        yield url
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "designs.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "ADVISOR_BENCH": "true",
        "AXES_ENABLED": "false",  # twenty sign-ins from one address in a second are the bench
        "LOG_LEVEL": "WARNING",
    }


def manage(database_url: str, *command: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=environment(database_url),
        check=True,
    )


def demo_project_id(database_url: str) -> int:
    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT p.id FROM designs_project p JOIN auth_user u ON u.id = p.owner_id"
            " WHERE u.username = 'demo'"
        ).fetchone()
    assert row is not None, "the demo command made no project"
    return int(row[0])


@contextmanager
def server(database_url: str, workers: int, threads: int) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        str(BIN / "gunicorn"),
        "designs.wsgi:application",
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
        *("--worker-class", "gthread", "--threads", str(threads)),
        *("--log-level", "warning", "--preload"),
    ]
    with running(command, environment(database_url)):
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/bench/bare/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass  # still starting
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start within 60 s")
            time.sleep(0.2)
        yield base


@contextmanager
def worker(database_url: str) -> Iterator[None]:
    command = [
        *(sys.executable, "-m", "celery", "-A", "designs", "worker"),
        *("--pool=prefork", "--concurrency=1", "--loglevel=WARNING"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    with running(command, environment(database_url)):
        yield


@contextmanager
def running(command: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    # Their output is their banners; warnings and errors go to standard error, which is kept.
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL
    )
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


Timings = dict[str, list[float]]


class PlainHttp(requests.Session):
    """DEBUG off marks the session and CSRF cookies Secure; the bench speaks plain HTTP."""

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        response = super().send(request, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


# The editor posts a workload figure alone (designs/panel.py); a server process that has not
# read the rest of the form answers with a panel that asks for it.
FIGURES = ("workload.", "team.")
FULL_FORM_NEEDED = 'hx-trigger="load"'
STRUCTURE = re.compile(r'name="structure" value="([^"]+)"')

# The first failure of each kind, with its time in ms: a bench that fails says why.
FAILURES: dict[str, float] = {}
PEOPLE: list[Person] = []
ROUND_REQUESTS = 9  # the requests of Person.round
NUMBERS = itertools.count()


class Person:
    """One signed-in session going round the pages; records each request's time by route."""

    def __init__(self, base: str, project: int) -> None:
        self.base = base
        self.project = project
        self.number = next(NUMBERS)
        self.http = PlainHttp()
        self.timings: Timings = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.typed = 0
        self.fields: dict[str, str] = {}  # the editor's form, with this session's CSRF token
        self.structure = ""  # the key of the structure the server read from the whole form
        self.full_posts = 0  # figure posts that the server answered by asking for the form
        self.sign_in()

    def sign_in(self) -> None:
        login = self.page("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
        assert token is not None, "no CSRF token on the sign-in page"
        data = {"username": "demo", "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
        response = self.http.post(f"{self.base}/accounts/login/", data, allow_redirects=False)
        assert response.status_code == 302, f"sign-in refused: {response.status_code}"

    def page(self, path: str) -> str:
        response = self.http.get(f"{self.base}{path}")
        response.raise_for_status()
        return response.text

    def timed(self, route: str, send: Callable[[], requests.Response], expect: str) -> None:
        started = time.perf_counter()
        try:
            response = send()
            ok = response.status_code == 200 and expect in response.text
            why = f"HTTP {response.status_code}" + ("" if ok else f", no {expect!r} in the page")
        except requests.RequestException as error:
            ok, why = False, f"{type(error).__name__}: {error}"
        elapsed = (time.perf_counter() - started) * 1000
        if ok:
            self.timings[route].append(elapsed)
        else:
            self.errors[route] += 1
            FAILURES.setdefault(f"{route}: {why}", elapsed)

    def get(self, route: str, path: str, expect: str) -> None:
        self.timed(route, lambda: self.http.get(f"{self.base}{path}", timeout=30), expect)

    def type_once(self) -> Iterator[None]:
        """One keystroke's post to the live panel, as the editor sends it for a workload figure:
        the figures alone with the key of the structure read before; when the server process
        does not hold that structure, the whole form, URL-encoded, as the page then posts it."""
        self.typed += 1
        # Figures of this person's own (up to 100 people), never typed again: a panel kept for
        # figures typed back (designs/panel.py) would answer, and the bench would measure how
        # alike its people type, not the panel.
        figure = 300 + self.number + 100 * self.typed
        self.fields["workload.writes_per_second"] = str(figure)
        self.timed(PANEL, self.post_figures, "Primary store")
        yield

    def post_figures(self) -> requests.Response:
        url = f"{self.base}/projects/{self.project}/requirements/preview/"
        headers = {
            "HX-Request": "true",
            "X-CSRFToken": self.fields["csrfmiddlewaretoken"],
            "Referer": f"{self.base}/projects/{self.project}/requirements/",
        }
        figures = {name: value for name, value in self.fields.items() if name.startswith(FIGURES)}
        figures |= {"part": "figures", "structure": self.structure}
        response = self.http.post(url, data=figures, headers=headers, timeout=30)
        if response.status_code == 200 and FULL_FORM_NEEDED in response.text:
            self.full_posts += 1
            response = self.http.post(url, data=self.fields, headers=headers, timeout=30)
            if kept := STRUCTURE.search(response.text):
                self.structure = kept[1]
        return response

    def bare_once(self) -> Iterator[None]:
        self.get(BARE, "/bench/bare/", "ok")
        yield

    def round(self) -> Iterator[None]:
        """A visit: the pages in the order a person opens them, typing in the editor."""
        project = f"/projects/{self.project}"
        self.get("projects", "/projects/", "Your projects")
        yield
        self.get("project", f"{project}/", "Requirements versions")
        yield
        self.get("requirements editor", f"{project}/requirements/", 'id="requirements-form"')
        yield
        for _ in range(3):
            yield from self.type_once()
        self.get("design", f"{project}/designs/2/", "SQL schema")
        yield
        self.get("decision log", f"{project}/decisions/", "Decision log")
        yield
        yield from self.bare_once()

    def background_job_runs(self) -> None:
        """The worker is there and reached: an export goes through Redis and succeeds."""
        page = self.page(f"/projects/{self.project}/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        response = self.http.post(
            f"{self.base}/projects/{self.project}/export/",
            {"csrfmiddlewaretoken": token[1]},
            allow_redirects=False,
        )
        assert response.status_code == 302, f"export not started: {response.status_code}"
        status_url = f"{self.base}{response.headers['Location'].rstrip('/')}/status/"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = self.http.get(status_url).json()
            if status["finished"]:
                assert status["status"] == "succeeded", status
                return
            time.sleep(0.2)
        raise SystemExit("the Celery worker did not run the export within 60 s")


def parallel(make: Callable[[], Person], count: int) -> list[Person]:
    """`count` people made at once (signing in hashes a password: seconds one after another)."""
    made: list[Person] = []
    threads = [threading.Thread(target=lambda: made.append(make())) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if len(made) != count:
        raise SystemExit(f"{count - len(made)} of {count} people could not sign in")
    return made


def drive(
    people: list[Person],
    seconds: float,
    *,
    think: float,
    rounds: Callable[[Person], Iterator[None]],
) -> tuple[Timings, dict[str, int], float]:
    """Every person goes round `rounds` until `seconds` are up, pausing `think` between
    requests; returns the timings and errors of all, and the seconds it took."""
    for person in people:
        person.timings, person.errors = defaultdict(list), defaultdict(int)
    stop = time.monotonic() + seconds

    def go(person: Person, arrives: float) -> None:
        time.sleep(arrives)
        while time.monotonic() < stop:
            for _ in rounds(person):
                if time.monotonic() >= stop:
                    return
                if think:
                    time.sleep(think)

    # People arrive one after another over the first round, as they do, rather than all in the
    # same millisecond: a paced run measures the pages in use, not twenty first requests at once.
    spread = think * ROUND_REQUESTS / len(people)
    threads = [
        threading.Thread(target=go, args=(person, position * spread))
        for position, person in enumerate(people)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    timings: Timings = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for person in people:
        for route, values in person.timings.items():
            timings[route].extend(values)
        for route, count in person.errors.items():
            errors[route] += count
    return timings, errors, elapsed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def report(
    paced: tuple[Timings, dict[str, int], float],
    burst_panel: tuple[Timings, dict[str, int], float],
    burst_bare: tuple[Timings, dict[str, int], float],
    args: argparse.Namespace,
) -> int:
    timings, errors, elapsed = paced
    print(
        f"{args.clients} clients, {THINK_S * 1000:.0f} ms between requests, {elapsed:.0f} s;"
        f" gunicorn {args.workers} workers x {args.threads} threads; PostgreSQL;"
        f" Celery on {REDIS_URL}"
    )
    bare_p50 = statistics.median(timings[BARE]) if timings[BARE] else float("nan")
    header = f"{'route':<22} {'requests':>8} {'req/s':>7} {'p50':>8} {'p95':>8} {'p99':>8}"
    print(f"{header} {'errors':>6} {'p50/bare':>8}")
    for route in ["projects", "project", "requirements editor", PANEL, "design", "decision log"]:
        values = timings[route]
        if not values:
            print(f"{route:<22} {'-':>8} (no request succeeded) errors {errors[route]}")
            continue
        p50 = statistics.median(values)
        print(
            f"{route:<22} {len(values):>8} {len(values) / elapsed:>7.1f}"
            f" {p50:>6.1f}ms {percentile(values, 0.95):>6.1f}ms {percentile(values, 0.99):>6.1f}ms"
            f" {errors[route]:>6} {p50 / bare_p50:>7.1f}x"
        )
    values = timings[BARE]
    print(
        f"{BARE:<22} {len(values):>8} {len(values) / elapsed:>7.1f}"
        f" {bare_p50:>6.1f}ms {percentile(values, 0.95):>6.1f}ms"
        f" {percentile(values, 0.99):>6.1f}ms {errors[BARE]:>6} {1:>7.1f}x"
    )
    panel_rate = len(burst_panel[0][PANEL]) / burst_panel[2]
    bare_rate = len(burst_bare[0][BARE]) / burst_bare[2]
    print(
        f"without pauses: live panel {panel_rate:.0f} req/s"
        f" (p95 {percentile(burst_panel[0][PANEL] or [0], 0.95):.0f} ms),"
        f" bare view {bare_rate:.0f} req/s: the panel reaches {panel_rate / bare_rate:.0%}"
        " of the ceiling"
    )
    failed = sum(errors.values()) + sum(burst_panel[1].values()) + sum(burst_bare[1].values())
    full_posts = sum(person.full_posts for person in PEOPLE)
    typed = sum(person.typed for person in PEOPLE)
    print(f"panel posts that needed the whole form (another server process): {full_posts}/{typed}")
    for failure, took in FAILURES.items():
        print(f"failed: {failure} (after {took:.0f} ms)")
    panel_p95 = percentile(timings[PANEL], 0.95) if timings[PANEL] else float("inf")
    verdict = panel_p95 < TARGET_PANEL_P95_MS and not failed
    print(
        f"target: live panel p95 under {TARGET_PANEL_P95_MS:.0f} ms with {args.clients} clients"
        f" and no error: p95 {panel_p95:.1f} ms, {failed} errors"
        f" -> {'met' if verdict else 'MISSED'}"
    )
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
