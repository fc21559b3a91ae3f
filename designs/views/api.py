"""The JSON API under /api/ (docs/api.md): the pages' services, reached with a bearer token.

Like the pages, each operation fetches what its URL names for the token's owner (anything else
is a 404), then calls a service or starts a job. Every error is `{"code", "message", "path"}`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Path, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.security import HttpBearer
from pydantic import Field

from advisor.errors import AdvisorError, InvalidRequirements
from advisor.schema import DIALECTS, ENGINES
from designs import decisions as log
from designs import services
from designs.diagrams import (
    DRAWN,
    FORMATS,
    TEXT,
    DiagramNotStored,
    ViewNotStored,
    archive_drawings,
    cached_drawing,
    diagram_text,
    diagram_view,
)
from designs.forms import MAX_IMPORT_BYTES, ImportForm, ProjectForm
from designs.jobs import job_stage
from designs.models import NAME_MAX_LENGTH, Design, Job, Project, RequirementsVersion
from designs.tasks import BackgroundUnavailable, design_job_start, diagram_job_start
from designs.views.access import design_for, job_for, project_for, version_for

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Dialect = Literal[(*DIALECTS, *ENGINES)]
Format = Literal[FORMATS]


class ApiError(Exception):
    """An answer other than success: its HTTP status, a stable code, a sentence, and where."""

    def __init__(self, status: int, code: str, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.path = status, code, message, path


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.api_token_user(token)
        if user is None:
            raise AuthenticationError(401, "This API token is unknown or has been revoked.")
        request.user = user  # the pages' ownership checks (views/access.py) read it
        return user


class AdvisorApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__


api = AdvisorApi(
    title="Database design advisor",
    version="1",
    description="Projects, requirements versions and designs. Authenticate with "
    "`Authorization: Bearer <token>`; create tokens on the account's API tokens page.",
    auth=TokenAuth(),
    urls_namespace="api",
)


# Schemas


class Problem(Schema):
    path: str
    message: str


class Error(Schema):
    code: str = Field(examples=["invalid_requirements"])
    message: str
    path: str = Field("", description="Where: a requirements document path or a parameter.")
    problems: list[Problem] = Field(
        default_factory=list, description="Every problem, for an invalid document."
    )


# Text a database can store: PostgreSQL refuses NUL in text, so the schema says so too.
NO_NUL = r"^[^\x00]*$"


class ProjectIn(Schema):
    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH, pattern=NO_NUL)
    description: str = Field(default="", pattern=NO_NUL)


class ProjectOut(Schema):
    id: int
    name: str
    description: str
    created_at: datetime
    updated_at: datetime
    url: str
    versions_url: str
    designs_url: str


class VersionSummary(Schema):
    number: int
    note: str
    created_at: datetime
    url: str


class VersionOut(VersionSummary):
    document: dict[str, Any] = Field(description="The document, canonical, format advisor/v1.")
    design_url: str = Field(description="POST here to generate this version's design.")


class JobStage(Schema):
    number: int = Field(description="1 for the first stage.")
    count: int
    name: str


class JobOut(Schema):
    id: int
    kind: str
    status: Literal["queued", "running", "succeeded", "failed"]
    progress: int
    stage: JobStage | None = Field(description="The stage under way, or where the job ended.")
    message: str
    created_at: datetime
    finished_at: datetime | None
    url: str = Field(description="Poll this until the status is succeeded or failed.")
    result_url: str | None = Field(description="What the job made, once it succeeded.")


class DesignOut(Schema):
    number: int
    version: int
    advisor_version: str
    primary: str
    created_at: datetime
    url: str
    links: dict[str, str]
    ddl: dict[str, str] = Field(description="The DDL's URL per dialect.")


class Finding(Schema):
    rule: str
    severity: str
    location: str
    message: str
    fix: str


class Lint(Schema):
    format: str
    dialects: dict[str, list[Finding]]


class Record(Schema):
    number: int | None
    title: str
    status: str | None = Field(description="The record's status today.")
    path: str
    markdown: str = Field(description="The record as the design wrote it (MADR).")


ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: Error}


def text_response(media_type: str, description: str, binary: bool = False) -> dict[str, Any]:
    schema = {"type": "string", "format": "binary"} if binary else {"type": "string"}
    return {"description": description, "content": {media_type: {"schema": schema}}}


# Errors


def error_response(
    request: HttpRequest, status: int, code: str, message: str, path: str = "", **extra: Any
) -> HttpResponse:
    body = {"code": code, "message": message, "path": path, "problems": [], **extra}
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ApiError)
def on_api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
    return error_response(request, error.status, error.code, error.message, error.path)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    message = error.message
    if message == "Unauthorized":
        message = "Send an API token: Authorization: Bearer <token> (made on the account page)."
    return error_response(request, 401, "unauthenticated", message)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", str(error) or "Not found.")


@api.exception_handler(ValidationError)
def on_invalid_request(request: HttpRequest, error: ValidationError) -> HttpResponse:
    problems = [
        {"path": ".".join(str(part) for part in item["loc"]), "message": item["msg"]}
        for item in error.errors
    ]
    first = problems[0] if problems else {"path": "", "message": "invalid request"}
    message = f"{first['path']}: {first['message']}" if first["path"] else first["message"]
    return error_response(
        request, 422, "invalid_request", message, first["path"], problems=problems
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if str(error) == "Cannot parse request body":  # django-ninja's words for broken JSON
        message = "The request body is not valid JSON."
        return error_response(request, 400, "unreadable_body", message, "body")
    return error_response(request, error.status_code, "http_error", str(error))


@api.exception_handler(InvalidRequirements)
def on_invalid_requirements(request: HttpRequest, error: InvalidRequirements) -> HttpResponse:
    problems = [{"path": p.path, "message": p.message} for p in error.problems]
    path = problems[0]["path"] if problems else ""
    return error_response(request, 422, "invalid_requirements", str(error), path, problems=problems)


@api.exception_handler(AdvisorError)
def on_advisor_error(request: HttpRequest, error: AdvisorError) -> HttpResponse:
    return error_response(request, 400, "unreadable_document", error.message, error.location)


@api.exception_handler(BackgroundUnavailable)
def on_background_unavailable(request: HttpRequest, error: BackgroundUnavailable) -> HttpResponse:
    return error_response(request, 503, "background_unavailable", str(error))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return error_response(request, 413, "too_large", str(error))


# URLs


def project_url(project: Project) -> str:
    return reverse("api:project_detail", kwargs={"project_id": project.pk})


def version_url(version: RequirementsVersion) -> str:
    kwargs = {"project_id": version.project_id, "number": version.number}
    return reverse("api:version_detail", kwargs=kwargs)


def design_url(design: Design, name: str = "design_detail", **more: str) -> str:
    kwargs = {"project_id": design.project_id, "design": design.number, **more}
    return reverse(f"api:{name}", kwargs=kwargs)


def project_out(project: Project) -> ProjectOut:
    kwargs = {"project_id": project.pk}
    return ProjectOut(
        id=project.pk,
        name=project.name,
        description=project.description,
        created_at=project.created_at,
        updated_at=project.updated_at,
        url=project_url(project),
        versions_url=reverse("api:version_list", kwargs=kwargs),
        designs_url=reverse("api:design_list", kwargs=kwargs),
    )


def version_summary(version: RequirementsVersion) -> VersionSummary:
    return VersionSummary(
        number=version.number,
        note=version.note,
        created_at=version.created_at,
        url=version_url(version),
    )


def version_out(version: RequirementsVersion) -> VersionOut:
    kwargs = {"project_id": version.project_id, "number": version.number}
    return VersionOut(
        **version_summary(version).model_dump(),
        document=version.document,
        design_url=reverse("api:design_generate", kwargs=kwargs),
    )


def job_out(job: Job) -> JobOut:
    result = None
    if job.status == Job.Status.SUCCEEDED and job.kind == "design" and job.design is not None:
        result = design_url(job.design)
    elif job.status == Job.Status.SUCCEEDED and job.kind == "diagram":
        params = job.params
        kwargs = {"project_id": job.project_id, "design": params["design"]}
        result = reverse("api:design_erd", kwargs={**kwargs, "format": params["format"]})
        query = {name: params.get(name) for name in ("mode", "context") if params.get(name)}
        result += f"?{urlencode(query)}" if query else ""
    return JobOut(
        id=job.pk,
        kind=job.kind,
        status=job.status,
        progress=job.progress,
        stage=job_stage(job),
        message=job.message,
        created_at=job.created_at,
        finished_at=job.finished_at,
        url=reverse("api:job_detail", kwargs={"project_id": job.project_id, "job_id": job.pk}),
        result_url=result,
    )


def design_out(design: Design) -> DesignOut:
    names = ("recommendation", "lint", "decisions", "architecture", "zip")
    links = {name: design_url(design, f"design_{name}") for name in names}
    links["erd"] = design_url(design, "design_erd", format="svg")
    paths = design.files.filter(path__startswith="schema/", path__endswith=".sql")
    stored = {path[len("schema/") : -len(".sql")] for path in paths.values_list("path", flat=True)}
    ddl = {
        name: design_url(design, "design_ddl", dialect=name)
        for name in (*ENGINES, *DIALECTS)
        if name in stored
    }
    return DesignOut(
        number=design.number,
        version=design.version.number,
        advisor_version=design.advisor_version,
        primary=design.primary_name,
        created_at=design.created_at,
        url=design_url(design),
        links=links,
        ddl=ddl,
    )


# Projects


@api.get("/projects", response={200: list[ProjectOut], **ERRORS}, tags=["projects"])
def project_list(request: HttpRequest) -> list[ProjectOut]:
    """Your projects, newest first."""
    return [project_out(project) for project in Project.objects.filter(owner=request.user)]


@api.post(
    "/projects", response={201: ProjectOut, 400: Error, 409: Error, **ERRORS}, tags=["projects"]
)
def project_create(request: HttpRequest, body: ProjectIn) -> Status:
    """Create a project; its name must be new among your projects (409 if not)."""
    form = ProjectForm(body.model_dump(), owner=request.user)
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        code = "name_taken" if form.has_error("name", "duplicate") else "invalid_request"
        raise ApiError(409 if code == "name_taken" else 422, code, messages[0], path=field)
    try:
        project = services.project_create(owner=request.user, **form.cleaned_data)
    except services.ProjectNameTaken as taken:
        raise ApiError(409, "name_taken", str(taken), path="name") from None
    return Status(201, project_out(project))


@api.get("/projects/{project_id}", response={200: ProjectOut, **ERRORS}, tags=["projects"])
def project_detail(request: HttpRequest, project_id: Id) -> ProjectOut:
    return project_out(project_for(request, project_id))


# Requirements versions

DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "description": "A requirements document, format advisor/v1, as YAML or JSON "
        "(docs/requirements.md; its JSON Schema is at /format/requirements.schema.json).",
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}


@api.get(
    "/projects/{project_id}/versions",
    response={200: list[VersionSummary], **ERRORS},
    tags=["requirements"],
)
def version_list(request: HttpRequest, project_id: Id) -> list[VersionSummary]:
    """The project's requirements versions, newest first."""
    project = project_for(request, project_id)
    return [version_summary(version) for version in project.versions.order_by("-number")]


@api.post(
    "/projects/{project_id}/versions",
    response={200: VersionOut, 201: VersionOut, 400: Error, 413: Error, **ERRORS},
    openapi_extra=DOCUMENT_BODY,
    tags=["requirements"],
)
def version_create(
    request: HttpRequest, project_id: Id, note: Annotated[str, Query(max_length=500)] = ""
) -> Status:
    """Save a requirements document as the project's next version (201). A document equal to
    the latest version saves nothing and answers that version (200). An invalid document
    answers 422 with every problem and its path."""
    project = project_for(request, project_id)
    if len(request.body) > MAX_IMPORT_BYTES:
        message = f"The document is {len(request.body):,} bytes; the limit is {MAX_IMPORT_BYTES:,}."
        raise ApiError(413, "too_large", message)
    form = ImportForm({"note": note}, {"file": SimpleUploadedFile("request body", request.body)})
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        if field == "note":
            raise ApiError(422, "invalid_request", messages[0], path="query.note")
        raise ApiError(400, "unreadable_document", messages[0])
    text, source = form.text_and_source()
    try:
        version = services.requirements_save_text(
            project=project,
            text=text,
            source=source,
            created_by=request.user,
            note=note or "Posted through the API.",
        )
    except services.NothingChanged as unchanged:
        return Status(200, version_out(unchanged.version))
    return Status(201, version_out(version))


@api.get(
    "/projects/{project_id}/versions/{number}",
    response={200: VersionOut, **ERRORS},
    tags=["requirements"],
)
def version_detail(request: HttpRequest, project_id: Id, number: Id) -> VersionOut:
    return version_out(version_for(request, project_id, number))


# Designs and jobs


@api.post(
    "/projects/{project_id}/versions/{number}/design",
    response={200: DesignOut, 202: JobOut, **ERRORS},
    tags=["designs"],
)
def design_generate(request: HttpRequest, project_id: Id, number: Id) -> Status:
    """Generate the design of a version in the background: 202 with the job to poll. When
    this engine designed the version already, 200 with that design."""
    version = version_for(request, project_id, number)
    existing = services.design_for(version)
    if existing is not None:
        return Status(200, design_out(existing))
    job = design_job_start(version=version, created_by=request.user)
    job.refresh_from_db()
    return Status(202, job_out(job))


@api.get("/projects/{project_id}/jobs/{job_id}", response={200: JobOut, **ERRORS}, tags=["jobs"])
def job_detail(request: HttpRequest, project_id: Id, job_id: Id) -> JobOut:
    """A background job: poll it until its status is succeeded or failed."""
    return job_out(job_for(request, project_id, job_id))


@api.get(
    "/projects/{project_id}/designs", response={200: list[DesignOut], **ERRORS}, tags=["designs"]
)
def design_list(request: HttpRequest, project_id: Id) -> list[DesignOut]:
    """The project's designs, newest first."""
    project = project_for(request, project_id)
    designs = project.designs.select_related("project", "version").order_by("-number")
    return [design_out(design) for design in designs]


@api.get(
    "/projects/{project_id}/designs/{design}", response={200: DesignOut, **ERRORS}, tags=["designs"]
)
def design_detail(request: HttpRequest, project_id: Id, design: Id) -> DesignOut:
    """A design, with the URLs of its parts."""
    return design_out(design_for(request, project_id, design))


@api.get(
    "/projects/{project_id}/designs/{design}/recommendation",
    response={200: dict[str, Any], **ERRORS},
    tags=["designs"],
)
def design_recommendation(request: HttpRequest, project_id: Id, design: Id) -> dict[str, Any]:
    """The engine's recommendation (advisor/data/recommendation.schema.json)."""
    stored: dict[str, Any] = design_for(request, project_id, design).recommendation
    return stored


@api.get(
    "/projects/{project_id}/designs/{design}/lint", response={200: Lint, **ERRORS}, tags=["designs"]
)
def design_lint(request: HttpRequest, project_id: Id, design: Id) -> Any:
    """The lint findings of the design's schema, per dialect."""
    stored = design_for(request, project_id, design)
    return json.loads(_file(stored, "lint.json"))


@api.get(
    "/projects/{project_id}/designs/{design}/ddl/{dialect}",
    response=ERRORS,
    openapi_extra={"responses": {200: text_response("application/sql", "The DDL.")}},
    tags=["designs"],
)
def design_ddl(request: HttpRequest, project_id: Id, design: Id, dialect: Dialect) -> HttpResponse:
    """The schema as DDL of one SQL dialect. CockroachDB's and YugabyteDB's own are there when
    the design's primary store is one of them."""
    stored = design_for(request, project_id, design)
    return HttpResponse(
        _file(stored, f"schema/{dialect}.sql"), content_type="application/sql; charset=utf-8"
    )


BINARY = {"type": "string", "format": "binary"}
ERD_RESPONSES = {
    200: {
        "description": "The diagram: a drawing (svg, png, pdf) or text (dot, mermaid, dbml, "
        "plantuml).",
        "content": {
            **{media: {"schema": BINARY} for media in DRAWN.values()},
            "text/plain": {"schema": {"type": "string"}},
            "text/vnd.graphviz": {"schema": {"type": "string"}},
        },
    }
}


@api.get(
    "/projects/{project_id}/designs/{design}/erd/{format}",
    response={202: JobOut, **ERRORS},
    openapi_extra={"responses": ERD_RESPONSES},
    tags=["designs"],
)
def design_erd(
    request: HttpRequest,
    project_id: Id,
    design: Id,
    format: Format,
    mode: Annotated[str, Query(max_length=100)] = "",
    context: Annotated[str, Query(max_length=NAME_MAX_LENGTH)] = "",
) -> Any:
    """The entity-relationship diagram. A drawing Graphviz has not made yet answers 202 with
    the job drawing it; poll the job, then ask again. `mode` and `context` choose the view as
    the Diagram page does."""
    stored = design_for(request, project_id, design)
    try:
        view = diagram_view(stored, mode=mode or None, context=context)
        if format in TEXT:
            text = diagram_text(stored, view, format)
            return HttpResponse(text, content_type=f"{TEXT[format][0]}; charset=utf-8")
    except DiagramNotStored as error:
        raise ApiError(404, "not_found", str(error)) from None
    except ViewNotStored as error:
        raise ApiError(404, "not_found", str(error), path="context") from None
    if view.too_many_to_draw:
        message = f"{view.too_many_to_draw}: ask for one context, or for the DOT"
        raise ApiError(422, "too_large", message, path="context")
    drawing = cached_drawing(view, format)
    if drawing is None:
        job = diagram_job_start(design=stored, view=view, format=format, created_by=request.user)
        job.refresh_from_db()
        drawing = cached_drawing(view, format) if job.status == Job.Status.SUCCEEDED else None
        if drawing is None:
            return Status(202, job_out(job))
    return HttpResponse(bytes(drawing.content), content_type=DRAWN[format])


@api.get(
    "/projects/{project_id}/designs/{design}/decisions",
    response={200: list[Record], **ERRORS},
    tags=["designs"],
)
def design_decisions(request: HttpRequest, project_id: Id, design: Id) -> list[Record]:
    """The decision records the design wrote, with each record's status today."""
    stored = design_for(request, project_id, design)
    return [
        Record(
            number=record.number if record else None,
            title=record.title if record else item.path,
            status=record.status if record else None,
            path=item.path,
            markdown=item.content,
        )
        for item, record in log.design_records(stored)
    ]


@api.get(
    "/projects/{project_id}/designs/{design}/architecture",
    response=ERRORS,
    openapi_extra={
        "responses": {200: text_response("text/markdown", "The architecture document.")}
    },
    tags=["designs"],
)
def design_architecture(request: HttpRequest, project_id: Id, design: Id) -> HttpResponse:
    """The architecture document, as Markdown."""
    stored = design_for(request, project_id, design)
    text = _file(stored, "architecture.md")
    return HttpResponse(text, content_type="text/markdown; charset=utf-8")


@api.get(
    "/projects/{project_id}/designs/{design}/zip",
    response=ERRORS,
    openapi_extra={
        "responses": {200: text_response("application/zip", "Every file.", binary=True)}
    },
    tags=["designs"],
)
def design_zip(request: HttpRequest, project_id: Id, design: Id) -> HttpResponse:
    """The design's folder as a zip: requirements, schemas, diagrams, records, documents."""
    stored = design_for(request, project_id, design)
    archive = services.design_archive(stored, drawings=archive_drawings(stored))
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{services.design_slug(stored)}.zip"'
    return response


def _file(design: Design, path: str) -> str:
    content = design.files.filter(path=path).values_list("content", flat=True).first()
    if content is None:
        raise ApiError(404, "not_found", f"This design keeps no {path}.")
    return str(content)
