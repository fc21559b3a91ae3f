from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.fields.json import KT
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from advisor.requirements import dump_yaml, requirements_to_document
from designs import services, tasks
from designs.demo import example_project_create
from designs.diagrams import drawings_delete
from designs.editor import beyond_the_editor, entities_by_context
from designs.forms import ProjectForm, SignUpForm, name_taken_message
from designs.history import project_history
from designs.jobs import job_settle, job_stage
from designs.models import Job, Project, RequirementsVersion
from designs.tasks import BackgroundUnavailable, job_start
from designs.views.access import job_for, project_for, version_for


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("project_list")
    return render(request, "designs/home.html")


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.get_username()}. Create your first project.")
        return redirect("project_list")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    projects = (
        Project.objects.filter(owner=request.user)
        .annotate(
            version_count=Count("versions", distinct=True),
            design_count=Count("designs", distinct=True),
            decision_count=Count("decisions", distinct=True),
        )
        .order_by("-created_at", "-id")
    )
    return render(request, "designs/project_list.html", {"projects": projects})


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(owner=request.user, **form.cleaned_data)
        except services.ProjectNameTaken as taken:
            form.add_error("name", name_taken_message(str(taken)))
        else:
            messages.success(request, f"Created project “{project.name}”.")
            return redirect(project)
    return render(request, "designs/project_form.html", {"form": form})


@login_required
@require_POST
def project_example(request: HttpRequest) -> HttpResponse:
    """Start from the example: an online shop's requirements, ready for its design."""
    project = example_project_create(owner=request.user)
    messages.success(request, f"“{project.name}” holds the example's requirements as v1.")
    return redirect(project)


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    versions = list(project.versions.select_related("created_by").defer("document"))
    context = {
        "project": project,
        "versions": versions,
        "designs": project.designs.select_related("version")
        .defer("recommendation", "details", "version__document")
        .annotate(primary=KT("recommendation__primary__name"))
        .order_by("-number"),
        "decision_count": project.decisions.count(),
        "jobs": [job_settle(job) for job in project.jobs.defer("output")[:5]],
        "history": project_history(project),
        "latest": max(versions, key=lambda version: version.number, default=None),
    }
    return render(request, "designs/project_detail.html", context)


@login_required
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    form = ProjectForm(request.POST or None, instance=project, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, **form.cleaned_data)
        except services.ProjectNameTaken as taken:
            form.add_error("name", name_taken_message(str(taken)))
        else:
            messages.success(request, "Saved.")
            return redirect(project)
    # The instance carries what was typed; the page title keeps the stored name.
    project.refresh_from_db(fields=["name"])
    return render(request, "designs/project_form.html", {"form": form, "project": project})


@login_required
def project_delete(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    if request.method == "POST":
        name = project.name
        with transaction.atomic():
            drawings_delete(project=project)  # kept by content, not by project: not cascaded
            services.project_delete(project=project)
        messages.success(request, f"Deleted project “{name}”.")
        return redirect("project_list")
    return render(request, "designs/project_delete.html", {"project": project})


@login_required
def version_detail(request: HttpRequest, project_id: int, number: int) -> HttpResponse:
    version = version_for(request, project_id, number)
    inputs_url = reverse("requirements_edit", kwargs={"project_id": project_id}) + f"?from={number}"
    too_large = beyond_the_editor(version.document)
    if too_large and request.htmx:  # the panel the page asked for once it was shown
        context = {"recommendation": _recommendation(version), "inputs_url": inputs_url}
        return render(request, "designs/recommendation_panel.html", context)
    context = {
        "project": version.project,
        "version": version,
        "inputs_url": inputs_url,
        "designs": version.designs.only("project", "number").order_by("-number"),
        "latest_number": version.project.versions.aggregate(n=Max("number"))["n"],
        "previous_number": version.project.versions.filter(number__lt=number).aggregate(
            n=Max("number")
        )["n"],
    }
    if too_large:
        # Megabytes of YAML and seconds of advice: the page outlines the document by context
        # and fetches the recommendation once it is shown.
        context |= {"too_large": too_large, "contexts": entities_by_context(version.document)}
    else:
        requirements = services.requirements_of(version)
        context |= {
            "text": dump_yaml(requirements_to_document(requirements)),
            "recommendation": services.recommendation_for(requirements),
        }
    return render(request, "designs/version_detail.html", context)


def _recommendation(version: RequirementsVersion) -> dict[str, Any]:
    """The recommendation its design stored, when this engine made one: the same advice (a
    design's is made with the same search), without the seconds it takes at 5,000 entities."""
    stored = services.stored_recommendation(version)
    if stored is not None:
        return services.recommendation_view(stored)
    return services.recommendation_for(services.requirements_of(version))


@login_required
def version_download(request: HttpRequest, project_id: int, number: int) -> HttpResponse:
    version = version_for(request, project_id, number)
    response = HttpResponse(services.version_yaml(version), content_type="application/yaml")
    filename = f"requirements-v{version.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def project_export(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    if request.method != "POST":
        return redirect(project)
    try:
        job = job_start(project=project, kind="export", created_by=request.user)
    except BackgroundUnavailable as error:
        messages.error(request, str(error))
        return redirect(project)
    return redirect(job)


@login_required
def job_detail(request: HttpRequest, project_id: int, job_id: int) -> HttpResponse:
    job = job_for(request, project_id, job_id)
    return render(request, "designs/job_detail.html", {"project": job.project, "job": job})


POLL_DELAYS_S = (1, 2, 4, 8, 10)


@login_required
def job_status(request: HttpRequest, project_id: int, job_id: int) -> HttpResponse:
    """What a page polls: the job's row, as JSON or as the status fragment, asking htmx to
    poll again later and later (1, 2, 4, 8, then every 10 s)."""
    job = job_for(request, project_id, job_id)
    if not request.htmx:
        return JsonResponse(
            {
                "id": job.pk,
                "kind": job.kind,
                "status": job.status,
                "progress": job.progress,
                "stage": job_stage(job),
                "message": job.message,
                "finished": job.is_finished,
                "design": job.design.get_absolute_url() if job.design else None,
            }
        )
    if job.design is not None:
        response = HttpResponse(status=204)  # done: htmx follows to the design it made
        response["HX-Redirect"] = job.design.get_absolute_url()
        return response
    polled = _int(request.GET.get("poll"))
    context = {
        "job": job,
        "poll": polled + 1,
        "delay": POLL_DELAYS_S[min(polled, len(POLL_DELAYS_S) - 1)],
    }
    response = render(request, "designs/job_detail.html#job-status", context)
    if job.is_finished:
        response["HX-Trigger"] = "job-finished"  # a page showing what the job makes reloads it
    return response


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


@login_required
def job_retry(request: HttpRequest, project_id: int, job_id: int) -> HttpResponse:
    """Start a failed job again; back to the page that asked (`next`), or to the new job."""
    job = job_for(request, project_id, job_id)
    if request.method != "POST":
        return redirect(job)
    try:
        retried = tasks.job_retry(job=job, created_by=request.user)
    except BackgroundUnavailable as error:
        messages.error(request, str(error))
        return redirect(job)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(retried)


@login_required
def job_download(request: HttpRequest, project_id: int, job_id: int) -> HttpResponse:
    job = job_for(request, project_id, job_id)
    if job.status != Job.Status.SUCCEEDED:
        messages.error(request, "That job has no output to download yet.")
        return redirect(job)
    job.refresh_from_db(fields=["output"])
    response = HttpResponse(bytes(job.output or b""), content_type=job.output_type)
    response["Content-Disposition"] = f'attachment; filename="{job.output_name}"'
    return response
