"""SQL DDL of a logical `Schema`, built as sqlglot expressions for its dialect.

Every statement is a sqlglot expression rendered by sqlglot's generator for the dialect; the
capability table (`data/dialects.yaml`) decides which expression to build. Where sqlglot lacks
a construct or rewrites it, the renderer steps in, and says so at that place:

- a column type sqlglot would rename on the way out (SQLite `NUMERIC` becomes `REAL`, Oracle
  `RAW` does not parse as a type) is kept verbatim as a user-defined type;
- comments of the SQL text itself (what an index serves, retention policies) are `--` lines
  between statements, since sqlglot attaches comments only inside expressions;
- what keeps `updated_at` current on UPDATE (the dialect's `on_update`): sqlglot has no
  plpgsql, so the body of the PostgreSQL trigger function is text in a dollar-quoted string;
  it writes no SQLite trigger, so that one is put together from the condition and the UPDATE
  that sqlglot writes; it parses no trigger body back in T-SQL or Oracle, so those get a `--`
  line instead;
- parts that come back in table after table (column definitions, conditions, key and index
  columns) are written by the generator once per rendering and placed in each statement as
  text (`_Renderer.written`): building and writing them for every table took most of the time;
- the statements that come by the thousand in a large model (CREATE TABLE without
  properties, CREATE INDEX, foreign keys, COMMENT ON, CREATE TYPE of an enum) are put
  together from those texts and from names and strings the generator writes, rather than
  walked whole by the generator; a test holds each to what the generator writes for the
  whole statement.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache
from operator import attrgetter

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect as Dialect_
from sqlglot.generator import Generator

from advisor.engine import advise
from advisor.recommendation import Recommendation
from advisor.requirements.model import Requirements, Scalar
from advisor.schema.build import schema_for
from advisor.schema.dialects import Dialect, dialect
from advisor.schema.model import (
    Check,
    Column,
    ColumnType,
    EnumType,
    ForeignKey,
    Index,
    IndexColumn,
    Key,
    Schema,
    Table,
)
from advisor.schema.names import needs_quotes, physical_name

EMAIL_PATTERN = "^[^@ ]+@[^@ ]+[.][^@ ]+$"
ON_DELETE = {"cascade": "CASCADE", "set_null": "SET NULL"}


def _normal(text: str) -> str:
    return " ".join(text.upper().replace(", ", ",").split())


@cache
def _data_type(spelled: str, sqlglot_dialect: str) -> exp.DataType:
    """The type as the capability table spells it.

    Post-step: when sqlglot cannot parse the spelling or would write it differently, the type
    is kept verbatim (a user-defined type holding the text), so the table stays the authority.
    """
    try:
        built = exp.DataType.build(spelled, dialect=sqlglot_dialect)
    except Exception:  # sqlglot raises several error types for an unknown type name
        built = None
    if built is not None and _normal(built.sql(sqlglot_dialect)) == _normal(spelled):
        return built
    return exp.DataType(this=exp.DataType.Type.USERDEFINED, kind=exp.Var(this=spelled))


# Every field of a column type, in one tuple made by C code (see `column_written`).
_type_fields = attrgetter(*(field.name for field in dataclasses.fields(ColumnType)))


class _Renderer:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.dialect: Dialect = dialect(schema.dialect)
        sqlglot_dialect = Dialect_.get_or_raise(self.dialect.sqlglot)
        self.nulls_are_small = sqlglot_dialect.NULL_ORDERING == "nulls_are_small"
        self.generator = sqlglot_dialect.generator(pretty=True)
        self.flat_generator = sqlglot_dialect.generator(pretty=False)
        self.quoted: dict[str, bool] = {}
        self.texts: dict[tuple[object, ...], str] = {}  # see `written`
        self.middles: dict[tuple[object, ...], str] = {}  # see `column_written`
        self.namespaces = {t.name: t.namespace for t in schema.tables if t.namespace is not None}

    def written(
        self,
        key: tuple[object, ...],
        build: Callable[[], exp.Expression],
        generator: Generator | None = None,
    ) -> str:
        """What `build()` writes, built and written once per `key`, to stand in for it (as the
        text of a `Var`, which sqlglot writes as it is, or in a statement put together here).

        Column definitions, conditions and index columns come back in table after table; their
        text is the same each time. Values in a key go with their type: `1`, `1.0` and `True`
        are equal keys but are written differently.

        The text is written as inside a statement, by the generator of that statement (the
        pretty one unless given). Not with `generate`, which is for whole statements: it turns
        the placeholders for line breaks inside strings back into line breaks, which the
        statement's indentation would then shift.
        """
        text = self.texts.get(key)
        if text is None:
            generator = generator or self.generator
            text = self.texts[key] = generator.sql(generator.preprocess(build()))
        return text

    # Names and values

    def name(self, name: str) -> exp.Identifier:
        return exp.Identifier(this=name, quoted=self.quotes(name))

    def quotes(self, name: str) -> bool:
        quoted = self.quoted.get(name)
        if quoted is None:
            quoted = self.quoted[name] = needs_quotes(name, self.dialect)
        return quoted

    def table_ref(self, name: str, namespace: str | None = None) -> exp.Table:
        """A table (or an object in a table's schema), qualified by its named schema."""
        namespace = namespace or self.namespaces.get(name)
        if namespace is None:
            return exp.Table(this=self.name(name))
        return exp.Table(this=self.name(name), db=self.name(namespace))

    def create_schema(self, namespace: str) -> str:
        """CREATE SCHEMA, written once for a script that may run again. Post-step on SQL
        Server: CREATE SCHEMA must be alone in its batch, so it runs through EXEC."""
        name = self.flat_generator.generate(self.name(namespace))
        if self.dialect.family == "sqlserver":
            quoted = f"N'{namespace.replace(chr(39), chr(39) * 2)}'"
            create = f"N'CREATE SCHEMA {name.replace(chr(39), chr(39) * 2)}'"
            return f"IF SCHEMA_ID({quoted}) IS NULL EXEC({create});"
        return f"CREATE SCHEMA IF NOT EXISTS {name};"

    def column_ref(self, name: str) -> exp.Column:
        return exp.Column(this=self.name(name))

    def literal(self, value: Scalar) -> exp.Expression:
        if isinstance(value, bool):
            if self.dialect.boolean_literals == "true_false":
                return exp.Boolean(this=value)
            return exp.Literal.number(int(value))
        if isinstance(value, int | float):
            return exp.Literal.number(value)
        return exp.Literal.string(value)

    def now(self) -> exp.Expression:
        if self.dialect.now == "current_timestamp_6":
            return exp.CurrentTimestamp(this=exp.Literal.number(6))
        if self.dialect.now == "sysdatetimeoffset":
            return exp.CurrentTimestampLTZ()
        return exp.CurrentTimestamp()

    # Columns

    def column_type(self, table: Table, column: Column) -> exp.DataType:
        types = self.dialect.types
        kind = column.type
        if column.identity and self.dialect.identity == "rowid":
            # Only a column declared exactly INTEGER PRIMARY KEY becomes SQLite's rowid.
            return _data_type("INTEGER", self.dialect.sqlglot)
        if kind.kind == "enum" and kind.enum_type is not None:
            return exp.DataType(this=exp.DataType.Type.USERDEFINED, kind=self.name(kind.enum_type))
        if kind.kind == "enum" and self.dialect.enum == "inline":
            values = [exp.Literal.string(value) for value in kind.values]
            return exp.DataType(this=exp.DataType.Type.ENUM, expressions=values)
        if kind.kind == "enum":
            longest = max((len(value) for value in kind.values), default=1)
            spelled = types["string"].format(length=longest)
        elif kind.kind == "string":
            spelled = types[self.string_key(table, column)].format(length=kind.length)
        elif kind.kind == "decimal" and kind.precision is None:
            spelled = types["decimal_unbounded"]
        else:
            spelled = types[kind.kind].format(
                precision=kind.precision, scale=kind.scale or 0, dimensions=kind.dimensions
            )
        return _data_type(spelled, self.dialect.sqlglot)

    def string_key(self, table: Table, column: Column) -> str:
        length = column.type.length
        types = self.dialect.types
        if length is None:
            indexed = column.name in _keyed_columns(table)
            return (
                "string_indexed_unbounded"
                if indexed and "string_indexed_unbounded" in types
                else "string_unbounded"
            )
        limit = self.dialect.varchar_limit
        return "string_long" if limit is not None and length > limit else "string"

    def column_def(self, table: Table, column: Column) -> exp.ColumnDef:
        constraints: list[exp.Expression] = []
        if column.identity and self.dialect.identity == "generated":
            constraints.append(exp.GeneratedAsIdentityColumnConstraint(this=False))
        elif column.identity and self.dialect.identity == "identity":
            constraints.append(
                exp.GeneratedAsIdentityColumnConstraint(
                    this=False, start=exp.Literal.number(1), increment=exp.Literal.number(1)
                )
            )
        elif column.identity and self.dialect.identity == "auto_increment":
            constraints.append(exp.AutoIncrementColumnConstraint())
        if column.default_now:
            constraints.append(exp.DefaultColumnConstraint(this=self.now()))
        elif column.default is not None:
            constraints.append(exp.DefaultColumnConstraint(this=self.literal(column.default)))
        if column.on_update_now and self.dialect.on_update == "on_update":
            constraints.append(exp.OnUpdateColumnConstraint(this=self.now()))
        collation = self.dialect.case_insensitive_collation
        if column.case_insensitive and self.dialect.case_insensitive == "collate" and collation:
            constraints.append(exp.CollateColumnConstraint(this=exp.Var(this=collation)))
        if not column.nullable:
            constraints.append(exp.NotNullColumnConstraint())
        if column.comment and self.dialect.comments == "inline":
            constraints.append(exp.CommentColumnConstraint(this=exp.Literal.string(column.comment)))
        return exp.ColumnDef(
            this=self.name(column.name),
            kind=self.column_type(table, column),
            constraints=[exp.ColumnConstraint(kind=constraint) for constraint in constraints],
        )

    def column_text(self, table: Table, column: Column) -> exp.Var:
        """The column's definition; where the column comes from does not change it."""
        return exp.Var(this=self.column_written(table, column))

    def column_written(self, table: Table, column: Column) -> str:
        """The text `column_text` stands in with: what the generator wrote for the first column
        of the same shape, with this column's name, named type and inline comment put in.
        Columns differ mostly in those (a foreign key's comment names its target), and writing
        each one whole took most of the rendering's time."""
        kind = column.type
        string_key = self.string_key(table, column) if kind.kind == "string" else ""
        enum_type = kind.enum_type
        comment = column.comment if self.dialect.comments == "inline" else ""
        # The type's fields rather than the type: a tuple of them hashes without a call.
        shape = (
            "column",
            _type_fields(kind) if enum_type is None else "named",
            column.nullable,
            type(column.default),
            column.default,
            column.default_now,
            column.on_update_now,
            column.identity,
            bool(comment),
            string_key,
            column.case_insensitive,
        )
        head = self.identifier(column.name)
        if enum_type is not None:
            head = f"{head} {self.identifier(enum_type)}"
        tail = f" {self.comment_constraint(comment)}" if comment else ""
        middle = self.middles.get(shape)
        if middle is None:
            whole = self.written(
                (*shape, column.name, enum_type, comment), lambda: self.column_def(table, column)
            )
            fits = whole.startswith(head) and whole.endswith(tail)
            if not fits or len(whole) < len(head) + len(tail):
                return whole  # not seen yet: each such column is written whole
            middle = self.middles[shape] = whole[len(head) : len(whole) - len(tail)]
        return f"{head}{middle}{tail}"

    def comment_constraint(self, comment: str) -> str:
        """`COMMENT '...'` as the generator writes it in a column definition."""
        return self.written(
            ("comment", comment),
            lambda: exp.ColumnConstraint(
                kind=exp.CommentColumnConstraint(this=exp.Literal.string(comment))
            ),
        )

    # Constraints

    def check(self, check: Check) -> exp.Expression:
        column = self.column_ref(check.column)
        if check.kind == "in":
            return exp.In(this=column, expressions=[self.literal(v) for v in check.values])
        if check.kind == "email":
            pattern = exp.Literal.string(EMAIL_PATTERN)
            if self.dialect.regex == "tilde":
                return exp.RegexpILike(this=column, expression=pattern)
            if self.dialect.regex == "regexp_instr":
                # MariaDB has no REGEXP_LIKE, and sqlglot writes MySQL's REGEXP as REGEXP_LIKE.
                instr = exp.Anonymous(this="REGEXP_INSTR", expressions=[column, pattern])
                return exp.GT(this=instr, expression=exp.Literal.number(0))
            return exp.RegexpLike(this=column, expression=pattern)
        bounds: list[exp.Expression] = []
        if check.min is not None:
            bounds.append(exp.GTE(this=column.copy(), expression=self.number(check.min)))
        if check.max is not None:
            bounds.append(exp.LTE(this=column.copy(), expression=self.number(check.max)))
        return exp.and_(*bounds).assert_is(exp.Expression)

    def check_text(self, check: Check) -> exp.Var:
        """The `CHECK (...)` of `check`; bounds are written as numbers whatever their type."""
        return exp.Var(this=self.check_written(check))

    def check_written(self, check: Check) -> str:
        """The text `check_text` stands in with."""
        values = tuple((type(value), value) for value in check.values)
        key = ("check", check.column, check.kind, values, check.min, check.max)
        return self.written(key, lambda: exp.CheckColumnConstraint(this=self.check(check)))

    def number(self, value: float) -> exp.Expression:
        return exp.Literal.number(int(value) if float(value).is_integer() else value)

    def key(self, key: Key, *, primary: bool) -> exp.Constraint:
        return exp.Constraint(this=self.name(key.name), expressions=[self.key_text(key, primary)])

    def key_text(self, key: Key, primary: bool) -> exp.Var:
        return exp.Var(this=self.key_written(key, primary))

    def key_written(self, key: Key, primary: bool) -> str:
        return self.written(("key", primary, key.columns), lambda: self.key_body(key, primary))

    def key_body(self, key: Key, primary: bool) -> exp.Expression:
        columns = [self.name(column) for column in key.columns]
        if primary:
            return exp.PrimaryKey(expressions=columns)
        return exp.UniqueColumnConstraint(this=exp.Tuple(expressions=columns))

    def foreign_key(self, key: ForeignKey) -> exp.Constraint:
        reference = exp.Reference(
            this=self.table_ref(key.target),
            expressions=[self.name(column) for column in key.target_columns],
            options=self.on_delete(key),
        )
        body = exp.ForeignKey(
            expressions=[self.name(column) for column in key.columns], reference=reference
        )
        return exp.Constraint(this=self.name(key.name), expressions=[body])

    # Statements

    def create_table(self, table: Table) -> exp.Create:
        parts: list[exp.Expression] = [self.column_text(table, column) for column in table.columns]
        if table.primary_key is not None:
            parts.append(self.key(table.primary_key, primary=True))
        parts += [self.key(key, primary=False) for key in table.uniques]
        parts += [
            exp.Constraint(this=self.name(check.name), expressions=[self.check_text(check)])
            for check in table.checks
        ]
        if self.dialect.foreign_keys == "inline":
            parts += [self.foreign_key(key) for key in table.foreign_keys]
        properties: list[exp.Expression] = []
        if table.partitioning is not None:
            by = exp.Anonymous(
                this="RANGE", expressions=[self.column_ref(table.partitioning.column)]
            )
            properties.append(exp.PartitionedByProperty(this=by))
        if table.comment and self.dialect.comments == "inline":
            properties.append(exp.SchemaCommentProperty(this=exp.Literal.string(table.comment)))
        if table.row_ttl is not None and self.dialect.row_ttl is not None:
            properties.append(
                exp.Property(
                    this=exp.Var(this=self.dialect.row_ttl),
                    value=exp.Literal.string(self.expires_at(table)),
                )
            )
        return exp.Create(
            this=exp.Schema(this=self.table_ref(table.name), expressions=parts),
            kind="TABLE",
            properties=exp.Properties(expressions=properties) if properties else None,
        )

    def create_table_text(self, table: Table) -> str | None:
        """`create_table(table)` as the generator writes it, put together from the texts of
        its parts (columns, keys, checks, inline foreign keys), which the generator writes as
        ever; None for a table with properties (partitions, a row TTL, an inline comment),
        left to the generator whole. Writing each statement from its expression took most of
        the rendering's time; a test holds the two to the same bytes."""
        if table.partitioning is not None or table.row_ttl is not None:
            return None
        if table.comment and self.dialect.comments == "inline":
            return None
        parts = [self.column_written(table, column) for column in table.columns]
        keys = [(key, True) for key in (table.primary_key,) if key is not None]
        keys += [(key, False) for key in table.uniques]
        for key, primary in keys:
            body = self.key_written(key, primary)
            parts.append(f"CONSTRAINT {self.identifier(key.name)} {body}")
        for check in table.checks:
            parts.append(f"CONSTRAINT {self.identifier(check.name)} {self.check_written(check)}")
        if self.dialect.foreign_keys == "inline":
            parts += [self.foreign_key_text(key) for key in table.foreign_keys]
        if "\n" in "".join(parts):
            return None  # the generator would indent the lines of a multi-line part
        columns = ",\n  ".join(parts)
        return f"CREATE TABLE {self.identifier(table.name, table=True)} (\n  {columns}\n)"

    def create_enum(self, enum: EnumType) -> exp.Create:
        values = [exp.Literal.string(value) for value in enum.values]
        return exp.Create(
            this=self.table_ref(enum.name),
            kind="TYPE",
            expression=exp.DataType(this=exp.DataType.Type.ENUM, expressions=values),
        )

    def create_enum_text(self, enum: EnumType) -> str | None:
        """`create_enum(enum)` as the generator writes it, put together from the texts of its
        name and values like `create_table_text` (a large schema has an enum per table or
        more); None for an enum of no values, left to the generator."""
        if not enum.values:
            return None
        values = ", ".join(self.string(value) for value in enum.values)
        return f"CREATE TYPE {self.identifier(enum.name, table=True)} AS ENUM ({values})"

    def identifier(self, name: str, *, table: bool = False) -> str:
        """A name (a table's with its named schema) as the generator writes it."""
        namespace = self.namespaces.get(name) if table else None
        if namespace is None and not self.quotes(name):
            return name  # a plain word is written as it is
        key = ("table" if table else "name", name)
        written = self.texts.get(key)
        if written is None:
            node = self.table_ref(name) if table else self.name(name)
            written = self.texts[key] = self.flat_generator.generate(node)
        return written

    def expires_at(self, table: Table) -> str:
        """When a row expires: its time column plus the retention, as a TIMESTAMPTZ expression
        (CockroachDB's `ttl_expiration_expression` must be one)."""
        assert table.row_ttl is not None
        column = table.column(table.row_ttl.column)
        assert column is not None
        time: exp.Expression = self.column_ref(column.name)
        if column.type.kind != "datetime":
            time = exp.Cast(this=time, to=exp.DataType.build("TIMESTAMPTZ", dialect="postgres"))
        after = exp.Interval(this=exp.Literal.string(f"{table.row_ttl.days} days"))
        return self.flat_generator.generate(exp.Paren(this=exp.Add(this=time, expression=after)))

    def partitions(self, table: Table) -> list[exp.Create]:
        assert table.partitioning is not None
        statements = []
        for partition in table.partitioning.partitions:
            bound: exp.Expression
            if partition.start is None or partition.end is None:
                bound = exp.Var(this="DEFAULT")
            else:
                bound = exp.PartitionBoundSpec(
                    from_expressions=[exp.Literal.string(partition.start)],
                    to_expressions=[exp.Literal.string(partition.end)],
                )
            of = exp.PartitionedOfProperty(this=self.table_ref(table.name), expression=bound)
            statements.append(
                exp.Create(
                    this=self.table_ref(partition.name, table.namespace),
                    kind="TABLE",
                    properties=exp.Properties(expressions=[of]),
                )
            )
        return statements

    def comments(self, table: Table) -> list[str]:
        """COMMENT ON the table and its columns, where comments are statements. Put together
        from the texts of the names and of the string, which the generator writes; a test
        holds them to what it writes for the whole `exp.Comment`."""
        if self.dialect.comments != "comment_on":
            return []
        statements = []
        if table.comment:
            target = self.identifier(table.name, table=True)
            statements.append(f"COMMENT ON TABLE {target} IS {self.string(table.comment)}")
        for column in table.columns:
            if column.comment:
                parts = (table.namespace, table.name, column.name)
                target = ".".join(self.identifier(part) for part in parts if part)
                statements.append(f"COMMENT ON COLUMN {target} IS {self.string(column.comment)}")
        return statements

    def index_comment(self, table: Table, index: Index, served: str) -> str:
        """COMMENT ON INDEX, put together as `comments` are."""
        parts = (table.namespace, index.name)
        target = ".".join(self.identifier(part) for part in parts if part)
        return f"COMMENT ON INDEX {target} IS {self.string(served)}"

    def string(self, value: str) -> str:
        literal = exp.Literal.string
        return self.written(("string", value), lambda: literal(value), self.flat_generator)

    def spatial_index(self, table: Table, index: Index) -> list[exp.Expression]:
        """The spatial index where it is not a plain CREATE INDEX ... USING (MySQL, SQL Server,
        Oracle); empty for PostgreSQL's GiST, which `index` writes.

        Post-step: sqlglot parses no SQL Server CREATE SPATIAL INDEX and no Oracle INDEXTYPE,
        so those are put together from the names it writes.
        """
        kind = self.dialect.spatial_index
        column = self.column_ref(index.column_names[0])
        if kind == "spatial":
            spatial = exp.IndexColumnConstraint(
                this=self.name(index.name), expressions=[column], kind="SPATIAL"
            )
            return [
                exp.Alter(
                    this=self.table_ref(table.name),
                    kind="TABLE",
                    actions=[exp.AddConstraint(expressions=[spatial])],
                )
            ]
        write = self.flat_generator.generate
        target = f"{write(self.name(index.name))} ON {write(self.table_ref(table.name))}"
        if kind == "sqlserver":
            using = f"SPATIAL INDEX {target} ({write(column)}) USING GEOGRAPHY_AUTO_GRID"
            return [exp.Command(this="CREATE", expression=using)]
        if kind == "oracle":
            # The metadata row names the table and column as stored: upper case unless quoted.
            stored = [
                name if self.quotes(name) else name.upper()
                for name in (table.name, index.column_names[0])
            ]
            dimensions = ", ".join(
                f"SDO_DIM_ELEMENT('{axis}', -{bound}, {bound}, 0.05)"
                for axis, bound in (("Longitude", 180), ("Latitude", 90))
            )
            metadata = (
                "INTO USER_SDO_GEOM_METADATA (TABLE_NAME, COLUMN_NAME, DIMINFO, SRID) VALUES "
                f"('{stored[0]}', '{stored[1]}', SDO_DIM_ARRAY({dimensions}), 4326)"
            )
            indextype = f"INDEX {target} ({write(column)}) INDEXTYPE IS MDSYS.SPATIAL_INDEX_V2"
            return [
                exp.Command(this="INSERT", expression=metadata),
                exp.Command(this="CREATE", expression=indextype),
            ]
        return []

    def index(self, table: Table, index: Index) -> exp.Expression:
        if index.kind == "full_text" and self.dialect.full_text == "fulltext":
            fulltext = exp.IndexColumnConstraint(
                this=self.name(index.name),
                expressions=[self.column_ref(column) for column in index.column_names],
                kind="FULLTEXT",
            )
            return exp.Alter(
                this=self.table_ref(table.name),
                kind="TABLE",
                actions=[exp.AddConstraint(expressions=[fulltext])],
            )
        return exp.Create(
            this=exp.Index(
                this=self.name(index.name),
                table=self.table_ref(table.name),
                params=exp.Var(this=self.index_parameters_text(table, index)),
            ),
            kind="INDEX",
            unique=index.unique,
        )

    def index_text(self, table: Table, index: Index) -> str | None:
        """`index(table, index)` as the generator writes it, put together from the texts of
        its parts like `create_table_text`; None for MySQL's FULLTEXT (an ALTER TABLE)."""
        if index.kind == "full_text" and self.dialect.full_text == "fulltext":
            return None
        unique = "UNIQUE " if index.unique else ""
        target = self.identifier(table.name, table=True)
        params = self.index_parameters_text(table, index)
        return f"CREATE {unique}INDEX {self.identifier(index.name)} ON {target}{params}"

    def index_parameters_text(self, table: Table, index: Index) -> str:
        where = tuple((column, type(value), value) for column, value in index.where)
        lowered = _lowered(table, index)
        key = ("index", index.kind, index.columns, index.include, where, self.ranged(index))
        return self.written(
            (*key, lowered), lambda: self.index_parameters(index, lowered), self.flat_generator
        )

    def index_parameters(
        self, index: Index, lowered: frozenset[str] = frozenset()
    ) -> exp.IndexParameters:
        using = None
        if index.kind == "full_text":
            using = exp.Var(this="GIN")
            columns = [exp.Ordered(this=self.tsvector(index.column_names))]
        elif index.kind in ("spatial", "vector"):
            # GiST on a PostGIS geography; HNSW by cosine distance on a pgvector vector.
            using = exp.Var(this="GIST" if index.kind == "spatial" else "hnsw")
            columns = [self.ordered(column) for column in index.columns]
            if index.kind == "vector":
                opclass = exp.Var(this="vector_cosine_ops")
                columns[0].set("this", exp.Opclass(this=columns[0].this, expression=opclass))
        else:
            columns = [self.ordered(column) for column in index.columns]
            for ordered in columns:
                if ordered.this.name in lowered:  # unique_lower: the key over lower(column)
                    ordered.set("this", exp.Lower(this=ordered.this))
            if self.ranged(index):
                columns[0].set("desc", bool(columns[0].args.get("desc")))
        where = None
        if index.where:
            conditions = [
                exp.EQ(this=self.column_ref(column), expression=self.literal(value))
                for column, value in index.where
            ]
            where = exp.Where(this=exp.and_(*conditions))
        include = [self.name(column) for column in index.include] or None
        return exp.IndexParameters(using=using, columns=columns, include=include, where=where)

    def ranged(self, index: Index) -> bool:
        """Whether the index's first column must be range-sharded: where keys are hash-sharded
        unless an order is written (YugabyteDB), an index read by a range from its first column
        on spells ASC or DESC out."""
        return (
            self.dialect.hash_sharded_keys and index.kind == "btree" and index.equality_columns == 0
        )

    def ordered(self, column: IndexColumn) -> exp.Ordered:
        # NULLs sort where the dialect puts them anyway, so that sqlglot adds no NULLS clause.
        descending = column.descending and self.dialect.descending_index
        return exp.Ordered(
            this=self.column_ref(column.name),
            desc=True if descending else None,
            nulls_first=self.nulls_are_small != descending,
        )

    def tsvector(self, columns: Iterable[str]) -> exp.Expression:
        """`to_tsvector('simple', a || ' ' || b)` over the columns, NULLs read as empty text."""
        text: exp.Expression | None = None
        for column in columns:
            part = exp.Coalesce(this=self.column_ref(column), expressions=[exp.Literal.string("")])
            text = (
                part
                if text is None
                else exp.DPipe(
                    this=exp.DPipe(this=text, expression=exp.Literal.string(" ")), expression=part
                )
            )
        assert text is not None
        return exp.Anonymous(this="to_tsvector", expressions=[exp.Literal.string("simple"), text])

    def on_delete(self, key: ForeignKey) -> list[str]:
        spelled = ON_DELETE.get(key.on_delete, self.dialect.on_delete_restrict)
        if key.set_null_columns:
            spelled = f"SET NULL ({self.column_list(key.set_null_columns)})"
        return [f"ON DELETE {spelled}"] if spelled is not None else []

    def foreign_key_text(self, key: ForeignKey) -> str:
        """`foreign_key(key)` as the generator writes it, put together from the texts of its
        names like `create_table_text`."""
        columns = ", ".join(self.identifier(column) for column in key.columns)
        targets = ", ".join(self.identifier(column) for column in key.target_columns)
        target = self.identifier(key.target, table=True)
        text = f"CONSTRAINT {self.identifier(key.name)} FOREIGN KEY ({columns}) "
        return text + " ".join([f"REFERENCES {target}({targets})", *self.on_delete(key)])

    def alter_foreign_key_text(self, table: Table, key: ForeignKey) -> str:
        """`alter_foreign_key(table, key)` as the generator writes it."""
        target = self.identifier(table.name, table=True)
        return f"ALTER TABLE {target} ADD {self.foreign_key_text(key)}"

    def alter_foreign_key(self, table: Table, key: ForeignKey) -> exp.Alter:
        return exp.Alter(
            this=self.table_ref(table.name),
            kind="TABLE",
            actions=[exp.AddConstraint(expressions=[self.foreign_key(key)])],
        )

    def column_list(self, columns: Iterable[str]) -> str:
        return ", ".join(self.flat_generator.generate(self.name(c)) for c in columns)

    # Row-level security of shared-schema tenancy

    def row_security(self, table: Table) -> list[exp.Command]:
        """ENABLE and FORCE row-level security on a tenant-scoped table, and its policy: a row
        is seen and written only while `app.tenant_id` names its tenant (an unset or empty
        setting names none). FORCE holds the table's owner too.

        Post-step: sqlglot parses neither statement, so they are put together from the names
        and the type it writes.
        """
        scope = self.schema.tenancy
        assert scope is not None
        write = self.flat_generator.generate
        name = write(self.table_ref(table.name))
        column = write(self.name(scope.column))
        spelled = write(self.column_type(table, Column(scope.column, scope.column_type)))
        policy = write(self.name(physical_name(f"tenant_isolation_{table.name}", self.dialect)))
        tenant = f"NULLIF(current_setting('app.tenant_id', true), '')::{spelled}"
        condition = f"({column} = {tenant})"
        return [
            exp.Command(this="ALTER", expression=f"TABLE {name} ENABLE ROW LEVEL SECURITY"),
            exp.Command(this="ALTER", expression=f"TABLE {name} FORCE ROW LEVEL SECURITY"),
            exp.Command(
                this="CREATE",
                expression=f"POLICY {policy} ON {name} USING {condition} WITH CHECK {condition}",
            ),
        ]

    # Keeping updated_at current

    def stamp_function_name(self, column: str) -> exp.Identifier:
        return self.name(physical_name(f"set_{column}", self.dialect))

    def trigger_name(self, table: Table, column: str) -> exp.Identifier:
        return self.name(physical_name(f"trg_{table.name}_{column}", self.dialect))

    def row_value(self, row: str, column: str) -> exp.Column:
        return exp.Column(this=self.name(column), table=exp.Identifier(this=row))

    def stamp_function(self, column: str) -> exp.Create:
        """PostgreSQL's `set_updated_at()`, the trigger function that stamps the new row.

        Post-step: sqlglot has no plpgsql, so the body is text in a dollar-quoted string.
        """
        target = self.flat_generator.generate(self.row_value("NEW", column))
        return exp.Create(
            this=exp.UserDefinedFunction(
                this=self.stamp_function_name(column), expressions=[], wrapped=True
            ),
            kind="FUNCTION",
            properties=exp.Properties(
                expressions=[
                    # Qualified: sqlglot reads a bare `trigger` as the keyword, not the type.
                    exp.ReturnsProperty(
                        this=exp.DataType.build("pg_catalog.trigger", udt=True, dialect="postgres")
                    ),
                    exp.LanguageProperty(this=exp.Var(this="plpgsql")),
                ]
            ),
            expression=exp.Heredoc(this=f" BEGIN {target} = now(); RETURN NEW; END "),
        )

    def postgres_trigger(self, table: Table, column: str) -> exp.Create:
        """`BEFORE UPDATE ... FOR EACH ROW`, unless the statement changed the column itself."""
        function = self.flat_generator.generate(self.stamp_function_name(column))
        unchanged = exp.NullSafeEQ(
            this=self.row_value("NEW", column), expression=self.row_value("OLD", column)
        )
        trigger = exp.TriggerProperties(
            table=self.table_ref(table.name),
            timing="BEFORE",
            events=[exp.TriggerEvent(this="UPDATE")],
            for_each="ROW",
            when=unchanged,
            # Text: sqlglot would write the call of an unknown function in upper case.
            execute=exp.TriggerExecute(this=exp.Var(this=f"{function}()")),
        )
        return exp.Create(
            this=self.trigger_name(table, column),
            kind="TRIGGER",
            properties=exp.Properties(expressions=[trigger]),
        )

    def postgres_trigger_text(self, table: Table, column: str) -> str:
        """`postgres_trigger(table, column)` as the generator writes it, put together from the
        texts of its names and of its condition like `create_table_text`."""
        name = self.identifier(physical_name(f"trg_{table.name}_{column}", self.dialect))
        target = self.identifier(table.name, table=True)
        function = self.identifier(physical_name(f"set_{column}", self.dialect))
        unchanged = self.written(
            ("unchanged", column),
            lambda: exp.NullSafeEQ(
                this=self.row_value("NEW", column), expression=self.row_value("OLD", column)
            ),
            self.flat_generator,
        )
        return (
            f"CREATE TRIGGER {name} BEFORE UPDATE ON {target} FOR EACH ROW "
            f"WHEN ({unchanged}) EXECUTE FUNCTION {function}()"
        )

    def sqlite_trigger(self, table: Table, column: str) -> exp.Command:
        """`AFTER UPDATE` of a row that left the column as it was: stamp that row.

        Post-step: sqlglot writes no SQLite trigger, so the statement is put together from the
        condition and the UPDATE it writes. The trigger's own UPDATE sets the column to the
        current time, which the condition excludes: no loop even with recursive_triggers on.
        """
        generator = self.flat_generator
        when = self.sqlite_trigger_condition(column)
        update = exp.Update(
            this=self.table_ref(table.name),
            expressions=[exp.EQ(this=self.column_ref(column), expression=self.now())],
            where=exp.Where(this=self.sqlite_trigger_row()),
        )
        name = generator.generate(self.trigger_name(table, column))
        target = generator.generate(self.table_ref(table.name))
        lines = [
            f"TRIGGER {name} AFTER UPDATE ON {target} FOR EACH ROW",
            f"WHEN {generator.generate(when)}",
            "BEGIN",
            f"  {generator.generate(update)};",
            "END",
        ]
        return exp.Command(this="CREATE", expression="\n".join(lines))

    def sqlite_trigger_condition(self, column: str) -> exp.Expression:
        new = self.row_value("NEW", column)
        return exp.and_(
            exp.Is(this=new, expression=self.row_value("OLD", column)),
            exp.not_(exp.Is(this=new.copy(), expression=self.now())),
        ).assert_is(exp.Expression)

    def sqlite_trigger_row(self) -> exp.Expression:
        return exp.EQ(this=exp.column("rowid"), expression=self.row_value("NEW", "rowid"))

    def sqlite_trigger_text(self, table: Table, column: str) -> str:
        """`sqlite_trigger(table, column)` as the generator writes it, put together from the
        texts of its names, its condition and the parts of its UPDATE."""
        generator = self.flat_generator
        name = self.identifier(physical_name(f"trg_{table.name}_{column}", self.dialect))
        target = self.identifier(table.name, table=True)
        when = self.written(
            ("sqlite trigger when", column),
            lambda: self.sqlite_trigger_condition(column),
            generator,
        )
        stamp = self.written(
            ("sqlite trigger set", column),
            lambda: exp.EQ(this=self.column_ref(column), expression=self.now()),
            generator,
        )
        row = self.written(("sqlite trigger row",), self.sqlite_trigger_row, generator)
        lines = [
            f"CREATE TRIGGER {name} AFTER UPDATE ON {target} FOR EACH ROW",
            f"WHEN {when}",
            "BEGIN",
            f"  UPDATE {target} SET {stamp} WHERE {row};",
            "END",
        ]
        return "\n".join(lines)

    def render(self) -> str:
        schema = self.schema
        out: list[str] = [f"{self.dialect.session};"] if self.dialect.session else []
        out.append(f"-- Schema for {self.dialect.name}, written by the database design advisor.")
        if self.dialect.family != self.dialect.name:
            family = dialect(self.dialect.family).title
            out.append(
                f"-- {self.dialect.title} DDL: the {family} schema in the form "
                f"{self.dialect.title} accepts."
            )
        if self.dialect.hash_sharded_keys:
            out.append(
                f"-- {self.dialect.title} shards a table or index by a hash of its first key "
                "column unless ASC or DESC is written: indexes read by a range from their first "
                "column on say ASC or DESC, so that they are range-sharded."
            )
        out.append(f"-- Primary keys: {schema.key_reason}")
        out += [f"-- Note: {note}" for note in schema.notes]
        tables = table_order(schema.tables)
        stamped = [
            (table, column.name)
            for table in tables
            for column in table.columns
            if column.on_update_now
        ]
        on_update = self.dialect.on_update
        if stamped and on_update is None:
            columns = ", ".join(dict.fromkeys(column for _, column in stamped))
            out.append(
                f"-- Note: nothing here changes {columns} on UPDATE ({self.dialect.name} gets "
                "no trigger from the advisor): the application must set it in every UPDATE."
            )
        chunks = ["\n".join(out)]
        kinds = {column.type.kind for table in tables for column in table.columns}
        for kind, extension in (self.dialect.extensions or {}).items():
            if kind in kinds:
                # Post-step: sqlglot parses CREATE EXTENSION only as a command.
                chunks.append(f"CREATE EXTENSION IF NOT EXISTS {extension};")

        def emit(expression: exp.Expression | str, comments: Sequence[str] = ()) -> None:
            if isinstance(expression, str):  # already written
                sql = expression
            else:
                # The expressions are built for this one rendering: no need for sqlglot to copy
                # them. Only a table's column list reads better on several lines.
                pretty = isinstance(expression, exp.Create) and isinstance(
                    expression.this, exp.Schema
                )
                generator = self.generator if pretty else self.flat_generator
                sql = generator.generate(expression, copy=False)
            if comments:
                chunks.append("\n".join([*(f"-- {line}" for line in comments), f"{sql};"]))
            else:
                chunks.append(f"{sql};")

        why = "One schema per context: transactions cross the contexts, so they share one database."
        for position, namespace in enumerate(schema.namespaces):
            lead = [f"-- {why}"] if position == 0 else []
            chunks.append("\n".join([*lead, self.create_schema(namespace)]))
        for enum in schema.enums:
            emit(self.create_enum_text(enum) or self.create_enum(enum))
        for table in tables:
            notes = []
            if self.dialect.comments == "sql":
                notes = [f"{table.name}: {table.comment}"] if table.comment else []
                notes += [f"{c.name}: {c.comment}" for c in table.columns if c.comment]
            if table.row_ttl is not None and self.dialect.row_ttl is not None:
                ttl = table.row_ttl
                nullable = table.column(ttl.column)
                notes.append(
                    f"Row-level TTL: a row expires {ttl.days} days after its {ttl.column}"
                    + (
                        f" (never while {ttl.column} is NULL)"
                        if nullable is not None and nullable.nullable
                        else ""
                    )
                    + "; a background job deletes expired rows."
                )
            emit(self.create_table_text(table) or self.create_table(table), notes)
            if table.partitioning is not None:
                policy = [f"Retention: {table.partitioning.policy}"]
                for position, statement in enumerate(self.partitions(table)):
                    emit(statement, policy if position == 0 else ())
            for comment in self.comments(table):
                emit(comment)
        for table in tables:
            for index in table.indexes:
                served = f"serves {', '.join(index.serves)}" if index.serves else index.reason
                special = self.spatial_index(table, index) if index.kind == "spatial" else []
                for position, command in enumerate(special):
                    emit(command, [f"{index.name}: {served}"] * (position == 0))
                if special:
                    continue
                written = self.index_text(table, index)
                emit(written or self.index(table, index), [f"{index.name}: {served}"])
                if (
                    index.serves
                    and self.dialect.comments == "comment_on"
                    and self.dialect.family == "postgresql"
                ):
                    emit(self.index_comment(table, index, served))
        if self.dialect.foreign_keys == "alter":
            for table in tables:
                for key in table.foreign_keys:
                    emit(self.alter_foreign_key_text(table, key))
        if schema.tenancy is not None and self.dialect.row_security:
            scoped = [table for table in tables if table.name in schema.tenancy.scoped]
            why = "Each tenant sees and writes only its rows: set app.tenant_id per transaction."
            for position, table in enumerate(scoped):
                for step, command in enumerate(self.row_security(table)):
                    emit(command, [why] * (position == 0 and step == 0))
        stamp = "Every UPDATE sets {} to the current time, unless it sets the column itself."
        if on_update == "trigger_function":
            for column in dict.fromkeys(column for _, column in stamped):
                emit(self.stamp_function(column), [stamp.format(column)])
            for table, column in stamped:
                emit(self.postgres_trigger_text(table, column))
        elif on_update == "trigger":
            for position, (table, column) in enumerate(stamped):
                text = self.sqlite_trigger_text(table, column)
                emit(text, [stamp.format(column)] * (position == 0))
        if schema.patterns:
            lines = ["-- Access patterns and what serves them:"]
            for pattern in schema.patterns:
                served = pattern.index or "no index"
                lines.append(
                    f"--   {pattern.pattern} ({pattern.table}): {served}; {pattern.reason}"
                )
            chunks.append("\n".join(lines))
        return "\n\n".join(chunks) + "\n"


def _lowered(table: Table, index: Index) -> frozenset[str]:
    """The columns a `unique_lower` index keys by lower(): its case-insensitive ones."""
    if index.kind != "unique_lower":
        return frozenset()
    return frozenset(
        name for name in index.column_names if (c := table.column(name)) and c.case_insensitive
    )


def _keyed_columns(table: Table) -> set[str]:
    keyed: set[str] = set()
    for key in ((table.primary_key,) if table.primary_key else ()) + table.uniques:
        keyed.update(key.columns)
    for foreign_key in table.foreign_keys:
        keyed.update(foreign_key.columns)
    for index in table.indexes:
        if index.kind == "btree":
            keyed.update(index.column_names)
    return keyed


def table_order(tables: Iterable[Table]) -> list[Table]:
    """Tables so that each comes after those it refers to, else in their given order.

    Cycles (other than self-references) keep their given order; foreign keys added after the
    tables make that safe. At each step the first table (in the given order) whose targets are
    all placed comes next, or else the first table not yet placed: the tables that become ready
    wait in a heap by position, so that a large schema is not scanned once per table.

    >>> from advisor.schema.model import ForeignKey
    >>> def table(name, *targets):
    ...     keys = tuple(ForeignKey(f"fk_{name}_{t}", ("id",), t, ("id",)) for t in targets)
    ...     return Table(name, (), foreign_keys=keys)
    >>> order = table_order([table("a", "b"), table("b", "c"), table("c"), table("d", "d")])
    >>> [t.name for t in order]
    ['c', 'b', 'a', 'd']
    >>> [t.name for t in table_order([table("a", "b"), table("b", "a"), table("c", "x")])]
    ['c', 'a', 'b']
    """
    pending = list(tables)
    names = {table.name for table in pending}
    waiting: dict[str, list[int]] = {}  # a target's name -> the positions of tables it holds up
    blocked: list[int] = []  # how many targets not yet placed each table waits for
    ready: list[int] = []
    for position, table in enumerate(pending):
        targets = {
            key.target
            for key in table.foreign_keys
            if key.target != table.name and key.target in names
        }
        for target in targets:
            waiting.setdefault(target, []).append(position)
        blocked.append(len(targets))
        if not targets:
            ready.append(position)
    heapq.heapify(ready)
    placed: list[Table] = []
    is_placed = [False] * len(pending)
    first = 0  # no table before this position is left to place
    done: set[str] = set()
    while len(placed) < len(pending):
        while ready and is_placed[ready[0]]:
            heapq.heappop(ready)
        if ready:
            position = heapq.heappop(ready)
        else:
            while is_placed[first]:
                first += 1
            position = first
        table = pending[position]
        placed.append(table)
        is_placed[position] = True
        if table.name in done:
            continue
        done.add(table.name)
        for waiter in waiting.pop(table.name, ()):
            blocked[waiter] -= 1
            if blocked[waiter] == 0 and not is_placed[waiter]:
                heapq.heappush(ready, waiter)
    return placed


def render_ddl(schema: Schema) -> str:
    """The DDL of `schema` in its dialect: types, tables, indexes, then foreign keys.

    >>> from advisor.schema.model import Column, ColumnType, Key, Schema, Table
    >>> table = Table("user", (Column("id", ColumnType("bigint"), nullable=False),),
    ...               primary_key=Key("pk_user", ("id",)))
    >>> print(render_ddl(Schema("postgresql", (table,), key_reason="declared")))
    -- Schema for postgresql, written by the database design advisor.
    -- Primary keys: declared
    <BLANKLINE>
    CREATE TABLE "user" (
      id BIGINT NOT NULL,
      CONSTRAINT pk_user PRIMARY KEY (id)
    );
    <BLANKLINE>
    """
    return _Renderer(schema).render()


def generate_ddl(
    requirements: Requirements,
    dialect_name: str = "postgresql",
    *,
    recommendation: Recommendation | None = None,
    partitions_from: date | None = None,
) -> str:
    """The DDL of `requirements` for one dialect, carrying out `recommendation` (the engine's,
    made here when not given) as `advisor.schema.schema_for` does.

    >>> from advisor.requirements import read_requirements
    >>> shop = read_requirements(
    ...     "format: advisor/v1\\nproject: Shop\\nentities: [{name: order}]\\n"
    ...     "team: {expertise: [postgresql]}\\n")
    >>> print(generate_ddl(shop, "sqlite").split("\\n\\n")[1].rstrip())
    CREATE TABLE "order" (
      id INTEGER NOT NULL,
      created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
      updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
      CONSTRAINT pk_order PRIMARY KEY (id)
    );
    """
    decided = recommendation or advise(requirements)
    schema = schema_for(requirements, decided, dialect_name, partitions_from=partitions_from)
    return render_ddl(schema)
