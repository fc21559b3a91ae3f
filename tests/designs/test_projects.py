from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from designs import services
from designs.models import Project
from tests.designs.conftest import client_for, minimal


def test_it_creates_a_project_and_shows_it(alice_client: Client) -> None:
    response = alice_client.post(
        reverse("project_create"), {"name": "Shop", "description": "Orders and customers"}
    )
    project = Project.objects.get(name="Shop")
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    page = alice_client.get(project.get_absolute_url())
    assert "Orders and customers" in page.content.decode()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param("", "This field is required.", id="empty"),
        pytest.param("   ", "This field is required.", id="only-spaces"),
        pytest.param(
            "x" * 10_000,
            "Ensure this value has at most 200 characters (it has 10000).",
            id="10000-characters",
        ),
    ],
)
def test_a_bad_name_gets_a_message_on_the_form(
    alice_client: Client, name: str, message: str
) -> None:
    response = alice_client.post(reverse("project_create"), {"name": name})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_a_duplicate_name_is_refused_whatever_its_case(alice_client: Client, alice) -> None:
    services.project_create(owner=alice, name="Shop")
    response = alice_client.post(reverse("project_create"), {"name": "shop"})
    assert response.status_code == 200
    assert "You already have a project named “shop”" in response.content.decode()
    assert Project.objects.count() == 1


def test_another_owner_may_use_the_same_name(alice, bob) -> None:
    services.project_create(owner=alice, name="Shop")
    response = client_for(bob).post(reverse("project_create"), {"name": "Shop"})
    assert response.status_code == 302
    assert Project.objects.filter(name="Shop").count() == 2


def test_the_database_refuses_a_duplicate_that_slips_past_the_form(alice) -> None:
    services.project_create(owner=alice, name="Shop")
    with pytest.raises(services.ProjectNameTaken):
        services.project_create(owner=alice, name="SHOP")


def test_the_list_shows_newest_first_with_version_counts(alice_client: Client, alice) -> None:
    older = services.project_create(owner=alice, name="Older")
    services.project_create(owner=alice, name="Newer")
    for name in ("first", "second"):
        services.requirements_save(project=older, document=minimal(name), created_by=alice)
    response = alice_client.get(reverse("project_list"))
    names = [project.name for project in response.context["projects"]]
    assert names == ["Newer", "Older"]
    counts = {project.name: project.version_count for project in response.context["projects"]}
    assert counts == {"Newer": 0, "Older": 2}


def test_the_list_shows_only_my_projects(alice_client: Client, bob) -> None:
    services.project_create(owner=bob, name="Bob’s project")
    response = alice_client.get(reverse("project_list"))
    assert "Bob’s project" not in response.content.decode()


def test_it_renames_and_edits_the_description(alice_client: Client, alice_project) -> None:
    url = reverse("project_edit", args=[alice_project.pk])
    response = alice_client.post(url, {"name": "Ledger", "description": "Double entry"})
    assert response.status_code == 302
    alice_project.refresh_from_db()
    assert (alice_project.name, alice_project.description) == ("Ledger", "Double entry")


def test_renaming_onto_another_project_keeps_both_unchanged(
    alice_client: Client, alice, alice_project
) -> None:
    services.project_create(owner=alice, name="Shop")
    url = reverse("project_edit", args=[alice_project.pk])
    response = alice_client.post(url, {"name": "SHOP", "description": "changed"})
    assert "You already have a project named “SHOP”" in response.content.decode()
    alice_project.refresh_from_db()
    assert alice_project.name == "Alice’s secret ledger"
    assert alice_project.description == "Not for Charlie."


def test_delete_asks_for_confirmation_naming_the_project(
    alice_client: Client, alice_project
) -> None:
    url = reverse("project_delete", args=[alice_project.pk])
    page = alice_client.get(url)
    assert "Delete project “Alice’s secret ledger”?" in page.content.decode()
    assert Project.objects.filter(pk=alice_project.pk).exists()
    response = alice_client.post(url)
    assert response.status_code == 302
    assert not Project.objects.filter(pk=alice_project.pk).exists()


def test_version_numbers_count_up_per_project(alice, alice_project) -> None:
    other = services.project_create(owner=alice, name="Other")
    numbers = [
        services.version_create(project=project, document=minimal(), created_by=alice).number
        for project in (alice_project, alice_project, other, alice_project)
    ]
    assert numbers == [1, 2, 1, 3]


def test_a_version_is_shown_and_downloaded_as_yaml(alice_client: Client, alice, alice_project):
    services.requirements_save(project=alice_project, document=minimal("Ledger"), created_by=alice)
    page = alice_client.get(reverse("version_detail", args=[alice_project.pk, 1]))
    assert "project: Ledger" in page.content.decode()
    download = alice_client.get(reverse("version_download", args=[alice_project.pk, 1]))
    assert download["Content-Disposition"] == 'attachment; filename="requirements-v1.yaml"'
    assert b"format: advisor/v1" in download.content


def test_pages_need_a_login(client: Client, alice_project) -> None:
    response = client.get(alice_project.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
