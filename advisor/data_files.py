"""The advisor's own data files, in `advisor/data/`.

Read by path rather than through `importlib.resources`, whose import (tempfile, zipfile and the
compression modules) costs a short command line run more than reading the files.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def data_text(name: str) -> str:
    """The text of `advisor/data/<name>` (`name` may hold a subfolder: `reserved_words/x`).

    >>> data_text("matrix.yaml").startswith("#")
    True
    """
    return (DATA / name).read_text(encoding="utf-8")
