"""PostgreSQL's types as the model's column kinds, keeping the type as the database spells it.

Types: https://www.postgresql.org/docs/15/datatype.html. A domain is read as its base type
(its name stays in `original`); an array as `json` (a list of values); a type with no kind of
its own (tsvector, inet, interval, range types...) as `text`, and the import report says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.schema.model import ColumnType

# pg_type.typname -> the model's kind.
KINDS = {
    "int2": "integer",
    "int4": "integer",
    "int8": "bigint",
    "numeric": "decimal",
    "money": "decimal",
    "float4": "float",
    "float8": "float",
    "bool": "boolean",
    "varchar": "string",
    "bpchar": "string",
    "name": "string",
    "text": "text",
    "citext": "text",
    "date": "date",
    "timestamptz": "datetime",
    "timestamp": "timestamp",
    "time": "time",
    "timetz": "time",
    "uuid": "uuid",
    "json": "json",
    "jsonb": "json",
    "bytea": "binary",
    "point": "point",  # the geometric point of PostgreSQL itself
    "vector": "vector",  # pgvector
}
NAME_LENGTH = 63  # NAMEDATALEN - 1: https://www.postgresql.org/docs/15/datatype-character.html
# PostGIS: a geometry or geography is a point only when its type modifier says so.
POSTGIS_TYPES = ("geometry", "geography")
# A varchar(n), char(n) or numeric(p, s) stores n + 4 (VARHDRSZ) in atttypmod.
VARHDRSZ = 4


@dataclass(frozen=True)
class CatalogueType:
    """What the catalogue says of one column's type (a domain already resolved to its base)."""

    name: str  # pg_type.typname of the base type
    category: str  # pg_type.typcategory: A for arrays, E for enums...
    modifier: int  # atttypmod, or the domain's typtypmod; -1 when none
    original: str  # format_type() of the column's own type (the domain's name for a domain)
    enum_type: str | None = None  # the enum's name as the model names it
    enum_values: tuple[str, ...] = ()


def column_type(found: CatalogueType) -> tuple[ColumnType, bool]:
    """The model's type for a column, and whether the kind carries what the type means.

    >>> kind, kept = column_type(CatalogueType("varchar", "S", 44, "character varying(40)"))
    >>> kind.kind, kind.length, kind.original, kept
    ('string', 40, 'character varying(40)', True)
    >>> column_type(CatalogueType("numeric", "N", (10 << 16 | 2) + 4, "numeric(10,2)"))[0].scale
    2
    >>> kind, kept = column_type(CatalogueType("tsvector", "U", -1, "tsvector"))
    >>> kind.kind, kept
    ('text', False)
    >>> column_type(CatalogueType("_text", "A", -1, "text[]"))[0].kind
    'json'
    """
    original = found.original
    if found.enum_type is not None:
        return ColumnType(
            "enum", values=found.enum_values, enum_type=found.enum_type, original=original
        ), True
    if found.category == "A":
        return ColumnType("json", original=original), True
    if found.name in POSTGIS_TYPES:
        is_point = "point" in original.lower().replace("multipoint", "")
        return ColumnType("point" if is_point else "text", original=original), is_point
    kind = KINDS.get(found.name)
    if kind is None:
        return ColumnType("text", original=original), False
    modifier = found.modifier
    if found.name in ("varchar", "bpchar"):
        length = modifier - VARHDRSZ if modifier >= VARHDRSZ else None
        return ColumnType(kind, length=length, original=original), True
    if found.name == "name":
        return ColumnType(kind, length=NAME_LENGTH, original=original), True
    if found.name == "numeric" and modifier >= VARHDRSZ:
        packed = modifier - VARHDRSZ
        return ColumnType(
            kind, precision=packed >> 16, scale=packed & 0xFFFF, original=original
        ), True
    if found.name == "vector":
        return ColumnType(
            kind, dimensions=modifier if modifier > 0 else None, original=original
        ), True
    return ColumnType(kind, original=original), True
