"""A read-only session on a live PostgreSQL database, and how its objects are named.

The live importer and the health report both read through a `Catalogue`: one connection, the
schemas (namespaces) being read, and the rule that turns a namespace and a name into the name
the advisor's model uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row

from advisor.errors import UnreadableDatabase

# A catalogue read is quick; a server that takes longer is overloaded or unreachable, and the
# person waiting should hear so rather than wait for a worker to be killed.
CONNECT_TIMEOUT_SECONDS = 10
STATEMENT_TIMEOUT = "30s"
LOCK_TIMEOUT = "5s"
# Namespaces of the system, never read unless asked for by name.
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")

Row = dict[str, Any]


def where(dsn: str) -> str:
    """The database a DSN names, for messages: never its password.

    >>> where("postgresql://alice:secret@db.example:5433/shop")
    'postgresql://db.example:5433/shop'
    >>> where("host=/var/run/postgresql dbname=shop password=secret")
    'postgresql:///var/run/postgresql/shop'
    >>> where("not a dsn")
    'the database'
    """
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.Error:
        return "the database"
    host = str(parts.get("host") or parts.get("hostaddr") or "")
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{host}{port}/{parts.get('dbname') or ''}"


@contextmanager
def read_only_connection(dsn: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection in a read-only transaction with statement and lock timeouts, closed on
    the way out; every failure to connect is an `UnreadableDatabase`."""
    location = where(dsn)
    try:
        connection = psycopg.connect(dsn, connect_timeout=CONNECT_TIMEOUT_SECONDS)
    except psycopg.ProgrammingError as error:
        raise UnreadableDatabase(f"not a PostgreSQL connection string: {error}") from None
    except psycopg.Error as error:
        raise UnreadableDatabase(
            f"cannot connect: {_first_line(error)}", location=location
        ) from None
    try:
        connection.read_only = True
        with connection.cursor() as cursor:
            # Bounds of timestamptz partitions and stats_reset are read in UTC whatever the
            # server's zone, so that they mean the same instant on every machine.
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true), "
                "set_config('lock_timeout', %s, true), set_config('TimeZone', 'UTC', true)",
                (STATEMENT_TIMEOUT, LOCK_TIMEOUT),
            )
        yield connection
    finally:
        connection.close()  # the read-only transaction ends unrecorded


def failure(error: psycopg.Error, what: str, location: str) -> UnreadableDatabase:
    """The advisor's error for a catalogue query that failed (a timeout, a permission)."""
    if isinstance(error, psycopg.errors.LockNotAvailable):
        return UnreadableDatabase(
            f"reading {what} waited longer than the lock timeout ({LOCK_TIMEOUT}) for a table "
            "another session holds locked (a migration, a VACUUM FULL); try again later",
            location=location,
        )
    if isinstance(error, psycopg.errors.QueryCanceled):
        return UnreadableDatabase(
            f"reading {what} took longer than the statement timeout ({STATEMENT_TIMEOUT})",
            location=location,
        )
    return UnreadableDatabase(f"cannot read {what}: {_first_line(error)}", location=location)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


@dataclass(frozen=True)
class Catalogue:
    """A connection and the schemas read from it.

    Names: tables, types and keys of the *home* schema keep their bare name; those of any
    other schema are `schema.name`. The home schema is the one schema read, or `public` when
    several are.

    >>> Catalogue(None, ("sales",)).name("sales", "order")
    'order'
    >>> Catalogue(None, ("public", "sales")).name("sales", "order")
    'sales.order'
    >>> Catalogue(None, ("public", "sales")).name("public", "film")
    'film'
    """

    connection: Any  # a psycopg.Connection; Any so that doctests need no server
    schemas: tuple[str, ...]

    @property
    def home(self) -> str:
        return self.schemas[0] if len(self.schemas) == 1 else "public"

    def name(self, namespace: str, name: str) -> str:
        return name if namespace == self.home else f"{namespace}.{name}"

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
        with self.connection.cursor(row_factory=dict_row) as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    @property
    def server_version(self) -> int:
        return int(self.connection.info.server_version)


def schemas_to_read(connection: Any, asked: tuple[str, ...] | None) -> tuple[str, ...]:
    """The namespaces to read: those asked for (each must exist), or every namespace that is
    not the system's or a temporary one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_catalog.pg_namespace ORDER BY nspname")
        present = [row[0] for row in cursor.fetchall()]
    if asked is not None:
        if not asked:
            raise UnreadableDatabase("schemas: give at least one schema, or None for all")
        missing = [name for name in asked if name not in present]
        if missing:
            raise UnreadableDatabase(
                f"no schema {', '.join(repr(name) for name in missing)} in this database "
                f"(it has {', '.join(n for n in present if _user_schema(n)) or 'none'})",
                location="schemas",
            )
        return tuple(dict.fromkeys(asked))
    return tuple(name for name in present if _user_schema(name))


def _user_schema(name: str) -> bool:
    return name not in SYSTEM_SCHEMAS and not name.startswith(("pg_temp_", "pg_toast_temp_"))
