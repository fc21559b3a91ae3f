"""hypothesis throws arbitrary text and values at the reader, the parser and the command line:
only the advisor's own errors may come out (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.cli import main
from advisor.errors import AdvisorError
from advisor.requirements import load_document, parse_requirements
from advisor.requirements.fields import FIELDS

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
KEYS = sorted({field.key for field in FIELDS.values()})
# Text with what once broke the advisor: lone surrogates, NUL, brackets, YAML punctuation.
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(), st.sampled_from(["\ud800", "\x00", "]", "&", "*", "{", ":", "\n"])
    ),
    max_size=30,
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
    st.sampled_from(["advisor/v1", "string", "enum", "many-to-one", "read", "lookup", "id"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), TEXT), inner, max_size=5),
    ),
    max_leaves=25,
)
DOCUMENTS = st.fixed_dictionaries(
    {"format": st.just("advisor/v1"), "project": st.just("Fuzz")},
    optional={
        key: VALUES
        for key in (
            "workload",
            "team",
            "entities",
            "relationships",
            "access_patterns",
            "description",
        )
    },
)


def _only_advisor_errors(call: Any) -> None:
    try:
        call()
    except AdvisorError as error:
        str(error).encode("utf-8")  # a message prints anywhere: no lone surrogate in it


@SETTINGS
@given(DOCUMENTS)
def test_the_parser_raises_only_its_own_errors(document: dict[str, Any]) -> None:
    _only_advisor_errors(lambda: parse_requirements(document))


@SETTINGS
@given(st.one_of(TEXT, st.text(max_size=300)))
def test_the_reader_raises_only_its_own_errors(text: str) -> None:
    _only_advisor_errors(lambda: parse_requirements(load_document(text)))


@SETTINGS
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_the_command_line_exits_0_or_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = tmp_path / "requirements.yaml"
    path.write_bytes(b"format: advisor/v1\nproject: Fuzz\n" + content)
    assert main(["recommend", str(path)]) in (0, 2)
    capsys.readouterr()
