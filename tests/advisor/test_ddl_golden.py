"""Golden DDL: the demo and the hostile, events, keys and tenancy documents in every dialect,
byte for byte.

After an intended change, rewrite the files and review the diff:
`UPDATE_GOLDEN=1 pytest tests/advisor/test_ddl_golden.py`.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlglot import exp

from advisor.ddl import DIALECTS, generate_ddl
from advisor.ddl.render import _Renderer
from advisor.engine import advise
from advisor.requirements import read_requirements
from advisor.schema import ENGINES, Table, dialect, schema_for

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "fixtures" / "ddl"
DOCUMENTS = {
    "online-shop": ROOT / "docs" / "examples" / "online-shop.yaml",
    "hostile": GOLDEN / "hostile.yaml",
    "events": GOLDEN / "events.yaml",
    "keys": GOLDEN / "keys.yaml",
    "tenancy": GOLDEN / "tenancy.yaml",
}
PARTITIONS_FROM = date(2025, 1, 1)


def _generate(document: str, dialect_name: str) -> str:
    requirements = read_requirements(DOCUMENTS[document].read_text(encoding="utf-8"))
    return generate_ddl(requirements, dialect_name, partitions_from=PARTITIONS_FROM)


@pytest.mark.parametrize("dialect_name", DIALECTS)
@pytest.mark.parametrize("document", DOCUMENTS)
def test_ddl_matches_the_reviewed_golden_file(document: str, dialect_name: str) -> None:
    path = GOLDEN / f"{document}.{dialect_name}.sql"
    generated = _generate(document, dialect_name)
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(generated, encoding="utf-8")
    assert generated == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_the_same_input_gives_the_same_bytes(dialect_name: str) -> None:
    assert _generate("hostile", dialect_name) == _generate("hostile", dialect_name)


def test_statements_come_in_dependency_order() -> None:
    sql = _generate("online-shop", "postgresql")
    assert sql.index("CREATE TYPE") < sql.index("CREATE TABLE")
    assert sql.rindex("CREATE TABLE") < sql.index("CREATE INDEX") < sql.index("ALTER TABLE")
    sqlite = _generate("online-shop", "sqlite")
    # SQLite keeps foreign keys in CREATE TABLE: each table follows those it refers to.
    assert sqlite.index("CREATE TABLE customer") < sqlite.index("CREATE TABLE address")
    assert sqlite.index('CREATE TABLE "order"') < sqlite.index("CREATE TABLE order_item")


@pytest.mark.parametrize("dialect_name", (*DIALECTS, *ENGINES))
def test_statements_put_together_from_text_read_as_the_generator_writes_them(
    dialect_name: str,
) -> None:
    written = indexes = keys = comments = triggers = enums = 0
    for path in DOCUMENTS.values():
        requirements = read_requirements(path.read_text(encoding="utf-8"))
        schema = schema_for(
            requirements, advise(requirements), dialect_name, partitions_from=PARTITIONS_FROM
        )
        renderer = _Renderer(schema)
        flat = renderer.flat_generator
        for enum in schema.enums:
            enums += 1
            assert renderer.create_enum_text(enum) == flat.generate(renderer.create_enum(enum))
        for table in schema.tables:
            text = renderer.create_table_text(table)
            if text is not None:
                written += 1
                assert text == renderer.generator.generate(renderer.create_table(table))
            for index in table.indexes:
                text = renderer.index_text(table, index)
                if text is not None:
                    indexes += 1
                    assert text == flat.generate(renderer.index(table, index))
            for key in table.foreign_keys:
                keys += 1
                text = renderer.alter_foreign_key_text(table, key)
                assert text == flat.generate(renderer.alter_foreign_key(table, key))
                assert renderer.foreign_key_text(key) == flat.generate(renderer.foreign_key(key))
            comments += len(renderer.comments(table))
            assert renderer.comments(table) == [
                flat.generate(comment) for comment in _comments(renderer, table)
            ]
            for column in (c.name for c in table.columns if c.on_update_now):
                if renderer.dialect.on_update == "trigger_function":
                    triggers += 1
                    assert renderer.postgres_trigger_text(table, column) == flat.generate(
                        renderer.postgres_trigger(table, column)
                    )
                elif renderer.dialect.on_update == "trigger":
                    triggers += 1
                    assert renderer.sqlite_trigger_text(table, column) == flat.generate(
                        renderer.sqlite_trigger(table, column)
                    )
            for index in table.indexes:
                assert renderer.index_comment(table, index, "serves x's") == flat.generate(
                    exp.Comment(
                        this=renderer.table_ref(index.name, table.namespace),
                        kind="INDEX",
                        expression=exp.Literal.string("serves x's"),
                    )
                )
    assert written and indexes and keys
    assert triggers or dialect(dialect_name).on_update not in ("trigger_function", "trigger")
    assert comments or dialect(dialect_name).comments != "comment_on"
    assert enums or dialect(dialect_name).enum != "create_type"


def _comments(renderer: _Renderer, table: Table) -> list[exp.Comment]:
    """The COMMENT ON statements of `table` as sqlglot expressions."""
    if renderer.dialect.comments != "comment_on":
        return []
    statements = []
    if table.comment:
        statements.append(
            exp.Comment(
                this=renderer.table_ref(table.name),
                kind="TABLE",
                expression=exp.Literal.string(table.comment),
            )
        )
    for column in table.columns:
        if column.comment:
            target = exp.Column(
                this=renderer.name(column.name),
                table=renderer.name(table.name),
                db=renderer.name(table.namespace) if table.namespace else None,
            )
            statements.append(
                exp.Comment(
                    this=target, kind="COLUMN", expression=exp.Literal.string(column.comment)
                )
            )
    return statements
