"""The demo: a user who owns the e-commerce example project, for a first look at the app."""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from designs import services
from designs.generation import design_generate
from designs.models import Project

DEMO_DOCUMENT_PATH = Path(settings.BASE_DIR) / "docs" / "examples" / "online-shop.yaml"
DEFAULT_DEMO_PASSWORD = "demo-advisor"


# The demo's second version: a change a team makes as it learns its peak, so that a newcomer
# finds a design history with a superseded record.
PEAK_NOTE = "Black Friday: ten times the reads at peak, and loyalty points for customers."


def peak_season(document: dict[str, Any]) -> dict[str, Any]:
    """The demo document at its peak season, with one new required column: the second
    design's records supersede the first's, and its migration has steps to show."""
    changed = copy.deepcopy(document)
    changed["workload"]["reads_per_second"] = 10 * changed["workload"]["reads_per_second"]
    customer = next(e for e in changed["entities"] if e["name"] == "customer")
    customer.setdefault("attributes", []).append(
        {"name": "loyalty_points", "type": "integer", "required": True, "default": 0}
    )
    return changed


def example_project_create(*, owner: AbstractBaseUser) -> Project:
    """A project of the person's own holding the demo's requirements as its first version,
    ready to generate its design (an existing one of that name is reused)."""
    document = yaml.safe_load(DEMO_DOCUMENT_PATH.read_text(encoding="utf-8"))
    with transaction.atomic():
        project = Project.objects.filter(owner=owner, name__iexact=document["project"]).first()
        if project is None:
            project = services.project_create(
                owner=owner, name=document["project"], description=document.get("description", "")
            )
        if not project.versions.exists():
            services.requirements_save(
                project=project, document=document, created_by=owner, note="The example."
            )
    return project


@dataclass(frozen=True)
class DemoResult:
    username: str
    password: str
    project_name: str
    created: bool


@transaction.atomic
def demo_setup(*, username: str = "demo", password: str | None = None) -> DemoResult:
    """Create the demo user and project, or reset the password of an existing demo user.

    A new demo project gets two versions (the demo document, then its peak season) and a
    design of each, so every screen has something to show: the records of the first design,
    the ones the second supersedes, and the migration between them. An existing demo project
    keeps its versions; it gets the demo's only if it has none.
    """
    password = password or os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.save()
    document = yaml.safe_load(DEMO_DOCUMENT_PATH.read_text(encoding="utf-8"))
    name = document["project"]
    project = Project.objects.filter(owner=user, name__iexact=name).first()
    created = project is None
    if project is None:
        project = services.project_create(
            owner=user, name=name, description=document.get("description", "")
        )
    if not project.versions.exists():
        first = services.requirements_save(
            project=project, document=document, created_by=user, note="The demo's requirements."
        )
        design_generate(version=first, created_by=user)
        second = services.requirements_save(
            project=project, document=peak_season(document), created_by=user, note=PEAK_NOTE
        )
        design_generate(version=second, created_by=user)
    return DemoResult(username=username, password=password, project_name=name, created=created)
