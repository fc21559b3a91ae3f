from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from designs.models import Project


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_demo_prints_a_login_that_works(db: None, settings) -> None:
    settings.DEBUG = True
    output = run_demo()
    assert "as 'demo' with password 'demo-advisor'" in output
    client = Client()
    assert client.login(username="demo", password="demo-advisor")
    project = Project.objects.get(owner__username="demo")
    assert project.name == "Online shop"
    page = client.get(project.get_absolute_url()).content.decode()
    assert "v1" in page


def test_the_demo_document_is_the_e_commerce_example(db: None, settings) -> None:
    settings.DEBUG = True
    run_demo()
    document = Project.objects.get(owner__username="demo").versions.get(number=1).document
    entities = {entity["name"] for entity in document["entities"]}
    assert {"customer", "address", "category", "product", "order", "order_item"} <= entities
    assert document["workload"]["reads_per_second"] == 3000
    assert document["workload"]["writes_per_second"] == 300
    assert document["workload"]["consistency"] == "strong"
    assert document["workload"]["transactions"] == "multi_entity"


def test_running_the_demo_again_keeps_one_project_and_its_versions(db: None, settings) -> None:
    settings.DEBUG = True
    run_demo()
    run_demo("--password", "changed-password")
    project = Project.objects.get(owner__username="demo")
    assert project.versions.count() == 2
    assert project.designs.count() == 2
    assert Client().login(username="demo", password="changed-password")


def test_the_demo_is_refused_in_production(db: None, settings) -> None:
    settings.DEBUG = False
    try:
        run_demo()
    except Exception as error:  # CommandError
        assert "Refusing to create a demo user with DEBUG off" in str(error)
    else:
        raise AssertionError("the demo ran with DEBUG off")
    assert not Project.objects.exists()


def test_the_printed_link_follows_the_port(db: None, settings) -> None:
    settings.DEBUG = True
    assert "http://127.0.0.1:8001/accounts/login/" in run_demo("--port", "8001")


def test_the_demo_arrives_with_two_designs_and_a_superseded_record(db: None, settings) -> None:
    """Issue 13: a newcomer sees every screen filled: designs, records, a superseded one."""
    settings.DEBUG = True
    run_demo()
    project = Project.objects.get(owner__username="demo")
    first, second = project.versions.order_by("number")
    assert second.note and second.document["workload"]["reads_per_second"] == (
        10 * first.document["workload"]["reads_per_second"]
    )
    assert project.designs.count() == 2
    statuses = set(project.decisions.values_list("status", flat=True))
    assert {"accepted", "superseded"} <= statuses
    client = Client()
    client.login(username="demo", password="demo-advisor")
    page = client.get(project.get_absolute_url()).content.decode()
    assert "v2" in page
    migration = client.get(reverse("migration_detail", args=[project.pk])).content.decode()
    assert "loyalty_points" in migration and "Nothing changes" not in migration
