from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from advisor.errors import AdvisorError, InvalidRequirements
from advisor.importing.command import render_report
from advisor.importing.dialect import DIALECTS
from advisor.importing.report import ImportResult
from advisor.importing.source import read_schema_file
from advisor.importing.sql import import_sql
from designs import services
from designs.models import Project

# As `python -m advisor import`: 2 when nothing could be imported or the input is unusable.
NOTHING_IMPORTED = 2


class Command(BaseCommand):
    help = (
        "Read an existing schema (a SQL or DBML file, or a live PostgreSQL database) into a new "
        "requirements version of a project (created if needed), and print the import report. "
        "Complete the workload and access patterns in the editor afterwards. See "
        "docs/importing.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", metavar="FILE", help="the schema file")
        parser.add_argument("--dsn", metavar="URL", help="a live PostgreSQL to read")
        parser.add_argument("--dialect", choices=("auto", *DIALECTS), default="auto")
        parser.add_argument("--owner", required=True, metavar="USERNAME")
        parser.add_argument("--project", required=True, metavar="NAME")

    def handle(
        self,
        *args: Any,
        file: str | None,
        dsn: str | None,
        dialect: str,
        owner: str,
        project: str,
        **options: Any,
    ) -> None:
        if bool(file) == bool(dsn):
            raise CommandError("give one schema to import: a FILE or --dsn URL")
        user = get_user_model().objects.filter(username=owner).first()
        if user is None:
            raise CommandError(
                f"no user named {owner!r}; create it first (manage.py createsuperuser)"
            )
        try:
            result, source = _read(file, dsn, dialect)
        except AdvisorError as error:
            raise CommandError(str(error), returncode=NOTHING_IMPORTED) from None
        self.stdout.write(render_report(result), ending="")
        if not result.imported_anything:
            raise CommandError(
                "nothing could be imported: no table was read; nothing was saved",
                returncode=NOTHING_IMPORTED,
            )
        target = Project.objects.filter(owner=user, name__iexact=project).first()
        if target is None:
            target = services.project_create(owner=user, name=project)
            self.stdout.write(f"Created project {project!r} for {owner}.")
        try:
            version = services.schema_import(
                project=target, result=result, source=source, created_by=user
            )
        except InvalidRequirements as invalid:
            problems = "\n".join(str(problem) for problem in invalid.problems)
            message = f"the requirements made from the schema are invalid:\n{problems}"
            raise CommandError(message) from None
        except services.NothingChanged as unchanged:
            self.stdout.write(f"The schema equals v{unchanged.version.number}; not saved.")
            return
        self.stdout.write(
            f"Saved requirements v{version.number} of {target.name!r}: {version.note} "
            "Complete its workload and access patterns in the editor."
        )


def _read(file: str | None, dsn: str | None, dialect: str) -> tuple[ImportResult, str]:
    if dsn:
        from advisor.importing.catalogue import where
        from advisor.importing.live import read_database  # psycopg is loaded only for --dsn

        return read_database(dsn), where(dsn)
    assert file is not None
    return import_sql(read_schema_file(file), dialect), Path(file).name
