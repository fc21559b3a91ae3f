"""The Migrations view, as a person uses it: two versions of the demo
(docs/examples/online-shop.yaml and tests/fixtures/migrate/online-shop-v2.yaml) saved through
the services, the page with the rename, the hazards and the lint, the values it asks for, and
the SQL it hands out, run on SQLite and PostgreSQL from the demo's v1 DDL."""

from __future__ import annotations

import re
import sqlite3
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from advisor.ddl import render_ddl
from advisor.importing.split import split_statements
from advisor.migrate.plan import designed_schema, plan_migration
from advisor.migrate.steps import Plan, Step
from advisor.migrate.verify import run_plan
from advisor.requirements import read_requirements
from designs import services
from designs.models import Project
from tests.advisor.catalogues import catalogue_differences, postgres_catalogue, sqlite_catalogue
from tests.advisor.conftest import postgres_database, search_every_schema  # noqa: F401
from tests.designs.forms_in_html import form_fields

ROOT = Path(__file__).resolve().parents[2]
V1 = ROOT / "docs" / "examples" / "online-shop.yaml"
V2 = ROOT / "tests" / "fixtures" / "migrate" / "online-shop-v2.yaml"


@pytest.fixture
def shop(alice, alice_project: Project) -> Project:
    for path in (V1, V2):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        services.requirements_save(project=alice_project, document=document, created_by=alice)
    return alice_project


def page_of(client: Client, project: Project, **query: str) -> tuple[int, str]:
    response = client.get(reverse("migration_detail", args=[project.pk]), query)
    return response.status_code, unescape(response.content.decode())


def test_the_page_shows_the_rename_the_hazards_and_the_lint(
    alice_client: Client, shop: Project
) -> None:
    status, page = page_of(alice_client, shop)
    assert status == 200
    # Defaults: the previous and the latest version, in PostgreSQL (no design yet).
    fields = form_fields(page, "migration-form")
    assert (fields["old"], fields["new"], fields["dialect"]) == ("1", "2", "postgresql")
    assert "column email_address renamed from email" in page
    assert "column phone dropped" in page
    assert "type integer → bigint" in page
    assert re.search(r"<code>review</code></td>\s*<td>added", page)
    # Lint: Atlas's code, squawk's name, the severity.
    assert "<code>DS103</code></td><td><code>ban-drop-column</code>" in page
    assert "<code>BC102</code></td><td><code>renaming-column</code>" in page
    assert "<code>MF103</code></td><td><code>adding-required-field</code>" in page
    # Steps with their hazards, and which run outside a transaction.
    assert "<code>access_exclusive_lock</code>" in page or "<code>index_build</code>" in page
    assert "CREATE INDEX CONCURRENTLY" in page
    assert "outside a transaction" in page
    assert "<code>data_not_restored</code>" in page  # the rollback says what it cannot restore


def test_a_missing_backfill_value_is_asked_for_and_then_planned(
    alice_client: Client, shop: Project
) -> None:
    _, page = page_of(alice_client, shop)
    fields = form_fields(page, "migration-form")
    assert fields["backfill:order.channel"] == ""
    assert "Values for existing rows" in page
    fields["backfill:order.channel"] = "web"
    _, page = page_of(alice_client, shop, **fields)
    assert "adding-required-field" not in page
    assert "SET \"channel\" = 'web'" in page or "SET channel = 'web'" in page
    assert form_fields(page, "migration-form")["backfill:order.channel"] == "web"


def test_the_values_given_plan_as_the_command_line_plans_them(shop: Project) -> None:
    old, new = shop.versions.get(number=1), shop.versions.get(number=2)
    review = services.migration_plan(
        old=old, new=new, dialect="postgresql", backfill={"order.channel": " web "}
    )
    expected = plan_migration(
        read_requirements(V1.read_text(encoding="utf-8")),
        read_requirements(V2.read_text(encoding="utf-8")),
        "postgresql",
        backfill={"order.channel": "web"},
    )
    assert review.migration.backfill == {"order.channel": "web"}
    assert review.plans == (expected.forward, expected.rollback)


def test_a_backfill_value_of_the_wrong_type_gets_a_message(
    alice_client: Client, shop: Project
) -> None:
    v3 = yaml.safe_load(V2.read_text(encoding="utf-8"))
    v3["entities"][1]["attributes"].append({"name": "floor", "type": "integer", "required": True})
    services.requirements_save(project=shop, document=v3, created_by=shop.owner)
    status, page = page_of(alice_client, shop, **{"backfill:address.floor": "ground"})
    assert status == 200
    assert "address.floor: “ground” is not a whole number" in page
    _, page = page_of(alice_client, shop, **{"backfill:address.floor": "0"})
    assert "is not a whole number" not in page
    assert "adding-required-field" not in page


def test_a_finding_is_accepted_on_purpose_from_the_form(
    alice_client: Client, shop: Project
) -> None:
    query = {"backfill:order.channel": "web", "accept": "DS103:customer.phone"}
    _, page = page_of(alice_client, shop, **query)
    assert '<span class="badge accepted">accepted</span>' in page
    assert "at error severity" not in page
    assert 'value="DS103:customer.phone" checked' in page
    _, page = page_of(alice_client, shop, accept="DS999")
    assert "“DS999” accepts nothing" in page


def test_the_same_version_or_an_unchanged_schema_says_nothing_changes(
    alice_client: Client, shop: Project
) -> None:
    _, page = page_of(alice_client, shop, old="2", new="2")
    assert "Nothing changes" in page
    document = yaml.safe_load(V2.read_text(encoding="utf-8"))
    document["workload"]["reads_per_second"] = 3100  # the workload moves, the schema does not
    services.requirements_save(project=shop, document=document, created_by=shop.owner)
    _, page = page_of(alice_client, shop)
    assert "Nothing changes: v2 and v3 give the same postgresql schema" in page
    assert "Download forward" not in page


@pytest.mark.parametrize("query", [{"old": "9"}, {"new": "0"}, {"old": "two"}, {"new": "-1"}])
def test_a_version_the_project_does_not_have_is_a_404(
    alice_client: Client, shop: Project, query: dict[str, str]
) -> None:
    assert alice_client.get(reverse("migration_detail", args=[shop.pk]), query).status_code == 404
    download = reverse("migration_download", args=[shop.pk])
    assert alice_client.get(download, query).status_code == 404


def test_a_bad_dialect_or_direction_gets_a_clear_answer(
    alice_client: Client, shop: Project
) -> None:
    status, page = page_of(alice_client, shop, dialect="dbase")
    assert status == 400
    assert "No migration plans for “dbase”" in page
    download = reverse("migration_download", args=[shop.pk])
    assert alice_client.get(download, {"direction": "sideways"}).status_code == 404
    response = alice_client.get(download, {"dialect": "dbase"})
    assert response.status_code == 400
    assert "No migration plans for “dbase”" in response.content.decode()


def test_one_version_is_not_enough(alice, alice_client: Client, alice_project: Project) -> None:
    document = yaml.safe_load(V1.read_text(encoding="utf-8"))
    services.requirements_save(project=alice_project, document=document, created_by=alice)
    status, page = page_of(alice_client, alice_project)
    assert status == 200
    assert "save a second version first" in page
    response = alice_client.get(reverse("migration_download", args=[alice_project.pk]))
    assert response.status_code == 400
    assert "save a second version first" in response.content.decode()


def test_another_users_project_is_a_404(charlie_client: Client, shop: Project) -> None:
    for name in ("migration_detail", "migration_download"):
        assert charlie_client.get(reverse(name, args=[shop.pk])).status_code == 404


def test_the_htmx_request_returns_only_the_region(alice_client: Client, shop: Project) -> None:
    response = alice_client.get(
        reverse("migration_detail", args=[shop.pk]), {"dialect": "mysql"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="migration">')
    assert "ALGORITHM=INSTANT" in page


def test_the_project_and_version_pages_link_to_the_migration(
    alice_client: Client, shop: Project
) -> None:
    url = reverse("migration_detail", args=[shop.pk])
    assert url in alice_client.get(shop.get_absolute_url()).content.decode()
    version = alice_client.get(reverse("version_detail", args=[shop.pk, 2])).content.decode()
    assert f"{url}?old=1&amp;new=2" in version
    assert "Migrate from the previous version" in version
    first = alice_client.get(reverse("version_detail", args=[shop.pk, 1])).content.decode()
    assert "Migrate from the previous version" not in first


def test_the_dialect_defaults_to_the_latest_designs_primary_store(
    alice_client: Client, shop: Project
) -> None:
    from designs.generation import design_generate

    design_generate(version=shop.versions.get(number=2), created_by=shop.owner)
    family = shop.designs.get().recommendation["primary_schema"]["family"]
    assert services.migration_dialect(shop) == family
    _, page = page_of(alice_client, shop)
    assert form_fields(page, "migration-form")["dialect"] == family


def test_the_renamed_from_field_round_trips_through_the_editor(
    alice_client: Client, shop: Project
) -> None:
    page = alice_client.get(reverse("requirements_edit", args=[shop.pk])).content.decode()
    fields = form_fields(page, "requirements-form")
    renamed = {name: value for name, value in fields.items() if name.endswith("renamed_from")}
    assert "email" in renamed.values()
    fields["workload.writes_per_second"] = "310"
    alice_client.post(reverse("requirements_edit", args=[shop.pk]), fields)
    saved = services.requirements_of(shop.versions.get(number=3))
    assert saved.entities[0].attributes[0].renamed_from == "email"


# The downloaded SQL runs: the demo's v1 DDL, then the forward file statement by statement.


def download(client: Client, project: Project, **query: str) -> str:
    response = client.get(reverse("migration_download", args=[project.pk]), query)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'-v1-to-v2-{query["dialect"]}-{query.get("direction", "forward")}.sql"'
    )
    return response.content.decode()


def steps_of(sql: str, dialect: str) -> Plan:
    """The downloaded file read back as a plan: its blocks, their statements (split as the
    importer splits a dump), and the comments that say whether a block repeats or runs outside
    a transaction."""
    steps = []
    for block in sql.split("\n\n")[1:]:
        lines = block.splitlines()
        statements = tuple(s.text for s in split_statements(block, dialect) if s.kind == "sql")
        steps.append(
            Step(
                "deploy",
                lines[0],
                statements,
                transactional="-- Runs outside a transaction." not in lines,
                repeat="-- Repeat until it updates no row." in lines,
            )
        )
    return Plan(dialect, "forward", tuple(steps))


SEED = (
    "INSERT INTO customer (email, full_name, phone) VALUES ('a@example.org', 'Ann', '555')",
    "INSERT INTO address (line1, city, postal_code, country, customer_id) "
    "VALUES ('1 Main St', 'Town', '1000', 'NL', 1)",
    'INSERT INTO "order" (total, placed_at, customer_id, shipping_address_id) '
    "VALUES (20, '2025-01-02 03:04:05', 1, 1)",
)
QUERY = {"old": "1", "new": "2", "backfill:order.channel": "web", "accept": "DS103"}


def expected_v2(dialect: str) -> Any:
    return designed_schema(read_requirements(V2.read_text(encoding="utf-8")), dialect)


def v1_ddl(dialect: str) -> str:
    return render_ddl(designed_schema(read_requirements(V1.read_text(encoding="utf-8")), dialect))


class Postgres:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def run(self, statement: str) -> int:
        return int(self.connection.execute(statement).rowcount)


def test_the_downloaded_sqlite_sql_migrates_the_demos_v1_database(
    alice_client: Client, shop: Project
) -> None:
    sql = download(alice_client, shop, dialect="sqlite", **QUERY)
    assert sql.startswith("-- forward migration for sqlite")
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.executescript(v1_ddl("sqlite"))
    for statement in SEED:
        connection.execute(statement)
    connection.executescript(sql)  # the whole file, as `sqlite3 shop.db < file.sql` runs it
    catalogue = sqlite_catalogue(connection)
    assert catalogue_differences(expected_v2("sqlite"), catalogue, "sqlite") == []
    rows = connection.execute('SELECT email_address, channel FROM customer, "order"')
    assert rows.fetchall() == [("a@example.org", "web")]


def test_the_downloaded_postgresql_sql_migrates_the_demos_v1_database(
    alice_client: Client,
    shop: Project,
    postgres_database: Any,  # noqa: F811 (the fixture)
) -> None:
    postgres = postgres_database
    sql = download(alice_client, shop, dialect="postgresql", **QUERY)
    assert "-- Lint: DS103 ban-drop-column [error (accepted)] customer.phone" in sql
    search_every_schema(postgres, expected_v2("postgresql"))
    postgres.execute(v1_ddl("postgresql"))
    database = Postgres(postgres)
    for statement in SEED:
        database.run(statement)
    run_plan(steps_of(sql, "postgresql"), database)  # type: ignore[arg-type]
    # Every block of the file was a step of the plan: none was lost on the way.
    assert len(steps_of(sql, "postgresql").steps) == sql.count("-- Step ")
    catalogue = postgres_catalogue(postgres)
    assert catalogue_differences(expected_v2("postgresql"), catalogue, "postgresql") == []
    rows = postgres.execute('SELECT email_address, channel FROM customer, "order"').fetchall()
    assert [tuple(row) for row in rows] == [("a@example.org", "web")]


def test_the_rollback_download_says_what_it_cannot_restore(
    alice_client: Client, shop: Project
) -> None:
    sql = download(alice_client, shop, dialect="mysql", direction="rollback", **QUERY)
    assert sql.startswith("-- rollback migration for mysql")
    assert "-- Hazard data_not_restored: " in sql
