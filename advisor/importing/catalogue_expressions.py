"""The expressions PostgreSQL deparses (defaults, CHECKs, partial indexes' predicates,
partition bounds), read into what the model can hold, or `None` when it cannot hold them.

PostgreSQL prints them with pg_get_expr and pg_get_constraintdef; sqlglot parses that text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlglot
from sqlglot import exp

from advisor.requirements.model import Scalar
from advisor.schema.model import NUMERIC_KINDS, Check

NOW_FUNCTIONS = ("now", "statement_timestamp", "transaction_timestamp", "clock_timestamp")
INTEGER_KINDS = ("integer", "bigint")


def _parse(text: str) -> exp.Expression | None:
    try:
        parsed = sqlglot.parse_one(text, read="postgres")
    except sqlglot.errors.SqlglotError:
        return None
    return parsed if isinstance(parsed, exp.Expression) else None


def _bare(expression: exp.Expression) -> exp.Expression:
    while isinstance(expression, exp.Paren | exp.Cast):
        expression = expression.this
    return expression


def literal(expression: exp.Expression, kind: str) -> Scalar | None:
    """A constant as the column's kind holds it: `'-1'::integer` is the number -1.

    >>> literal(sqlglot.parse_one("'-1'::integer", read="postgres"), "integer")
    -1
    >>> literal(sqlglot.parse_one("'G'::mpaa_rating", read="postgres"), "enum")
    'G'
    """
    value = _bare(expression)
    negative = isinstance(value, exp.Neg)
    if negative:
        value = _bare(value.this)
    if isinstance(value, exp.Boolean):
        return bool(value.this)
    if not isinstance(value, exp.Literal):
        return None
    text = str(value.this)
    if kind == "boolean":
        return {"true": True, "false": False, "t": True, "f": False}.get(text.lower())
    if kind in NUMERIC_KINDS:
        try:
            number = float(text)
        except ValueError:
            return None
        number = -number if negative else number
        return int(number) if kind in INTEGER_KINDS and number.is_integer() else number
    return None if negative else text


@dataclass(frozen=True)
class Default:
    value: Scalar | None = None
    now: bool = False
    sequence: bool = False  # nextval(): a serial column
    kept: bool = True  # False: an expression the model cannot hold


def default(text: str, kind: str) -> Default:
    """A column's DEFAULT as the model keeps it.

    >>> default("nextval('film_film_id_seq'::regclass)", "integer")
    Default(value=None, now=False, sequence=True, kept=True)
    >>> default("now()", "datetime").now, default("CURRENT_TIMESTAMP", "datetime").now
    (True, True)
    >>> default("'draft'::character varying", "string").value
    'draft'
    >>> default("gen_random_uuid()", "uuid").kept
    False
    """
    parsed = _parse(text)
    if parsed is None:
        return Default(kept=False)
    bare = _bare(parsed)
    if isinstance(bare, exp.CurrentTimestamp):
        return Default(now=True)
    if isinstance(bare, exp.Anonymous | exp.Func):
        name = bare.name.lower() if isinstance(bare, exp.Anonymous) else bare.sql_name().lower()
        if name == "nextval":
            return Default(sequence=True)
        if name in NOW_FUNCTIONS or isinstance(bare, exp.CurrentTimestamp):
            return Default(now=True)
    value = literal(parsed, kind)
    return Default(value=value) if value is not None else Default(kept=False)


def check(name: str, column: str, kind: str, definition: str) -> Check | None:
    """A one-column CHECK as the model's `Check`: a list of values, or a range. Strict bounds
    of whole numbers become inclusive ones (`> 0` is `>= 1`); anything else is `None`.

    >>> check("ck", "rating", "string",
    ...       "CHECK ((rating = ANY (ARRAY['G'::text, 'PG'::text])))")
    Check(name='ck', column='rating', kind='in', values=('G', 'PG'), min=None, max=None)
    >>> check("ck", "score", "integer", "CHECK (((score > 0) AND (score <= 100)))")
    Check(name='ck', column='score', kind='range', values=(), min=1.0, max=100.0)
    >>> check("ck", "price", "decimal", "CHECK ((price > (0)::numeric))") is None
    True
    """
    body = definition.removesuffix(" NOT VALID")
    if not body.startswith("CHECK "):
        return None
    parsed = _parse(body.removeprefix("CHECK "))
    if parsed is None:
        return None
    bare = _bare(parsed)
    values = _values(bare, column, kind)
    if values is not None:
        return Check(name, column, "in", values)
    bounds = _bounds(bare, column, kind)
    if bounds is None or bounds == (None, None):
        return None
    return Check(name, column, "range", min=bounds[0], max=bounds[1])


def _is_column(expression: exp.Expression, column: str) -> bool:
    bare = _bare(expression)
    return isinstance(bare, exp.Column) and bare.name == column


def _values(expression: exp.Expression, column: str, kind: str) -> tuple[Scalar, ...] | None:
    if isinstance(expression, exp.In) and _is_column(expression.this, column):
        items = expression.expressions
    elif (
        isinstance(expression, exp.EQ)
        and _is_column(expression.this, column)
        and isinstance(expression.expression, exp.Any)
    ):
        array = _bare(expression.expression.this)
        if not isinstance(array, exp.Array):
            return None
        items = array.expressions
    else:
        return None
    values = [literal(item, kind if kind in NUMERIC_KINDS else "string") for item in items]
    if any(value is None for value in values):
        return None
    return tuple(value for value in values if value is not None)


def _bounds(
    expression: exp.Expression, column: str, kind: str
) -> tuple[float | None, float | None] | None:
    if kind not in NUMERIC_KINDS:
        return None
    if isinstance(expression, exp.And):
        left = _bounds(_bare(expression.this), column, kind)
        right = _bounds(_bare(expression.expression), column, kind)
        if left is None or right is None:
            return None
        low = [bound for bound in (left[0], right[0]) if bound is not None]
        high = [bound for bound in (left[1], right[1]) if bound is not None]
        return (max(low) if low else None, min(high) if high else None)
    if isinstance(expression, exp.Between) and _is_column(expression.this, column):
        least, most = (literal(expression.args[side], kind) for side in ("low", "high"))
        if isinstance(least, int | float) and isinstance(most, int | float):
            return (float(least), float(most))
        return None
    flipped = {"gte": "lte", "gt": "lt", "lte": "gte", "lt": "gt"}
    operator = expression.key
    if operator not in flipped:
        return None
    this, other = expression.this, expression.expression
    if _is_column(other, column):  # 0 <= x is x >= 0
        this, other = other, this
        operator = flipped[operator]
    if not _is_column(this, column):
        return None
    value = literal(other, kind)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    strict = operator in ("gt", "lt")
    if strict and not (kind in INTEGER_KINDS and float(value).is_integer()):
        return None
    if operator in ("gte", "gt"):
        return (float(value) + (1 if strict else 0), None)
    return (None, float(value) - (1 if strict else 0))


def equalities(predicate: str, kinds: dict[str, str]) -> tuple[tuple[str, Scalar], ...] | None:
    """A partial index's WHERE as `column = constant` conditions joined by AND, or `None`.

    >>> equalities("((status)::text = 'open'::text)", {"status": "string"})
    (('status', 'open'),)
    >>> equalities("(deleted_at IS NULL)", {"deleted_at": "datetime"}) is None
    True
    """
    parsed = _parse(predicate)
    if parsed is None:
        return None
    conditions: list[tuple[str, Scalar]] = []
    pending = [_bare(parsed)]
    while pending:
        node = pending.pop()
        if isinstance(node, exp.And):
            pending += [_bare(node.expression), _bare(node.this)]
            continue
        if not isinstance(node, exp.EQ):
            return None
        column = _bare(node.this)
        if not isinstance(column, exp.Column) or column.name not in kinds:
            return None
        value = literal(node.expression, kinds[column.name])
        if value is None:
            return None
        conditions.append((column.name, value))
    return tuple(conditions)


_BOUND = re.compile(r"FOR VALUES FROM \((.+)\) TO \((.+)\)")


def range_bound(bound: str) -> tuple[str | None, str | None] | None:
    """The (start, end) of a range partition as ISO text: a date when the bound is a midnight,
    `None` for MINVALUE/MAXVALUE and for the DEFAULT partition; `None` for a list or hash one.

    >>> range_bound("FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00')")
    ('2022-01-01', '2022-02-01')
    >>> range_bound("FOR VALUES FROM ('2022-01-01 06:00:00') TO (MAXVALUE)")
    ('2022-01-01 06:00:00', None)
    >>> range_bound("DEFAULT")
    (None, None)
    """
    if bound == "DEFAULT":
        return (None, None)
    match = _BOUND.fullmatch(bound)
    if match is None:
        return None
    return (_moment(match.group(1)), _moment(match.group(2)))


def _moment(text: str) -> str | None:
    text = text.strip().strip("'")
    if text in ("MINVALUE", "MAXVALUE"):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    moment = moment.replace(tzinfo=None)
    if moment.time() == datetime.min.time():
        return moment.date().isoformat()
    return moment.isoformat(sep=" ")


def interval(bounds: list[tuple[str, str]]) -> str:
    """The span every range partition covers: hour, day, week, month or year; `irregular`
    when they differ or are none of these.

    >>> interval([("2022-01-01", "2022-02-01"), ("2022-02-01", "2022-03-01")])
    'month'
    >>> interval([("2022-01-01", "2022-01-02"), ("2022-01-02", "2022-01-09")])
    'irregular'
    """
    spans = {
        _span(datetime.fromisoformat(start), datetime.fromisoformat(end)) for start, end in bounds
    }
    return spans.pop() if len(spans) == 1 else "irregular"


def _span(start: datetime, end: datetime) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month
    if start.day == end.day == 1 and start.time() == end.time() == datetime.min.time():
        if months == 1:
            return "month"
        if months == 12 and start.month == 1:
            return "year"
    by_length = {timedelta(hours=1): "hour", timedelta(days=1): "day", timedelta(weeks=1): "week"}
    return by_length.get(end - start, "irregular")


def lowered(expression: str) -> str | None:
    """The column of an index expression `lower(column)`, else `None`.

    >>> lowered("lower(email::text)"), lowered("upper(email)")
    ('email', None)
    """
    parsed = _parse(expression)
    if not isinstance(parsed, exp.Lower):
        return None
    column = _bare(parsed.this)
    return column.name if isinstance(column, exp.Column) else None


def columns_in(expression: str) -> tuple[str, ...]:
    """The columns an index expression names, in order, once each.

    >>> columns_in("to_tsvector('english'::regconfig, (title || ' '::text) || description)")
    ('title', 'description')
    """
    parsed = _parse(expression)
    if parsed is None:
        return ()
    return tuple(dict.fromkeys(column.name for column in parsed.find_all(exp.Column, bfs=False)))
