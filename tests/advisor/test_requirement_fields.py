"""The field table is the one source of every requirements field.

Adding a field is one row in `advisor/requirements/fields.py` (plus the model's typed attribute
that the rules read): these tests fail if the parser, the JSON Schema, the reference in
docs/requirements.md or the model leave a field of the table out.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from advisor.cli import main
from advisor.errors import InvalidRequirements
from advisor.requirements import parse_requirements
from advisor.requirements.fields import (
    FIELDS_TABLE,
    MODELS,
    NOT_IN_MODEL,
    Field,
    attribute_of,
    fields_of,
)
from advisor.requirements.json_schema import generate_requirements_schema, requirements_schema_text
from advisor.requirements.reference import marked_parents, with_field_reference
from advisor.schemas import requirements_schema
from tests.advisor.conftest import ROOT

DOCS = ROOT / "docs" / "requirements.md"
SCHEMA = ROOT / "advisor" / "data" / "requirements.schema.json"

EXAMPLE: dict[str, Any] = {
    "format": "advisor/v1",
    "project": "Shop",
    "workload": {},
    "team": {},
    "entities": [
        {"name": "customer", "attributes": [{"name": "email", "type": "string"}]},
        {"name": "order"},
    ],
    "relationships": [{"from": "order", "to": "customer", "cardinality": "many-to-one"}],
    "access_patterns": [{"name": "p", "entity": "order", "operation": "read", "kind": "lookup"}],
    "lint": {"ignore": [{"rule": "redundant-index"}]},
}


# Where the schema describes the items of each mapping of the document.
DEFINITIONS = {
    "workload": "workload",
    "team": "team",
    "entities[]": "entity",
    "entities[].attributes[]": "attribute",
    "relationships[]": "relationship",
    "access_patterns[]": "access_pattern",
    "lint": "lint",
    "lint.ignore[]": "ignore",
}


def by_path(field: Field) -> str:
    return field.path


def concrete(path: str) -> str:
    """`entities[].attributes[].type` -> `entities[0].attributes[0].type`."""
    return path.replace("[]", "[0]")


def example_with(field: Field, value: Any) -> dict[str, Any]:
    """The example document with `value` at the field's place in the first item of each list,
    in an item where the field applies."""
    document = copy.deepcopy(EXAMPLE)
    holder: Any = document
    if field.parent:
        for part in field.parent.split("."):
            holder = holder[part.removesuffix("[]")]
            if part.endswith("[]"):
                holder = holder[0]
    if field.only is not None:
        holder[field.only.key] = field.only.values[0]
    holder[field.key] = value
    return document


def test_the_example_is_valid() -> None:
    parse_requirements(EXAMPLE)


@pytest.mark.parametrize("field", FIELDS_TABLE, ids=by_path)
def test_the_parser_checks_every_field_of_the_table(field: Field) -> None:
    wrong = [1] if field.kind == "section" else {"wrong": "shape"}
    with pytest.raises(InvalidRequirements) as caught:
        parse_requirements(example_with(field, wrong))
    assert concrete(field.path) in [problem.path for problem in caught.value.problems]


@pytest.mark.parametrize("field", FIELDS_TABLE, ids=by_path)
def test_the_json_schema_describes_every_field_of_the_table(field: Field) -> None:
    schema = requirements_schema()
    holder = schema["$defs"][DEFINITIONS[field.parent]] if field.parent else schema
    assert field.key in holder["properties"]
    assert (field.key in holder.get("required", [])) == field.required


def test_the_committed_json_schema_is_the_one_the_field_table_gives() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == requirements_schema_text(), (
        "run: python -m advisor schema --write"
    )


def test_the_committed_reference_is_the_one_the_field_table_gives() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert text == with_field_reference(text), (
        "run: python -m advisor schema --docs docs/requirements.md"
    )


def test_the_reference_has_a_table_for_every_mapping_of_the_document() -> None:
    parents = list(dict.fromkeys(field.parent for field in FIELDS_TABLE))
    assert marked_parents(DOCS.read_text(encoding="utf-8")) == parents


@pytest.mark.parametrize("field", FIELDS_TABLE, ids=by_path)
def test_the_reference_lists_every_field_of_the_table(field: Field) -> None:
    text = DOCS.read_text(encoding="utf-8")
    marker = "the document" if not field.parent else field.parent
    start = text.index(f"<!-- BEGIN fields of {marker} -->")
    table = text[start : text.index("<!-- END fields -->", start)]
    assert f"\n| `{field.key}` | " in table


@pytest.mark.parametrize("parent", list(MODELS), ids=lambda parent: parent or "top level")
def test_every_model_attribute_has_a_field_and_every_field_an_attribute(parent: str) -> None:
    attributes = {found.name for found in dataclasses.fields(MODELS[parent])}
    table = {attribute_of(field) for field in fields_of(parent) if field.path not in NOT_IN_MODEL}
    assert table == attributes


def test_schema_prints_the_generated_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == generate_requirements_schema()


def test_schema_writes_the_schema_and_the_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "requirements.schema.json"
    monkeypatch.setattr("advisor.cli.SCHEMA_FILE", schema)
    docs = tmp_path / "requirements.md"
    docs.write_text("# Team\n\n<!-- BEGIN fields of team -->\nstale\n<!-- END fields -->\n")
    assert main(["schema", "--write", "--docs", str(docs)]) == 0
    assert schema.read_text() == requirements_schema_text()
    assert "| `managed_service` | `preferred` |" in docs.read_text()
    assert "stale" not in docs.read_text()
    assert capsys.readouterr().out.count("Wrote") == 2
