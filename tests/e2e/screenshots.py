"""`make screenshots`: the main screens of the demo project, at a desktop's and a phone's size,
as PNGs under docs/screenshots/ for the README.

It serves the app with `manage.py runserver` on a free port over a temporary SQLite database
holding the demo, and photographs it with Playwright driving Debian's Chromium.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, server: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped with status {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), 0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer on port {port} within {seconds:.0f} s")


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--all", action="store_true", help="every screen, not only the main ones")
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="advisor-screenshots-") as workdir:
        shoot(Path(workdir) / "db.sqlite3", options.out, every_screen=options.all)
    return 0


def shoot(database: Path, out: Path, *, every_screen: bool) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="designs.settings",
    )
    os.environ.update(env)
    os.environ.pop("CELERY_BROKER_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS
    from tests.e2e.screens import SCREENS, demo_site, sign_in

    call_command("migrate", verbosity=0, interactive=False)
    site = demo_site()
    connections.close_all()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from playwright.sync_api import sync_playwright

    screens = [screen for screen in SCREENS if every_screen or screen.screenshot]
    out.mkdir(parents=True, exist_ok=True)
    try:
        wait_for(port, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for size, viewport in SIZES.items():
                context = browser.new_context(
                    viewport=viewport,
                    device_scale_factor=1,
                    is_mobile=size == "phone",
                    has_touch=size == "phone",
                    base_url=f"http://127.0.0.1:{port}",
                )
                tab = context.new_page()
                tab.set_default_timeout(20_000)
                signed_in = False
                for screen in sorted(screens, key=lambda screen: screen.signed_in):
                    if screen.signed_in and not signed_in:
                        sign_in(tab)
                        signed_in = True
                    tab.goto(site.url(screen))
                    tab.wait_for_load_state("networkidle")
                    path = out / f"{slug(screen.name)}-{size}.png"
                    tab.screenshot(path=path)
                    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
