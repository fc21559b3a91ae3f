"""The planning figures of `advisor/data/stores.yaml`, read once: value sizes shared by the
engine's row estimates (`advisor.sizing`) and the other stores' generators (`advisor.stores`)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import yaml

from advisor.data_files import data_text


@cache
def knowledge() -> Mapping[str, Any]:
    """The contents of `advisor/data/stores.yaml`."""
    text = data_text("stores.yaml")
    data: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data
