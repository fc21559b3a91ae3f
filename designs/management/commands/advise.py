from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from advisor.cli import read_text
from advisor.errors import AdvisorError, InvalidRequirements
from designs import services
from designs.generation import design_generate
from designs.models import Design, Project


class Command(BaseCommand):
    help = (
        "Store a requirements document as a new version of a project (created if needed), "
        "generate its design, record its decisions, and print the project's decision log; "
        "with --out, also write the design's files, its records numbered as in the log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("requirements", metavar="REQUIREMENTS", help="a YAML or JSON file")
        parser.add_argument("--owner", required=True, metavar="USERNAME")
        parser.add_argument("--project", required=True, metavar="NAME")
        parser.add_argument("--out", metavar="DIR", help="folder to write the design's files into")

    def handle(
        self,
        *args: Any,
        requirements: str,
        owner: str,
        project: str,
        out: str | None = None,
        **options: Any,
    ):
        user = get_user_model().objects.filter(username=owner).first()
        if user is None:
            raise CommandError(
                f"no user named {owner!r}; create it first (manage.py createsuperuser)"
            )
        try:
            text = read_text(requirements)
            target = Project.objects.filter(owner=user, name__iexact=project).first()
            if target is None:
                target = services.project_create(owner=user, name=project)
                self.stdout.write(f"Created project {project!r} for {owner}.")
            try:
                version = services.requirements_save_text(
                    project=target,
                    text=text,
                    source=requirements,
                    created_by=user,
                    note=f"From {Path(requirements).name} on the command line.",
                )
                self.stdout.write(f"Saved requirements v{version.number}.")
            except services.NothingChanged as unchanged:
                version = unchanged.version
                self.stdout.write(f"Requirements unchanged since v{version.number}.")
        except InvalidRequirements as invalid:
            problems = "\n".join(str(problem) for problem in invalid.problems)
            raise CommandError(f"{requirements}: the document is invalid:\n{problems}") from None
        except AdvisorError as error:
            raise CommandError(str(error)) from None

        design = services.design_for(version)
        if design is None:
            design, records = design_generate(version=version, created_by=user)
            self.stdout.write(
                f"Generated design {design.number}: {design.primary_name} as the primary store; "
                f"{len(records)} new decision record(s)."
            )
        else:
            self.stdout.write(f"Design {design.number} was made from v{version.number} already.")
        if out:
            self.write_files(design, Path(out))
        self.print_log(target)

    def write_files(self, design: Design, out: Path) -> None:
        files = list(design.files.order_by("id"))
        try:
            for item in files:
                target = out / item.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(item.content, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{out}: cannot write: {error.strerror}") from None
        self.stdout.write(f"Wrote {len(files)} files of design {design.number} to {out}.")

    def print_log(self, project: Project) -> None:
        self.stdout.write(f"\nDecision log of {project.name}:")
        records = project.decisions.select_related("supersedes", "amends").order_by("number")
        for record in records.prefetch_related("superseded_by"):
            links = [f"supersedes {record.supersedes.number:04d}"] if record.supersedes else []
            links += [f"superseded by {later.number:04d}" for later in record.superseded_by.all()]
            if record.amends:
                links.append(f"amends {record.amends.number:04d}")
            tail = f"  ({'; '.join(links)})" if links else ""
            self.stdout.write(f"  {record.number:04d}  {record.status:<10}  {record.title}{tail}")
        if not records:
            self.stdout.write("  (empty)")
