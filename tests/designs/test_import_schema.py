"""Import a schema, as a person uses it: the page (paste, upload, a live PostgreSQL where the
server allows it) and `manage.py import_schema`."""

from __future__ import annotations

import html
import io
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from advisor.importing.sql import MAX_BYTES
from designs import services
from designs.models import Project, RequirementsVersion
from tests.advisor.conftest import DEMO_PATH, POSTGRES_URL, demo_document
from tests.conftest import require_server

ROOT = Path(__file__).resolve().parents[2]
CHINOOK = ROOT.parent / "shared" / "corpus" / "chinook" / "chinook_postgresql.sql"
CHINOOK_ENTITIES = {
    "album",
    "artist",
    "customer",
    "employee",
    "genre",
    "invoice",
    "invoice_line",
    "media_type",
    "playlist",
    "track",
}
MIXED = """CREATE TABLE author (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL);
INSERT INTO author VALUES (1, 'Ann');
CREATE INDEX ON;
CREATE TABLE book (id INT PRIMARY KEY, author_id INT NOT NULL REFERENCES author);
"""


def url(project: Project) -> str:
    return reverse("schema_import", args=[project.pk])


def shown(response: HttpResponse) -> str:
    """The page's text as a person reads it, entities unescaped."""
    return html.unescape(response.content.decode())


def chinook() -> str:
    if not CHINOOK.exists():
        pytest.skip(f"the shared corpus is not at {CHINOOK}")
    return CHINOOK.read_text(encoding="utf-8")


def test_pasting_the_chinook_script_saves_a_version_of_its_tables(
    alice_client: Client, alice_project: Project
) -> None:
    response = alice_client.post(url(alice_project), {"text": chinook(), "dialect": "auto"})
    assert response.status_code == 200
    version = alice_project.versions.get()
    requirements = services.requirements_of(version)
    # 11 tables: 10 entities, and playlist_track, a junction table, is a many-to-many link.
    assert {entity.name for entity in requirements.entities} == CHINOOK_ENTITIES
    assert ("playlist", "track", "many-to-many") in {
        (r.source, r.target, r.cardinality) for r in requirements.relationships
    }
    assert version.note == "Imported 11 tables from pasted text (postgresql)."
    page = response.content.decode()
    assert "Imported 11 tables as version 1." in page
    assert f"{reverse('requirements_edit', args=[alice_project.pk])}?from=1" in page
    assert "Read postgresql: 11 tables, 11 foreign keys, 11 indexes, 0 enums." in page


def test_the_report_lists_each_statement_not_imported_with_its_line(
    alice_client: Client, alice_project: Project
) -> None:
    page = alice_client.post(url(alice_project), {"text": MIXED, "dialect": "postgresql"})
    text = page.content.decode()
    assert "Statements: 2 imported, 1 skipped, 1 rejected." in text
    assert '<td class="num">2</td>' in text and "data, not schema" in text
    assert '<td class="num">3</td>' in text and "Expected table name" in text
    requirements = services.requirements_of(alice_project.versions.get())
    assert [entity.name for entity in requirements.entities] == ["author", "book"]


def test_an_uploaded_file_imports_in_the_dialect_chosen(
    alice_client: Client, alice_project: Project
) -> None:
    upload = SimpleUploadedFile("library.sql", MIXED.encode())
    response = alice_client.post(url(alice_project), {"file": upload, "dialect": "mysql"})
    assert response.status_code == 200
    assert alice_project.versions.get().note == "Imported 2 tables from library.sql (mysql)."


def test_a_schema_imported_into_a_project_keeps_the_workload_and_team_of_its_latest_version(
    alice: User, alice_client: Client, alice_project: Project
) -> None:
    services.requirements_save(project=alice_project, document=demo_document(), created_by=alice)
    page = alice_client.get(url(alice_project)).content.decode()
    assert "keeps the name, description, workload and team of v1" in page
    response = alice_client.post(url(alice_project), {"text": chinook(), "dialect": "auto"})
    assert response.status_code == 200
    first, second = (services.requirements_of(v) for v in alice_project.versions.order_by("number"))
    assert {entity.name for entity in second.entities} == CHINOOK_ENTITIES
    assert (second.project, second.workload, second.team) == (
        first.project,
        first.workload,
        first.team,
    )
    assert "workload and team kept from v1" in alice_project.versions.get(number=2).note


def test_the_same_schema_twice_saves_nothing_the_second_time(
    alice_client: Client, alice_project: Project
) -> None:
    alice_client.post(url(alice_project), {"text": MIXED, "dialect": "auto"})
    response = alice_client.post(
        url(alice_project), {"text": MIXED, "dialect": "auto"}, follow=True
    )
    assert "The imported schema equals v1; not saved." in response.content.decode()
    assert alice_project.versions.count() == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        pytest.param(
            {"file": SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
            "“logo.png”: is a binary file, not SQL or DBML text",
            id="binary",
        ),
        pytest.param(
            {
                "file": SimpleUploadedFile(
                    "latin1.sql", "CREATE TABLE café (id INT);".encode("latin-1")
                )
            },
            "“latin1.sql”: is not UTF-8 text (byte 16 cannot be decoded)",
            id="not-utf8",
        ),
        pytest.param({"text": "  "}, "Give one schema to import: a file or text.", id="nothing"),
        pytest.param(
            {"text": MIXED, "file": SimpleUploadedFile("a.sql", MIXED.encode())},
            "Give one schema to import",
            id="two",
        ),
        pytest.param(
            {"text": MIXED, "dialect": "cobol"},
            "Select a valid choice. cobol is not one of the available choices.",
            id="dialect",
        ),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_error_and_saves_nothing(
    alice_client: Client, alice_project: Project, payload: dict[str, object], message: str
) -> None:
    response = alice_client.post(url(alice_project), {"dialect": "auto", **payload})
    assert response.status_code == 400
    assert message in shown(response)
    assert not RequirementsVersion.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    alice_client: Client, alice_project: Project
) -> None:
    upload = SimpleUploadedFile("huge.sql", b"-" * (MAX_BYTES + 1))
    response = alice_client.post(url(alice_project), {"file": upload, "dialect": "auto"})
    assert response.status_code == 400
    assert (
        f"is {MAX_BYTES + 1:,} bytes; at most {MAX_BYTES:,} are read" in response.content.decode()
    )
    assert not RequirementsVersion.objects.exists()


def test_a_file_without_a_table_shows_the_report_and_saves_nothing(
    alice_client: Client, alice_project: Project
) -> None:
    text = "INSERT INTO author VALUES (1);\nGRANT SELECT ON author TO reader;\n"
    response = alice_client.post(url(alice_project), {"text": text, "dialect": "auto"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing imported: no table could be read from 2 statements. Nothing was saved" in page
    assert '<td class="num">2</td>' in page
    assert text in shown(response)  # the pasted text is still in the form
    assert not RequirementsVersion.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_project_answers_404(
    charlie_client: Client, alice_project: Project, method: str
) -> None:
    response = getattr(charlie_client, method)(url(alice_project), {"text": MIXED})
    assert response.status_code == 404
    assert not RequirementsVersion.objects.exists()


def test_the_project_page_and_the_editor_link_to_the_import(
    alice_client: Client, alice_project: Project
) -> None:
    for page in ("project_detail", "requirements_edit"):
        html = alice_client.get(reverse(page, args=[alice_project.pk])).content.decode()
        assert f'href="{url(alice_project)}">Import a schema</a>' in html


# A live PostgreSQL: off unless the server allows it.


def test_without_the_setting_there_is_no_database_field_and_a_posted_url_is_refused(
    alice_client: Client, alice_project: Project, settings: object
) -> None:
    assert not settings.ADVISOR_ALLOW_DB_INTROSPECTION  # type: ignore[attr-defined]
    assert 'name="dsn"' not in alice_client.get(url(alice_project)).content.decode()
    response = alice_client.post(
        url(alice_project), {"dsn": "postgresql://postgres@127.0.0.1:5432/postgres"}
    )
    assert response.status_code == 400
    assert "Reading a live database is turned off on this server" in response.content.decode()
    assert "ADVISOR_ALLOW_DB_INTROSPECTION" in response.content.decode()
    assert not RequirementsVersion.objects.exists()


@pytest.fixture
def live_database() -> Iterator[str]:
    """The URL of a throwaway database with two tables, one without a primary key."""
    require_server(POSTGRES_URL, "TEST_POSTGRES_URL")
    name = f"advisor_web_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    database = urlunparse(urlparse(POSTGRES_URL)._replace(path=f"/{name}"))
    try:
        with psycopg.connect(database, autocommit=True) as connection:
            connection.execute(
                "CREATE TABLE shelf (id int PRIMARY KEY, label text NOT NULL);"
                "CREATE TABLE loan (shelf_id int NOT NULL REFERENCES shelf, since date);"
            )
        yield database
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_with_the_setting_a_live_database_imports_with_its_health(
    alice_client: Client, alice_project: Project, settings: object, live_database: str
) -> None:
    settings.ADVISOR_ALLOW_DB_INTROSPECTION = True  # type: ignore[attr-defined]
    assert 'name="dsn"' in alice_client.get(url(alice_project)).content.decode()
    response = alice_client.post(url(alice_project), {"dsn": live_database, "dialect": "auto"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "primary-key-missing" in page and "index-on-relation" in page
    version = alice_project.versions.get()
    assert {e.name for e in services.requirements_of(version).entities} == {"shelf", "loan"}
    assert version.note.startswith("Imported 2 tables from postgresql://127.0.0.1:5432/advisor_web")


def test_with_the_setting_an_unreachable_database_is_a_form_error(
    alice_client: Client, alice_project: Project, settings: object
) -> None:
    settings.ADVISOR_ALLOW_DB_INTROSPECTION = True  # type: ignore[attr-defined]
    response = alice_client.post(
        url(alice_project), {"dsn": "postgresql://nobody:pw-4711@127.0.0.1:1/none"}
    )
    assert response.status_code == 400
    page = shown(response)
    assert "postgresql://127.0.0.1:1/none: cannot connect" in page
    assert page.count("pw-4711") == 1  # in the field given back, never in the message
    assert not RequirementsVersion.objects.exists()


# manage.py import_schema


def test_the_command_creates_the_project_and_saves_a_version(alice: User) -> None:
    chinook()  # skips without the shared corpus
    out = io.StringIO()
    call_command("import_schema", str(CHINOOK), owner="alice", project="Chinook", stdout=out)
    printed = out.getvalue()
    assert "Read postgresql: 11 tables, 11 foreign keys" in printed
    assert "line 28: skipped \\c: a psql meta-command" in printed
    assert "Created project 'Chinook' for alice." in printed
    project = Project.objects.get(owner=alice, name="Chinook")
    version = project.versions.get()
    assert version.note == "Imported 11 tables from chinook_postgresql.sql (postgresql)."
    assert {e.name for e in services.requirements_of(version).entities} == CHINOOK_ENTITIES


def test_the_command_reads_a_live_database(alice: User, live_database: str) -> None:
    out = io.StringIO()
    call_command("import_schema", dsn=live_database, owner="alice", project="Loans", stdout=out)
    assert "health warning primary-key-missing loan" in out.getvalue().replace("error", "warning")
    assert Project.objects.get(name="Loans").versions.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"\x00\x01binary", "is a binary file, not SQL or DBML text", id="binary"),
        pytest.param(b"INSERT INTO t VALUES (1);", "nothing could be imported", id="no-table"),
    ],
)
def test_the_command_fails_with_exit_status_2_and_saves_nothing(
    alice: User, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "dump.sql"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as raised:
        call_command("import_schema", str(path), owner="alice", project="X", stdout=io.StringIO())
    assert raised.value.returncode == 2
    assert not Project.objects.exists()


def test_the_command_needs_one_source_and_a_known_owner(alice: User) -> None:
    with pytest.raises(CommandError, match="give one schema to import: a FILE or --dsn URL"):
        call_command("import_schema", owner="alice", project="X")
    with pytest.raises(CommandError, match="no user named 'zed'"):
        call_command("import_schema", str(DEMO_PATH), owner="zed", project="X")


def test_pasted_text_over_what_a_form_may_send_is_told_to_be_uploaded(
    alice_client: Client, alice_project: Project
) -> None:
    line = "CREATE TABLE a (id int);\n"
    text = line * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // len(line) + 1)  # over what a form sends
    response = alice_client.post(url(alice_project), {"text": text})
    assert response.status_code == 400
    assert "upload it as a file instead" in shown(response)
    assert not RequirementsVersion.objects.exists()
