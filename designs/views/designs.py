"""Designs: generating one from a requirements version, and reading its schemas and files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify

from advisor.schema import DIALECTS, ENGINES, SQL_DIALECTS
from designs import services
from designs.diagram_tables import context_counts, diagram_tables
from designs.diagrams import (
    ARCHIVED,
    DRAWN,
    FORMATS,
    TEXT,
    DiagramNotStored,
    DiagramView,
    ViewNotStored,
    archive_drawings,
    archive_view,
    cached_drawing,
    context_sizes,
    diagram_text,
    diagram_view,
    drawn_nodes,
)
from designs.document_sections import SECTION_BODY, document_sections, shown_by_sections
from designs.models import Design, DesignFile, Job
from designs.schema_sections import (
    DDL_FOLDED_TABLES,
    DDL_INLINE_TABLES,
    SchemaSection,
    schema_sections,
    sections_folded,
)
from designs.tasks import (
    BackgroundUnavailable,
    archive_job_start,
    archive_key,
    design_job_start,
    diagram_job_start,
)
from designs.views.access import design_for, version_for
from designs.views.job_outputs import output_by_job
from designs.wording import technology_name

DIALECT_NAMES = {
    "postgresql": "PostgreSQL",
    "mysql": "MySQL / MariaDB",
    "sqlite": "SQLite",
    "sqlserver": "SQL Server",
    "oracle": "Oracle",
    "cockroachdb": "CockroachDB",
    "yugabytedb": "YugabyteDB",
}


@login_required
def design_generate(request: HttpRequest, project_id: int, number: int) -> HttpResponse:
    version = version_for(request, project_id, number)
    if request.method != "POST":
        return redirect(version)
    existing = services.design_for(version)
    if existing is not None:
        messages.info(request, f"Design {existing.number} was made from v{number} already.")
        return redirect(existing)
    try:
        job = design_job_start(version=version, created_by=request.user)
    except BackgroundUnavailable as error:
        messages.error(request, str(error))
        return redirect(version)
    job.refresh_from_db(fields=["design"])  # tasks run in-process finish before this line
    return redirect(job.design or job)


@login_required
def design_detail(request: HttpRequest, project_id: int, design: int) -> HttpResponse:
    stored = design_for(request, project_id, design)
    stores = _stores_with_files(stored)
    primary = _primary(stored, stores)
    # The primary store's own DDL (CockroachDB's, YugabyteDB's) comes first, then the five.
    tabs = [name for name in ENGINES if name == primary["dialect"]] + list(DIALECTS)
    dialect = request.GET.get("dialect") or primary["dialect"] or "postgresql"
    if dialect not in tabs:
        raise Http404("No such SQL dialect.")
    details = _details(stored, dialect) or {}
    sections = schema_sections(details)
    shown = _section_shown(request, sections)
    if request.htmx and "context" in request.GET:  # a folded context, opened
        context = {"project": stored.project, "design": stored, "section": shown}
        return render(request, "designs/design_detail.html#context-rows", context)
    inline = details.get("tables", 0) <= DDL_INLINE_TABLES
    # megabytes of DDL
    files = stored.files if inline else stored.files.only("id", "design", "path")
    context = {
        "project": stored.project,
        "design": stored,
        "recommendation": services.recommendation_view(stored.recommendation),
        "inputs_url": _editor_url(stored),
        "dialect": dialect,
        "dialects": [(name, DIALECT_NAMES[name]) for name in tabs],
        "details": details,
        "sql": files.get(path=f"schema/{dialect}.sql"),
        "files": stored.files.exclude(path__startswith="erd/views/")
        .only("design", "path")
        .order_by("id"),
        "primary": primary,
        "stores": [store for store in stores if store is not primary["store"]],
        "sections": sections,
        "section_shown": shown,
        "sections_folded": sections_folded(sections),
        "ddl_folded": details.get("tables", 0) > DDL_FOLDED_TABLES,
        "ddl_inline": inline,
    }
    template = "designs/design_detail.html"
    if request.htmx:
        template += "#schema"
    return render(request, template, context)


@login_required
def design_architecture(request: HttpRequest, project_id: int, design: int) -> HttpResponse:
    """The architecture document of a design, for reading and printing."""
    stored = design_for(request, project_id, design)
    document = get_object_or_404(DesignFile, design=stored, path="architecture.md")
    context = {"project": stored.project, "design": stored, "document": document}
    if shown_by_sections(document.content):
        sections = document_sections(document.content, opened=request.GET.get("section"))
        if request.htmx and (opened := next((s for s in sections if s.opened), None)):
            return render(request, SECTION_BODY, {"section": opened})
        context["sections"] = sections
    return render(request, "designs/design_architecture.html", context)


@login_required
def design_file(request: HttpRequest, project_id: int, design: int, path: str) -> HttpResponse:
    stored = design_for(request, project_id, design)
    item = get_object_or_404(DesignFile, design=stored, path=path)
    response = HttpResponse(item.content, content_type=f"{item.media_type}; charset=utf-8")
    filename = f"{services.design_slug(stored)}-{path.replace('/', '-')}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def design_zip(request: HttpRequest, project_id: int, design: int) -> HttpResponse:
    """The design's folder as a zip, with its diagram drawn as SVG and PNG (by a job first,
    when it was not drawn yet)."""
    stored = design_for(request, project_id, design)
    try:
        job = _archive_drawings_job(request, stored)
    except BackgroundUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    if job is not None:
        return redirect(job)
    if (_details(stored, "postgresql") or {}).get("tables", 0) > ARCHIVE_APART_TABLES:
        return output_by_job(
            request,
            project=stored.project,
            key=archive_key(stored),
            start=lambda: archive_job_start(design=stored, created_by=request.user),
        )
    archive = services.design_archive(stored, drawings=archive_drawings(stored))
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{services.design_slug(stored)}.zip"'
    return response


# A design of more tables is zipped by a job, whose zip the next download gets at once.
ARCHIVE_APART_TABLES = 500


def _archive_drawings_job(request: HttpRequest, stored: Design) -> Job | None:
    """The job still drawing the zip's diagrams; None once they are drawn (or there is no
    diagram to draw)."""
    view = archive_view(stored)
    missing = tuple(f for f in ARCHIVED if view and cached_drawing(view, f) is None)
    if view is None or not missing:
        return None
    job = diagram_job_start(
        design=stored,
        view=view,
        formats=missing,
        created_by=request.user,
        url=request.get_full_path(),
        label="Download the design (zip)",
    )
    job.refresh_from_db()  # tasks run in-process have finished by now
    return None if job.status == Job.Status.SUCCEEDED else job


# A store's schema longer than this is offered as a download, not written into the page: the
# schemas of a design of thousands of entities run to megabytes.
STORE_INLINE_CHARS = 60_000


def _stores_with_files(design: Design) -> list[dict[str, object]]:
    """The other stores of the design, each with its schema file (its text only when the page
    shows it) and whether the page shows it."""
    stores = _details(design, "stores") or []
    named = design.files.filter(path__in=[s["path"] for s in stores])
    files = {
        item.path: item
        for item in named.defer("content").annotate(size=Length("content")).order_by("id")
    }
    shown = [path for path, item in files.items() if item.size <= STORE_INLINE_CHARS]
    files |= {item.path: item for item in named.filter(path__in=shown)}
    return [
        {
            **store,
            **_bounded(store),
            "name": technology_name(store["technology"]),
            "file": files.get(store["path"]),
            "inline": store["path"] in shown,
        }
        for store in stores
    ]


def _details(design: Design, key: str) -> Any:
    """One entry of the design's details: a design of thousands of tables keeps megabytes of
    them for each dialect, and a page reads one."""
    return Design.objects.filter(pk=design.pk).values_list(f"details__{key}", flat=True).first()


def _section_shown(request: HttpRequest, sections: list[SchemaSection]) -> SchemaSection | None:
    """The context whose rows the page holds when it folds the others: the one asked for by
    `?context=`, else the first."""
    if "context" not in request.GET:
        return sections[0] if sections else None
    for section in sections:
        if section.context == request.GET["context"]:
            return section
    raise Http404("No such context in this schema.")


def _bounded(store: dict[str, Any]) -> dict[str, Any]:
    """The patterns a store serves and its decisions as the page lists them: one per entity
    in a large design, so the first few and how many more."""
    patterns, patterns_more = services.shown_first(store.get("patterns", []), services.LINKS_SHOWN)
    decisions, decisions_more = services.shown_first(
        store.get("decisions", []), services.ROWS_SHOWN
    )
    return {
        "patterns": patterns,
        "patterns_more": patterns_more,
        "decisions": decisions,
        "decisions_more": decisions_more,
    }


def _editor_url(design: Design) -> str:
    url = reverse("requirements_edit", kwargs={"project_id": design.project_id})
    return f"{url}?from={design.version.number}"


def _primary(design: Design, stores: list[dict[str, object]]) -> dict[str, object]:
    """The primary store as the page leads with it: its name, its own schema if the design
    wrote one, the SQL dialect it runs if any (CockroachDB's own), and how to label that DDL,
    as the engine decided them (`primary_schema`). A design stored before the engine decided
    them gets the labels the page used to give."""
    name = design.primary_name
    target = design.recommendation.get("primary_schema")
    store = next((store for store in stores if store["role"] == "primary"), None)
    if target is not None and target.get("dialect") in (*DIALECTS, *ENGINES, None):
        dialect = target["dialect"]
        label = target["label"] if dialect else ""
        family = target.get("family")
        return {"name": name, "store": store, "dialect": dialect, "label": label, "family": family}
    dialect = SQL_DIALECTS.get(design.recommendation.get("primary", {}).get("technology", ""))
    label = ""
    if dialect is not None:
        tab = DIALECT_NAMES[dialect]
        label = f"The DDL of {name}" if name in tab else f"{tab}-compatible DDL for {name}"
    return {"name": name, "store": store, "dialect": dialect, "label": label, "family": dialect}


def _diagram_view_for(request: HttpRequest, stored: Design) -> DiagramView | None:
    """The stored view the request asks for; None when the design keeps no diagram at all."""
    try:
        return diagram_view(
            stored, mode=request.GET.get("mode"), context=request.GET.get("context")
        )
    except DiagramNotStored:
        return None
    except ViewNotStored as error:
        raise Http404(str(error)) from None


@login_required
def design_diagram(request: HttpRequest, project_id: int, design: int) -> HttpResponse:
    """The Diagram view: the SVG with pan and zoom, modes, a context filter, downloads."""
    stored = design_for(request, project_id, design)
    view = _diagram_view_for(request, stored)
    too_many = view.too_many_to_draw if view else ""
    drawing = cached_drawing(view, "svg") if view and not too_many else None
    job, unavailable = None, ""
    if view is not None and drawing is None and not too_many:
        try:
            job = diagram_job_start(design=stored, view=view, format="svg", created_by=request.user)
        except BackgroundUnavailable as error:
            unavailable = str(error)
        else:
            job.refresh_from_db()  # tasks run in-process have finished by now
            if job.status == Job.Status.SUCCEEDED:
                drawing, job = cached_drawing(view, "svg"), None
    # Thousands of tables: the page sends the tables of its view apart, once it is shown.
    apart = view is not None and bool(view.opens_on)
    if apart and "tables" in request.GET:
        nodes = drawn_nodes(view.dot) if view.context else None
        return JsonResponse(diagram_tables(stored, nodes=nodes), safe=False)
    tables = diagram_tables(stored) if view and not apart else []
    counts = context_sizes(stored) if apart else context_counts(tables)
    context = {
        "project": stored.project,
        "design": stored,
        "view": view,
        "tables": tables,
        "tables_url": f"{request.path}?{view.query()}&tables=1" if view and apart else "",
        "contexts": [(name, counts.get(name)) for name in view.contexts] if view else [],
        "drawing": drawing,
        "job": job,
        "unavailable": unavailable,
        "too_many": too_many,
        "formats": tuple(TEXT) if too_many else FORMATS,
    }
    template = "designs/design_diagram.html"
    if request.htmx:
        template += "#drawing"
    return render(request, template, context)


@login_required
def design_diagram_file(
    request: HttpRequest, project_id: int, design: int, format: str
) -> HttpResponse:
    stored = design_for(request, project_id, design)
    if format not in FORMATS:
        raise Http404("No such diagram format.")
    view = _diagram_view_for(request, stored)
    if view is None:
        raise Http404("This design was stored without a diagram.")
    parts = (services.design_slug(stored), "erd", view.mode, slugify(view.context))
    name = "-".join(part for part in parts if part)
    if format in TEXT:
        media_type, extension = TEXT[format]
        try:
            text = diagram_text(stored, view, format)
        except ViewNotStored as error:
            raise Http404(str(error)) from None
        response = HttpResponse(text, content_type=f"{media_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        return response
    if view.too_many_to_draw:
        message = f"{view.too_many_to_draw}: pick one bounded context, or download the DOT."
        return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
    drawing = cached_drawing(view, format)
    if drawing is None:
        try:
            job = diagram_job_start(
                design=stored, view=view, created_by=request.user, format=format
            )
        except BackgroundUnavailable as error:
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
        job.refresh_from_db()
        if job.status != Job.Status.SUCCEEDED:
            return redirect(job)
        drawing = cached_drawing(view, format)
        if drawing is None:
            return redirect(job)
    response = HttpResponse(bytes(drawing.content), content_type=DRAWN[format])
    if request.GET.get("inline") != "1":
        response["Content-Disposition"] = f'attachment; filename="{name}.{format}"'
    return response
