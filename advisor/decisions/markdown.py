"""Writing Markdown safely: names from the requirements are free Unicode strings."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

# Characters that start emphasis, code, links, tables, strike-through or raw HTML, and what
# each becomes, in order: the backslash before the characters it escapes. `str.replace` does
# this many times faster than a regular expression, and escaping runs on every name written.
_SPECIALS = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    *((char, "\\" + char) for char in "\\`*_[]|~"),
)
# A line start that would begin a heading or a list: only a name whose first character is one
# of these or a digit can hold one, so the expressions below run on few names.
_LINE_STARTS = frozenset("#+-")
_BLOCK_START = re.compile(r"^(\s*)(#{1,6}|[+-])(?=\s|$)")
_ORDERED_START = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")
_BACKTICKS = re.compile(r"`+")
_BARE_PIPE = re.compile(r"(?<!\\)\|")

# Escaped names, code spans and cells, as many as a design of tens of thousands of attributes
# writes: a design writes each name in many records and tables, and escaping is pure.
_CACHED = 1 << 16


@functools.lru_cache(maxsize=_CACHED)
def escape(text: str) -> str:
    r"""`text` as Markdown that shows exactly these characters, on one line, with no HTML.

    >>> escape("a_b *c* | <script>")
    'a\\_b \\*c\\* \\| &lt;script&gt;'
    >>> escape("# not a heading"), escape("1. not a list"), escape("99.9% stays")
    ('\\# not a heading', '1\\. not a list', '99.9% stays')
    """
    text = " ".join(text.split())
    for char, escaped in _SPECIALS:
        text = text.replace(char, escaped)
    if text[:1] not in _LINE_STARTS and not text[:1].isdigit():
        return text
    text = _BLOCK_START.sub(r"\1\\\2", text)
    return _ORDERED_START.sub(r"\1\\\2", text)


@functools.lru_cache(maxsize=_CACHED)
def code(text: str) -> str:
    """`text` as an inline code span, whatever backticks it holds; safe inside table cells.

    >>> code("SELECT 1"), code("a`b")
    ('`SELECT 1`', '`` a`b ``')
    """
    text = " ".join(text.split()).replace("|", "\\|")
    runs = [len(run) for run in _BACKTICKS.findall(text)] if "`" in text else []
    fence = "`" * (max(runs, default=0) + 1)
    if runs or text.startswith(" ") or text.endswith(" "):
        return f"{fence} {text} {fence}"
    return f"{fence}{text}{fence}"


@functools.lru_cache(maxsize=_CACHED)
def cell(text: str) -> str:
    """Markdown text made safe for a table cell: pipes escaped once, no line breaks.

    >>> cell("a \\\\| b | c")
    'a \\\\| b \\\\| c'
    """
    text = " ".join(text.split())
    return _BARE_PIPE.sub(r"\\|", text) if "|" in text else text


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A GitHub-flavoured Markdown table of Markdown cells."""
    lines = [
        "| " + " | ".join(cell(item) for item in header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return lines


def quoted(name: str) -> str:
    """A name from the requirements, quoted and escaped, for prose.

    >>> quoted("product page")
    "'product page'"
    """
    return f"'{escape(name)}'"


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
