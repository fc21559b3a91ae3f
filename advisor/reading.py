"""Reading a file named on the command line, bounded: a device such as /dev/zero, a pipe or a
file over the limit is an `AdvisorError` naming it, never a read that does not end.

>>> read_limited("/dev/zero", limit=10, what="a requirements file")
Traceback (most recent call last):
...
advisor.errors.AdvisorError: /dev/zero: is not a regular file; give a requirements file
"""

from __future__ import annotations

import os
import stat

from advisor.errors import AdvisorError


def read_limited(path: str, *, limit: int, what: str) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` + 1 of them: more than
    `limit` means the file is too large, which the caller says in its own words."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise AdvisorError(f"is a directory, not {what}", location=path)
        if not stat.S_ISREG(mode):  # opening a pipe may block; a device may never end
            raise AdvisorError(f"is not a regular file; give {what}", location=path)
        with open(path, "rb") as file:
            data = file.read(limit + 1)  # the size stat gave may have changed since
    except FileNotFoundError:
        raise AdvisorError("no such file", location=path) from None
    except OSError as error:
        raise AdvisorError(f"cannot be read: {error.strerror}", location=path) from None
    return data
