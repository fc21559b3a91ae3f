"""The longest lists of the recommendation panel as HTML, written in Python.

The panel is rendered on every keystroke's post; its ranking of the alternatives and its
reasons (thirty of them, with links to the inputs they read) took most of its rendering time
as template loops. These functions write the same HTML, byte for byte, as those loops did
(tests/designs/test_panel_html.py keeps them as the reference), escaped as the templates escape
(`field_html.shown`); the template tags in designs/templatetags/editor.py mark it safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from designs.field_html import shown


def alternatives_html(alternatives: Iterable[Mapping[str, Any]]) -> str:
    """The items of the panel's ranking: each kind of store with its bar, score and best
    store, and its first three stores in the item's title."""
    html = []
    for alternative in alternatives:
        technologies = alternative.get("technologies") or []
        best = technologies[0] if technologies else {}
        title = ", ".join(f"{shown(t['name'])} {shown(t['score'])}" for t in technologies[:3])
        ruled_out = (
            f" · ruled out: {shown(best.get('disqualified', ''))}"
            if alternative.get("feasible") is False
            else ""
        )
        category = shown(str(alternative["category"]).replace("_", " "))
        bar = shown(alternative["bar"])
        html.append(
            f'\n      <li title="{title}">'
            f'\n        <span class="label">{category}</span>'
            f'\n        <span class="bar"><span style="width: {bar}%"></span></span>'
            f'\n        <span class="score">{shown(alternative["score"])}</span>'
            f'\n        <span class="best muted">{shown(best.get("name", ""))}{ruled_out}</span>'
            "\n      </li>\n    "
        )
    return "".join(html)


def reasons_html(trace: Iterable[Mapping[str, Any]], inputs_url: str) -> str:
    """The items of the panel's "Why": each rule's sentence with links to the inputs it read,
    on the editor at `inputs_url` ("" for the editor the panel is in)."""
    url = shown(inputs_url or "")
    html = []
    for reason in trace:
        links = ""
        if reason.get("links"):
            anchors = "".join(
                f'<a href="{url}#f-{shown(link["field"])}" class="input-link">'
                f"{shown(link['path'])}</a>"
                for link in reason["links"]
            )
            more = reason.get("links_more")
            more_html = f' <span class="muted">and {shown(more)} more</span>' if more else ""
            links = f'<span class="inputs">{anchors}{more_html}</span>'
        html.append(
            f'\n      <li><span class="muted">{shown(reason["rule"])}</span> '
            f"{shown(reason['sentence'])}\n        {links}</li>\n    "
        )
    return "".join(html)
