"""The Migrations view: the plan between two requirements versions of a project, in one
dialect, with its diff, lint, steps and hazards, and its SQL to download."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from advisor.errors import AdvisorError
from advisor.schema import DIALECTS
from designs import services
from designs.editor import beyond_the_editor
from designs.models import Project, RequirementsVersion
from designs.views.access import project_for
from designs.views.designs import DIALECT_NAMES

BACKFILL = "backfill:"  # prefix of the inputs holding a value for a new required column
DIRECTIONS = ("forward", "rollback")
ONE_VERSION = "A migration joins two versions: save a second version first."


@login_required
def migration_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    context: dict[str, object] = {
        "project": project,
        "versions": project.versions.order_by("-number").values_list("number", flat=True),
        "dialects": [(name, DIALECT_NAMES[name]) for name in DIALECTS],
    }
    status = 200
    if project.versions.count() < 2:
        context["problem"] = ONE_VERSION
    elif _planned_apart(request, project):
        path = request.get_full_path()
        context["planning"] = path
        context["plan_now"] = f"{path}{'&' if '?' in path else '?'}plan=now"
    else:
        try:
            review = _review(request, project)
        except AdvisorError as error:
            context["problem"] = str(error)
            status = 400
        else:
            context["review"] = review
            context["query"] = _query(review)
    template = "designs/migration_detail.html"
    if request.htmx:
        template += "#migration"
    return render(request, template, context, status=status)


@login_required
def migration_download(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    direction = request.GET.get("direction", "forward")
    if direction not in DIRECTIONS:
        raise Http404("No such direction: forward or rollback.")
    try:
        review = _review(request, project)
    except AdvisorError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    response = HttpResponse(review.sql(direction), content_type="application/sql; charset=utf-8")
    name = (
        f"{slugify(project.name) or 'project'}-v{review.old.number}-to-v{review.new.number}"
        f"-{review.dialect}-{direction}.sql"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _planned_apart(request: HttpRequest, project: Project) -> bool:
    """Whether the page comes before its plan: between versions too large to edit, planning
    takes seconds, and htmx asks for the plan once the page is shown (`plan=now` asks for it
    in the page, without JavaScript)."""
    if request.htmx or request.GET.get("plan") == "now":
        return False
    number = request.GET.get("new", "")
    versions = project.versions.only("document")
    newer = versions.filter(number=int(number)) if number.isdigit() else versions
    latest = newer.order_by("-number").first()
    return latest is not None and bool(beyond_the_editor(latest.document))


def _review(request: HttpRequest, project: Project) -> services.MigrationReview:
    """The plan the query asks for: versions `old` and `new` (default: the previous and the
    latest; 404 for one the project does not have), `dialect`, backfill values, `accept`."""
    last_two = list(project.versions.order_by("-number")[:2])
    if len(last_two) < 2:
        raise AdvisorError(ONE_VERSION)
    latest, previous = last_two
    dialect = request.GET.get("dialect") or services.migration_dialect(project)
    if dialect not in DIALECTS:
        raise AdvisorError(
            f"No migration plans for “{dialect}”: choose one of {', '.join(DIALECTS)}.",
            location="dialect",
        )
    return services.migration_plan(
        old=_version(project, request.GET.get("old"), previous),
        new=_version(project, request.GET.get("new"), latest),
        dialect=dialect,
        backfill={
            key.removeprefix(BACKFILL): value
            for key, value in request.GET.items()
            if key.startswith(BACKFILL)
        },
        accept=request.GET.getlist("accept"),
    )


def _query(review: services.MigrationReview) -> str:
    """The query that asks for `review` again: for its downloads."""
    pairs = [
        ("old", str(review.old.number)),
        ("new", str(review.new.number)),
        ("dialect", review.dialect),
        *((f"{BACKFILL}{target}", value) for target, value in review.backfill.items()),
        *(("accept", key) for key in review.accepted),
    ]
    return urlencode(pairs)


def _version(
    project: Project, number: str | None, default: RequirementsVersion
) -> RequirementsVersion:
    if not number:
        return default
    if not number.isdigit():
        raise Http404("No such version.")
    return get_object_or_404(RequirementsVersion, project=project, number=int(number))
