"""The advisor's own data files, in `advisor/data/`.

Read by path rather than through `importlib.resources`, whose import (tempfile, zipfile and the
compression modules) costs a short command line run more than reading the files.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
CACHE = DATA / "__pycache__"
_CACHE_FORMAT = 1


def data_text(name: str) -> str:
    """The text of `advisor/data/<name>` (`name` may hold a subfolder: `reserved_words/x`).

    >>> data_text("matrix.yaml").startswith("#")
    True
    """
    return (DATA / name).read_text(encoding="utf-8")


def data_document(name: str) -> Any:
    """The values of the YAML file `advisor/data/<name>`, parsed once per change of the file.

    Parsing the matrix takes a short command line run longer than everything else it reads,
    so the values are kept beside the file, in `__pycache__` as Python keeps compiled modules,
    and used while the file keeps its size and modification time. Where the folder cannot be
    written (an installation owned by another user), the file is parsed every time.

    >>> data_document("matrix.yaml")["technologies"]["postgresql"]["name"]
    'PostgreSQL'
    """
    path = DATA / name
    source = path.stat()
    key = (_CACHE_FORMAT, source.st_mtime_ns, source.st_size)
    cached = CACHE / f"{name}.marshal"
    try:
        found, values = marshal.loads(cached.read_bytes())
        if found == key:
            return values
    except (OSError, EOFError, ValueError, TypeError):
        pass  # absent, unreadable or from another version: parse the file
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    values = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    try:
        content = marshal.dumps((key, values))
        CACHE.mkdir(exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}")
        partial.write_bytes(content)
        os.replace(partial, cached)  # whole or not at all, for processes reading it now
    except (OSError, ValueError):  # a folder not writable; a value marshal cannot keep
        pass
    return values
