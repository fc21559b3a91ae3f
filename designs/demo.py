"""The demo: a user who owns the e-commerce example project, for a first look at the app."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from designs import services
from designs.models import Project

DEMO_DOCUMENT_PATH = Path(settings.BASE_DIR) / "docs" / "examples" / "online-shop.yaml"
DEFAULT_DEMO_PASSWORD = "demo-advisor"


@dataclass(frozen=True)
class DemoResult:
    username: str
    password: str
    project_name: str
    created: bool


@transaction.atomic
def demo_setup(*, username: str = "demo", password: str | None = None) -> DemoResult:
    """Create the demo user and project, or reset the password of an existing demo user.

    An existing demo project keeps its versions; it gets the demo document only if it has none.
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
        services.requirements_save(
            project=project, document=document, created_by=user, note="The demo's requirements."
        )
    return DemoResult(username=username, password=password, project_name=name, created=created)
