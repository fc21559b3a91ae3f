"""Replaying a file's statements in order into a `Schema`: CREATE, then every ALTER.

Each statement is parsed alone by sqlglot in its dialect, so that one unreadable statement is
reported and the others still count. Tables are found by name without case, quotes or schema
(`[dbo].[Album]`, `album`, `public.album`), and keep the name as written. Foreign keys are
resolved at the end, so they may name tables created later.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from functools import partial
from typing import Any

import sqlglot
from sqlglot import exp

from advisor.importing.report import ImportResult, StatementOutcome
from advisor.importing.split import Statement
from advisor.importing.statements import NAME, skip_reason, unwrap, what
from advisor.importing.types import column_type
from advisor.requirements.model import Scalar
from advisor.schema.model import (
    Check,
    Column,
    ColumnType,
    EnumType,
    ForeignKey,
    Index,
    IndexColumn,
    Key,
    Partition,
    Partitioning,
    Schema,
    Table,
)

SQLGLOT_DIALECTS = {
    "postgresql": "postgres",
    "mysql": "mysql",
    "sqlite": "sqlite",
    "sqlserver": "tsql",
    "oracle": "oracle",
}
# Rewrites tried when a statement does not parse: (pattern, replacement). sqlglot does not
# know PostgreSQL 18's virtual generated columns; a stored one reads the same here.
REWRITES = ((re.compile(r"\)\s+VIRTUAL\b", re.IGNORECASE), ") STORED"),)
ON_DELETE = {"CASCADE": "cascade", "SET NULL": "set_null", "RESTRICT": "restrict"}
NOW_FUNCTIONS = {
    "now",
    "current_timestamp",
    "getdate",
    "sysdatetime",
    "sysdatetimeoffset",
    "getutcdate",
    "systimestamp",
    "sysdate",
    "localtimestamp",
    "statement_timestamp",
    "transaction_timestamp",
}
DEFAULT_SCHEMAS = {"public", "dbo", "main"}

_ATTACH = re.compile(
    rf"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?P<parent>{NAME})\s+ATTACH\s+PARTITION\s+"
    rf"(?P<child>{NAME})\s+(?:FOR\s+VALUES\s+FROM\s*\((?P<start>.*?)\)\s*TO\s*\((?P<end>.*?)\)"
    r"|(?P<default>DEFAULT)|FOR\s+VALUES\b)",
    re.IGNORECASE | re.DOTALL,
)
_ADD_IDENTITY = re.compile(
    rf"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?P<table>{NAME})\s+ALTER\s+(?:COLUMN\s+)?"
    rf"(?P<column>{NAME})\s+ADD\s+GENERATED\s+",
    re.IGNORECASE | re.DOTALL,
)
_DOMAIN = re.compile(
    rf"CREATE\s+DOMAIN\s+(?P<name>{NAME})\s+(?:AS\s+)?(?P<type>.+?)"
    r"(?=\s+(?:CONSTRAINT|CHECK|NOT\s+NULL|NULL|DEFAULT|COLLATE)\b|\s*$)",
    re.IGNORECASE | re.DOTALL,
)
_EXTENDED_PROPERTY = re.compile(
    r"EXEC(?:UTE)?\s+(?:\[?sys\]?\.)?\[?sp_addextendedproperty\]?\s*(?P<arguments>.*)",
    re.IGNORECASE | re.DOTALL,
)
_ARGUMENT = re.compile(
    r"\s*(?:@(?P<key>\w+)\s*=\s*)?(?P<value>N?'(?:[^']|'')*'|[^,]*?)\s*(?:,|;?\s*$)", re.IGNORECASE
)
# sp_addextendedproperty's parameters, in the order they may also be given without names.
_PROPERTY_PARAMETERS = (
    "name",
    "value",
    "level0type",
    "level0name",
    "level1type",
    "level1name",
    "level2type",
    "level2name",
)
_ESCAPES = re.compile(r"\x1b\[[0-9;]*m")
# Words after a column's name that end its type.
_TYPE_END = re.compile(
    r"\s*(?:,|\)|$|\b(?:NOT|NULL|DEFAULT|PRIMARY|REFERENCES|CONSTRAINT|CHECK|UNIQUE|GENERATED|"
    r"IDENTITY|AUTO_INCREMENT|AUTOINCREMENT|COLLATE|CHARSET|COMMENT|ON|AS|KEY|ENCODE|ROWGUIDCOL|"
    r"SPARSE|ENABLE|CHARACTER\s+SET)\b)",
    re.IGNORECASE,
)


class Skip(Exception):
    """The statement is read but is not schema the model keeps; the message says why."""


@dataclass
class _Draft:
    name: str
    schema: str
    columns: list[Column] = field(default_factory=list)
    primary_key: Key | None = None
    uniques: list[Key] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    foreign_keys: list[tuple[ForeignKey, tuple[str, str]]] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    partition_column: str | None = None
    partition_method: str = ""
    partitions: list[Partition] = field(default_factory=list)
    comment: str = ""

    def column_index(self, name: str) -> int | None:
        wanted = name.lower()
        for position, column in enumerate(self.columns):
            if column.name.lower() == wanted:
                return position
        return None

    def column_name(self, name: str) -> str:
        position = self.column_index(name)
        if position is None:
            raise Skip(f"{self.name} has no column {name}")
        return self.columns[position].name


def _parts(table: exp.Expression) -> tuple[str, str]:
    """(schema, name) of a table reference, without quotes."""
    if isinstance(table, exp.Schema):
        table = table.this
    if isinstance(table, exp.Table):
        return table.db, table.name
    return "", table.name


def _text_parts(name: str) -> tuple[str, str]:
    parts = [
        part.strip().strip('"`[]') for part in re.findall(r'"[^"]*"|`[^`]*`|\[[^\]]*\]|[^.]+', name)
    ]
    return (parts[-2] if len(parts) > 1 else "", parts[-1] if parts else name)


class Replay:
    """The schema as the statements so far have made it."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.read = SQLGLOT_DIALECTS[dialect]
        self.tables: dict[str, _Draft] = {}  # by lower-case name
        self.partition_of: dict[str, str] = {}  # partition -> partitioned table, lower case
        self.enums: dict[str, EnumType] = {}
        self.named_types: dict[str, ColumnType] = {}  # enums and domains, lower-case names
        self.domains: dict[str, ColumnType] = {}
        self.notes: list[str] = []
        self.outcomes: list[StatementOutcome] = []

    # The statements

    def run(self, statements: tuple[Statement, ...]) -> ImportResult:
        for statement in statements:
            self.outcomes.append(self.one(statement))
        return ImportResult(self.schema(), self.dialect, tuple(self.outcomes))

    def one(self, statement: Statement) -> StatementOutcome:
        line = statement.line
        if statement.kind == "meta":
            return StatementOutcome(line, "skipped", what(statement.text), "a psql meta-command")
        if statement.kind == "data":
            return StatementOutcome(line, "skipped", "COPY data", "rows of the COPY above")
        if statement.kind == "delimiter":
            return StatementOutcome(line, "skipped", "DELIMITER", "the client's delimiter")
        text = unwrap(statement.text)
        kind = what(text)
        why = skip_reason(text)
        if why is not None:
            return StatementOutcome(line, "skipped", kind, why)
        try:
            done = self.special(text)
            if done is None:
                done = self.parsed(text)
        except Skip as skip:
            return StatementOutcome(line, "skipped", kind, str(skip))
        except sqlglot.errors.SqlglotError as error:
            message = _ESCAPES.sub("", str(error)).strip().splitlines()[0]
            return StatementOutcome(line, "rejected", kind, message)
        except Exception as error:  # sqlglot raises more than its own errors on odd input
            return StatementOutcome(line, "rejected", kind, f"{type(error).__name__}: {error}")
        return StatementOutcome(line, "imported", done)

    def special(self, text: str) -> str | None:
        """What sqlglot parses only as an opaque command: ATTACH PARTITION, identity, domains."""
        if match := _ATTACH.match(text):
            return self.attach(match)
        if match := _ADD_IDENTITY.match(text):
            draft = self.table(_text_parts(match["table"]))
            position = draft.column_index(_text_parts(match["column"])[1])
            if position is None:
                raise Skip(f"{draft.name} has no column {match['column']}")
            column = draft.columns[position]
            draft.columns[position] = replace(column, identity=True)
            return f"ALTER TABLE {draft.name} (identity of {column.name})"
        if match := _EXTENDED_PROPERTY.match(text):
            return self.extended_property(match["arguments"])
        if match := _DOMAIN.match(text):
            _, name = _text_parts(match["name"])
            base = self.data_type(match["type"].strip())
            self.named_types[name.lower()] = base
            return f"CREATE DOMAIN {name} (as {base.kind})"
        return None

    def parsed(self, text: str) -> str:
        expression = self.parse(text)
        if isinstance(expression, exp.Create):
            return self.create(expression, text)
        if isinstance(expression, exp.Alter):
            return self.alter(expression, text)
        if isinstance(expression, exp.Comment):
            return self.comment(expression)
        if isinstance(expression, exp.Drop):
            return self.drop(expression)
        raise Skip(f"not schema ({type(expression).__name__.lower()})")

    def parse(self, text: str) -> exp.Expression:
        try:
            with quiet_sqlglot():
                return _one(sqlglot.parse(text, read=self.read))
        except sqlglot.errors.ParseError:
            for pattern, replacement in REWRITES:
                rewritten = pattern.sub(replacement, text)
                if rewritten != text:
                    with quiet_sqlglot():
                        return _one(sqlglot.parse(rewritten, read=self.read))
            raise

    # CREATE

    def create(self, expression: exp.Create, text: str) -> str:
        kind = (expression.args.get("kind") or "").upper()
        if kind == "TABLE":
            return self.create_table(expression, text)
        if kind == "INDEX":
            return self.create_index(expression)
        if kind == "TYPE":
            return self.create_type(expression)
        raise Skip(f"CREATE {kind or 'statement'}: not schema the importer reads")

    def create_table(self, expression: exp.Create, text: str) -> str:
        target = expression.this
        schema, name = _parts(target)
        properties = expression.args.get("properties")
        of = properties.find(exp.PartitionedOfProperty) if properties else None
        if of is not None:
            return self.partition_of_table(name, of)
        if not isinstance(target, exp.Schema):
            raise Skip(f"CREATE TABLE {name} AS ...: a table made from a query has no definition")
        if name.lower() in self.tables:
            raise Skip(f"{name} is created twice; the first definition is kept")
        draft = _Draft(name, schema)
        self.tables[name.lower()] = draft
        for part in target.expressions:
            if isinstance(part, exp.ColumnDef):
                self.add_column(draft, part, text)
            else:
                self.table_constraint(draft, part)
        if properties is not None:
            self.table_properties(draft, properties)
        return f"CREATE TABLE {name}"

    def table_properties(self, draft: _Draft, properties: exp.Expression) -> None:
        for prop in properties.expressions:
            if isinstance(prop, exp.PartitionedByProperty):
                by = prop.this
                method = by.name.upper() if isinstance(by, exp.Anonymous) else ""
                columns = list(by.find_all(exp.Column)) if isinstance(by, exp.Expression) else []
                if columns:
                    draft.partition_column = draft.column_name(columns[0].name)
                    draft.partition_method = method
            elif isinstance(prop, exp.SchemaCommentProperty):
                draft.comment = prop.this.name

    def add_column(self, draft: _Draft, definition: exp.ColumnDef, text: str) -> None:
        name = definition.name
        data_type = definition.args.get("kind")
        spelled = _spelled_type(text, definition)
        kind = column_type(
            data_type if isinstance(data_type, exp.DataType) else None,
            spelled,
            self.dialect,
            enums=self.named_types,
        )
        column = Column(name, kind, identity=data_type is not None and _serial(data_type))
        column, keys = self.column_constraints(draft, column, definition)
        if draft.column_index(name) is not None:
            raise Skip(f"{draft.name} has two columns called {name}")
        draft.columns.append(column)
        for key in keys:
            key()

    def column_constraints(
        self, draft: _Draft, column: Column, definition: exp.ColumnDef
    ) -> tuple[Column, list[Callable[[], None]]]:
        values = _fields_of(column)
        later: list[Callable[[], None]] = []
        name = column.name
        for constraint in definition.constraints:
            kind = constraint.kind
            # `CONSTRAINT orders_status_ck CHECK (...)` on a column keeps its name.
            named = constraint.name
            if isinstance(kind, exp.NotNullColumnConstraint):
                values["nullable"] = bool(kind.args.get("allow_null"))
            elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
                values["nullable"] = False
                later.append(partial(self.set_primary_key, draft, named, [name]))
            elif isinstance(kind, exp.UniqueColumnConstraint):
                key = Key(named or f"{draft.name}_{name}_key", (name,))
                later.append(partial(draft.uniques.append, key))
            elif isinstance(kind, exp.DefaultColumnConstraint):
                self.default(values, kind.this)
            elif isinstance(
                kind, exp.AutoIncrementColumnConstraint | exp.GeneratedAsIdentityColumnConstraint
            ):
                if (
                    not isinstance(kind, exp.GeneratedAsIdentityColumnConstraint)
                    or kind.args.get("expression") is None
                ):
                    values["identity"] = True
            elif isinstance(kind, exp.CommentColumnConstraint):
                values["comment"] = kind.this.name
            elif isinstance(kind, exp.Reference):
                target = _parts(kind.this)
                columns = (
                    [c.name for c in kind.this.expressions]
                    if isinstance(kind.this, exp.Schema)
                    else []
                )
                options = " ".join(str(option) for option in kind.args.get("options") or [])
                later.append(
                    partial(self.add_foreign_key, draft, named, [name], target, columns, options)
                )
            elif isinstance(kind, exp.CheckColumnConstraint):
                later.append(partial(self.add_check, draft, named, kind.this))
        return Column(**values), later

    def default(self, values: dict[str, object], default: exp.Expression) -> None:
        while isinstance(default, exp.Cast | exp.Paren):
            default = default.this
        if isinstance(default, exp.CurrentTimestamp | exp.CurrentDate | exp.CurrentTime):
            values["default_now"] = isinstance(default, exp.CurrentTimestamp)
            return
        if isinstance(default, exp.Func) and default.sql_name().lower() in NOW_FUNCTIONS:
            values["default_now"] = True
            return
        if isinstance(default, exp.Anonymous) and default.name.lower() in NOW_FUNCTIONS:
            values["default_now"] = True
            return
        if isinstance(default, exp.Anonymous) and default.name.lower() == "nextval":
            values["identity"] = True
            return
        value = _literal(default)
        column_type_ = values["type"]
        assert isinstance(column_type_, ColumnType)
        if value is not None:
            values["default"] = fitted_default(value, column_type_)

    def table_constraint(self, draft: _Draft, part: exp.Expression) -> None:
        name = ""
        if isinstance(part, exp.Constraint):
            name = part.name
            inner = part.expressions
        else:
            inner = [part]
        # T-SQL: PRIMARY KEY CLUSTERED (columns) holds the columns in its second part.
        clustered = [
            _names([o.this if isinstance(o, exp.Ordered) else o for o in item.this])
            for item in inner
            if isinstance(item, exp.ClusteredColumnConstraint | exp.NonClusteredColumnConstraint)
            and isinstance(item.this, list)
        ]
        for item in inner:
            if isinstance(item, exp.PrimaryKeyColumnConstraint) and clustered:
                self.set_primary_key(draft, name, clustered[0])
            elif isinstance(item, exp.UniqueColumnConstraint) and clustered and item.this is None:
                self.add_unique(draft, name, clustered[0])
            elif isinstance(item, exp.PrimaryKey | exp.PrimaryKeyColumnConstraint):
                self.set_primary_key(draft, name, _names(item.expressions))
            elif isinstance(item, exp.ForeignKey):
                reference = item.args.get("reference")
                target = reference.this if reference is not None else None
                if target is None:
                    continue
                columns = _names(target.expressions) if isinstance(target, exp.Schema) else []
                options = " ".join(
                    str(option) for option in item.args["reference"].args.get("options") or []
                )
                self.add_foreign_key(
                    draft, name, _names(item.expressions), _parts(target), columns, options
                )
            elif isinstance(item, exp.UniqueColumnConstraint):
                this = item.this
                columns = _names(this.expressions) if isinstance(this, exp.Schema) else []
                key_name = name or (this.name if isinstance(this, exp.Schema) else "")
                if columns:
                    self.add_unique(draft, key_name, columns)
            elif isinstance(item, exp.CheckColumnConstraint):
                self.add_check(draft, name, item.this)
            elif isinstance(item, exp.IndexColumnConstraint):
                self.inline_index(draft, item)

    def set_primary_key(self, draft: _Draft, name: str, columns: list[str]) -> None:
        resolved = tuple(draft.column_name(column) for column in columns)
        draft.primary_key = Key(name or f"{draft.name}_pkey", resolved)
        for column in resolved:
            position = draft.column_index(column)
            assert position is not None
            draft.columns[position] = replace(draft.columns[position], nullable=False)

    def add_unique(self, draft: _Draft, name: str, columns: list[str]) -> None:
        resolved = tuple(draft.column_name(column) for column in columns)
        draft.uniques.append(Key(name or f"{draft.name}_{'_'.join(resolved)}_key", resolved))

    def add_foreign_key(
        self,
        draft: _Draft,
        name: str,
        columns: list[str],
        target: tuple[str, str],
        target_columns: list[str],
        options: str,
    ) -> None:
        resolved = tuple(draft.column_name(column) for column in columns)
        upper = options.upper()
        on_delete = next(
            (value for spelled, value in ON_DELETE.items() if f"ON DELETE {spelled}" in upper),
            "restrict",
        )
        key = ForeignKey(
            name or f"{draft.name}_{'_'.join(resolved)}_fkey",
            resolved,
            target[1],
            tuple(target_columns),
            on_delete=on_delete,
            required=all(not c.nullable for c in draft.columns if c.name in resolved),
        )
        draft.foreign_keys.append((key, target))

    def add_check(self, draft: _Draft, name: str, condition: exp.Expression) -> None:
        check = _check(condition, name or f"{draft.name}_check_{len(draft.checks) + 1}")
        if check is None:
            self.notes.append(
                f"{draft.name}: CHECK ({condition.sql()}) is kept out: only lists of values "
                "and ranges of one column are read"
            )
            return
        column = draft.column_name(check.column)
        draft.checks.append(
            Check(check.name, column, check.kind, check.values, check.min, check.max)
        )

    def inline_index(self, draft: _Draft, item: exp.IndexColumnConstraint) -> None:
        kind = (item.args.get("kind") or "").upper()
        columns = [
            IndexColumn(draft.column_name(c.name))
            for c in item.expressions
            if isinstance(c, exp.Column | exp.Identifier | exp.Ordered)
        ]
        if not columns:
            return
        name = item.name or f"{draft.name}_{'_'.join(c.name for c in columns)}_idx"
        if kind == "UNIQUE":
            draft.uniques.append(Key(name, tuple(c.name for c in columns)))
            return
        index_kind = {"FULLTEXT": "full_text", "SPATIAL": "spatial"}.get(kind, "btree")
        draft.indexes.append(Index(name, tuple(columns), kind=index_kind, reason="imported"))

    def create_index(self, expression: exp.Create) -> str:
        index = expression.this
        assert isinstance(index, exp.Index)
        table = index.args.get("table")
        if table is None:
            raise Skip("an index without a table")
        draft = self.table(_parts(table), for_what="index")
        params = index.args.get("params")
        columns: list[IndexColumn] = []
        for ordered in params.args.get("columns") or [] if params else []:
            target = ordered.this if isinstance(ordered, exp.Ordered) else ordered
            if isinstance(target, exp.Opclass):
                target = target.this
            if not isinstance(target, exp.Column | exp.Identifier):
                raise Skip(
                    f"an index on an expression ({target.sql()}): the model keeps indexes on "
                    "columns only"
                )
            descending = (
                bool(ordered.args.get("desc")) if isinstance(ordered, exp.Ordered) else False
            )
            columns.append(IndexColumn(draft.column_name(target.name), descending))
        if not columns:
            raise Skip("an index without columns")
        using = params.args.get("using") if params else None
        method = using.name.lower() if using is not None else "btree"
        first = next(c for c in draft.columns if c.name == columns[0].name)
        kind = _index_kind(method, first.type.kind)
        include = tuple(
            draft.column_name(c.name)
            for c in ((params.args.get("include") if params else None) or [])
        )
        where, reason = _where(params.args.get("where") if params else None, draft)
        draft.indexes.append(
            Index(
                index.name,
                tuple(columns),
                kind=kind,
                include=include,
                where=where,
                unique=bool(expression.args.get("unique")),
                reason=reason,
            )
        )
        return f"CREATE INDEX {index.name} ON {draft.name}"

    def create_type(self, expression: exp.Create) -> str:
        _, name = _parts(expression.this)
        body = expression.args.get("expression")
        if not isinstance(body, exp.DataType) or body.this != exp.DataType.Type.ENUM:
            raise Skip(f"type {name} is not an enum: composite and range types are not read")
        values = tuple(value.name for value in body.expressions)
        self.enums[name.lower()] = EnumType(name, values)
        self.named_types[name.lower()] = ColumnType("enum", values=values, enum_type=name)
        return f"CREATE TYPE {name} AS ENUM"

    def partition_of_table(self, name: str, of: exp.PartitionedOfProperty) -> str:
        parent = self.table(_parts(of.this))
        bound = of.expression
        start = end = None
        if isinstance(bound, exp.PartitionBoundSpec):
            starts = bound.args.get("from_expressions") or []
            ends = bound.args.get("to_expressions") or []
            start = starts[0].name if starts else None
            end = ends[0].name if ends else None
        parent.partitions.append(Partition(name, start, end))
        self.partition_of[name.lower()] = parent.name.lower()
        return f"CREATE TABLE {name} PARTITION OF {parent.name}"

    def attach(self, match: re.Match[str]) -> str:
        parent = self.table(_text_parts(match["parent"]))
        _, child = _text_parts(match["child"])
        self.tables.pop(child.lower(), None)
        start = _bound(match["start"]) if match["start"] else None
        end = _bound(match["end"]) if match["end"] else None
        parent.partitions.append(Partition(child, start, end))
        self.partition_of[child.lower()] = parent.name.lower()
        return f"ALTER TABLE {parent.name} ATTACH PARTITION {child}"

    # ALTER, COMMENT, DROP

    def alter(self, expression: exp.Alter, text: str) -> str:
        if (expression.args.get("kind") or "").upper() != "TABLE":
            raise Skip("ALTER of something other than a table")
        draft = self.table(_parts(expression.this))
        done: list[str] = []
        for action in expression.args.get("actions") or []:
            done.append(self.alter_action(draft, action, text))
        return f"ALTER TABLE {draft.name} ({', '.join(done)})"

    def alter_action(self, draft: _Draft, action: exp.Expression, text: str) -> str:
        if isinstance(action, exp.AddConstraint):
            for part in action.expressions:
                self.table_constraint(draft, part)
            return "add constraint"
        if isinstance(action, exp.ColumnDef):
            self.add_column(draft, action, text)
            return f"add column {action.name}"
        if isinstance(action, exp.ModifyColumn | exp.AlterColumn) and isinstance(
            action.this, exp.ColumnDef
        ):
            definition = action.this
            position = draft.column_index(definition.name)
            if position is None:
                raise Skip(f"{draft.name} has no column {definition.name}")
            del draft.columns[position]
            self.add_column(draft, definition, text)
            moved = draft.columns.pop()
            draft.columns.insert(position, moved)
            return f"modify column {definition.name}"
        if isinstance(action, exp.AlterColumn):
            return self.alter_column(draft, action)
        if isinstance(action, exp.Drop):
            kind = (action.args.get("kind") or "").upper()
            name = action.this.name if action.this is not None else ""
            if kind == "COLUMN":
                position = draft.column_index(name)
                if position is not None:
                    del draft.columns[position]
                return f"drop column {name}"
            self.drop_constraint(draft, name)
            return f"drop constraint {name}"
        if isinstance(action, exp.RenameColumn):
            old, new = action.this.name, action.args["to"].name
            position = draft.column_index(old)
            if position is None:
                raise Skip(f"{draft.name} has no column {old}")
            draft.columns[position] = replace(draft.columns[position], name=new)
            return f"rename column {old}"
        raise Skip(f"ALTER TABLE action not read: {action.sql()[:60]}")

    def alter_column(self, draft: _Draft, action: exp.AlterColumn) -> str:
        position = draft.column_index(action.name)
        if position is None:
            raise Skip(f"{draft.name} has no column {action.name}")
        values = _fields_of(draft.columns[position])
        if action.args.get("default") is not None:
            self.default(values, action.args["default"])
        elif action.args.get("drop") and action.args.get("allow_null") is None:
            values.update(default=None, default_now=False)
        if action.args.get("allow_null") is not None:
            values["nullable"] = bool(action.args["allow_null"])
        data_type = action.args.get("dtype")
        if isinstance(data_type, exp.DataType):
            values["type"] = column_type(
                data_type, data_type.sql(self.read), self.dialect, enums=self.named_types
            )
        draft.columns[position] = Column(**values)
        return f"alter column {action.name}"

    def drop_constraint(self, draft: _Draft, name: str) -> None:
        lowered = name.lower()
        if draft.primary_key is not None and draft.primary_key.name.lower() == lowered:
            draft.primary_key = None
        draft.uniques = [key for key in draft.uniques if key.name.lower() != lowered]
        draft.checks = [check for check in draft.checks if check.name.lower() != lowered]
        draft.foreign_keys = [
            (key, target) for key, target in draft.foreign_keys if key.name.lower() != lowered
        ]

    def comment(self, expression: exp.Comment) -> str:
        kind = (expression.args.get("kind") or "").upper()
        text = expression.args["expression"].name
        target = expression.this
        if kind == "TABLE":
            draft = self.table(_parts(target))
            draft.comment = text
            return f"COMMENT ON TABLE {draft.name}"
        if kind == "COLUMN" and isinstance(target, exp.Column):
            draft = self.table(("", target.table))
            position = draft.column_index(target.name)
            if position is None:
                raise Skip(f"{draft.name} has no column {target.name}")
            draft.columns[position] = replace(draft.columns[position], comment=text)
            return f"COMMENT ON COLUMN {draft.name}.{target.name}"
        raise Skip(f"a comment on a {kind.lower() or 'thing'}, not on a table or column")

    def extended_property(self, arguments: str) -> str:
        """SQL Server's `EXEC sp_addextendedproperty 'MS_Description', ...` on a table or a
        column: its comment, as `COMMENT ON` is elsewhere."""
        given: dict[str, str] = {}
        for order, match in enumerate(_ARGUMENT.finditer(arguments)):
            if not match.group(0).strip() or order >= len(_PROPERTY_PARAMETERS):
                break
            value = match["value"]
            if value[:1] in "Nn" and value[1:2] == "'":
                value = value[1:]
            if value.startswith("'"):
                value = value[1:-1].replace("''", "'")
            given[(match["key"] or _PROPERTY_PARAMETERS[order]).lower()] = value
        if given.get("name", "").lower() != "ms_description":
            raise Skip(f"an extended property ({given.get('name', '?')}), not a description")
        level1, level2 = given.get("level1type", "").upper(), given.get("level2type", "").upper()
        if level1 != "TABLE" or level2 not in ("", "COLUMN"):
            raise Skip("a description of something other than a table or column")
        draft = self.table((given.get("level0name", ""), given.get("level1name", "")))
        text = given.get("value", "")
        if not level2:
            draft.comment = text
            return f"COMMENT ON TABLE {draft.name} (MS_Description)"
        name = draft.column_name(given.get("level2name", ""))
        position = draft.column_index(name)
        assert position is not None
        draft.columns[position] = replace(draft.columns[position], comment=text)
        return f"COMMENT ON COLUMN {draft.name}.{name} (MS_Description)"

    def drop(self, expression: exp.Drop) -> str:
        if (expression.args.get("kind") or "").upper() != "TABLE":
            raise Skip("drops something other than a table")
        dropped = []
        for table in expression.args.get("tables") or [expression.this]:
            _, name = _parts(table)
            if self.tables.pop(name.lower(), None) is not None:
                dropped.append(name)
        if not dropped:
            raise Skip("drops a table not created above (a dump's clean-up before it creates it)")
        return f"DROP TABLE {', '.join(dropped)}"

    # Names and the end

    def table(self, parts: tuple[str, str], for_what: str = "") -> _Draft:
        _, name = parts
        lowered = name.lower()
        draft = self.tables.get(lowered)
        if draft is not None:
            return draft
        parent = self.partition_of.get(lowered)
        if parent is not None:
            raise Skip(
                f"applies to {name}, a partition of {self.tables[parent].name}: the partitioned "
                "table is what is read"
            )
        hint = " (a view or materialized view?)" if for_what == "index" else ""
        raise Skip(f"no table {name} was created above{hint}")

    def data_type(self, spelled: str) -> ColumnType:
        with quiet_sqlglot():
            built = exp.DataType.build(spelled, dialect=self.read, udt=True)
        return column_type(built, spelled, self.dialect, enums=self.named_types)

    def schema(self) -> Schema:
        tables = tuple(self.finish(draft) for draft in self.tables.values())
        return Schema(
            self.dialect,
            tables,
            enums=tuple(self.enums.values()),
            key_strategy="imported",
            key_reason="as imported",
            notes=tuple(self.notes),
        )

    def finish(self, draft: _Draft) -> Table:
        keys = []
        for key, (_, target) in draft.foreign_keys:
            found = self.tables.get(target.lower())
            if found is None:
                self.notes.append(
                    f"{draft.name}: foreign key {key.name} refers to {target}, which the file "
                    "does not create; it is left out"
                )
                continue
            columns = key.target_columns
            if not columns and found.primary_key is not None:
                columns = found.primary_key.columns  # REFERENCES t: its primary key
            resolved = tuple(
                found.column_name(c) if found.column_index(c) is not None else c for c in columns
            )
            if len(resolved) != len(key.columns):
                self.notes.append(
                    f"{draft.name}: foreign key {key.name} names no columns of {found.name} "
                    "and it has no primary key; it is left out"
                )
                continue
            required = all(not c.nullable for c in draft.columns if c.name in key.columns)
            keys.append(
                ForeignKey(key.name, key.columns, found.name, resolved, key.on_delete, required)
            )
        return Table(
            draft.name,
            tuple(draft.columns),
            primary_key=draft.primary_key,
            uniques=tuple(draft.uniques),
            checks=tuple(draft.checks),
            foreign_keys=tuple(keys),
            indexes=tuple(draft.indexes),
            partitioning=self.partitioning(draft),
            comment=draft.comment,
            source=f"{draft.schema}.{draft.name}" if draft.schema else draft.name,
        )

    def partitioning(self, draft: _Draft) -> Partitioning | None:
        if draft.partition_column is None:
            return None
        if draft.partition_method not in ("", "RANGE"):
            self.notes.append(
                f"{draft.name}: partitioned by {draft.partition_method.lower()} on "
                f"{draft.partition_column}; only range partitioning is kept, its "
                f"{len(draft.partitions)} partitions are left out"
            )
            return None
        return Partitioning(
            draft.partition_column,
            _interval(draft.partitions),
            tuple(draft.partitions),
            retention_days=None,
            policy=f"as imported: {len(draft.partitions)} partitions",
        )


@contextmanager
def quiet_sqlglot() -> Iterator[None]:
    """sqlglot logs a warning for each statement it falls back on: the report says it once."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _one(expressions: list[exp.Expr | None]) -> exp.Expression:
    found = [expression for expression in expressions if expression is not None]
    if len(found) != 1:
        raise Skip("holds no statement" if not found else "holds several statements")
    if not isinstance(found[0], exp.Expression):
        raise Skip("not a statement")
    return found[0]


def _fields_of(column: Column) -> dict[str, Any]:
    """The column's fields by name, to change some and make the column again."""
    return {item.name: getattr(column, item.name) for item in fields(column)}


def _names(items: list[exp.Expression]) -> list[str]:
    return [item.name for item in items]


def _serial(data_type: exp.DataType) -> bool:
    types = exp.DataType.Type
    return data_type.this in (types.SERIAL, types.BIGSERIAL, types.SMALLSERIAL)


def _spelled_type(text: str, definition: exp.ColumnDef) -> str:
    """The column's type as the statement spells it, from the end of the column's name up to
    the first constraint; '' when the name carries no position."""
    end = definition.this.meta.get("end") if isinstance(definition.this, exp.Identifier) else None
    if not isinstance(end, int) or end + 1 > len(text):
        return ""
    position, depth = end + 1, 0
    start = position
    while position < len(text):
        match = _TYPE_END.match(text, position) if depth == 0 and position > start else None
        if match and (match.end() > position or text[position] in ",)"):
            break
        character = text[position]
        if character == "(":
            depth += 1
        elif character == ")":
            if depth == 0:
                break
            depth -= 1
        position += 1
        if position - start > 200:
            return ""
    return " ".join(text[start:position].split())


def _literal(value: exp.Expression) -> Scalar | None:
    if isinstance(value, exp.Neg):
        inner = _literal(value.this)
        return -inner if isinstance(inner, int | float) and not isinstance(inner, bool) else None
    if isinstance(value, exp.Boolean):
        return bool(value.this)
    if isinstance(value, exp.Literal):
        if value.is_string:
            return value.name
        number = value.name
        try:
            return int(number)
        except ValueError:
            try:
                return float(number)
            except ValueError:
                return None
    if isinstance(value, exp.National):
        return value.name
    return None


def fitted_default(value: Scalar, column_type_: ColumnType) -> Scalar | None:
    """The default as a value of the column's kind, or None when it is not one."""
    kind = column_type_.kind
    try:
        if kind in ("integer", "bigint"):
            return int(value) if not isinstance(value, float) or value.is_integer() else None
        if kind in ("decimal", "float"):
            number = float(value)
            return int(number) if number.is_integer() and isinstance(value, int) else number
        if kind == "boolean":
            text = str(value).lower()
            return {"1": True, "0": False, "true": True, "false": False, "t": True, "f": False}.get(
                text
            )
    except (TypeError, ValueError):
        return None
    if kind in ("date", "datetime", "timestamp", "time"):
        text = str(value)
        try:
            (date if kind == "date" else datetime).fromisoformat(text)
        except ValueError:
            return None
        return text
    if kind == "enum" and column_type_.values and value not in column_type_.values:
        return None
    if (
        kind in ("string", "enum")
        and column_type_.length is not None
        and len(str(value)) > column_type_.length
    ):
        return None
    if kind in ("point", "vector", "binary", "uuid", "json"):
        return None
    return str(value)


def _check(condition: exp.Expression, name: str) -> Check | None:
    """A CHECK the model holds: `column IN (...)`, or bounds of one column."""
    while isinstance(condition, exp.Paren):
        condition = condition.this
    if isinstance(condition, exp.In) and isinstance(condition.this, exp.Column):
        values = [_literal(value) for value in condition.expressions]
        if values and all(value is not None for value in values):
            return Check(name, condition.this.name, "in", tuple(v for v in values if v is not None))
        return None
    bounds: dict[str, float] = {}
    column = ""
    parts = list(condition.flatten()) if isinstance(condition, exp.And) else [condition]
    for part in parts:
        while isinstance(part, exp.Paren):
            part = part.this
        if isinstance(part, exp.Between) and isinstance(part.this, exp.Column):
            low, high = _literal(part.args["low"]), _literal(part.args["high"])
            if not isinstance(low, int | float) or not isinstance(high, int | float):
                return None
            column, bounds["min"], bounds["max"] = part.this.name, float(low), float(high)
            continue
        if not isinstance(part, exp.GTE | exp.LTE | exp.GT | exp.LT):
            return None
        left, right = part.this, part.expression
        number = _literal(right)
        if (
            not isinstance(left, exp.Column)
            or not isinstance(number, int | float)
            or isinstance(number, bool)
        ):
            return None
        if column and left.name != column:
            return None
        column = left.name
        bounds["min" if isinstance(part, exp.GTE | exp.GT) else "max"] = float(number)
    if not column:
        return None
    return Check(name, column, "range", min=bounds.get("min"), max=bounds.get("max"))


def _index_kind(method: str, column_kind: str) -> str:
    if method in ("hnsw", "ivfflat"):
        return "vector"
    if method in ("gist", "spgist", "brin") and column_kind == "point":
        return "spatial"
    if method in ("gin", "gist") and column_kind in ("text", "string"):
        return "full_text"
    return "btree"


def _where(
    where: exp.Expression | None, draft: _Draft
) -> tuple[tuple[tuple[str, Scalar], ...], str]:
    """The `column = constant` conditions of a partial index, and the index's reason."""
    if where is None:
        return (), "imported"
    condition = where.this if isinstance(where, exp.Where) else where
    parts = list(condition.flatten()) if isinstance(condition, exp.And) else [condition]
    found: list[tuple[str, Scalar]] = []
    for part in parts:
        if isinstance(part, exp.EQ) and isinstance(part.this, exp.Column):
            value = _literal(part.expression)
            if value is not None and draft.column_index(part.this.name) is not None:
                found.append((draft.column_name(part.this.name), value))
                continue
        return (), f"imported without its condition WHERE {condition.sql()}"
    return tuple(found), "imported"


def _bound(text: str) -> str | None:
    value = text.strip()
    if value.upper() in ("MINVALUE", "MAXVALUE"):
        return None
    return value.strip("'")


def _interval(partitions: list[Partition]) -> str:
    """month, day or year, from the first bounded partition; range when it is none of them."""
    for partition in partitions:
        if partition.start and partition.end:
            try:
                days = (
                    date.fromisoformat(partition.end[:10])
                    - date.fromisoformat(partition.start[:10])
                ).days
            except ValueError:
                return "range"
            if days == 1:
                return "day"
            if 28 <= days <= 31:
                return "month"
            if 365 <= days <= 366:
                return "year"
            return "range"
    return "range"
