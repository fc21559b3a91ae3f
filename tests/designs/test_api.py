"""The JSON API under /api/ as a script or a CI job meets it: a token made on the account page,
the demo document posted, a design generated and read in every form; errors as JSON."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from django.contrib.auth.models import User
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

from designs import services
from designs.forms import MAX_IMPORT_BYTES
from designs.generation import design_generate
from designs.models import ApiToken, Project
from designs.tasks import job_start
from designs.wsgi import application

DEMO = Path(__file__).resolve().parents[2] / "docs" / "examples" / "online-shop.yaml"


def api_client(secret: str) -> Client:
    return Client(headers={"authorization": f"Bearer {secret}"})


@pytest.fixture
def alice_api(alice: User) -> Client:
    _, secret = services.api_token_create(user=alice, name="CI")
    return api_client(secret)


@pytest.fixture
def shop_project(alice_api: Client) -> dict[str, Any]:
    response = alice_api.post(
        "/api/projects", {"name": "Online shop"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def shop_version(alice_api: Client, shop_project: dict[str, Any]) -> dict[str, Any]:
    response = alice_api.post(
        f"{shop_project['versions_url']}?note=from+CI",
        DEMO.read_text(encoding="utf-8"),
        content_type="application/yaml",
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def shop_design(
    alice_api: Client, shop_version: dict[str, Any], django_capture_on_commit_callbacks
) -> dict[str, Any]:
    with django_capture_on_commit_callbacks(execute=True):
        started = alice_api.post(shop_version["design_url"])
    assert started.status_code == 202, started.content
    job = alice_api.get(started.json()["url"]).json()
    assert job["status"] == "succeeded", job["message"]
    design = alice_api.get(job["result_url"])
    assert design.status_code == 200
    return design.json()


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body: dict[str, Any] = response.json()
    assert set(body) >= {"code", "message", "path"}
    return body


# Tokens


def test_a_token_made_on_the_account_page_opens_the_api_until_it_is_revoked(
    alice_client: Client, alice: User
) -> None:
    secret = alice_client.post(reverse("token_list"), {"name": "CI"}).context["secret"]
    assert api_client(secret).get("/api/projects").status_code == 200
    token = ApiToken.objects.get(user=alice)
    assert token.last_used_at is not None

    alice_client.post(reverse("token_revoke", args=[token.pk]))
    body = error_of(api_client(secret).get("/api/projects"), 401)
    assert body["code"] == "unauthenticated"
    assert "revoked" in body["message"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"authorization": "Bearer dda_000000000000_unknown"},
        {"authorization": "Bearer not-a-token"},
        {"authorization": "Token something"},
    ],
    ids=["no header", "unknown token", "malformed token", "another scheme"],
)
def test_a_request_without_a_valid_token_is_401_json(db: None, headers: dict[str, str]) -> None:
    response = Client(headers=headers).get("/api/projects")
    body = error_of(response, 401)
    assert body["code"] == "unauthenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_someone_elses_token_cannot_be_revoked(charlie_client: Client, alice: User) -> None:
    token, secret = services.api_token_create(user=alice, name="CI")
    response = charlie_client.post(reverse("token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert api_client(secret).get("/api/projects").status_code == 200


def test_a_token_needs_a_name(alice_client: Client) -> None:
    page = alice_client.post(reverse("token_list"), {"name": ""})
    assert "This field is required." in page.content.decode()
    assert not ApiToken.objects.exists()


# Projects and requirements versions


def test_projects_are_created_and_listed(alice_api: Client, shop_project: dict[str, Any]) -> None:
    listed = alice_api.get("/api/projects").json()
    assert [project["name"] for project in listed] == ["Online shop"]
    assert alice_api.get(shop_project["url"]).json()["id"] == shop_project["id"]


def test_a_taken_project_name_is_409(alice_api: Client, shop_project: dict[str, Any]) -> None:
    response = alice_api.post(
        "/api/projects", {"name": "ONLINE SHOP"}, content_type="application/json"
    )
    body = error_of(response, 409)
    assert body["code"] == "name_taken" and body["path"] == "name"


@pytest.mark.parametrize(
    ("payload", "path"),
    [({}, "body.body.name"), ({"name": ""}, "body.body.name"), ({"name": "   "}, "name")],
    ids=["missing", "empty", "blank"],
)
def test_a_project_without_a_name_is_422_naming_the_field(
    alice_api: Client, payload: dict[str, str], path: str
) -> None:
    response = alice_api.post("/api/projects", payload, content_type="application/json")
    body = error_of(response, 422)
    assert body["path"] == path
    assert not Project.objects.exists()


def test_the_demo_document_is_saved_as_yaml_or_json_and_read_back(
    alice_api: Client, shop_project: dict[str, Any], shop_version: dict[str, Any]
) -> None:
    assert shop_version["number"] == 1 and shop_version["note"] == "from CI"
    got = alice_api.get(shop_version["url"]).json()
    assert got["document"]["project"] == "Online shop"
    assert {entity["name"] for entity in got["document"]["entities"]} >= {"customer", "order"}

    document = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    same = alice_api.post(shop_project["versions_url"], document, content_type="application/json")
    assert same.status_code == 200 and same.json()["number"] == 1  # nothing changed

    document["workload"]["writes_per_second"] = 30_000
    changed = alice_api.post(
        shop_project["versions_url"], document, content_type="application/json"
    )
    assert changed.status_code == 201 and changed.json()["number"] == 2
    listed = alice_api.get(shop_project["versions_url"]).json()
    assert [version["number"] for version in listed] == [2, 1]


def test_an_invalid_document_is_422_with_every_problem_and_its_path(
    alice_api: Client, shop_project: dict[str, Any]
) -> None:
    text = DEMO.read_text(encoding="utf-8").replace("type: string, length: 255", "type: strng")
    text = text.replace("reads_per_second: 3000", "reads_per_second: lots")
    response = alice_api.post(shop_project["versions_url"], text, content_type="application/yaml")
    body = error_of(response, 422)
    assert body["code"] == "invalid_requirements"
    paths = [problem["path"] for problem in body["problems"]]
    assert "entities[0].attributes[0].type" in paths
    assert "workload.reads_per_second" in paths
    assert body["path"] == paths[0]
    assert not alice_api.get(shop_project["versions_url"]).json()


@pytest.mark.parametrize(
    ("body", "code", "status", "says"),
    [
        ("project: [Shop", "unreadable_document", 400, "not valid YAML or JSON"),
        ("- a list", "unreadable_document", 400, "it must be a mapping"),
        ("", "unreadable_document", 400, "empty"),
        (b"\xff\xfe", "unreadable_document", 400, "not UTF-8"),
        ("x" * (MAX_IMPORT_BYTES + 1), "too_large", 413, f"the limit is {MAX_IMPORT_BYTES:,}"),
    ],
    ids=["broken YAML", "a list", "empty", "not UTF-8", "too large"],
)
def test_an_unreadable_document_says_why(
    alice_api: Client, shop_project: dict[str, Any], body: Any, code: str, status: int, says: str
) -> None:
    response = alice_api.post(shop_project["versions_url"], body, content_type="application/yaml")
    error = error_of(response, status)
    assert error["code"] == code
    assert says in error["message"]


def test_a_note_with_a_nul_character_is_422_naming_it(
    alice_api: Client, shop_project: dict[str, Any]
) -> None:
    url = f"{shop_project['versions_url']}?note=a%00b"
    response = alice_api.post(url, DEMO.read_text(), content_type="application/yaml")
    assert error_of(response, 422)["path"] == "query.note"


def test_a_broken_document_names_the_line_and_column(
    alice_api: Client, shop_project: dict[str, Any]
) -> None:
    response = alice_api.post(
        shop_project["versions_url"], "project: [Shop", content_type="application/yaml"
    )
    assert error_of(response, 400)["path"] == "request body:1:15"


def test_a_path_id_that_is_not_a_number_is_422(alice_api: Client) -> None:
    body = error_of(alice_api.get("/api/projects/abc"), 422)
    assert body["code"] == "invalid_request"
    assert body["path"] == "path.project_id"


# Designs


def test_a_design_is_generated_in_the_background_and_read_in_every_form(
    alice_api: Client, shop_version: dict[str, Any], shop_design: dict[str, Any]
) -> None:
    assert shop_design["primary"] == "PostgreSQL"
    assert shop_design["version"] == shop_version["number"]
    links = shop_design["links"]

    recommendation = alice_api.get(links["recommendation"]).json()
    assert recommendation["primary"]["name"] == "PostgreSQL"

    lint = alice_api.get(links["lint"]).json()
    assert set(lint["dialects"]) == {"postgresql", "mysql", "sqlite", "sqlserver", "oracle"}

    assert set(shop_design["ddl"]) >= {"postgresql", "mysql", "sqlite", "sqlserver", "oracle"}
    for dialect, url in shop_design["ddl"].items():
        ddl = alice_api.get(url)
        assert ddl.status_code == 200, dialect
        assert ddl["Content-Type"].startswith("application/sql")
        assert "CREATE TABLE" in ddl.content.decode()

    records = alice_api.get(links["decisions"]).json()
    assert records and all(record["status"] == "accepted" for record in records)
    assert records[0]["markdown"].startswith("---") or records[0]["markdown"].startswith("#")

    architecture = alice_api.get(links["architecture"])
    assert architecture["Content-Type"].startswith("text/markdown")
    assert "PostgreSQL" in architecture.content.decode()

    archive = alice_api.get(links["zip"])
    with zipfile.ZipFile(io.BytesIO(archive.content)) as files:
        names = files.namelist()
    assert "online-shop-design-1/requirements.yaml" in names
    assert "online-shop-design-1/schema/postgresql.sql" in names


def test_generating_a_version_designed_already_answers_the_design(
    alice_api: Client, shop_version: dict[str, Any], shop_design: dict[str, Any]
) -> None:
    again = alice_api.post(shop_version["design_url"])
    assert again.status_code == 200
    assert again.json()["number"] == shop_design["number"]


@pytest.mark.parametrize(
    ("format", "starts"),
    [
        ("dot", b"digraph"),
        ("mermaid", b"erDiagram"),
        ("dbml", b'Project "Online shop"'),
        ("svg", b"<?xml"),
        ("png", b"\x89PNG"),
    ],
)
def test_every_erd_format_is_served_a_drawing_after_its_job(
    alice_api: Client,
    shop_design: dict[str, Any],
    django_capture_on_commit_callbacks,
    format: str,
    starts: bytes,
) -> None:
    url = shop_design["links"]["erd"].replace("/svg", f"/{format}")
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.get(url, {"mode": "compact"})
    if format in {"svg", "png"}:
        job = error_free_json(response, 202)
        assert job["kind"] == "diagram"
        done = alice_api.get(job["url"]).json()
        assert done["status"] == "succeeded", done["message"]
        assert done["result_url"] == f"{url}?mode=compact"
        response = alice_api.get(done["result_url"])
    assert response.status_code == 200
    assert response.content.lstrip().startswith(starts)


def error_free_json(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    return body


def test_an_unknown_dialect_format_or_context_is_a_clear_error(
    alice_api: Client, shop_design: dict[str, Any]
) -> None:
    base = shop_design["url"]
    assert error_of(alice_api.get(f"{base}/ddl/db2"), 422)["path"] == "path.dialect"
    assert error_of(alice_api.get(f"{base}/erd/gif"), 422)["path"] == "path.format"
    missing = error_of(alice_api.get(f"{base}/ddl/cockroachdb"), 404)
    assert "schema/cockroachdb.sql" in missing["message"]
    context = error_of(alice_api.get(f"{base}/erd/dot", {"context": "nope"}), 404)
    assert context["path"] == "context" and "known: catalogue" in context["message"]


# The OpenAPI document


def test_the_openapi_document_is_served_and_valid(client: Client, db: None) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    body = schema["paths"]["/api/projects/{project_id}/versions"]["post"]["requestBody"]
    assert set(body["content"]) == {"application/yaml", "application/json"}
    assert json.dumps(schema).count('"$ref": "#/components/schemas/Error"') > 20


def test_the_api_docs_page_serves_its_own_files(client: Client, db: None) -> None:
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page


# Generated requests (schemathesis): no 5xx, every answer as the OpenAPI document says


@pytest.fixture
def wsgi_in_test_transaction(db: None) -> Iterator[None]:
    """Requests sent to the WSGI app see the test's transaction, as the test client's do: the
    signal that closes the connection after each request would end it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def alice_with_a_design(alice: User) -> tuple[str, dict[str, int]]:
    """Alice's token, and what the generated id 1 stands for: her project with the demo as
    version 1, its design 1 and a job (whatever ids the database gave them)."""
    project = services.project_create(owner=alice, name="Online shop")
    document = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    version = services.requirements_save(project=project, document=document, created_by=alice)
    design_generate(version=version, created_by=alice)
    job = job_start(project=project, kind="export", created_by=alice)
    _, secret = services.api_token_create(user=alice, name="schemathesis")
    return secret, {"project_id": project.pk, "job_id": job.pk}


# Read from the app as a client reads it (schemathesis's lazy fixture loader fails on pytest 9).
generated = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@generated.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_generated_requests_get_no_5xx_and_conforming_answers(
    case: Any, alice_with_a_design: tuple[str, dict[str, int]], wsgi_in_test_transaction: None
) -> None:
    secret, ids = alice_with_a_design
    for name, value in (case.path_parameters or {}).items():
        if value == 1 and name in ids:
            case.path_parameters[name] = ids[name]
    # A requirements document's own rules (names that must match, fields that depend on
    # others) go beyond its JSON Schema: a schema-valid document may well be invalid.
    excluded = [positive_data_acceptance] if case.operation.path.endswith("/versions") else []
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, excluded_checks=excluded)
