"""Designs: generating one from a requirements version, and reading its schemas and files."""

from __future__ import annotations

import io
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify

from advisor.schema import DIALECTS
from designs import services
from designs.models import Design, DesignFile
from designs.views.projects import _version_for

DIALECT_NAMES = {
    "postgresql": "PostgreSQL",
    "mysql": "MySQL / MariaDB",
    "sqlite": "SQLite",
    "sqlserver": "SQL Server",
    "oracle": "Oracle",
}
# Which SQL dialect to show first for a primary store the engine chose.
DIALECT_OF_TECHNOLOGY = {
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "sqlserver": "sqlserver",
    "oracle": "oracle",
}


def _design_for(request: HttpRequest, project_id: int, number: int) -> Design:
    return get_object_or_404(
        Design.objects.select_related("project", "version"),
        project_id=project_id,
        project__owner=request.user,
        number=number,
    )


@login_required
def design_generate(request: HttpRequest, project_id: int, number: int) -> HttpResponse:
    version = _version_for(request, project_id, number)
    if request.method != "POST":
        return redirect(version)
    existing = services.design_for(version)
    if existing is not None:
        messages.info(request, f"Design {existing.number} was made from v{number} already.")
        return redirect(existing)
    job = services.job_start(
        project=version.project, kind="design", version=version, created_by=request.user
    )
    return redirect(job)


@login_required
def design_detail(request: HttpRequest, project_id: int, design: int) -> HttpResponse:
    stored = _design_for(request, project_id, design)
    dialect = request.GET.get("dialect") or _first_dialect(stored)
    if dialect not in DIALECTS:
        raise Http404("No such SQL dialect.")
    context = {
        "project": stored.project,
        "design": stored,
        "recommendation": services.recommendation_view(stored.recommendation),
        "inputs_url": _editor_url(stored),
        "dialect": dialect,
        "dialects": [(name, DIALECT_NAMES[name]) for name in DIALECTS],
        "details": stored.details.get(dialect, {}),
        "sql": stored.files.get(path=f"schema/{dialect}.sql"),
        "files": stored.files.only("path", "media_type").order_by("id"),
    }
    template = "designs/design_detail.html"
    if request.htmx:
        template += "#schema"
    return render(request, template, context)


@login_required
def design_file(request: HttpRequest, project_id: int, design: int, path: str) -> HttpResponse:
    stored = _design_for(request, project_id, design)
    item = get_object_or_404(DesignFile, design=stored, path=path)
    response = HttpResponse(item.content, content_type=f"{item.media_type}; charset=utf-8")
    filename = f"{_slug(stored)}-{path.replace('/', '-')}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def design_zip(request: HttpRequest, project_id: int, design: int) -> HttpResponse:
    stored = _design_for(request, project_id, design)
    folder = _slug(stored)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}/requirements.yaml", services.version_yaml(stored.version))
        for item in stored.files.order_by("id"):
            archive.writestr(f"{folder}/{item.path}", item.content)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{folder}.zip"'
    return response


def _editor_url(design: Design) -> str:
    url = reverse("requirements_edit", kwargs={"project_id": design.project_id})
    return f"{url}?from={design.version.number}"


def _first_dialect(design: Design) -> str:
    technology = design.recommendation.get("primary", {}).get("technology", "")
    return DIALECT_OF_TECHNOLOGY.get(technology, "postgresql")


def _slug(design: Design) -> str:
    return f"{slugify(design.project.name) or 'project'}-design-{design.number}"
