"""The planning figures of `advisor/data/stores.yaml`, read once: value sizes shared by the
engine's row estimates (`advisor.sizing`) and the other stores' generators (`advisor.stores`)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def knowledge() -> Mapping[str, Any]:
    """The contents of `advisor/data/stores.yaml`."""
    text = resources.files("advisor").joinpath("data", "stores.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data
