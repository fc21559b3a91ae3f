"""`dump_yaml` writes what PyYAML's dumper writes, byte for byte: the direct writer for plain
documents (advisor/requirements/yaml_writer.py), PyYAML for the rest."""

from __future__ import annotations

import contextlib
import itertools
from pathlib import Path
from typing import Any

import pytest

from advisor.requirements import dump_yaml, load_document, parse_requirements
from advisor.requirements.document import (
    _WIDTH,
    _Dumper,
    _Flow,
    _flowed,
    _pyyaml_dump,
    requirements_to_document,
)
from advisor.requirements.synthetic import synthetic_document
from advisor.requirements.yaml_writer import BlockWriter

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    [*(ROOT / "docs" / "examples").glob("*.yaml"), *(ROOT / "tests" / "fixtures").rglob("*.yaml")]
)


def _written(document: dict[str, Any]) -> str | None:
    """What the direct writer makes of `document`; None when it leaves it to PyYAML."""
    writer = BlockWriter(flow=_Flow, resolvers=_Dumper.yaml_implicit_resolvers, width=_WIDTH)
    return writer.document(_flowed(document))


def _documents() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in FILES:
        try:
            document = load_document(path.read_text(encoding="utf-8"))
        except Exception:  # an invalid fixture: not a document to write
            continue
        if not isinstance(document, dict):
            continue
        name = str(path.relative_to(ROOT))
        found.append((name, document))
        with contextlib.suppress(Exception):  # a document that is not valid requirements
            found.append((f"{name} (read)", requirements_to_document(parse_requirements(document))))
    return found + [(f"generated-{size}", synthetic_document(size)) for size in (1, 40, 300)]


DOCUMENTS = _documents()


@pytest.mark.parametrize(("name", "document"), DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
def test_every_example_and_fixture_is_written_as_pyyaml_writes_it(
    name: str, document: dict[str, Any]
) -> None:
    assert dump_yaml(document) == _pyyaml_dump(_flowed(document))


def test_examples_and_requirements_fixtures_are_written_without_pyyaml() -> None:
    left = [
        name
        for name, document in DOCUMENTS
        if name.startswith(("docs/examples", "tests/fixtures/requirements", "generated"))
        and _written(document) is None
    ]
    assert not left


def test_a_text_on_several_lines_is_left_to_pyyaml() -> None:
    document = {"project": "Shop", "description": "first line\nsecond line"}
    assert _written(document) is None
    assert dump_yaml(document) == _pyyaml_dump(_flowed(document))


# Texts that take every turn of PyYAML's choice of style: indicators first, inside and last,
# words a loader reads as another type, non-ASCII, characters beyond the BMP, line breaks,
# control characters, a byte order mark, long keys and long lines.
TRICKY = sorted(
    {
        first + special + middle + last
        for first, special, middle, last in itertools.product(
            ("", "a", "1"),
            (*" :#,?[]{}'\"!%&*>@`|~-.=<+\\\t\n\r", "é", "😀", "\xa0", "\u2028", "\x85", "\ufeff"),
            ("", "b", "b c"),
            ("", ":", "#", " ", "-", "z"),
        )
    }
    | {"yes", "No", "null", "~", "0E0", "1e3", "1_000", "0x1f", "2024-01-01", "<<", "=", ".inf"}
    | {"k" * 122, "k" * 123, "k" * 128, "word " * 900, "x" * 4100}
)


def _contexts(text: str) -> list[dict[str, Any]]:
    key = text or "empty"
    return [
        {"project": text, "team": {key: [text, 1.5, None, True]}},
        {key: {"nested": text}},
        {"entities": [{"name": text, "attributes": [{"name": key, "values": [text]}]}]},
        {"relationships": [{"from": text, key: text}]},
    ]


@pytest.mark.parametrize("text", TRICKY, ids=repr)
def test_tricky_texts_are_written_as_pyyaml_writes_them(text: str) -> None:
    for document in _contexts(text):
        assert dump_yaml(document) == _pyyaml_dump(_flowed(document))


@pytest.mark.parametrize(
    "number", [0.5, -0.0, 1e16, 1e-7, 3.0, 1e300, float("nan"), float("inf"), -float("inf")]
)
def test_numbers_are_written_as_pyyaml_writes_them(number: float) -> None:
    document = {"workload": {"data_volume_gb": number}, "values": [number, 10**25, -3]}
    assert _written(document) is not None
    assert dump_yaml(document) == _pyyaml_dump(_flowed(document))
