"""Writing Markdown safely: names from the requirements are free Unicode strings."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Characters that start emphasis, code, links, tables, strike-through or raw HTML.
_SPECIALS = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^(\s*)(#{1,6}|[+-])(?=\s|$)")
_ORDERED_START = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")


def escape(text: str) -> str:
    r"""`text` as Markdown that shows exactly these characters, on one line, with no HTML.

    >>> escape("a_b *c* | <script>")
    'a\\_b \\*c\\* \\| &lt;script&gt;'
    >>> escape("# not a heading"), escape("1. not a list"), escape("99.9% stays")
    ('\\# not a heading', '1\\. not a list', '99.9% stays')
    """
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIALS.sub(r"\\\1", text)
    text = _BLOCK_START.sub(r"\1\\\2", text)
    return _ORDERED_START.sub(r"\1\\\2", text)


def code(text: str) -> str:
    """`text` as an inline code span, whatever backticks it holds; safe inside table cells.

    >>> code("SELECT 1"), code("a`b")
    ('`SELECT 1`', '`` a`b ``')
    """
    text = " ".join(text.split()).replace("|", "\\|")
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    if runs or text.startswith(" ") or text.endswith(" "):
        return f"{fence} {text} {fence}"
    return f"{fence}{text}{fence}"


def cell(text: str) -> str:
    """Markdown text made safe for a table cell: pipes escaped once, no line breaks.

    >>> cell("a \\\\| b | c")
    'a \\\\| b \\\\| c'
    """
    text = " ".join(text.split())
    return re.sub(r"(?<!\\)\|", r"\\|", text)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A GitHub-flavoured Markdown table of Markdown cells."""
    lines = [
        "| " + " | ".join(cell(item) for item in header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(cell(item) for item in row) + " |" for row in rows]
    return lines


def quoted(name: str) -> str:
    """A name from the requirements, quoted and escaped, for prose.

    >>> quoted("product page")
    "'product page'"
    """
    return f"'{escape(name)}'"


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
