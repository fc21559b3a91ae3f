"""Unique keys beyond the id: declared in the requirements, one named UNIQUE constraint in every
dialect, and a second row with the same key refused by PostgreSQL, MariaDB and SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from advisor.ddl import render_ddl
from advisor.errors import InvalidRequirements
from advisor.requirements import read_requirements
from advisor.requirements.document import dump_yaml, requirements_to_document
from advisor.schema import DIALECTS, build_schema
from tests.advisor.catalogues import mariadb_execute as _mariadb_execute

KEYS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "ddl" / "keys.yaml"
LIKES = """
format: advisor/v1
project: Likes
entities:
  - {name: user}
  - {name: post}
  - name: like
    unique: UNIQUE
relationships:
  - {from: like, to: post, cardinality: many-to-one, required: true}
  - {from: like, to: user, cardinality: many-to-one, required: true}
  - {from: user, to: post, cardinality: many-to-many, name: saved}
"""


def _likes(unique: str) -> str:
    return LIKES.replace("UNIQUE", unique)


def _problems(text: str) -> list[str]:
    with pytest.raises(InvalidRequirements) as caught:
        read_requirements(text)
    return [f"{problem.path}: {problem.message}" for problem in caught.value.problems]


def test_a_key_may_name_relationship_roles_and_attributes() -> None:
    requirements = read_requirements(_likes("[[post, user], [created_at, user]]"))
    assert requirements.entities[2].unique == (("post", "user"), ("created_at", "user"))


@pytest.mark.parametrize(
    ("unique", "problem"),
    [
        ("[[post, usr]]", "entities[2].unique[0][1]: 'usr' is not an attribute of 'like' or a "),
        ("[[post, post]]", "entities[2].unique[0][1]: 'post' is listed twice in this key"),
        ("[[post, user], [user, post]]", "entities[2].unique[1]: the key (user, post) is listed "),
        ("[[]]", "entities[2].unique[0]: must list at least one name"),
        ("[post]", "entities[2].unique[0]: expected a list of names, got string 'post'"),
    ],
)
def test_a_wrong_key_is_reported_where_it_is(unique: str, problem: str) -> None:
    assert any(found.startswith(problem) for found in _problems(_likes(unique)))


def test_a_key_cannot_name_a_many_to_many_role_it_holds_no_column_for() -> None:
    text = _likes("[]").replace("  - {name: user}", "  - {name: user, unique: [[saved]]}")
    assert _problems(text) == [
        "entities[0].unique[0][0]: 'saved' is not an attribute of 'user' or a relationship it holds"
    ]


def test_keys_survive_the_canonical_document() -> None:
    requirements = read_requirements(KEYS.read_text(encoding="utf-8"))
    again = read_requirements(dump_yaml(requirements_to_document(requirements)))
    assert again == requirements


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_each_key_is_a_named_unique_constraint_over_its_columns(dialect_name: str) -> None:
    schema = build_schema(read_requirements(KEYS.read_text(encoding="utf-8")), dialect_name)
    like, payment = schema.table("like"), schema.table("payment")
    assert like is not None and payment is not None
    assert [(key.name, key.columns) for key in like.uniques] == [
        ("uq_like_post_id_user_id", ("post_id", "user_id"))
    ]
    assert payment.uniques[0].columns == ("idempotency_key",)
    assert "CONSTRAINT uq_like_post_id_user_id UNIQUE (post_id, user_id)" in render_ddl(schema)


@pytest.mark.parametrize(
    ("dialect_name", "spelled"),
    [
        ("postgresql", 'CREATE UNIQUE INDEX uq_user_email ON "user"(LOWER(email));'),
        ("oracle", 'CREATE UNIQUE INDEX uq_user_email ON "user"(LOWER(email));'),
        ("mysql", "email VARCHAR(255) COLLATE utf8mb4_unicode_ci NOT NULL"),
        ("sqlite", "email VARCHAR(255) COLLATE NOCASE NOT NULL"),
        ("sqlserver", "email NVARCHAR(255) COLLATE Latin1_General_100_CI_AS NOT NULL"),
    ],
)
def test_each_dialect_ignores_case_its_own_way(dialect_name: str, spelled: str) -> None:
    assert spelled in _keys_ddl(dialect_name)


# A second like of the same post by the same user fails on the engines.

SETUP = [
    "INSERT INTO {user} (handle, email) VALUES ('ann', 'ann@ex.com')",
    "INSERT INTO post (title, author_id) VALUES ('hello', 1)",
    "INSERT INTO {like} (post_id, user_id) VALUES (1, 1)",
]
DOUBLE_LIKE = "INSERT INTO {like} (post_id, user_id) VALUES (1, 1)"


def _keys_ddl(dialect_name: str) -> str:
    return render_ddl(build_schema(read_requirements(KEYS.read_text()), dialect_name))


def test_postgresql_refuses_a_double_like(postgres: Any) -> None:
    import psycopg

    postgres.execute(_keys_ddl("postgresql"))
    for statement in SETUP:
        postgres.execute(statement.format(user='"user"', like='"like"'))
    with pytest.raises(psycopg.errors.UniqueViolation):
        postgres.execute(DOUBLE_LIKE.format(like='"like"'))


def test_mariadb_refuses_a_double_like(mariadb: Any) -> None:
    import pymysql

    _mariadb_execute(mariadb, _keys_ddl("mysql"))
    for statement in SETUP:
        mariadb.execute(statement.format(user="user", like="`like`"))
    with pytest.raises(pymysql.err.IntegrityError, match="Duplicate entry"):
        mariadb.execute(DOUBLE_LIKE.format(like="`like`"))


def test_sqlite_refuses_a_double_like() -> None:
    connection = sqlite3.connect(":memory:")
    connection.executescript(_keys_ddl("sqlite"))
    for statement in SETUP:
        connection.execute(statement.format(user='"user"', like='"like"'))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"):
        connection.execute(DOUBLE_LIKE.format(like='"like"'))


# Unique without case: U@EX.COM cannot join u@ex.com, on each engine.

USER = "INSERT INTO {user} (handle, email) VALUES ('{handle}', '{email}')"


def _users(quoted: str) -> tuple[str, str]:
    return (
        USER.format(user=quoted, handle="ann", email="u@ex.com"),
        USER.format(user=quoted, handle="bob", email="U@EX.COM"),
    )


def test_postgresql_refuses_an_email_that_differs_only_in_case(postgres: Any) -> None:
    import psycopg

    postgres.execute(_keys_ddl("postgresql"))
    first, shouting = _users('"user"')
    postgres.execute(first)
    with pytest.raises(psycopg.errors.UniqueViolation):
        postgres.execute(shouting)


def test_mariadb_refuses_an_email_that_differs_only_in_case(mariadb: Any) -> None:
    import pymysql

    _mariadb_execute(mariadb, _keys_ddl("mysql"))
    # Even where the database's own collation compares with case, the column's does not.
    mariadb.execute("ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    first, shouting = _users("user")
    mariadb.execute(first)
    with pytest.raises(pymysql.err.IntegrityError, match="Duplicate entry"):
        mariadb.execute(shouting)
    mariadb.execute(
        "SELECT COLLATION_NAME FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'user' AND COLUMN_NAME = 'email'"
    )
    assert mariadb.fetchone()[0].endswith("_ci")


def test_sqlite_refuses_an_email_that_differs_only_in_case() -> None:
    connection = sqlite3.connect(":memory:")
    connection.executescript(_keys_ddl("sqlite"))
    first, shouting = _users('"user"')
    connection.execute(first)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"):
        connection.execute(shouting)


def test_a_composite_key_ignores_case_only_in_its_case_insensitive_column(postgres: Any) -> None:
    import psycopg

    postgres.execute(_keys_ddl("postgresql"))
    postgres.execute(_users('"user"')[0])
    pay = (
        "INSERT INTO payment (idempotency_key, reference, amount, user_id) "
        "VALUES (gen_random_uuid(), '{}', 1, 1)"
    )
    postgres.execute(pay.format("inv-1"))
    with pytest.raises(psycopg.errors.UniqueViolation):
        postgres.execute(pay.format("INV-1"))


def test_case_insensitive_applies_to_text_only() -> None:
    text = _likes("[]").replace(
        "  - {name: post}",
        "  - {name: post, attributes: [{name: n, type: integer, case_insensitive: true}]}",
    )
    assert _problems(text) == [
        "entities[1].attributes[0].case_insensitive: applies only to types string and text, "
        "not to type integer"
    ]
