from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from advisor.errors import InvalidRequirements
from advisor.requirements import load_document, parse_requirements
from advisor.requirements import model as m
from advisor.schemas import requirements_schema
from tests.advisor.conftest import ROOT
from tests.advisor.test_requirements import INVALID

DOCUMENTS = sorted(
    [
        *(ROOT / "docs" / "examples").glob("*.yaml"),
        *(ROOT / "tests" / "fixtures" / "requirements").glob("*.yaml"),
    ]
)
DOCUMENTS = [path for path in DOCUMENTS if not path.name.endswith(".expected.yaml")]

# Problems no JSON Schema can express: references between items, uniqueness of names inside
# objects, and comparisons between two fields. Only the advisor itself finds these.
SCHEMA_CANNOT_CHECK = {
    "duplicate-entity",
    "duplicate-attribute",
    "scale-over-precision",
    "min-over-max",
    "default-below-min",
    "default-too-long",
    "enum-default-not-a-value",
    "unknown-relationship-entity",
    "duplicate-role",
    "unknown-pattern-entity",
    "unknown-filter",
    "unknown-sort",
    "duplicate-pattern",
    "signed-by-not-an-enum",  # names another attribute: the parser checks it
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = requirements_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.stem)
def test_every_example_and_golden_document_validates_against_the_schema(
    path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    document = load_document(path.read_text(encoding="utf-8"))
    assert list(validator.iter_errors(document)) == []
    parse_requirements(document)


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(document, id=name)
        for name, document, _, _ in INVALID
        if name not in SCHEMA_CANNOT_CHECK
    ],
)
def test_invalid_documents_are_rejected_by_the_schema_and_by_the_parser(
    document: dict[str, Any], validator: jsonschema.Draft202012Validator
) -> None:
    assert list(validator.iter_errors(document)) != []
    with pytest.raises(InvalidRequirements):
        parse_requirements(document)


def test_the_schema_lists_the_same_choices_as_the_parser() -> None:
    definitions = requirements_schema()["$defs"]
    assert definitions["attribute"]["properties"]["type"]["enum"] == list(m.ATTRIBUTE_TYPES)
    assert definitions["access_pattern"]["properties"]["kind"]["enum"] == list(m.KINDS)
    assert definitions["workload"]["properties"]["transactions"]["enum"][:-1] == list(
        m.TRANSACTIONS
    )
