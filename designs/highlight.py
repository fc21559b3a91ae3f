"""Syntax highlighting of design files with Pygments, done once when a design is stored."""

from __future__ import annotations

from pathlib import PurePosixPath

from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_for_filename
from pygments.util import ClassNotFound

# Highlighting is linear but slow per character; beyond this a file is shown as plain text.
MAX_HIGHLIGHTED_CHARACTERS = 400_000
FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)


def highlight(path: str, text: str) -> str:
    """The file as highlighted HTML, or "" when it is too large or of an unknown kind."""
    if len(text) > MAX_HIGHLIGHTED_CHARACTERS:
        return ""
    try:
        lexer = get_lexer_for_filename(PurePosixPath(path).name, stripnl=False)
    except ClassNotFound:
        return ""
    return pygments_highlight(text, lexer, FORMATTER)


def stylesheet() -> str:
    return FORMATTER.get_style_defs(".highlight")
