"""The schema linter: small pure rules over a logical `Schema`, run in the order of `RULES`.

A rule reads the schema (and the capabilities of its dialect) and yields `Finding`s; it never
changes anything. Rules see only the logical model, so they run alike on a generated design
and on a schema imported from existing DDL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from advisor.schema.dialects import Dialect, dialect
from advisor.schema.model import UNORDERED_KINDS, Column, Index, Key, Schema, Table

SEVERITIES = ("error", "warning", "info")
# A table this wide usually holds several things at once (Karwin, "SQL Antipatterns", and the
# usual normalisation advice); a guide, not a limit of any engine (PostgreSQL allows 1600).
MAX_COLUMNS = 50
MONEY_WORDS = (
    "price",
    "amount",
    "total",
    "cost",
    "balance",
    "salary",
    "fee",
    "money",
    "revenue",
    "payment",
    "tax",
    "discount",
)
_REPEATED = re.compile(r"^(.*?)_?(\d+)$")
# Numbered parts of one value, not a list of values: the lines of a postal address (the UPU's
# S42 standard and most address forms give a fixed number of lines).
_PARTS_OF_ONE_VALUE = ("line", "street", "address")
# Values people type in any case and expect to match whatever the case: an email address's
# domain ignores case (RFC 5321, section 2.4) and services treat the whole address so.
CASELESS_WORDS = ("email", "username", "login", "handle")
# Column kinds no B-tree should hold: no useful order (a point, a vector), or values larger than
# a B-tree entry (PostgreSQL: 2704 bytes; InnoDB: 3072 bytes for a whole key).
NOT_IN_B_TREE = (*UNORDERED_KINDS, "text")
UNBOUNDED_INDEXED_LENGTH = 255  # a string of no stated length in a key: VARCHAR(255) in MySQL


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, how bad, where, what is wrong, and how to fix it."""

    rule: str
    severity: str  # error, warning or info
    location: str
    message: str
    fix: str

    def to_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "location": self.location,
            "message": self.message,
            "fix": self.fix,
        }


Rule = Callable[[Schema, Dialect], Iterator[Finding]]


def _column_at(table: Table, column: Column) -> str:
    return f"{table.name}.{column.name}"


def _leading_columns(table: Table) -> list[tuple[str, ...]]:
    """Column lists of everything that can serve a lookup by its leading columns."""
    keys = [key.columns for key in ((table.primary_key,) if table.primary_key else ())]
    keys += [key.columns for key in table.uniques]
    keys += [i.column_names for i in table.indexes if i.kind == "btree" and not i.where]
    return keys


def table_without_primary_key(schema: Schema, target: Dialect) -> Iterator[Finding]:
    for table in schema.tables:
        if table.primary_key is None or not table.primary_key.columns:
            yield Finding(
                "table-without-primary-key",
                "error",
                f"table {table.name}",
                f"{table.name} has no primary key, so rows cannot be told apart or referred to",
                "add a primary key: an id column, or the columns that identify a row",
            )


def foreign_key_without_index(schema: Schema, target: Dialect) -> Iterator[Finding]:
    for table in schema.tables:
        if not table.foreign_keys:
            continue
        leading = _leading_columns(table)
        for key in table.foreign_keys:
            if not any(columns[: len(key.columns)] == key.columns for columns in leading):
                yield Finding(
                    "foreign-key-without-index",
                    "warning",
                    f"{table.name}: foreign key {key.name}",
                    f"no index starts with {', '.join(key.columns)}: joins from {key.target} "
                    f"and every delete there scan {table.name}",
                    f"CREATE INDEX on {table.name} ({', '.join(key.columns)})",
                )


def redundant_index(schema: Schema, target: Dialect) -> Iterator[Finding]:
    for table in schema.tables:
        if not table.indexes:
            continue
        keys = [k.columns for k in ((table.primary_key,) if table.primary_key else ())]
        keys += [k.columns for k in table.uniques]
        indexes = [(index, index.column_names) for index in table.indexes]
        for index, columns in indexes:
            if index.kind != "btree" or index.where or index.include or index.unique:
                continue
            others = [names for other, names in indexes if other is not index and not other.where]
            # Covered: another key or index starts with the same columns.
            if any(names[: len(columns)] == columns for names in keys + others):
                yield Finding(
                    "redundant-index",
                    "warning",
                    f"{table.name}: index {index.name}",
                    f"{index.name} ({', '.join(columns)}) duplicates the start of "
                    "another index or key, which serves the same lookups",
                    f"drop {index.name}",
                )


def nullable_required_relationship(schema: Schema, target: Dialect) -> Iterator[Finding]:
    for table in schema.tables:
        for key in table.foreign_keys:
            if not key.required:
                continue
            nullable = [
                name
                for name in key.columns
                if (column := table.column(name)) is not None and column.nullable
            ]
            if nullable:
                yield Finding(
                    "nullable-required-relationship",
                    "error",
                    f"{table.name}: foreign key {key.name}",
                    f"the relationship is required but {', '.join(nullable)} accepts NULL",
                    f"make {', '.join(nullable)} NOT NULL",
                )


def money_as_float(schema: Schema, target: Dialect) -> Iterator[Finding]:
    for table in schema.tables:
        for column in table.columns:
            if column.type.kind != "float":
                continue
            words = re.split(r"[^a-z]+", column.name.casefold())
            if any(word in MONEY_WORDS for word in words):
                yield Finding(
                    "money-as-float",
                    "warning",
                    _column_at(table, column),
                    f"{column.name} looks like money but is a binary float, which cannot hold "
                    "0.10 exactly; sums drift by fractions of a cent",
                    "use decimal with a precision and scale, e.g. decimal(12, 2)",
                )


def event_time_without_time_zone(schema: Schema, target: Dialect) -> Iterator[Finding]:
    if not target.timestamp_tz:
        return
    for table in schema.tables:
        for column in table.columns:
            if column.type.kind == "timestamp":
                yield Finding(
                    "event-time-without-time-zone",
                    "warning",
                    _column_at(table, column),
                    f"{column.name} is a timestamp without time zone: the same value means "
                    "different instants to clients in different zones",
                    "use a timestamp with time zone (datetime)",
                )


def _names(schema: Schema, flagged: Callable[[str], bool]) -> Iterator[tuple[str, str]]:
    """Every name in the schema that `flagged` picks, with where it is (written only for
    those: a large schema holds tens of thousands of names). Column names come back in table
    after table (id, created_at): each is judged once."""
    for enum in schema.enums:
        if flagged(enum.name):
            yield f"type {enum.name}", enum.name
    column_verdicts: dict[str, bool] = {}
    for table in schema.tables:
        if flagged(table.name):
            yield f"table {table.name}", table.name
        for column in table.columns:
            name = column.name
            verdict = column_verdicts.get(name)
            if verdict is None:
                verdict = column_verdicts[name] = flagged(name)
            if verdict:
                yield _column_at(table, column), name
        if table.primary_key is not None and flagged(table.primary_key.name):
            yield f"{table.name}: constraint {table.primary_key.name}", table.primary_key.name
        for constraints in (table.uniques, table.foreign_keys, table.checks):
            for constraint in constraints:
                if flagged(constraint.name):
                    yield f"{table.name}: constraint {constraint.name}", constraint.name
        for index in table.indexes:
            if flagged(index.name):
                yield f"{table.name}: index {index.name}", index.name


def identifier_too_long(schema: Schema, target: Dialect) -> Iterator[Finding]:
    limit = target.identifier_limit
    if limit is None:
        return

    def too_long(name: str) -> bool:
        # An ASCII name has as many bytes as characters.
        return len(name) > limit or (not name.isascii() and target.length(name) > limit)

    for location, name in _names(schema, too_long):
        yield Finding(
            "identifier-too-long",
            "error",
            location,
            f"{name!r} is {target.length(name)} {target.identifier_unit} long; "
            f"{target.name} allows {limit} and cuts or rejects longer names",
            f"shorten it to {limit} {target.identifier_unit}",
        )


def reserved_word_identifier(schema: Schema, target: Dialect) -> Iterator[Finding]:
    for location, name in _names(schema, target.is_reserved):
        yield Finding(
            "reserved-word-identifier",
            "warning",
            location,
            f"{name!r} is a reserved word in {target.name}: every query must quote it",
            "rename it (e.g. add a prefix or suffix) or always quote it",
        )


def enum_without_values(schema: Schema, target: Dialect) -> Iterator[Finding]:
    for enum in schema.enums:
        if not enum.values:
            yield Finding(
                "enum-without-values",
                "error",
                f"type {enum.name}",
                f"the enum {enum.name} has no values, so no row can hold one",
                "list the values it may take",
            )
    for table in schema.tables:
        for column in table.columns:
            if column.type.kind == "enum" and not column.type.values:
                yield Finding(
                    "enum-without-values",
                    "error",
                    _column_at(table, column),
                    f"{column.name} is an enum with no values",
                    "list the values it may take",
                )


def nullable_unique_column(schema: Schema, target: Dialect) -> Iterator[Finding]:
    for table in schema.tables:
        for key in table.uniques:
            for name in key.columns:
                column = table.column(name)
                if column is not None and column.nullable:
                    yield Finding(
                        "nullable-unique-column",
                        "warning",
                        _column_at(table, column),
                        f"{name} is unique but accepts NULL: most engines let many rows be NULL "
                        "(SQL Server allows only one), so uniqueness does not cover missing values",
                        f"make {name} NOT NULL if every row has one, or accept the NULLs knowingly",
                    )


def _numbered_stem(name: str) -> str:
    """What a numbered column name (`phone2`, `tag_3`) numbers, compared without case; ""
    for any other name, and for the numbered parts of one value (`address_line1`)."""
    # Only a name ending in a digit (or a newline, which `$` also matches before) can match;
    # the pattern's lazy group tries every position of any other name.
    if not (name[-1:].isdigit() or name.endswith("\n")):
        return ""
    match = _REPEATED.match(name)
    if not match or not match.group(1):
        return ""
    stem = match.group(1).casefold()
    return "" if any(stem.endswith(part) for part in _PARTS_OF_ONE_VALUE) else stem


def repeating_group(schema: Schema, target: Dialect) -> Iterator[Finding]:
    stems: dict[str, str] = {}  # by column name, each worked out once: names come back
    for table in schema.tables:
        groups: dict[str, list[str]] = {}
        for column in table.columns:
            name = column.name
            stem = stems.get(name)
            if stem is None:
                stem = stems[name] = _numbered_stem(name)
            if stem:
                groups.setdefault(stem, []).append(name)
        for stem, names in groups.items():
            if len(names) >= 2:
                yield Finding(
                    "repeating-group",
                    "warning",
                    f"table {table.name}",
                    f"{', '.join(names)} number one thing several times: a repeating group, "
                    f"capped at {len(names)} and hard to search",
                    f"move {stem} into its own table with a foreign key to {table.name}",
                )


def single_column_table(schema: Schema, target: Dialect) -> Iterator[Finding]:
    for table in schema.tables:
        if len(table.columns) == 1:
            yield Finding(
                "single-column-table",
                "info",
                f"table {table.name}",
                f"{table.name} has only {table.columns[0].name}: it holds a set of values, "
                "perhaps better a CHECK or an enum",
                "add the attributes it describes, or replace it with a constraint",
            )


def too_many_columns(schema: Schema, target: Dialect) -> Iterator[Finding]:
    for table in schema.tables:
        if len(table.columns) > MAX_COLUMNS:
            yield Finding(
                "too-many-columns",
                "warning",
                f"table {table.name}",
                f"{table.name} has {len(table.columns)} columns (more than {MAX_COLUMNS}): "
                "it likely mixes several entities or repeating groups",
                "split it into tables by what the columns describe",
            )


def _same_type(a: Column, b: Column) -> bool:
    left, right = a.type, b.type
    return (left.kind, left.length, left.precision, left.scale) == (
        right.kind,
        right.length,
        right.precision,
        right.scale,
    )


def foreign_key_type_mismatch(schema: Schema, target: Dialect) -> Iterator[Finding]:
    by_name: dict[str, Table] = {}
    for table in schema.tables:
        by_name.setdefault(table.name, table)  # the first of a name, as `Schema.table` finds
    for table in schema.tables:
        for key in table.foreign_keys:
            referenced = by_name.get(key.target)
            if referenced is None:
                continue
            for name, target_name in zip(key.columns, key.target_columns, strict=False):
                column, target_column = table.column(name), referenced.column(target_name)
                if column and target_column and not _same_type(column, target_column):
                    yield Finding(
                        "foreign-key-type-mismatch",
                        "error",
                        _column_at(table, column),
                        f"{name} is {column.type.kind} but references {key.target}."
                        f"{target_name}, which is {target_column.type.kind}: joins convert "
                        "every row and some engines refuse the key",
                        f"give {name} the type of {key.target}.{target_name}",
                    )


def undeclared_relationship(schema: Schema, target: Dialect) -> Iterator[Finding]:
    tables = {table.name.casefold(): table.name for table in schema.tables}
    stems: dict[str, str] = {}  # by column name, each worked out once: names come back
    for table in schema.tables:
        referencing: set[str] | None = None  # made for the tables that need it
        for column in table.columns:
            name = column.name
            stem = stems.get(name)
            if stem is None:
                stem = stems[name] = (
                    name[:-3] if name.casefold().endswith("_id") else ""
                ).casefold()
            if stem not in tables:
                continue
            if referencing is None:
                referencing = {c for key in table.foreign_keys for c in key.columns}
            if name not in referencing:
                yield Finding(
                    "undeclared-relationship",
                    "warning",
                    _column_at(table, column),
                    f"{name} names the table {tables[stem]} but no foreign "
                    "key says so: nothing stops it from pointing at a missing row",
                    f"add a foreign key from {name} to {tables[stem]}, "
                    "or declare the relationship in the requirements",
                )


def case_sensitive_unique_text(schema: Schema, target: Dialect) -> Iterator[Finding]:
    """A unique email or user name that compares with case: U@EX.COM beside u@ex.com."""
    if target.case_insensitive != "lower_index":  # the other dialects' defaults ignore case
        return
    for table in schema.tables:
        for key in table.uniques:
            for name in key.columns:
                column = table.column(name)
                words = re.split(r"[^a-z]+", name.casefold())
                if (
                    column is not None
                    and column.type.kind in ("string", "text")
                    and not column.case_insensitive
                    and any(word in CASELESS_WORDS for word in words)
                ):
                    yield Finding(
                        "case-sensitive-unique-text",
                        "warning",
                        _column_at(table, column),
                        f"{name} is unique but compares with case in {target.name}: "
                        f"U@EX.COM and u@ex.com can both be stored, as two accounts",
                        f"mark {name} case_insensitive: true (a unique index on lower({name}))",
                    )


def append_only_changed(schema: Schema, target: Dialect) -> Iterator[Finding]:
    """Update or delete patterns on a table whose rows are declared never to change."""
    for table in schema.tables:
        if table.append_only and table.changed_by:
            yield Finding(
                "append-only-changed",
                "warning",
                f"table {table.name}",
                f"{table.name} is append-only, but {', '.join(table.changed_by)} "
                "update or delete its rows: history would change, and the table has no "
                "updated_at to show when",
                "append a correcting row (a reversal, a new version) instead, or drop "
                "append_only from the entity",
            )


def unscoped_tenant_key(schema: Schema, target: Dialect) -> Iterator[Finding]:
    """In a shared-schema design, a unique key or a foreign key between tenant-scoped tables
    without the tenant id: the key holds across tenants (one tenant's value blocks another's),
    or a row can point at another tenant's row."""
    scope = schema.tenancy
    if scope is None:
        return
    tenant = scope.column
    for table in schema.tables:
        if table.name not in scope.scoped:
            continue
        uniques = [(key.name, key.columns) for key in table.uniques]
        uniques += [(i.name, i.column_names) for i in table.indexes if i.unique]
        for name, columns in uniques:
            if tenant not in columns:
                yield Finding(
                    "unscoped-tenant-key",
                    "error",
                    f"{table.name}: unique key {name}",
                    f"{name} ({', '.join(columns)}) is unique across all tenants: a value "
                    f"one tenant uses is refused to every other",
                    f"put {tenant} first: ({', '.join((tenant, *columns))})",
                )
        for key in table.foreign_keys:
            if key.target in scope.scoped and tenant not in key.columns:
                yield Finding(
                    "unscoped-tenant-key",
                    "error",
                    f"{table.name}: foreign key {key.name}",
                    f"{key.name} ({', '.join(key.columns)}) to {key.target} does not hold "
                    f"{tenant}: a row of one tenant can point at another tenant's {key.target}",
                    f"FOREIGN KEY ({', '.join((tenant, *key.columns))}) REFERENCES "
                    f"{key.target} ({', '.join((tenant, *key.target_columns))})",
                )


def _b_trees(table: Table) -> Iterator[tuple[str, Key | Index]]:
    """Every B-tree of the table with what it is: keys, then B-tree indexes."""
    if table.primary_key is not None:
        yield "primary key", table.primary_key
    for key in table.uniques:
        yield "unique constraint", key
    for index in table.indexes:
        if index.kind == "btree":
            yield "index", index


def _key_columns(b_tree: Key | Index) -> tuple[str, ...]:
    return b_tree.column_names if isinstance(b_tree, Index) else b_tree.columns


def b_tree_on_unindexable_column(schema: Schema, target: Dialect) -> Iterator[Finding]:
    for table in schema.tables:
        # The names of the columns no B-tree should hold; each key column is looked up only
        # when it has one of those names.
        suspects = {c.name for c in table.columns if c.type.kind in NOT_IN_B_TREE}
        if not suspects:
            continue
        for sort, b_tree in _b_trees(table):
            for name in _key_columns(b_tree):
                if name not in suspects:
                    continue
                column = table.column(name)
                if column is None or column.type.kind not in NOT_IN_B_TREE:
                    continue
                kind = column.type.kind
                what = f"{sort} {b_tree.name}"
                yield Finding(
                    "b-tree-on-unindexable-column",
                    "error",
                    f"{table.name}: {what}",
                    f"{what} is a B-tree over {name}, a {kind} column: "
                    + (
                        "a B-tree cannot find what is near or similar, only equal values"
                        if kind in ("point", "vector")
                        else "a value larger than a B-tree entry makes the insert fail"
                    ),
                    {
                        "point": "use a spatial index (PostGIS GiST, MySQL SPATIAL INDEX)",
                        "vector": "use a vector index (pgvector HNSW) or a search engine's "
                        "vector field",
                    }.get(
                        kind,
                        f"index a hash or a short prefix of {name}, or a full-text index",
                    ),
                )


def _key_part_bytes(column: Column, sizes: Mapping[str, float]) -> float:
    kind, length = column.type.kind, column.type.length
    if kind == "string":
        return (length or UNBOUNDED_INDEXED_LENGTH) * sizes["character"]
    if kind == "decimal":
        return (column.type.precision or 65) * sizes["decimal_digit"] + 1
    return sizes.get(kind, 0)


def index_key_too_large(schema: Schema, target: Dialect) -> Iterator[Finding]:
    limit, sizes = target.index_key_max_bytes, target.key_bytes
    if limit is None or not sizes:
        return
    for table in schema.tables:
        for sort, b_tree in _b_trees(table):
            columns = [c for n in _key_columns(b_tree) if (c := table.column(n)) is not None]
            if any(c.type.kind in NOT_IN_B_TREE for c in columns):
                continue  # b-tree-on-unindexable-column says it
            size = sum(_key_part_bytes(c, sizes) for c in columns)
            if size <= limit:
                continue
            what = f"{sort} {b_tree.name}"
            # MariaDB (10.4+) enforces a longer unique constraint through a hidden hash; MySQL
            # 8.0 rejects it like any other key over the limit.
            unique = isinstance(b_tree, Key) and b_tree is not table.primary_key
            yield Finding(
                "index-key-too-large",
                "warning" if unique else "error",
                f"{table.name}: {what}",
                f"the key of {what} takes up to {size:g} bytes; InnoDB keys hold {limit}: "
                + (
                    "MySQL 8.0 rejects it (MariaDB enforces it through a hidden hash)"
                    if unique
                    else f"{target.title} rejects the index"
                ),
                "shorten the string columns of the key, or index a prefix or a hash "
                "(a stored generated column)",
            )


RULES: tuple[Rule, ...] = (
    table_without_primary_key,
    foreign_key_without_index,
    redundant_index,
    nullable_required_relationship,
    money_as_float,
    event_time_without_time_zone,
    identifier_too_long,
    reserved_word_identifier,
    enum_without_values,
    nullable_unique_column,
    repeating_group,
    single_column_table,
    too_many_columns,
    foreign_key_type_mismatch,
    undeclared_relationship,
    case_sensitive_unique_text,
    append_only_changed,
    b_tree_on_unindexable_column,
    index_key_too_large,
    unscoped_tenant_key,
)


# What each rule finds and why it matters, for the rule lists of SARIF, JUnit and docs/ci.md;
# each finding says where and how to fix it.
RULE_HELP: Mapping[str, str] = {
    "table-without-primary-key": "A table has no primary key: rows cannot be told apart, "
    "referred to, or replicated by most tools.",
    "foreign-key-without-index": "No index starts with a foreign key's columns: joins and "
    "every delete in the referenced table scan the referencing table.",
    "redundant-index": "An index repeats the leading columns of another index or key, which "
    "serves the same lookups; it only slows writes.",
    "nullable-required-relationship": "A required relationship's columns accept NULL, so a "
    "row can exist without the item it must refer to.",
    "money-as-float": "A money column is a binary float, which cannot hold 0.10 exactly; sums "
    "drift by fractions of a cent.",
    "event-time-without-time-zone": "A timestamp has no time zone: the same value means "
    "different instants to clients in different zones.",
    "identifier-too-long": "A name is longer than the dialect allows; the database cuts or "
    "rejects it.",
    "reserved-word-identifier": "A name is a reserved word of the dialect: every query must "
    "quote it.",
    "enum-without-values": "An enum has no values, so no row can hold one.",
    "nullable-unique-column": "A unique column accepts NULL: most engines let many rows be "
    "NULL, so uniqueness does not cover missing values.",
    "repeating-group": "Numbered columns (phone1, phone2) hold one thing several times: capped "
    "and hard to search.",
    "single-column-table": "A table with one column holds a set of values, perhaps better a "
    "CHECK or an enum.",
    "too-many-columns": f"A table has more than {MAX_COLUMNS} columns: it likely mixes "
    "several entities.",
    "foreign-key-type-mismatch": "A foreign key column's type differs from the column it "
    "references: joins convert every row and some engines refuse the key.",
    "undeclared-relationship": "A column named like another table's id has no foreign key: "
    "nothing stops it from pointing at a missing row.",
    "case-sensitive-unique-text": "A unique email or user name compares with case: "
    "U@EX.COM and u@ex.com can both be stored.",
    "append-only-changed": "Patterns update or delete rows of an append-only table: history "
    "would change.",
    "b-tree-on-unindexable-column": "A B-tree key or index holds a point, a vector or a large "
    "value: it cannot serve the search, or the insert fails.",
    "index-key-too-large": "A key is larger than the engine's limit for an index entry: the "
    "index is rejected.",
    "unscoped-tenant-key": "In a shared-schema design, a unique key or foreign key of a "
    "tenant-scoped table lacks the tenant id: it holds across tenants.",
}


@dataclass(frozen=True)
class Subject:
    """What a finding is about: its table (physical name, "" for an enum type) and the path
    in the requirements document it came from ("" when the schema does not say)."""

    table: str
    path: str


_DOCUMENT_PATH = re.compile(r"^(entities|relationships|access_patterns)\[\d+\]")


def subject(schema: Schema, finding: Finding) -> Subject:
    """The table a finding of `schema` is about, and the requirements path it came from,
    read back from the locations the rules write (`table t`, `t.column`, `t: what`).

    >>> from advisor.requirements import read_requirements
    >>> from advisor.schema import build_schema
    >>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\n"
    ...     "entities: [{name: a}, {name: user, attributes: [{name: select, type: string}]}]\\n")
    >>> schema = build_schema(shop, "postgresql")
    >>> [subject(schema, finding) for finding in lint(schema)]  # doctest: +NORMALIZE_WHITESPACE
    [Subject(table='user', path='entities[1]'),
     Subject(table='user', path='entities[1].attributes[0]')]
    """
    return subjects(schema)(finding)


def subjects(schema: Schema) -> Callable[[Finding], Subject]:
    """`subject` for many findings of one schema: its tables are looked up by name once.

    A location names its table at its start: `table t`, or `t` before a `: ` or a `.`. Of the
    tables so named, the longest name wins (then the first table), as names may hold those
    separators themselves; a `t.` location must name a column of `t`.
    """
    by_name: dict[str, list[tuple[int, Table]]] = {}
    for position, table in enumerate(schema.tables):
        by_name.setdefault(table.name, []).append((position, table))

    def find(finding: Finding) -> Subject:
        location = finding.location
        names = {location[len("table ") :]} if location.startswith("table ") else set()
        for separator in (": ", "."):
            end = location.find(separator)
            while end != -1:
                names.add(location[:end])
                end = location.find(separator, end + 1)
        named = [(-len(name), *found) for name in names for found in by_name.get(name, ())]
        for _, _, table in sorted(named, key=lambda item: item[:2]):
            column = None
            if location == f"table {table.name}" or location.startswith(f"{table.name}: "):
                pass
            elif location.startswith(f"{table.name}."):
                column = table.column(location[len(table.name) + 1 :])
                if column is None:
                    continue
            else:
                continue
            return Subject(table.name, document_path(table, column))
        return Subject("", "")

    return find


def document_path(table: Table, column: Column | None = None) -> str:
    """Where in the requirements a column (or else its table) was declared: `entities[2]`,
    `entities[2].attributes[0]`, `relationships[1]`; "" for what the document does not hold
    (an implicit column of an imported table)."""
    for source in (column.source if column else "", table.source):
        if _DOCUMENT_PATH.match(source):
            return source
    return ""


def lint(schema: Schema, rules: tuple[Rule, ...] = RULES) -> tuple[Finding, ...]:
    """The findings of every rule on `schema`, rule by rule in the order of `rules`.

    >>> from advisor.schema.model import Column, ColumnType, Schema, Table
    >>> table = Table("note", (Column("body", ColumnType("text")),))
    >>> [(f.rule, f.severity, f.location) for f in lint(Schema("sqlite", (table,)))]
    [('table-without-primary-key', 'error', 'table note'), ('single-column-table', 'info', 'table note')]
    """  # noqa: E501
    target = dialect(schema.dialect)
    return tuple(finding for rule in rules for finding in rule(schema, target))
