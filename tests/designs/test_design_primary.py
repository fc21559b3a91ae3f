"""The design page opens on the primary store's schema, whatever store the engine chose."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.test import Client

from designs import services
from designs.generation import design_generate
from designs.models import Design, Project
from tests.designs.test_designs import text_of

REQUIREMENTS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "requirements"


def design_of(name: str, alice, project: Project) -> Design:
    document = yaml.safe_load((REQUIREMENTS / f"{name}.yaml").read_text(encoding="utf-8"))
    version = services.requirements_save(project=project, document=document, created_by=alice)
    design, _ = design_generate(version=version, created_by=alice)
    return design


def words(text: str) -> str:
    return " ".join(text.split())


def first_schema(page: str) -> str:
    """The text of the first code block of the page, as a person reads it."""
    found = re.search(r'<div (?:id="ddl" )?class="code-block[^"]*"[^>]*>(.*?)</div>', page, re.S)
    assert found is not None
    return words(text_of(found.group(1)))


@pytest.mark.parametrize(
    ("requirements", "technology", "path", "label"),
    [
        ("chat-messages-global", "cassandra", "schema/cassandra.cql", "Apache Cassandra schema"),
        ("product-catalogue", "mongodb", "schema/mongodb.js", "MongoDB schema"),
        ("iot-telemetry", "timescaledb", "schema/timeseries.sql", "TimescaleDB schema"),
        (
            "multi-tenant-saas",
            "cockroachdb",
            "schema/cockroachdb.sql",
            "The DDL of CockroachDB, the primary store.",
        ),
        ("order-management", "mysql", "schema/mysql.sql", "The DDL of MySQL, the primary store."),
        ("clinic-records", "sqlserver", "schema/sqlserver.sql", "The DDL of SQL Server"),
        ("hotel-booking", "postgresql", "schema/postgresql.sql", "The DDL of PostgreSQL"),
    ],
)
def test_the_first_schema_on_the_page_is_the_primary_stores(
    alice, alice_client: Client, alice_project: Project, requirements, technology, path, label
) -> None:
    design = design_of(requirements, alice, alice_project)
    assert design.recommendation["primary"]["technology"] == technology
    page = alice_client.get(design.get_absolute_url()).content.decode()
    assert first_schema(page) == words(design.files.get(path=path).content)
    assert label in text_of(page)


def test_a_cassandra_primary_leads_and_is_not_repeated_among_the_other_stores(
    alice, alice_client: Client, alice_project: Project
) -> None:
    design = design_of("chat-messages-global", alice, alice_project)
    page = text_of(alice_client.get(design.get_absolute_url()).content.decode())
    assert page.index("Apache Cassandra schema") < page.index("SQL schema")
    assert "Apache Cassandra is the primary store" in page
    others = page[page.index("The other stores") :]
    assert "Redis as cache" in others and "Cassandra as primary" not in page


def test_a_dialect_tab_of_a_cockroachdb_design_drops_the_label(
    alice, alice_client: Client, alice_project: Project
) -> None:
    design = design_of("multi-tenant-saas", alice, alice_project)
    html = alice_client.get(
        design.get_absolute_url(), {"dialect": "sqlite"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert html.lstrip().startswith('<section id="schema"')
    assert first_schema(html) == words(design.files.get(path="schema/sqlite.sql").content)
    assert "The DDL of CockroachDB" not in text_of(html)


def test_the_postgresql_tab_of_a_cockroachdb_design_says_whose_ddl_leads(
    alice, alice_client: Client, alice_project: Project
) -> None:
    design = design_of("multi-tenant-saas", alice, alice_project)
    page = alice_client.get(design.get_absolute_url(), {"dialect": "postgresql"}).content.decode()
    assert first_schema(page) == words(design.files.get(path="schema/postgresql.sql").content)
    assert "The schema CockroachDB's own DDL follows" in text_of(page)
    tabs = re.findall(r'<a href="\?dialect=(\w+)"', page)
    assert tabs[:2] == ["cockroachdb", "postgresql"]


def test_a_design_stored_before_the_schema_target_keeps_the_old_label(
    alice, alice_client: Client, alice_project: Project
) -> None:
    design = design_of("multi-tenant-saas", alice, alice_project)
    design.recommendation.pop("primary_schema")
    design.save(update_fields=["recommendation"])
    response = alice_client.get(design.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert first_schema(page) == words(design.files.get(path="schema/postgresql.sql").content)
    assert "PostgreSQL-compatible DDL for CockroachDB, the primary store." in text_of(page)
