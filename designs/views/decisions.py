"""The project's decision log: the timeline, one record, writing and amending records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from designs import decisions as log
from designs.document_sections import SECTION_BODY, document_sections, shown_by_sections
from designs.forms import DecisionForm
from designs.history import requirement_changes
from designs.line_diff import line_diff
from designs.models import RECORD_NEIGHBOURS_BULK, Decision
from designs.templatetags.documents import without_title
from designs.views.access import project_for

STATUSES = [choice for choice, _ in Decision.Status.choices]


def _decision_for(request: HttpRequest, project_id: int, number: int) -> Decision:
    """The record, its design's and version's JSON (megabytes in a large project) loaded only
    when read."""
    return get_object_or_404(
        Decision.objects.select_related(
            "project", "supersedes", "amends", "version", "design"
        ).defer("design__recommendation", "design__details", "version__document"),
        project_id=project_id,
        project__owner=request.user,
        number=number,
    )


@login_required
def decision_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    status = request.GET.get("status", "")
    # The list names its neighbours; their documents and designs (megabytes of JSON in a large
    # project) are not read.
    records = (
        project.decisions.select_related("supersedes", "amends", "design", "version")
        .defer(*RECORD_NEIGHBOURS_BULK)
        .defer("content")
    )
    if status in STATUSES:
        records = records.filter(status=status)
    counted = project.decisions.values_list("status").annotate(count=Count("pk")).order_by()
    counts = dict.fromkeys(STATUSES, 0) | dict(counted)
    context = {
        "project": project,
        "records": records.prefetch_related(
            Prefetch(
                "superseded_by",
                queryset=Decision.objects.only("pk", "project", "number", "supersedes"),
            )
        ).order_by("-number"),
        "status": status if status in STATUSES else "",
        "statuses": [(s, counts[s]) for s in STATUSES],
        "total": sum(counts.values()),
    }
    template = "designs/decision_list.html"
    if request.htmx:
        template += "#timeline"
    return render(request, template, context)


@login_required
def decision_detail(request: HttpRequest, project_id: int, decision: int) -> HttpResponse:
    record = _decision_for(request, project_id, decision)
    markdown = log.record_markdown(record)
    context = {
        "project": record.project,
        "record": record,
        "markdown": markdown,
        "chain": log.chain(record),
        "transitions": log.TRANSITIONS.get(record.status, ()),
    }
    if shown_by_sections(markdown):
        context["sections"] = document_sections(
            without_title(markdown), opened=request.GET.get("section")
        )
        opened = next((s for s in context["sections"] if s.opened), None)
        if request.htmx and opened:
            return render(request, SECTION_BODY, {"section": opened, "links_to": project_id})
    if record.supersedes is not None:
        context["diff"] = line_diff(
            log.record_markdown(record.supersedes).splitlines(), markdown.splitlines()
        )
        context["changes"] = requirement_changes(record.supersedes, record)
    return render(request, "designs/decision_detail.html", context)


@login_required
def decision_download(request: HttpRequest, project_id: int, decision: int) -> HttpResponse:
    record = _decision_for(request, project_id, decision)
    response = HttpResponse(
        log.record_markdown(record), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{log.record_filename(record)}"'
    return response


@login_required
def decision_zip(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    response = HttpResponse(log.decisions_zip(project), content_type="application/zip")
    name = f"{slugify(project.name) or 'project'}-decisions.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def decision_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    amends = None
    if amend_number := request.GET.get("amends", ""):
        amends = (
            project.decisions.filter(number=amend_number).first()
            if amend_number.isdigit()
            else None
        )
    initial = DecisionForm.initial_from(amends.content) if amends else None
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = log.decision_propose(
            project=project, content=form.content(), created_by=request.user, amends=amends
        )
        messages.success(request, f"Proposed {record.number:04d}.")
        return redirect(record)
    context = {"project": project, "form": form, "amends": amends}
    return render(request, "designs/decision_form.html", context)


@login_required
def decision_edit(request: HttpRequest, project_id: int, decision: int) -> HttpResponse:
    record = _decision_for(request, project_id, decision)
    if not record.is_editable:
        messages.error(
            request,
            f"{record.number:04d} is {record.status} and is never edited; "
            "write a new record that amends it.",
        )
        return redirect(record)
    form = DecisionForm(request.POST or None, initial=DecisionForm.initial_from(record.content))
    if request.method == "POST" and form.is_valid():
        log.decision_update(record=record, content=form.content())
        messages.success(request, "Saved.")
        return redirect(record)
    context = {"project": record.project, "form": form, "record": record}
    return render(request, "designs/decision_form.html", context)


@login_required
def decision_status(request: HttpRequest, project_id: int, decision: int) -> HttpResponse:
    record = _decision_for(request, project_id, decision)
    if request.method == "POST":
        try:
            log.decision_set_status(record=record, status=request.POST.get("status", ""))
        except log.NotEditable as refused:
            messages.error(request, f"Not changed: {refused}.")
        else:
            messages.success(request, f"{record.number:04d} is now {record.status}.")
    return redirect(record)
