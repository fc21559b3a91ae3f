"""The YAML editor's panel reads only the workload and the team when nothing else changed,
and gives the panel the whole text would give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from designs import panel, text_panel
from designs.text_panel import figures_apart, text_panel_context

ROOT = Path(__file__).resolve().parents[2]
DEMO = (ROOT / "docs" / "examples" / "online-shop.yaml").read_text(encoding="utf-8")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts read whole from now on."""
    read: list[str] = []
    whole = text_panel.read_typed

    def counted(text: str) -> dict[str, Any]:
        read.append(text)
        return whole(text)

    monkeypatch.setattr(text_panel, "read_typed", counted)
    return read


def afresh(text: str) -> dict[str, Any]:
    """The panel of `text` read whole, with nothing kept from before."""
    panel.STRUCTURES._items.clear()
    text_panel._STRUCTURES_BY_REST._items.clear()
    return text_panel_context(text)


def changed(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_a_changed_figure_is_read_alone_and_gives_the_whole_texts_panel(reads: list[str]) -> None:
    afresh(DEMO)
    typed = changed(DEMO, "writes_per_second: 300", "writes_per_second: 200000")
    reads.clear()
    incremental = text_panel_context(typed)
    assert reads == []  # the figures alone were read
    assert incremental["recommendation"]["primary"] != afresh(DEMO)["recommendation"]["primary"]
    assert incremental == afresh(typed)


def test_a_change_beside_the_figures_is_read_whole(reads: list[str]) -> None:
    afresh(DEMO)
    reads.clear()
    typed = changed(DEMO, "  - name: customer\n", "  - name: client\n")
    assert text_panel_context(typed) == afresh(typed)
    assert reads[0] == typed


def test_a_figure_refused_is_read_whole_and_placed_as_the_whole_text_places_it(
    reads: list[str],
) -> None:
    afresh(DEMO)
    reads.clear()
    typed = changed(DEMO, "writes_per_second: 300", "writes_per_second: -5")
    context = text_panel_context(typed)
    assert reads == [typed]
    assert context == afresh(typed)
    assert [problem["field"] for problem in context["problems"]] == ["workload.writes_per_second"]


@pytest.mark.parametrize(
    "text",
    [
        '{"project": "Shop"}',
        "---\nproject: Shop\n",
        '"project": Shop\n',
        "project: Shop\nproject: Again\n",
        "project: Shop\n&anchor workload: {}\n",
        "project: a\nb\n",
    ],
)
def test_a_text_not_plainly_one_key_per_line_is_read_whole(text: str) -> None:
    assert figures_apart(text) is None
