"""What kind of statement a piece of a dump is, from its first words, before any parsing.

Statements that are not schema are reported as skipped with the reason below, without being
parsed: a dump's data (INSERT, COPY) is most of its size, and sqlglot would only turn functions,
grants and settings into opaque commands anyway. Everything else goes to the parser.

>>> skip_reason("INSERT INTO film VALUES (1)")
'data, not schema'
>>> skip_reason("ALTER TABLE public.film OWNER TO postgres")
'ownership: who owns an object is not part of its design'
>>> skip_reason("CREATE TABLE film (id int)") is None
True
"""

from __future__ import annotations

import re

_NAME = r"(?:\"[^\"]*\"|`[^`]*`|\[[^\]]*\]|[\w$]+)"
NAME = rf"{_NAME}(?:\s*\.\s*{_NAME})*"

# (pattern on the statement's start, case-insensitive, why it is skipped), first match wins.
SKIPPED: tuple[tuple[str, str], ...] = (
    (r"(INSERT|REPLACE|UPDATE|DELETE|MERGE|TRUNCATE|UPSERT)\b", "data, not schema"),
    (r"COPY\b", "data (COPY), not schema"),
    (r"(SET|RESET|DISCARD)\b", "a session setting"),
    (r"SELECT\s+pg_catalog\.setval\b", "a sequence's position: data, not schema"),
    (r"(SELECT|WITH|VALUES|SHOW|DESCRIBE|DESC|EXPLAIN|PRINT)\b", "a query, not schema"),
    (
        r"(CREATE|ALTER|DROP)\s+(OR\s+REPLACE\s+)?(DEFINER\s*=\s*\S+\s+)?"
        r"(FUNCTION|PROCEDURE|TRIGGER|AGGREGATE|OPERATOR|RULE|EVENT|PACKAGE|LANGUAGE|CAST|"
        r"CONVERSION|TRANSFORM)\b",
        "code (functions, procedures, triggers): not part of the data's design",
    ),
    (
        r"(CREATE|ALTER|DROP)\s+(OR\s+REPLACE\s+)?((MATERIALIZED|TEMP|TEMPORARY|RECURSIVE|"
        r"FORCE|NOFORCE|ALGORITHM\s*=\s*\w+|DEFINER\s*=\s*\S+|SQL\s+SECURITY\s+\w+)\s+)*VIEW\b",
        "a view: derived from the tables, not stored",
    ),
    (r"REFRESH\s+MATERIALIZED\s+VIEW\b", "a view: derived from the tables, not stored"),
    (
        r"(CREATE|ALTER|DROP)\s+SEQUENCE\b",
        "a sequence: a column it numbers (DEFAULT nextval) is read as numbered by the database",
    ),
    (r"(GRANT|REVOKE)\b", "privileges: not part of the data's design"),
    (
        r"(CREATE|ALTER|DROP)\s+(DATABASE|SCHEMA)\b|USE\b|CONNECT\b",
        "which database or schema: names of tables keep their schema",
    ),
    (r"(CREATE|ALTER|DROP|COMMENT\s+ON)\s+EXTENSION\b", "an extension of the server"),
    (
        r"(CREATE|ALTER|DROP)\s+(ROLE|USER|LOGIN|GROUP|TABLESPACE|SERVER|USER\s+MAPPING|"
        r"FOREIGN\s+DATA\s+WRAPPER|PUBLICATION|SUBSCRIPTION|STATISTICS|POLICY|SYNONYM|"
        r"TEXT\s+SEARCH|COLLATION|ACCESS\s+METHOD|EVENT\s+TRIGGER|DIRECTORY|PROFILE)\b",
        "a server object: not part of the data's design",
    ),
    (
        r"ALTER\s+(TABLE|TYPE|DOMAIN|INDEX|SCHEMA)\b.*\bOWNER\s+TO\b",
        "ownership: who owns an object is not part of its design",
    ),
    (r"ALTER\s+(TYPE|DOMAIN|INDEX)\b", "a change of a type, domain or index the importer keeps"),
    (
        r"ALTER\s+TABLE\b.*\b(ENABLE|DISABLE|FORCE|NO\s+FORCE)\s+(ROW\s+LEVEL|TRIGGER|RULE|KEYS)\b",
        "row security, triggers or key checks: not part of the data's design",
    ),
    (
        r"ALTER\s+TABLE\b.*\bCLUSTER\s+ON\b|ALTER\s+TABLE\b.*\bREPLICA\s+IDENTITY\b",
        "a storage setting",
    ),
    (
        r"(BEGIN|COMMIT|END|ROLLBACK|START\s+TRANSACTION|SAVEPOINT|RELEASE)\b",
        "transaction control",
    ),
    (r"(LOCK|UNLOCK)\s+TABLES?\b", "locking while the dump ran"),
    # SQL Server's descriptions (sp_addextendedproperty 'MS_Description') are comments, read.
    (
        r"EXEC(UTE)?\b(?!\s+(\[?sys\]?\.)?\[?sp_addextendedproperty\b)|CALL\b|DO\b",
        "a procedure call: code, not schema",
    ),
    (r"(IF|DECLARE|WHILE|RAISERROR|THROW|GOTO)\b", "a script's control flow"),
    (r"PRAGMA\b", "a SQLite setting"),
    (
        r"(ANALYZE|VACUUM|CHECKPOINT|CLUSTER|REINDEX|OPTIMIZE|FLUSH|NOTIFY|LISTEN)\b",
        "maintenance",
    ),
    (r"SECURITY\s+LABEL\b", "a security label"),
    (
        r"COMMENT\s+ON\s+(?!TABLE\b|COLUMN\b)",
        "a comment on something other than a table or column",
    ),
    (r"DROP\s+(?!TABLE\b)", "drops something other than a table"),
)
_SKIPPED = tuple((re.compile(pattern, re.IGNORECASE | re.DOTALL), why) for pattern, why in SKIPPED)
_EXECUTABLE_COMMENT = re.compile(r"^/\*!\d*\s*(.*?)\s*\*/$", re.DOTALL)


def skip_reason(text: str) -> str | None:
    """Why the statement is not schema, or None when it may be."""
    for pattern, why in _SKIPPED:
        if pattern.match(text):
            return why
    return None


def unwrap(text: str) -> str:
    """A MySQL executable comment `/*!40101 SET NAMES utf8 */` as the statement it holds.

    >>> unwrap("/*!40101 SET NAMES utf8mb4 */")
    'SET NAMES utf8mb4'
    """
    match = _EXECUTABLE_COMMENT.match(text)
    return match.group(1) if match else text


def what(text: str) -> str:
    """The statement's kind as a report names it: its leading keywords.

    >>> what("create or replace function f() ..."), what("SET x = 1"), what("\\\\restrict abc")
    ('CREATE FUNCTION', 'SET', '\\\\restrict')
    """
    if text.startswith("\\"):
        return text.split()[0]
    words = [word.upper() for word in re.findall(r"[A-Za-z_]+", text[:200])]
    found = [word for word in words[:6] if word not in _NOISE][:3]
    kind = found[:1]
    for word in found[1:]:
        if word not in _SECOND:
            break
        kind.append(word)
    return " ".join(kind)


_NOISE = {"OR", "REPLACE", "ONLY", "UNIQUE", "TEMP", "TEMPORARY", "MATERIALIZED", "GLOBAL"}
_SECOND = {
    "TABLE",
    "INDEX",
    "VIEW",
    "FUNCTION",
    "PROCEDURE",
    "TRIGGER",
    "SEQUENCE",
    "TYPE",
    "DOMAIN",
    "SCHEMA",
    "DATABASE",
    "EXTENSION",
    "AGGREGATE",
    "INTO",
    "ON",
    "COLUMN",
    "TABLES",
    "FROM",
    "ROLE",
    "USER",
    "POLICY",
    "RULE",
    "EVENT",
    "OPERATOR",
    "TRANSACTION",
    "KEY",
}
