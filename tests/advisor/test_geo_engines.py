"""Points and vectors on real engines: PostGIS uses the GiST index for a radius search, the
MariaDB spatial DDL runs, a 768-number embedding is stored without a B-tree, and the pgvector
DDL parses (and runs where the `vector` extension is installed).

PostGIS comes from Debian's `postgresql-15-postgis-3` (`make system-deps` installs it as root);
each test runs in a database of its own, so the extension never touches another test's data.
"""

from __future__ import annotations

import random
import struct
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlglot

from advisor.ddl import render_ddl
from advisor.requirements import read_requirements
from advisor.schema import build_schema
from tests.advisor.conftest import POSTGRES_URL
from tests.advisor.test_geo_vector import DOCS, RIDES
from tests.conftest import require_server

# An embedding declared as bytes, looked up by itself: before, a B-tree on it made every insert
# of a 768-number (3072-byte) vector fail on PostgreSQL and the index fail on MariaDB.
EMBEDDING_LOOKUP = """
format: advisor/v1
project: Embeddings
entities:
  - name: chunk
    attributes:
      - {name: embedding, type: binary, required: true}
      - {name: embedding_json, type: json}
access_patterns:
  - {name: chunk by embedding, entity: chunk, operation: read, kind: lookup,
     filter: [embedding, embedding_json]}
"""
VECTOR_BYTES = struct.pack("<768f", *(random.Random(1).random() for _ in range(768)))


def _database_with(extension: str) -> Iterator[Any]:
    """A connection to a new database where `extension` can be created; skipped without it."""
    require_server(POSTGRES_URL, "TEST_POSTGRES_URL")
    import psycopg

    admin = psycopg.connect(POSTGRES_URL, autocommit=True)
    found = admin.execute(
        "SELECT 1 FROM pg_available_extensions WHERE name = %s", (extension,)
    ).fetchone()
    if found is None:
        admin.close()
        package = {"postgis": "postgresql-15-postgis-3", "vector": "postgresql-15-pgvector"}
        pytest.skip(
            f"the PostgreSQL server has no {extension!r} extension (Debian package "
            f"{package[extension]}; `make system-deps` installs PostGIS when run as root)"
        )
    name = f"advisor_geo_{uuid.uuid4().hex[:12]}"
    admin.execute(f"CREATE DATABASE {name}")
    connection = psycopg.connect(f"{POSTGRES_URL.rsplit('/', 1)[0]}/{name}", autocommit=True)
    try:
        yield connection
    finally:
        connection.close()
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        admin.close()


@pytest.fixture
def postgis() -> Iterator[Any]:
    yield from _database_with("postgis")


@pytest.fixture
def pgvector() -> Iterator[Any]:
    yield from _database_with("vector")


@pytest.fixture
def postgres_database() -> Iterator[Any]:
    yield from _database_with("plpgsql")


def _plan(connection: Any, query: str) -> str:
    rows = connection.execute(f"EXPLAIN {query}").fetchall()
    return "\n".join(row[0] for row in rows)


def test_a_radius_search_uses_the_gist_index_on_postgis(postgis: Any) -> None:
    schema = build_schema(read_requirements(RIDES), "postgresql")
    postgis.execute(render_ddl(schema))
    [index] = schema.tables[0].indexes
    postgis.execute(
        """INSERT INTO driver (name, position, available)
           SELECT 'driver ' || n,
                  ST_SetSRID(ST_MakePoint(2 + random(), 48 + random()), 4326)::geography,
                  n % 3 = 0
           FROM generate_series(1, 2000) AS n"""
    )
    postgis.execute("ANALYZE driver")
    # The table is small enough to scan; the planner must show that the index can serve.
    postgis.execute("SET enable_seqscan = off")
    near = "ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326)::geography"
    within = _plan(
        postgis,
        f"SELECT id FROM driver WHERE available AND ST_DWithin(position, {near}, 1000)",
    )
    assert index.name in within
    nearest = _plan(
        postgis,
        f"SELECT id FROM driver WHERE available ORDER BY position <-> {near} LIMIT 5",
    )
    assert index.name in nearest
    found = postgis.execute(
        f"SELECT count(*) FROM driver WHERE available AND ST_DWithin(position, {near}, 20000)"
    ).fetchone()
    assert found is not None and found[0] > 0


def test_the_mariadb_spatial_ddl_runs_and_finds_points_by_distance(mariadb: Any) -> None:
    schema = build_schema(read_requirements(RIDES), "mysql")
    mariadb.execute(render_ddl(schema))
    while mariadb.nextset():
        pass
    mariadb.execute(
        "INSERT INTO driver (name, position, available) VALUES "
        "('a', ST_GeomFromText('POINT(2.35 48.85)', 4326), TRUE), "
        "('b', ST_GeomFromText('POINT(13.40 52.52)', 4326), TRUE)"
    )
    mariadb.execute(
        "SELECT name FROM driver WHERE available AND ST_Distance_Sphere(position, "
        "ST_GeomFromText('POINT(2.30 48.80)', 4326)) < 20000"
    )
    assert mariadb.fetchall() == (("a",),)
    mariadb.execute("SHOW INDEX FROM driver WHERE Index_type = 'SPATIAL'")
    assert [row[2] for row in mariadb.fetchall()] == ["ix_driver_position"]


def test_a_3072_byte_embedding_is_stored_on_postgresql(postgres_database: Any) -> None:
    schema = build_schema(read_requirements(EMBEDDING_LOOKUP), "postgresql")
    assert all(index.kind != "btree" or not index.columns for index in schema.tables[0].indexes)
    postgres_database.execute(render_ddl(schema))
    postgres_database.execute(
        "INSERT INTO chunk (embedding) VALUES (%s)", (VECTOR_BYTES,), prepare=False
    )


def test_a_3072_byte_embedding_is_stored_on_mariadb(mariadb: Any) -> None:
    schema = build_schema(read_requirements(EMBEDDING_LOOKUP), "mysql")
    mariadb.execute(render_ddl(schema))
    while mariadb.nextset():
        pass
    mariadb.execute("INSERT INTO chunk (embedding) VALUES (%s)", (VECTOR_BYTES,))
    mariadb.execute("SELECT length(embedding) FROM chunk")
    assert mariadb.fetchall() == ((3072,),)


def test_the_pgvector_ddl_parses() -> None:
    ddl = render_ddl(build_schema(read_requirements(DOCS), "postgresql"))
    statements = [s for s in sqlglot.parse(ddl, read="postgres") if s is not None]
    index = next(s for s in statements if "hnsw" in s.sql("postgres"))
    assert "vector_cosine_ops" in index.sql("postgres")


def test_similarity_search_uses_the_hnsw_index_where_pgvector_is_installed(
    pgvector: Any,
) -> None:
    schema = build_schema(read_requirements(DOCS), "postgresql")
    pgvector.execute(render_ddl(schema))
    [index] = schema.tables[0].indexes
    vector = "[" + ",".join("0.5" for _ in range(768)) + "]"
    pgvector.execute(
        f"INSERT INTO passage (body, embedding) SELECT 'p' || n, '{vector}' "
        "FROM generate_series(1, 200) AS n"
    )
    pgvector.execute("SET enable_seqscan = off")
    plan = _plan(pgvector, f"SELECT id FROM passage ORDER BY embedding <=> '{vector}' LIMIT 5")
    assert index.name in plan
