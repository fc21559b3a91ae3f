"""A schema file's bytes as text, for the command line and the web alike: too large, binary
or not UTF-8 is an `AdvisorError` naming the file and what is wrong.

>>> schema_text(b"CREATE TABLE t (id INT);", location="t.sql")
'CREATE TABLE t (id INT);'
>>> schema_text(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00", location="logo.png")
Traceback (most recent call last):
...
advisor.errors.AdvisorError: logo.png: is a binary file, not SQL or DBML text
"""

from __future__ import annotations

from advisor.errors import AdvisorError
from advisor.importing.sql import MAX_BYTES
from advisor.reading import read_limited

# A NUL byte this early means an image, an archive or a database file, not a script.
BINARY_SAMPLE = 8192


def check_size(size: int, *, location: str) -> None:
    """Refuse a file over `MAX_BYTES` before reading it."""
    if size > MAX_BYTES:
        raise AdvisorError(
            f"is {size:,} bytes; at most {MAX_BYTES:,} are read (export the schema only: "
            "pg_dump --schema-only, mysqldump --no-data)",
            location=location,
        )


def schema_text(data: bytes, *, location: str) -> str:
    """The text of a schema file's bytes (a UTF-8 byte order mark dropped)."""
    check_size(len(data), location=location)
    if b"\x00" in data[:BINARY_SAMPLE]:
        raise AdvisorError("is a binary file, not SQL or DBML text", location=location)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AdvisorError(
            f"is not UTF-8 text (byte {error.start} cannot be decoded); save it as UTF-8",
            location=location,
        ) from None


def read_schema_file(path: str) -> str:
    """The file's text; too large, binary, unreadable or not a regular file is an
    `AdvisorError`."""
    data = read_limited(path, limit=MAX_BYTES, what="a schema file")
    return schema_text(data, location=path)
