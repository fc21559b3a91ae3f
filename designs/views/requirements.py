"""The requirements editor, its live recommendation panel, import and export."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from advisor.errors import AdvisorError, InvalidRequirements
from advisor.requirements import dump_yaml
from advisor.schemas import requirements_schema
from designs import services
from designs.editor import (
    beyond_the_editor,
    editor_context,
    figures_panel_context,
    name_rows,
    panel_context,
)
from designs.forms import ImportForm
from designs.models import Project, RequirementsVersion
from designs.panel import STRUCTURES, figures_key
from designs.requirements_form import EditorState, form_to_document
from designs.text_panel import read_typed, text_panel_context
from designs.views.access import project_for

EDITOR = "designs/requirements_edit.html"
PANEL = "designs/recommendation_panel.html"
YAML_EDITOR = "designs/requirements_yaml.html"
ROW_PARTIALS = {
    "entities": "entity-row",
    "attributes": "attribute-row",
    "relationships": "relationship-row",
    "access_patterns": "pattern-row",
}


@login_required
def requirements_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    latest = project.versions.order_by("-number").first()
    if request.method != "POST":
        base = _version_to_edit(project, request.GET.get("from")) or latest
        document = base.document if base else _starter_document(project)
        if too_large := beyond_the_editor(document):
            return render(
                request,
                "designs/requirements_too_large.html",
                {"project": project, "version": base, "why": too_large},
            )
        context = editor_context(project, document, base_version=base)
        context.update(panel_context(EditorState(document)))
        return render(request, EDITOR, context)

    state = form_to_document(request.POST)
    note = request.POST.get("note", "").strip()[:500]
    base = _version_to_edit(project, request.POST.get("base")) or latest
    edit = request.POST.get("add") or request.POST.get("remove") or request.POST.get("restore")
    if edit:  # a row added or removed without JavaScript, or a draft restored: save nothing
        context = editor_context(project, state.document, base_version=base, note=note)
        shown = {form: shown for shown, form in state.renumbered.items()}
        _edit_rows(
            context,
            add=_renamed(request.POST.get("add"), shown),
            remove=shown.get(request.POST.get("remove", "")),
        )
        name_rows(context)
        context.update(panel_context(EditorState(state.document)), unsaved=True)
        return render(request, EDITOR, context)
    try:
        return _saved(
            request,
            lambda: services.requirements_save(
                project=project, document=state.document, created_by=request.user, note=note
            ),
        )
    except InvalidRequirements as invalid:
        context = editor_context(
            project, state.document, base_version=base, note=note, problems=invalid.problems
        )
        context.update(panel_context(EditorState(state.document)), unsaved=True)
        return render(request, EDITOR, context, status=400)


def _saved(request: HttpRequest, save: Callable[[], RequirementsVersion]) -> HttpResponse:
    """The new version `save` makes, or the version nothing changed since; what `save` raises
    for a document it refuses goes to the caller."""
    try:
        version = save()
    except services.NothingChanged as unchanged:
        messages.info(request, f"Nothing changed since v{unchanged.version.number}; not saved.")
        return redirect(unchanged.version)
    messages.success(request, f"Saved as version {version.number}.")
    return redirect(version)


@login_required
def requirements_preview(request: HttpRequest, project_id: int) -> HttpResponse:
    """The recommendation panel for the form as it stands, unsaved; htmx swaps only the panel.

    A post of the workload and team figures alone (`part=figures`) reuses the structure the
    page's last full post kept (`structure`, its key); when this process does not hold it, the
    panel asks the page for the full form.
    """
    project = project_for(request, project_id)
    if request.method != "POST":
        return redirect("requirements_edit", project_id=project.pk)
    if request.POST.get("part") == "figures":
        return _figures_panel(request, project)
    state = form_to_document(request.POST)
    context = panel_context(state)
    names = editor_context(project, state.document)
    html = render_to_string(PANEL, context, request=request)
    html += render_to_string(f"{EDITOR}#names", names, request=request)
    return HttpResponse(html)


def _figures_panel(request: HttpRequest, project: Project) -> HttpResponse:
    key = request.POST.get("structure", "")
    structure = STRUCTURES.get(key) if key else None
    figures = figures_key(request.POST)
    if structure is not None and (kept := structure.panels.get(figures)) is not None:
        return HttpResponse(kept)
    context = figures_panel_context(structure, request.POST) if structure else None
    if structure is None or context is None:
        url = reverse("requirements_preview", args=[project.pk])
        return render(request, PANEL, {"full_form_needed": True, "preview_url": url})
    html = render_to_string(PANEL, context, request=request)
    structure.panels.put(figures, html)
    return HttpResponse(html)


@login_required
def requirements_row(request: HttpRequest, project_id: int) -> HttpResponse:
    """An empty row to append to one of the editor's lists."""
    project = project_for(request, project_id)
    where = request.GET.get("add", "")
    section = where.rsplit(".", 1)[-1]
    if section not in ROW_PARTIALS or (section == "attributes") != ("." in where):
        return HttpResponseBadRequest("Unknown list to add a row to.")
    index = time.time_ns() // 1000  # unused and after every existing row: rows sort by index
    # The page script names the row by its place once it is in the page.
    head = "New " + _row_variable(section).replace("pattern", "access pattern")
    row = {"prefix": f"{where}[{index}]", "data": {}, "attributes": [], "head": head}
    context = editor_context(project, {})
    context[_row_variable(section)] = row
    return render(request, f"{EDITOR}#{ROW_PARTIALS[section]}", context)


@login_required
def requirements_import(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: tuple[Any, ...] = ()
    if request.method == "POST" and form.is_valid():
        text, source = form.text_and_source()
        try:
            version = services.requirements_save_text(
                project=project,
                text=text,
                source=source,
                created_by=request.user,
                note=form.cleaned_data["note"] or f"Imported from {source}.",
            )
        except InvalidRequirements as invalid:
            problems = invalid.problems
        except services.NothingChanged as unchanged:
            messages.info(request, f"The document equals v{unchanged.version.number}; not saved.")
            return redirect(unchanged.version)
        except AdvisorError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Imported as version {version.number}.")
            return redirect(version)
    context = {"project": project, "form": form, "problems": problems}
    refused = request.method == "POST"  # a valid import has redirected
    return render(
        request, "designs/requirements_import.html", context, status=400 if refused else 200
    )


@login_required
def requirements_yaml(request: HttpRequest, project_id: int) -> HttpResponse:
    """The requirements as YAML text beside the live panel, for a document of any size; Save
    makes a new version as the form and the import do."""
    project = project_for(request, project_id)
    if request.method != "POST":
        latest = project.versions.order_by("-number").first()
        base = _version_to_edit(project, request.GET.get("from")) or latest
        document = base.document if base else _starter_document(project)
        text = services.version_yaml(base) if base else dump_yaml(document)
        context = {"project": project, "base_version": base, "text": text}
        context.update(panel_context(EditorState(document)), typed=True)
        return render(request, YAML_EDITOR, context)

    text = request.POST.get("text", "")
    note = request.POST.get("note", "").strip()[:500]
    try:
        return _saved(
            request,
            lambda: services.requirements_save(
                project=project, document=read_typed(text), created_by=request.user, note=note
            ),
        )
    except AdvisorError:  # unreadable or invalid: the page again, with the text as it was typed
        base = _version_to_edit(project, request.POST.get("base"))
        context = {"project": project, "base_version": base, "text": text, "note": note}
        context.update(text_panel_context(text), refused=True)
        return render(request, YAML_EDITOR, context, status=400)


@login_required
def requirements_yaml_preview(request: HttpRequest, project_id: int) -> HttpResponse:
    """The recommendation panel for the YAML editor's text as it stands, unsaved."""
    project = project_for(request, project_id)
    if request.method != "POST":
        return redirect("requirements_yaml", project_id=project.pk)
    return render(request, PANEL, text_panel_context(request.POST.get("text", "")))


def _row_variable(section: str) -> str:
    return {"entities": "entity", "attributes": "attribute", "relationships": "relationship"}.get(
        section, "pattern"
    )


def _edit_rows(context: dict[str, Any], *, add: str | None, remove: str | None) -> None:
    """Apply a no-JavaScript add or remove button to the rows about to be shown."""
    blank = {"data": {}, "attributes": []}
    if add == "entities":
        context["entities"].append({"prefix": f"entities[{len(context['entities'])}]", **blank})
    elif add in {"relationships", "access_patterns"}:
        rows = context["relationships" if add == "relationships" else "patterns"]
        rows.append({"prefix": f"{add}[{len(rows)}]", **blank})
    elif add and add.endswith(".attributes"):
        for entity in context["entities"]:
            if f"{entity['prefix']}.attributes" == add:
                rows = entity["attributes"]
                rows.append({"prefix": f"{add}[{len(rows)}]", "data": {}})
    if remove:
        for key in ("entities", "relationships", "patterns"):
            context[key] = [row for row in context[key] if row["prefix"] != remove]
        for entity in context["entities"]:
            entity["attributes"] = [row for row in entity["attributes"] if row["prefix"] != remove]


def _version_to_edit(project: Project, number: str | None) -> RequirementsVersion | None:
    """The version named in `?from=N`, if it is a number of one of this project's versions."""
    if not number or not number.isdigit():
        return None
    return project.versions.filter(number=int(number)).first()


def _renamed(where: str | None, shown: dict[str, str]) -> str | None:
    """A form path as it is shown after renumbering (`entities[17].attributes` -> `[0]`)."""
    if where and where.endswith(".attributes"):
        entity = where.removesuffix(".attributes")
        return f"{shown.get(entity, entity)}.attributes"
    return where


def _starter_document(project: Project) -> dict[str, Any]:
    return {"format": "advisor/v1", "project": project.name, "description": project.description}


def requirements_format(request: HttpRequest) -> HttpResponse:
    """The requirements format's documentation, as written in docs/requirements.md."""
    text = (settings.BASE_DIR / "docs" / "requirements.md").read_text(encoding="utf-8")
    return render(request, "designs/requirements_format.html", {"text": text})


def requirements_schema_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        json.dumps(requirements_schema(), indent=2), content_type="application/schema+json"
    )
    response["Content-Disposition"] = 'attachment; filename="requirements.schema.json"'
    return response
