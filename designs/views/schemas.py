"""Import a schema: SQL or DBML pasted or uploaded, or (where allowed) a live PostgreSQL,
read into a new requirements version with the import report."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from advisor.errors import AdvisorError, InvalidRequirements
from advisor.importing.report import ImportResult, report_summary
from advisor.importing.sql import import_sql
from designs import services
from designs.forms import SchemaImportForm
from designs.views.access import project_for

PAGE = "designs/schema_import.html"


@login_required
def schema_import(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    allow_dsn = settings.ADVISOR_ALLOW_DB_INTROSPECTION
    form = SchemaImportForm(request.POST or None, request.FILES or None, allow_dsn=allow_dsn)
    latest = project.versions.order_by("-number").first()
    context: dict[str, Any] = {"project": project, "form": form, "latest": latest}
    if request.method != "POST":
        return render(request, PAGE, context)
    if not form.is_valid():
        return render(request, PAGE, context, status=400)
    try:
        result, source = _read(form.cleaned_data)
    except AdvisorError as error:
        form.add_error(None, str(error))
        return render(request, PAGE, context, status=400)
    context |= {
        "result": result,
        "summary": report_summary(result),
        "not_imported": [s for s in result.statements if s.outcome != "imported"],
    }
    if not result.imported_anything:
        return render(request, PAGE, context, status=422)
    try:
        version = services.schema_import(
            project=project, result=result, source=source, created_by=request.user
        )
    except InvalidRequirements as invalid:
        context["problems"] = invalid.problems
        return render(request, PAGE, context, status=422)
    except services.NothingChanged as unchanged:
        number = unchanged.version.number
        messages.info(request, f"The imported schema equals v{number}; not saved.")
        return redirect(unchanged.version)
    context["version"] = version
    return render(request, PAGE, context)


def _read(data: dict[str, Any]) -> tuple[ImportResult, str]:
    """The schema the form names, and how to name its source in the version's note."""
    if data.get("dsn"):
        # Only reached where the setting allows it: the form refuses a DSN otherwise.
        from advisor.importing.catalogue import where
        from advisor.importing.live import read_database

        return read_database(data["dsn"]), where(data["dsn"])
    return import_sql(data["text"], data["dialect"]), data["source"]
