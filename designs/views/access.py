"""Fetching what a URL names, for the signed-in person only: anything else is a 404."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from designs.jobs import job_settle
from designs.models import Design, Job, Project, RequirementsVersion


def project_for(request: HttpRequest, project_id: int) -> Project:
    """The project with this id if the signed-in person owns it; 404 otherwise."""
    return get_object_or_404(Project, pk=project_id, owner=request.user)


def version_for(request: HttpRequest, project_id: int, number: int) -> RequirementsVersion:
    return get_object_or_404(
        RequirementsVersion.objects.select_related("project"),
        project_id=project_id,
        project__owner=request.user,
        number=number,
    )


def design_for(request: HttpRequest, project_id: int, number: int) -> Design:
    """The design, with its details and its requirements loaded when first read: a design of
    thousands of tables holds megabytes of JSON there, and most pages read none of it."""
    return get_object_or_404(
        Design.objects.select_related("project", "version", "created_by").defer(
            "details", "version__document"
        ),
        project_id=project_id,
        project__owner=request.user,
        number=number,
    )


def job_for(request: HttpRequest, project_id: int, job_id: int) -> Job:
    """The job, as it stands (`job_settle`: failed when its worker stopped or its deadline
    passed), if it belongs to one of the person's projects."""
    job = get_object_or_404(
        Job.objects.select_related("project", "design").defer("output"),
        pk=job_id,
        project_id=project_id,
        project__owner=request.user,
    )
    return job_settle(job)
