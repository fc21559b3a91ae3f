from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from advisor.requirements import Requirements, load_document, parse_requirements

ROOT = Path(__file__).resolve().parents[2]
DEMO_PATH = ROOT / "docs" / "examples" / "online-shop.yaml"


def demo_document() -> dict[str, Any]:
    return load_document(DEMO_PATH.read_text(encoding="utf-8"), source=str(DEMO_PATH))


@pytest.fixture
def demo() -> Requirements:
    return parse_requirements(demo_document())
