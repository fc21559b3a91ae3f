from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from advisor.erd import Erd, ErdColumn, ErdTable, erd_dbml, erd_mermaid, erd_model, erd_plantuml
from advisor.erd.dbml import dbml_name, enum_names
from advisor.requirements import Requirements, read_requirements
from advisor.schema import DIALECTS, build_schema
from tests.advisor.conftest import ROOT
from tests.advisor.test_erd_dot import HOSTILE_CONTEXTS, HOSTILE_NAMES, hostile_erd

# pydbml 1.2 calls pyparsing names that pyparsing 3.3 reports as deprecated.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from pydbml import PyDBML

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

GOLDEN = ROOT / "tests" / "fixtures" / "erd"
WRITERS: dict[str, Callable[[Erd], str]] = {
    "mmd": erd_mermaid,
    "puml": erd_plantuml,
    "dbml": erd_dbml,
}
# Regenerate with ERD_GOLDEN_UPDATE=1, then review every changed line.
UPDATE = os.environ.get("ERD_GOLDEN_UPDATE") == "1"


def shop_erd() -> Erd:
    text = (ROOT / "docs" / "examples" / "online-shop.yaml").read_text(encoding="utf-8")
    requirements = read_requirements(text)
    return erd_model(build_schema(requirements, "postgresql"), requirements)


MODELS: dict[str, Callable[[], Erd]] = {"online-shop": shop_erd, "hostile-names": hostile_erd}


@pytest.mark.parametrize("suffix", WRITERS)
@pytest.mark.parametrize("model", MODELS)
def test_text_formats_match_their_reviewed_golden_files(model: str, suffix: str) -> None:
    path = GOLDEN / f"{model}.{suffix}"
    text = WRITERS[suffix](MODELS[model]())
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def dbml_model(text: str) -> dict[str, Any]:
    """What a DBML reader (pydbml) finds: tables, columns, keys, references, groups."""
    parsed = PyDBML(text)
    tables = {}
    for table in parsed.tables:
        composite = [tuple(str(c.name) for c in i.subjects) for i in table.indexes]
        tables[table.name] = {
            "columns": [
                (
                    c.name,
                    c.type.name if hasattr(c.type, "items") else str(c.type),
                    c.not_null,
                    c.unique,
                    c.autoinc,
                )
                for c in table.columns
            ],
            "primary_key": tuple(c.name for c in table.columns if c.pk)
            or next((k for k, i in zip(composite, table.indexes, strict=True) if i.pk), ()),
            "uniques": sorted(k for k, i in zip(composite, table.indexes, strict=True) if i.unique),
        }
    refs = sorted(
        (
            ref.name,
            ref.col1[0].table.name,
            tuple(c.name for c in ref.col1),
            ref.col2[0].table.name,
            tuple(c.name for c in ref.col2),
            ref.type,
            ref.on_delete,
        )
        for ref in parsed.refs
    )
    enums = {enum.name: tuple(str(item.name) for item in enum.items) for enum in parsed.enums}
    groups = {group.name: [t.name for t in group.items] for group in parsed.table_groups}
    return {"tables": tables, "refs": refs, "enums": enums, "groups": groups}


def erd_as_dbml_model(erd: Erd) -> dict[str, Any]:
    """The same shape, straight from the diagram model, for comparison."""
    enums = enum_names(erd)
    tables = {
        table.name: {
            "columns": [
                (
                    c.name,
                    enums.get((table.name, c.name), c.type),
                    not c.nullable,
                    c.unique,
                    c.identity,
                )
                for c in table.columns
            ],
            "primary_key": table.primary_key,
            "uniques": sorted(table.uniques),
        }
        for table in erd.tables
    }
    refs = sorted(
        (
            link.name,
            link.child,
            link.child_columns,
            link.parent,
            link.parent_columns,
            "-" if link.child_end == "zero_or_one" else ">",
            link.on_delete.replace("_", " "),
        )
        for link in erd.links
    )
    values = {
        enums[(t.name, c.name)]: c.enum_values
        for t in erd.tables
        for c in t.columns
        if c.enum_values
    }
    groups = {
        context: [t.name for t in erd.tables if t.context == context] for context in erd.contexts
    }
    return {"tables": tables, "refs": refs, "enums": values, "groups": groups}


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_the_demo_dbml_reimports_to_the_same_model(demo: Requirements, dialect_name: str) -> None:
    erd = erd_model(build_schema(demo, dialect_name), demo)
    assert dbml_model(erd_dbml(erd)) == erd_as_dbml_model(erd)


def test_junction_tables_and_one_to_one_references_reimport(tmp_path: Path) -> None:
    requirements = read_requirements(
        """
format: advisor/v1
project: Links
entities:
  - {name: person, context: people, attributes: [{name: nick, type: string, length: 20}]}
  - {name: passport, context: people}
  - {name: tag, context: tagging}
relationships:
  - {from: passport, to: person, cardinality: one-to-one, required: true}
  - {from: person, to: tag, cardinality: many-to-many}
"""
    )
    erd = erd_model(build_schema(requirements, "postgresql"), requirements)
    found = dbml_model(erd_dbml(erd))
    assert found == erd_as_dbml_model(erd)
    assert found["tables"]["person_tag"]["primary_key"] == ("person_id", "tag_id")
    assert (
        "fk_passport_person_id",
        "passport",
        ("person_id",),
        "person",
        ("id",),
        "-",
        "restrict",
    ) in found["refs"]


def test_hostile_names_reimport_where_pydbml_can_read_them() -> None:
    # pydbml's quoted names take no escapes: names with a double quote, a backslash or a line
    # break are written with DBML's backslash escapes, which it cannot read back.
    def readable(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(name for name in names if not set(name) & set('"\\\n'))

    names = readable(HOSTILE_NAMES)
    assert len(names) >= 5
    erd = hostile_erd(names, readable(HOSTILE_CONTEXTS), title="Shop <&> 'x'")
    assert dbml_model(erd_dbml(erd)) == erd_as_dbml_model(erd)


def test_mermaid_gives_names_it_cannot_hold_a_safe_alias() -> None:
    text = erd_mermaid(hostile_erd())
    assert 't0["a″ URL=″javascript:alert(1)″ x=″"] {' in text
    assert '"<script>alert(1)</script>" {' in text
    assert 'bigint column_2 FK "ref a″ URL' in text
    assert 'varchar(10) column_1 "客户 Ünïcødé"' in text


@pytest.mark.parametrize(
    ("character", "written"),
    [('"', '\\"'), ("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")],
    ids=repr,
)
def test_dbml_escapes_each_character_its_names_cannot_hold(character: str, written: str) -> None:
    assert dbml_name(f"a{character}b") == f'"a{written}b"'


@pytest.mark.parametrize(
    ("character", "drawn"),
    [('"', "″"), ("%", "％"), ("\\", "＼"), ("\n", " "), ("\r", " "), ("\v", " "), ("\b", " ")],
    ids=repr,
)
def test_mermaid_draws_a_look_alike_of_each_character_its_labels_cannot_hold(
    character: str, drawn: str
) -> None:
    table = ErdTable(f"a{character}b", None, (ErdColumn("id", "bigint"),))
    assert f't0["a{drawn}b"] {{' in erd_mermaid(Erd("", "postgresql", (table,), ()))
