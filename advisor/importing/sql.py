"""The entry point for files: `import_sql(text, dialect="auto") -> ImportResult`.

>>> result = import_sql("CREATE TABLE artist (id INT PRIMARY KEY);\\n"
...     "CREATE TABLE album (id INT PRIMARY KEY, artist_id INT REFERENCES artist);\\n"
...     "INSERT INTO artist VALUES (1);")
>>> [(t.name, [k.target for k in t.foreign_keys]) for t in result.schema.tables]
[('artist', []), ('album', ['artist'])]
>>> [(s.line, s.outcome, s.what) for s in result.statements]
[(1, 'imported', 'CREATE TABLE artist'), (2, 'imported', 'CREATE TABLE album'), \
(3, 'skipped', 'INSERT INTO')]
"""

from __future__ import annotations

from advisor.errors import AdvisorError
from advisor.importing.dialect import resolve_dialect
from advisor.importing.replay import Replay
from advisor.importing.report import ImportResult
from advisor.importing.split import split_statements

# Larger files are refused rather than read for minutes: 50 MB is ten times the largest
# schema-only dump measured (tests/bench/import_bench.py reads 5 MB in about a second).
MAX_BYTES = 50 * 1024 * 1024


def import_sql(text: str, dialect: str = "auto") -> ImportResult:
    """The schema a SQL file (or DBML) describes, and what was done with each statement."""
    if len(text) > MAX_BYTES:
        raise AdvisorError(
            f"the file holds {len(text):,} characters; at most {MAX_BYTES:,} are read "
            "(import the schema only: pg_dump --schema-only, mysqldump --no-data)"
        )
    if "\x00" in text:
        raise AdvisorError("the file holds NUL characters: it is binary, not SQL or DBML text")
    named = resolve_dialect(text, dialect)
    if named == "dbml":
        from advisor.importing.dbml import import_dbml

        return import_dbml(text)
    return Replay(named).run(split_statements(text, named))
