"""The JSON Schemas shipped as package data, for editors and for checking our own output."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def _load(name: str) -> dict[str, Any]:
    text = resources.files("advisor").joinpath("data", name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def requirements_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a requirements document, format `advisor/v1`.

    >>> requirements_schema()["properties"]["format"]["const"]
    'advisor/v1'
    """
    return _load("requirements.schema.json")


def recommendation_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `Recommendation.to_json()`.

    >>> recommendation_schema()["title"]
    'Recommendation of the database design advisor'
    """
    return _load("recommendation.schema.json")
