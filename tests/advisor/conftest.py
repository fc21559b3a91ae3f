from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from advisor.requirements import Requirements, load_document, parse_requirements
from tests.conftest import require_server

MYSQL_URL = os.environ.get("TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

ROOT = Path(__file__).resolve().parents[2]
DEMO_PATH = ROOT / "docs" / "examples" / "online-shop.yaml"


def demo_document() -> dict[str, Any]:
    return load_document(DEMO_PATH.read_text(encoding="utf-8"), source=str(DEMO_PATH))


@pytest.fixture
def demo() -> Requirements:
    return parse_requirements(demo_document())


@pytest.fixture
def postgres() -> Iterator[Any]:
    """A connection to the test PostgreSQL server, in a schema of its own dropped afterwards."""
    require_server(POSTGRES_URL, "TEST_POSTGRES_URL")
    import psycopg

    connection = psycopg.connect(POSTGRES_URL, autocommit=True)
    name = f"advisor_test_{uuid.uuid4().hex[:12]}"
    connection.execute(f"CREATE SCHEMA {name}")
    connection.execute(f"SET search_path TO {name}")
    try:
        yield connection
    finally:
        connection.execute(f"DROP SCHEMA {name} CASCADE")
        connection.close()


@pytest.fixture
def postgres_database() -> Iterator[Any]:
    """A connection to a test database of its own, dropped afterwards: for DDL that makes
    named schemas (a schema per context), which a schema of its own cannot hold."""
    require_server(POSTGRES_URL, "TEST_POSTGRES_URL")
    import psycopg

    name = f"advisor_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    connection = psycopg.connect(POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}", autocommit=True)
    try:
        yield connection
    finally:
        connection.close()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def search_every_schema(connection: Any, schema: Any) -> None:
    """Unqualified names (and the catalogue readers) see the tables of every named schema of
    `schema` as well as the default one."""
    names = ", ".join(["public", *(f'"{name}"' for name in schema.namespaces)])
    connection.execute(f"SET search_path TO {names}")


@pytest.fixture
def mariadb() -> Iterator[Any]:
    require_server(MYSQL_URL, "TEST_MYSQL_URL")
    import pymysql
    from pymysql.constants import CLIENT

    parsed = urlparse(MYSQL_URL)
    connection = pymysql.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 3306,
        user=unquote(parsed.username or "root"),
        password=unquote(parsed.password or ""),
        client_flag=CLIENT.MULTI_STATEMENTS,
        charset="utf8mb4",
    )
    name = f"advisor_test_{uuid.uuid4().hex[:12]}"
    cursor = connection.cursor()
    cursor.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
    cursor.execute(f"USE {name}")
    try:
        yield cursor
    finally:
        cursor.execute(f"DROP DATABASE {name}")
        connection.close()
