"""Which dialect a schema file is written in, from the marks each dialect leaves.

Each mark is a pattern with a weight; the dialect with the highest total wins, PostgreSQL when
nothing is recognised (the most common dump). Only the first `SAMPLE` characters are read: a
dump's marks are in its schema part, long before its data.

>>> detect_dialect("CREATE TABLE [dbo].[Album] ([AlbumId] INT)\\nGO\\n")
'sqlserver'
>>> detect_dialect("CREATE TABLE `album` (`id` int) ENGINE=InnoDB;")
'mysql'
>>> detect_dialect("Table album {\\n  id int [pk]\\n}")
'dbml'
"""

from __future__ import annotations

import re

from advisor.errors import UnsupportedDialect

DIALECTS = ("postgresql", "mysql", "sqlite", "sqlserver", "oracle", "dbml")
SAMPLE = 200_000
ALIASES = {"mariadb": "mysql", "postgres": "postgresql", "tsql": "sqlserver", "mssql": "sqlserver"}

_FLAGS = re.IGNORECASE | re.MULTILINE
MARKS: dict[str, tuple[tuple[str, int], ...]] = {
    "dbml": (
        (r"^\s*Table\s+[\w.\"]+(\s+as\s+\w+)?\s*(\[[^\]]*\])?\s*\{", 10),
        (r"^\s*Ref(\s+\w+)?\s*:", 5),
        (r"^\s*Enum\s+[\w.\"]+\s*\{", 5),
        (r"^\s*Project\s+\w+\s*\{", 5),
    ),
    "sqlserver": (
        (r"^\s*GO\s*$", 5),
        (r"\[dbo\]\.", 5),
        (r"\bsp_addextendedproperty\b", 5),
        (r"\bIDENTITY\s*\(\s*\d+\s*,\s*\d+\s*\)", 3),
        (r"\bNVARCHAR\s*\(\s*MAX\s*\)", 3),
        (r"\b(UNIQUEIDENTIFIER|DATETIME2|DATETIMEOFFSET|SMALLMONEY)\b", 2),
        (r"\bCLUSTERED\b", 2),
    ),
    "mysql": (
        (r"`\w+`", 2),
        (r"\bENGINE\s*=", 5),
        (r"\bAUTO_INCREMENT\b", 3),
        (r"/\*!\d{5}", 5),
        (r"^\s*DELIMITER\s+\S+\s*$", 5),
        (r"\bUNSIGNED\b", 2),
        (r"\bDEFAULT\s+CHARSET\b", 3),
    ),
    "postgresql": (
        (r"\$\w*\$", 2),
        (r"^\\\w+", 5),
        (r"^COPY\s.*\bFROM\s+stdin", 5),
        (r"\bALTER\s+TABLE\s+ONLY\b", 5),
        (r"\bOWNER\s+TO\b", 3),
        (r"::\w+", 2),
        (r"\b(BIGSERIAL|SERIAL|TIMESTAMPTZ|JSONB|BYTEA)\b", 3),
        (r"\bpg_catalog\.", 3),
        (r"\bCREATE\s+EXTENSION\b", 3),
    ),
    "sqlite": (
        (r"\bAUTOINCREMENT\b", 5),
        (r"^\s*PRAGMA\b", 5),
        (r"\bWITHOUT\s+ROWID\b", 5),
        (r"\bsqlite_\w+", 5),
        (r"\[\w+\]", 1),
    ),
    "oracle": (
        (r"\b(VARCHAR2|NVARCHAR2|NUMBER\s*\(|CLOB|SYSDATE|SYSTIMESTAMP)\b", 3),
        (r"^\s*/\s*$", 3),
        (r"\bEXECUTE\s+IMMEDIATE\b", 3),
        (r"\bTABLESPACE\b", 2),
    ),
}
_COMPILED = {
    dialect: tuple((re.compile(pattern, _FLAGS), weight) for pattern, weight in marks)
    for dialect, marks in MARKS.items()
}


def detect_dialect(text: str) -> str:
    """The dialect `text` is most likely written in (one of `DIALECTS`)."""
    sample = text[:SAMPLE]
    scores = {
        dialect: sum(weight * len(pattern.findall(sample)) for pattern, weight in marks)
        for dialect, marks in _COMPILED.items()
    }
    best = max(scores, key=lambda dialect: scores[dialect])
    return best if scores[best] > 0 else "postgresql"


def resolve_dialect(text: str, dialect: str = "auto") -> str:
    """`dialect` when given, else the detected one; an unknown name is an error.

    >>> resolve_dialect("", "mariadb")
    'mysql'
    >>> resolve_dialect("", "db2")
    Traceback (most recent call last):
    ...
    advisor.errors.UnsupportedDialect: dialect: 'db2' is not one of auto, postgresql, mysql, \
sqlite, sqlserver, oracle, dbml
    """
    named = ALIASES.get(dialect.lower(), dialect.lower())
    if named == "auto":
        return detect_dialect(text)
    if named not in DIALECTS:
        choices = ", ".join(("auto", *DIALECTS))
        raise UnsupportedDialect(f"{dialect!r} is not one of {choices}", location="dialect")
    return named


__all__ = ["DIALECTS", "detect_dialect", "resolve_dialect"]
