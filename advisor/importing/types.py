"""Column types of imported SQL as the model's kinds, the spelling of the source kept.

A type the table does not know is never a rejection: it keeps its spelling in `original` and
takes the kind that stores it without loss (`text` for `tsvector`, `xml`, `inet`...).

>>> import sqlglot
>>> def kind(sql, dialect="postgres"):
...     built = sqlglot.exp.DataType.build(sql, dialect=dialect, udt=True)
...     return column_type(built, sql, "postgresql")
>>> kind("MONEY")
ColumnType(kind='decimal', length=None, precision=19, scale=4, values=(), enum_type=None, \
dimensions=None, original='MONEY')
>>> kind("varchar(40)").length, kind("tsvector").kind, kind("public.vector(20)").dimensions
(40, 'text', 20)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from sqlglot import exp

from advisor.schema.model import ColumnType

T = exp.DType

# sqlglot's type -> the model's kind. Sources: each engine's documentation of its types.
KINDS: Mapping[exp.DType, str] = {
    **dict.fromkeys(
        (T.INT, T.UINT, T.SMALLINT, T.USMALLINT, T.TINYINT, T.UTINYINT, T.MEDIUMINT),
        "integer",
    ),
    **dict.fromkeys((T.UMEDIUMINT, T.SERIAL, T.SMALLSERIAL, T.YEAR), "integer"),
    **dict.fromkeys((T.BIGINT, T.UBIGINT, T.BIGSERIAL, T.INT128, T.INT256), "bigint"),
    **dict.fromkeys((T.DECIMAL, T.UDECIMAL, T.BIGDECIMAL, T.SMALLMONEY), "decimal"),
    **dict.fromkeys((T.FLOAT, T.DOUBLE, T.UDOUBLE), "float"),
    **dict.fromkeys((T.BOOLEAN,), "boolean"),
    **dict.fromkeys((T.CHAR, T.NCHAR, T.VARCHAR, T.NVARCHAR, T.NAME), "string"),
    **dict.fromkeys((T.TEXT, T.MEDIUMTEXT, T.LONGTEXT, T.TINYTEXT, T.XML), "text"),
    **dict.fromkeys((T.INET, T.INTERVAL, T.BPCHAR), "string"),
    **dict.fromkeys((T.DATE, T.DATE32), "date"),
    **dict.fromkeys((T.DATETIME, T.DATETIME2, T.SMALLDATETIME, T.TIMESTAMP), "timestamp"),
    **dict.fromkeys((T.TIMESTAMPNTZ, T.DATETIME64, T.TIMESTAMP_S, T.TIMESTAMP_MS), "timestamp"),
    **dict.fromkeys((T.TIMESTAMPTZ, T.TIMESTAMPLTZ), "datetime"),
    **dict.fromkeys((T.TIME, T.TIMETZ), "time"),
    **dict.fromkeys((T.UUID,), "uuid"),
    **dict.fromkeys((T.JSON, T.JSONB, T.ARRAY, T.MAP, T.STRUCT, T.HSTORE), "json"),
    **dict.fromkeys((T.VARBINARY, T.BINARY, T.BLOB, T.LONGBLOB, T.MEDIUMBLOB), "binary"),
    **dict.fromkeys((T.TINYBLOB, T.IMAGE, T.BIT), "binary"),
    **dict.fromkeys((T.GEOGRAPHY, T.GEOMETRY, T.POINT), "point"),
    **dict.fromkeys((T.ENUM, T.ENUM8, T.ENUM16), "enum"),
    **dict.fromkeys((T.VECTOR,), "vector"),
}
# Types sqlglot does not know, by their name without a schema, lower case.
NAMED_KINDS: Mapping[str, str] = {
    "tsvector": "text",
    "tsquery": "text",
    "citext": "text",
    "vector": "vector",
    "halfvec": "vector",
    "raw": "binary",
    "long": "text",
    "nclob": "text",
    "ntext": "text",
    "geography": "point",
    "geometry": "point",
    "cidr": "string",
    "macaddr": "string",
}
UNKNOWN_KIND = "text"  # stores any value's text
MONEY = ColumnType("decimal", precision=19, scale=4)  # the range of PostgreSQL's and T-SQL's


def column_type(
    data_type: exp.DataType | None,
    spelled: str,
    dialect: str,
    *,
    enums: Mapping[str, ColumnType] | None = None,
    domains: Mapping[str, ColumnType] | None = None,
) -> ColumnType:
    """The model's type of a column declared `data_type` (spelled `spelled` in the source).

    `enums` and `domains` map lower-case names (without schema) to the type they stand for.
    """
    original = spelled.strip()
    if data_type is None:  # SQLite lets a column have no type
        return ColumnType(UNKNOWN_KIND, original=original)
    found = _kind(data_type, dialect, enums or {}, domains or {})
    return replace(found, original=original or data_type.sql())


def _kind(
    data_type: exp.DataType,
    dialect: str,
    enums: Mapping[str, ColumnType],
    domains: Mapping[str, ColumnType],
) -> ColumnType:
    this = data_type.this
    numbers = _numbers(data_type)
    if this == T.USERDEFINED:
        name = _plain_name(data_type)
        for named in (enums, domains):
            if name in named:
                return named[name]
        kind = NAMED_KINDS.get(name, UNKNOWN_KIND)
        numbers = numbers or [int(n) for n in re.findall(r"\((\d+)\)", data_type.sql())]
        if kind == "vector":
            return ColumnType("vector", dimensions=numbers[0] if numbers else None)
        return ColumnType(kind)
    if this == T.MONEY:
        return MONEY
    if this == T.TINYINT and dialect == "mysql" and numbers == [1]:
        return ColumnType("boolean")  # MySQL's BOOL is TINYINT(1)
    if this == T.BIT and (not numbers or numbers == [1]):
        return ColumnType("boolean")
    if this == T.TIMESTAMPTZ and dialect == "mysql":
        return ColumnType("datetime")  # a TIMESTAMP of MySQL is an instant, stored in UTC
    kind = KINDS.get(this, UNKNOWN_KIND)
    if kind == "string":
        if _is_max(data_type):
            return ColumnType("text")
        return ColumnType("string", length=numbers[0] if numbers else None)
    if kind == "decimal":
        precision = numbers[0] if numbers else None
        scale = numbers[1] if len(numbers) > 1 else (0 if precision is not None else None)
        if dialect == "oracle" and precision is not None and scale == 0:
            return ColumnType("integer" if precision <= 9 else "bigint")  # NUMBER(p)
        return ColumnType("decimal", precision=precision, scale=scale)
    if kind == "enum":
        values = tuple(
            value.name for value in data_type.expressions if isinstance(value, exp.Literal)
        )
        return ColumnType("enum", values=values)
    if kind == "vector":
        return ColumnType("vector", dimensions=numbers[-1] if numbers else None)
    return ColumnType(kind)


def _numbers(data_type: exp.DataType) -> list[int]:
    found = []
    for parameter in data_type.expressions:
        literal = parameter.this if isinstance(parameter, exp.DataTypeParam) else parameter
        if isinstance(literal, exp.Literal) and not literal.is_string:
            try:
                found.append(int(literal.name))
            except ValueError:
                continue
    return found


def _is_max(data_type: exp.DataType) -> bool:
    return any(parameter.name.upper() == "MAX" for parameter in data_type.expressions)


def _plain_name(data_type: exp.DataType) -> str:
    """The name of a user-defined type, without its schema and quotes, lower case."""
    kind = data_type.args.get("kind")
    if isinstance(kind, exp.Dot):
        kind = kind.expression
    if isinstance(kind, exp.Expression):
        return kind.name.lower()
    text = data_type.sql()
    return text.split("(")[0].rsplit(".", 1)[-1].strip('"`[] ').lower()
