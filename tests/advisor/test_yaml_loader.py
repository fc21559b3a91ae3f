"""The fast YAML path (libyaml's events) reads every text as PyYAML's pure loader does: the same
values, or the same problem at the same line and column. libyaml reads a few texts the pure
loader refuses (a tab after a value, `|#`, `[a?]`); those it may read. And where a text holds an
alias and a tab the pure loader refuses (`[<tab>*1`, `*1<tab>`), both refuse it: libyaml for the
alias, the pure loader for the tab."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.requirements import dump_yaml
from advisor.requirements.synthetic import synthetic_document
from advisor.requirements.yaml_loader import (
    _UNSUPPORTED,
    ALIASES,
    SafeLoader,
    _events_document,
    load_yaml,
)
from tests.advisor.conftest import ROOT
from tests.advisor.hostile import PARAMS

DOCUMENTS = sorted(
    path
    for folder in ("docs", "tests/fixtures")
    for path in (ROOT / folder).rglob("*.yaml")
    if "stores" not in path.parts  # expected store outputs, not requirements
)


def _outcome(load: Any, text: str) -> Any:
    try:
        return ("value", load(text))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        return ("error", error.problem, mark.line if mark else None, mark.column if mark else None)
    except yaml.YAMLError as error:  # the reader's, for a character YAML refuses
        return ("error", str(error))


def _reference(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)


def _same_answer(text: str, *, lenient: bool = False) -> bool:
    fast, reference = _outcome(load_yaml, text), _outcome(_reference, text)
    if lenient and fast[0] == "value" and reference[0] == "error":
        return True  # libyaml read what the pure loader refuses
    if lenient and fast[:2] == ("error", ALIASES) and reference[0] == "error":
        return True  # both refuse: libyaml at the alias, the pure loader at a tab it refuses
    return bool(fast == reference)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_example_is_read_on_the_fast_path_as_the_reference_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = _events_document(text)
    assert found is not _UNSUPPORTED
    assert found == _reference(text)


def test_a_large_document_is_read_on_the_fast_path() -> None:
    text = dump_yaml(synthetic_document(300))
    assert _events_document(text) == _reference(text)


SMALL_HOSTILE = [param for param in PARAMS if len(param.values[0]) < 200_000]


@pytest.mark.parametrize(("text", "message"), SMALL_HOSTILE)
def test_hostile_texts_get_the_same_answer_at_the_same_place(text: str, message: str) -> None:
    assert _same_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "a: {b: 1, b: 2}\n",
        "a: 1\n1: 2\n'1': 3\ntrue: 4\nTrue: 5\n",
        "n: " + "9" * 5000 + "\n",
        "a: [1, 2\n",
        "a: !!binary aGk=\n",
        "a: !custom x\n",
        "? [a]\n: 1\n",
        "<<: {a: 1}\nb: 2\n",
        "--- 1\n--- 2\n",
        "",
        "---\n",
        "a: \x07\n",
        "a: 0x1F\nb: 0o17\nc: 1_000\nd: 1:30\ne: .inf\nf: -.NaN\ng: ~\nh: on\n",
        "a: 2024-01-01\nb: 2024-01-01T10:00:00Z\n",
        "a: '1e3'\nb: 1e3\nc: -2E+2\nd: 1.5e3\n",
        "[" * 21 + "]" * 21,
        "[" * 20 + "]" * 20,
        "a: &x 1\n",
        "a: 1\nb: *x\n",
    ],
)
def test_tricky_texts_get_the_same_answer(text: str) -> None:
    assert _same_answer(text)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["yes", "No", "~", "1e3", "0x10", "1:20", "<<", "=", "2024-01-01", ""]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(VALUES, st.booleans())
def test_any_dumped_value_reads_back_the_same_on_both_paths(value: Any, flow: bool) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assert _same_answer(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1:-[]{}#&*!?'\"\n ,.\t~|>%@`")), max_size=40))
def test_any_text_gets_the_same_answer_on_both_paths(text: str) -> None:
    assert _same_answer(text, lenient=True)
