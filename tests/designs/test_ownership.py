"""Another user's project answers 404 on every URL that names it, for GET and POST alike, and
on every operation of the JSON API, called with that user's token.

The URLs come from the URL configuration itself, the API's operations from its OpenAPI
document: a new URL or operation that takes an id is walked by this test as soon as it exists.
When it takes an id this table does not know, the test fails and asks for a row in OBJECT_IDS.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from designs import services
from designs.generation import design_generate
from designs.models import Job, Project
from designs.views.api import api
from tests.designs.conftest import minimal

# How to find, among Alice's things, the value for each id a URL can take.
OBJECT_IDS: dict[str, Callable[[Project], int | str]] = {
    "project_id": lambda project: project.pk,
    "number": lambda project: project.versions.get().number,
    "job_id": lambda project: project.jobs.order_by("pk").first().pk,
    "design": lambda project: project.designs.get().number,
    "path": lambda project: project.designs.get().files.first().path,
    "format": lambda project: "svg",
    "decision": lambda project: project.decisions.first().number,
    "token_id": lambda project: project.owner.api_tokens.get().pk,
    "dialect": lambda project: "postgresql",
}
API = "api/"


def walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from walk(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def patterns_with_ids(*, api: bool = False) -> list[tuple[str, URLPattern]]:
    """The pages' URLs that take an id (the API's, with `api`: they answer a token, not a
    session, and are walked through the OpenAPI document below)."""
    return [
        (route, pattern)
        for route, pattern in walk(get_resolver())
        if pattern.pattern.converters and route.startswith(API) == api
    ]


def api_operations() -> list[tuple[str, str]]:
    """(method, path) of every API operation whose path names an object."""
    paths = api.get_openapi_schema()["paths"]
    return [(method, path) for path, item in paths.items() for method in item if "{" in path]


def test_the_table_knows_every_id_the_urls_take() -> None:
    unknown = {
        (route, name)
        for route, pattern in patterns_with_ids() + patterns_with_ids(api=True)
        for name in pattern.pattern.converters
        if name not in OBJECT_IDS
    }
    assert not unknown, f"add a row to OBJECT_IDS for these URL arguments: {sorted(unknown)}"


def test_it_walks_the_project_urls() -> None:
    names = {pattern.name for _, pattern in patterns_with_ids()}
    assert {"project_detail", "version_download", "job_download", "design_file"} <= names


@pytest.fixture
def alice_things(alice, alice_project) -> Project:
    version = services.requirements_save(
        project=alice_project, document=minimal(), created_by=alice
    )
    design_generate(version=version, created_by=alice)
    Job.objects.create(project=alice_project, kind="export", created_by=alice)
    services.api_token_create(user=alice, name="CI")
    return alice_project


def url_of(pattern: URLPattern, project: Project) -> str:
    kwargs = {name: OBJECT_IDS[name](project) for name in pattern.pattern.converters}
    return reverse(pattern.name, kwargs=kwargs)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("route", "pattern"), patterns_with_ids(), ids=[route for route, _ in patterns_with_ids()]
)
def test_another_users_project_answers_404(
    charlie_client: Client, alice_things: Project, route: str, pattern: URLPattern, method: str
) -> None:
    url = url_of(pattern, alice_things)
    response = getattr(charlie_client, method)(url)
    assert response.status_code == 404, url
    assert alice_things.name not in response.content.decode()
    assert Project.objects.filter(pk=alice_things.pk).exists()


def test_the_owner_reaches_every_such_url(alice_client: Client, alice_things: Project) -> None:
    for _, pattern in patterns_with_ids():
        url = url_of(pattern, alice_things)
        response = alice_client.get(url)
        assert response.status_code in {200, 302, 400}, url  # 400: a parameter is missing


def api_url_of(path: str, project: Project) -> str:
    return re.sub(r"\{(\w+)\}", lambda name: str(OBJECT_IDS[name[1]](project)), path)


def test_it_walks_the_api_operations() -> None:
    assert {"get", "post"} <= {method for method, _ in api_operations()}
    assert len(api_operations()) >= 14


@pytest.mark.parametrize(("method", "path"), api_operations(), ids=" ".join)
def test_another_users_project_answers_404_in_the_api(
    charlie: User, alice_things: Project, method: str, path: str
) -> None:
    _, secret = services.api_token_create(user=charlie, name="Charlie's CI")
    client = Client(headers={"authorization": f"Bearer {secret}"})
    response = getattr(client, method)(api_url_of(path, alice_things))
    assert response.status_code == 404, path
    assert response.json()["code"] == "not_found"
    assert alice_things.name not in response.content.decode()


def test_the_owner_reaches_every_api_operation(alice_things: Project) -> None:
    _, secret = services.api_token_create(user=alice_things.owner, name="laptop")
    client = Client(headers={"authorization": f"Bearer {secret}"})
    for method, path in api_operations():
        response = getattr(client, method)(api_url_of(path, alice_things))
        assert response.status_code in {200, 202, 400}, path  # 400: the POST has no document
