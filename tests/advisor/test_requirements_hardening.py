"""Bad input is refused whole, quickly, with where and what (issue 12)."""

from __future__ import annotations

import json
import time

import pytest

from advisor.errors import AdvisorError
from advisor.requirements import load_document, parse_requirements, read_requirements
from advisor.requirements.fields import (
    MAX_ACCESS_PATTERNS,
    MAX_ATTRIBUTES,
    MAX_DOCUMENT_BYTES,
    MAX_ENTITIES,
    MAX_NESTING,
    MAX_RELATIONSHIPS,
)
from tests.advisor.conftest import ROOT
from tests.advisor.hostile import PARAMS


@pytest.mark.parametrize("read", ["load_document", "read_requirements"])
@pytest.mark.parametrize(("text", "message"), PARAMS)
def test_hostile_documents_are_refused_quickly_with_what_is_wrong(
    text: str, message: str, read: str
) -> None:
    started = time.perf_counter()
    with pytest.raises(AdvisorError) as raised:
        if read == "load_document":
            parse_requirements(load_document(text))
        else:
            read_requirements(text)  # a JSON text straight to requirements, when plainly valid
    assert message in str(raised.value)
    assert time.perf_counter() - started < 15  # 106 s before the limits, on a busy machine


def test_a_document_at_every_limit_is_read_and_accepted() -> None:
    per_entity = MAX_ATTRIBUTES // MAX_ENTITIES
    attribute = {
        "type": "string",
        "length": 80,
        "required": True,
        "default": "x",
        "format": "email",
    }
    entities = [
        {
            "name": f"entity_{i}",
            "context": "sales",
            "unique": [["attribute_0", "attribute_1"]],
            "attributes": [{"name": f"attribute_{j}", **attribute} for j in range(per_entity)],
        }
        for i in range(MAX_ENTITIES)
    ]
    relationships = [
        {
            "from": f"entity_{i % MAX_ENTITIES}",
            "to": f"entity_{(i + 1) % MAX_ENTITIES}",
            "name": f"relationship_{i}",
            "cardinality": "many-to-one",
            "on_delete": "restrict",
        }
        for i in range(MAX_RELATIONSHIPS)
    ]
    patterns = [
        {
            "name": f"pattern_{i}",
            "entity": "entity_0",
            "operation": "read",
            "kind": "lookup",
            "filter": ["attribute_0", "attribute_1"],
            "sort": ["-created_at"],
            "per_second": 10,
        }
        for i in range(MAX_ACCESS_PATTERNS)
    ]
    document = {
        "format": "advisor/v1",
        "project": "Big",
        "entities": entities,
        "relationships": relationships,
        "access_patterns": patterns,
    }
    # JSON: read by the JSON parser; YAML of this size reads in pure Python (issue 14).
    text = json.dumps(document)
    requirements = parse_requirements(load_document(text))
    assert len(requirements.entities) == MAX_ENTITIES
    assert len(text.encode()) < MAX_DOCUMENT_BYTES


def test_the_limits_are_documented() -> None:
    limits = (ROOT / "docs" / "requirements.md").read_text(encoding="utf-8").split("## Limits")[1]
    limits = limits.split("\n## ")[0]
    for number in (
        MAX_DOCUMENT_BYTES,
        MAX_ENTITIES,
        MAX_ATTRIBUTES,
        MAX_RELATIONSHIPS,
        MAX_ACCESS_PATTERNS,
    ):
        assert f"| {number:,}" in limits
    assert f"{MAX_NESTING} levels" in limits


def test_a_number_within_a_float_but_beyond_a_limit_says_the_limit() -> None:
    with pytest.raises(AdvisorError, match=r"1e\+300 is too large; it must be at most 50"):
        parse_requirements(
            {"format": "advisor/v1", "project": "x", "workload": {"regions": 10**300}}
        )
