from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from designs.demo import DEMO_DOCUMENT_PATH, demo_setup


class Command(BaseCommand):
    help = "Create (or refresh) the demo user and its demo project, and print how to log in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="demo")
        parser.add_argument(
            "--password",
            default="",
            help="Password to set (default: $DEMO_PASSWORD, or 'demo-advisor').",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (not for production)."
        )
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="The port the printed link names (default: $PORT, or 8000).",
        )

    def handle(
        self, *args: Any, username: str, password: str, force: bool, port: int, **options: Any
    ) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create a demo user with DEBUG off; pass --force.")
        result = demo_setup(username=username, password=password or None)
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: log in at http://127.0.0.1:{port}/accounts/login/ as "
                f"{result.username!r} with password {result.password!r} "
                f"(project {result.project_name!r}, from {_relative(DEMO_DOCUMENT_PATH)})."
            )
        )


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)
