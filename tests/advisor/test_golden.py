"""Golden requirement documents and what the advisor must conclude for each.

Each `tests/fixtures/requirements/NAME.yaml` has a sibling `NAME.expected.yaml` with the expected
primary category, the rules that must have fired with an effect, and optionally the technology,
architecture pattern, key strategy and region strategy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from advisor.engine import advise
from advisor.matrix import DEFAULT_MATRIX
from advisor.requirements import read_requirements
from advisor.schemas import recommendation_schema
from tests.advisor.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "requirements"
GOLDEN = sorted(
    path for path in FIXTURES.glob("*.yaml") if not path.name.endswith(".expected.yaml")
)
EXPECTED_KEYS = {
    "components",
    "primary_category",
    "primary_technology",
    "key_rules",
    "pattern",
    "keys",
    "regions_strategy",
}


def expected_for(path: Path) -> dict[str, Any]:
    expected: dict[str, Any] = yaml.safe_load(
        path.with_name(f"{path.stem}.expected.yaml").read_text(encoding="utf-8")
    )
    assert set(expected) <= EXPECTED_KEYS
    return expected


def test_there_are_at_least_25_golden_documents_covering_every_category() -> None:
    assert len(GOLDEN) >= 25
    categories = {expected_for(path)["primary_category"] for path in GOLDEN}
    assert categories == set(DEFAULT_MATRIX.categories)


@pytest.mark.parametrize("path", GOLDEN, ids=lambda path: path.stem)
def test_golden_document_gets_the_expected_recommendation(path: Path) -> None:
    expected = expected_for(path)
    recommendation = advise(read_requirements(path.read_text(encoding="utf-8"), source=str(path)))

    assert recommendation.primary.category == expected["primary_category"]
    if "primary_technology" in expected:
        assert recommendation.primary.technology == expected["primary_technology"]
    fired = {reason.rule for reason in recommendation.trace if reason.effect != "none"}
    assert set(expected["key_rules"]) <= fired
    if "components" in expected:
        assert set(expected["components"]) <= {c.role for c in recommendation.components}
    if "pattern" in expected:
        assert recommendation.pattern.name == expected["pattern"]
    if "keys" in expected:
        assert recommendation.keys.strategy == expected["keys"]
    if "regions_strategy" in expected:
        assert recommendation.scaling.regions.strategy == expected["regions_strategy"]
    jsonschema.validate(json.loads(recommendation.to_json()), recommendation_schema())
