"""Cassandra and ScyllaDB: one table per query pattern, with a partition-size estimate against the
100 MB guidance and a time or hash bucket in the partition key where the estimate exceeds it.

A read pattern's equality filters make the partition key; its range filters and sort make the
clustering columns, in order, with `id` last so that rows stay distinct. Writes go to every table
of their entity (a logged batch keeps them in step). No secondary indexes or materialized views:
each query reads one partition of its own table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.facts import PatternFacts
from advisor.knowledge import knowledge, reserved_words
from advisor.recommendation import Reason
from advisor.requirements.model import Attribute, Entity, Requirements
from advisor.sizing import value_bytes
from advisor.stores.common import (
    BYTES_PER_MB,
    SECONDS_PER_DAY,
    TEMPORAL_TYPES,
    Scope,
    StoreRequest,
    StoreSchema,
    UniqueNames,
    ascii_name,
    bounded_values,
    entity_path,
    entity_rows,
    figure,
    implicit_attribute,
    is_timed,
    megabytes,
    number,
    plural,
    reason,
    retention_days,
    scope,
    time_attribute,
    unique_names,
    unread_entities,
    unread_reason,
    write_rate,
)

CQL_TYPES = {
    "string": "text",
    "text": "text",
    "integer": "int",
    "bigint": "bigint",
    "decimal": "decimal",
    "float": "double",
    "boolean": "boolean",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "uuid": "uuid",
    "json": "text",
    "enum": "text",
    "binary": "blob",
    "point": "tuple<double, double>",  # longitude, latitude: CQL has no spatial type or index
    "vector": "blob",  # float32 values; vector<float, n> and its SAI index need Cassandra 5.0
}
RANGE_KINDS = ("range", "aggregate", "time_window")
NUMERIC = ("integer", "bigint", "decimal", "float")
BUCKETS = (("month", 30.0), ("week", 7.0), ("day", 1.0), ("hour", 1 / 24))
_PLAIN = re.compile(r"[a-z][a-z0-9_]*")


def cql_name(name: str) -> str:
    '''A CQL identifier: as written when it is a plain lower-case word that is not reserved,
    else double-quoted with inner quotes doubled.

    >>> cql_name("sent_at"), cql_name("order"), cql_name('say "hi"'), cql_name("客户")
    ('sent_at', '"order"', '"say ""hi"""', '"客户"')
    '''
    if _PLAIN.fullmatch(name) and name not in reserved_words("cql_reserved"):
        return name
    return '"' + name.replace('"', '""') + '"'


def cql_string(text: str) -> str:
    """A CQL string literal.

    >>> cql_string("it's")
    "'it''s'"
    """
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    attribute: Attribute | None = None  # None: a reference or a bucket

    @property
    def bytes(self) -> float:
        return value_bytes(self.attribute) if self.attribute is not None else 16.0


@dataclass(frozen=True)
class Table:
    name: str
    entity: str
    partition: tuple[str, ...]
    clustering: tuple[tuple[str, bool], ...]  # (column, descending)
    columns: tuple[Column, ...]
    patterns: tuple[str, ...]
    ttl: int | None = None
    estimate: str = ""


class _Designer:
    def __init__(self, scope: Scope, distinct_values: dict[str, float]) -> None:
        self.scope = scope
        self.requirements: Requirements = scope.requirements
        self.distinct_values = distinct_values
        self.rows = entity_rows(scope)
        self.decisions: list[Reason] = []
        self.entities = {e.name: e for e in self.requirements.entities}
        self.names = UniqueNames()  # the tables' names, once design() has named them

    def columns(self, entity: Entity) -> dict[str, Column]:
        """The columns of an entity's tables, by field name (attributes, then references)."""
        result: dict[str, Column] = {}
        for name in entity.attribute_names():
            attribute = implicit_attribute(entity, name, "uuid")
            column_type = CQL_TYPES[attribute.type]
            result[name] = Column(name, column_type, attribute)
        for relationship in self.scope.outgoing(entity.name):
            if relationship.cardinality == "many-to-many":
                name = f"{relationship.role}_ids"
                result[name] = Column(name, "set<uuid>")
            else:
                name = f"{relationship.role}_id"
                result[name] = Column(name, "uuid")
        return result

    def ttl(self, entity: Entity) -> int | None:
        """The table TTL: the retention, for entities written as streams or read by time."""
        days = retention_days(self.scope)
        if days is not None and is_timed(self.scope, entity.name):
            return days * SECONDS_PER_DAY
        return None

    def lifetime_days(self) -> float:
        days = retention_days(self.scope)
        horizon = self.scope.facts.matrix.threshold("planning_horizon_months") * 30
        return float(days) if days is not None else horizon

    def partitions(self, entity: Entity, fields: Sequence[str]) -> tuple[float, str]:
        rows = max(self.rows.get(entity.name, 1.0), 1.0)
        if len(fields) == 1 and (fields[0] == "id" or implicit_attribute(entity, fields[0]).unique):
            return rows, f"{fields[0]} is unique: one row per partition"
        assumed = float(knowledge()["assumed_distinct_values"])
        roles = {f"{r.role}_id": r.target for r in self.scope.outgoing(entity.name)}
        count, basis = 1.0, []
        for name in fields:
            if name in self.distinct_values:
                value = self.distinct_values[name]
                basis.append(f"{name}: {number(value)} values (given)")
            elif (bounded := bounded_values(implicit_attribute(entity, name))) is not None:
                value = float(bounded)
                basis.append(f"{name}: {bounded} values (its type)")
            elif name in roles:
                # One partition per parent: the parent's own estimate, even when no pattern
                # writes it (a flat assumption sized buckets for 100,000 conversations when
                # the data said otherwise).
                value = max(self.rows.get(roles[name], 1.0), 1.0)
                estimated = "" if self._written(roles[name]) else ", estimated from the volume"
                basis.append(f"{name}: one per {roles[name]} ({number(value)}{estimated})")
            else:
                value = assumed
                basis.append(f"{name}: {number(value)} distinct values (assumed)")
            count *= value
        return min(count, rows), "; ".join(basis)

    def _written(self, entity: str) -> bool:
        return any(p.writes for p in self.scope.facts.patterns_by_entity.get(entity, ()))

    def size(
        self,
        table_columns: dict[str, Column],
        partition: Sequence[str],
        clustering: Sequence[str],
        rows_per_partition: float,
    ) -> tuple[float, float]:
        """Bytes and values of one partition, by the DataStax formula."""
        key = sum(table_columns[c].bytes for c in partition)
        others = [c for c in table_columns if c not in partition]
        row = sum(table_columns[c].bytes for c in others)
        values = rows_per_partition * max(len(others) - len(clustering), 1)
        overhead = figure("cassandra", "cell_overhead_bytes")
        return key + rows_per_partition * row + overhead * values, values

    def table(self, entity: Entity, facts: PatternFacts) -> Table | None:
        pattern = facts.pattern
        columns = self.columns(entity)
        equality: list[str] = []
        ranges: list[str] = []
        for name in pattern.filter:
            field = self.scope.field(entity.name, name)
            if field is None or field not in columns:
                continue
            attribute = columns[field].attribute
            kind = attribute.type if attribute is not None else "reference"
            if kind in TEMPORAL_TYPES or (kind in NUMERIC and pattern.kind in RANGE_KINDS):
                ranges.append(field)
            else:
                equality.append(field)
        clustering: list[tuple[str, bool]] = []
        for spelled in pattern.sort:
            field = self.scope.field(entity.name, spelled.removeprefix("-"))
            if field is not None and field in columns and field not in equality:
                clustering.append((field, spelled.startswith("-")))
        clustering += [(f, False) for f in ranges if f not in {c for c, _ in clustering}]
        partition = list(dict.fromkeys(equality))
        unique = len(partition) == 1 and (
            partition[0] == "id" or implicit_attribute(entity, partition[0]).unique
        )
        if not unique and "id" not in partition and "id" not in {c for c, _ in clustering}:
            clustering.append(("id", False))
        if unique:
            clustering = []
        served = f"{pattern.name!r}"
        rows = max(self.rows.get(entity.name, 1.0), 1.0)
        if partition:
            count, basis = self.partitions(entity, partition)
        else:
            count, basis = 1.0, "no equality filter: one partition for the whole table"
        per_partition = rows / count
        size, values = self.size(columns, partition, [c for c, _ in clustering], per_partition)
        limit = figure("cassandra", "partition_max_mb") * BYTES_PER_MB
        max_values = figure("cassandra", "partition_max_values")
        estimate = (
            f"{served}: {number(rows)} {entity.name} rows over {number(self.lifetime_days())} "
            f"days in {number(count)} partitions ({basis}): {plural(per_partition, 'row')}, "
            f"{megabytes(size)} and {number(values)} values per partition"
        )
        name_fields = partition or [c for c, _ in clustering[:1]]
        wanted_name = f"{entity.name}_by_{'_'.join(name_fields)}"
        bucket_column = None
        if size > limit or values > max_values:
            time_column = next(
                (
                    c
                    for c, _ in clustering
                    if c in columns and columns[c].type in ("timestamp", "date")
                ),
                None,
            )
            if time_column is None:
                found = time_attribute(self.scope, entity)
                time_column = found if found in columns else None
            taken = {*columns}
            bucket_column = unique_names([*taken, "bucket"])[-1]
            if time_column is not None:
                # The rows one partition takes per bucket: the entity's write rate spread over
                # its partitions (or, unwritten, its rows over their lifetime), times the bucket.
                rate = write_rate(self.scope, entity.name)
                per_day = (
                    rate * SECONDS_PER_DAY / count if rate else per_partition / self.lifetime_days()
                )
                row_size = size / per_partition
                row_values = values / per_partition
                unit, span = BUCKETS[-1]
                for candidate, bucket_days in BUCKETS:
                    rows_in = per_day * bucket_days
                    if rows_in * row_size <= limit and rows_in * row_values <= max_values:
                        unit, span = candidate, bucket_days
                        break
                rows_in = per_day * span
                bucketed = rows_in * row_size
                source = (
                    f"{number(rate)} writes/s over {plural(count, 'partition')}"
                    if rate
                    else f"{number(per_partition)} rows over {number(self.lifetime_days())} days"
                )
                outcome = (
                    f"over the {number(limit / BYTES_PER_MB)} MB guidance, so the partition key "
                    f"adds {bucket_column}, the {unit} of {time_column}: {source} is "
                    f"{plural(per_day, 'row')} a day per partition, so "
                    f"{'an' if unit == 'hour' else 'a'} {unit} holds about "
                    f"{plural(rows_in, 'row')}, {megabytes(bucketed)} and "
                    f"{number(rows_in * row_values)} values (limits "
                    f"{number(limit / BYTES_PER_MB)} MB and {number(max_values)} values); reads "
                    "walk the buckets from the newest"
                )
                if bucketed > limit or rows_in * row_values > max_values:
                    outcome += "; even hourly buckets exceed the guidance: add a hash bucket too"
                columns[bucket_column] = Column(bucket_column, "timestamp")
            else:
                buckets = math.ceil(max(size / limit, values / max_values))
                outcome = (
                    f"over the {number(limit / BYTES_PER_MB)} MB guidance and no time column to "
                    f"bucket by, so the partition key adds {bucket_column} = hash(id) mod "
                    f"{buckets}; a read queries the {buckets} buckets in parallel"
                )
                columns[bucket_column] = Column(bucket_column, "int")
            partition.append(bucket_column)
        else:
            outcome = f"within the {number(limit / BYTES_PER_MB)} MB guidance"
        self.decisions.append(
            reason(
                "cassandra_partition_size",
                (facts.path, "workload.data_volume_gb", "workload.growth_gb_per_month"),
                f"{'bucketed by ' + bucket_column if bucket_column else 'no bucket'}",
                f"{estimate}: {outcome}.",
            )
        )
        if not partition:
            partition = [bucket_column or "id"]
        ordered = [
            *partition,
            *(c for c, _ in clustering),
            *(c for c in columns if c not in partition and c not in {n for n, _ in clustering}),
        ]
        return Table(
            name=wanted_name,
            entity=entity.name,
            partition=tuple(partition),
            clustering=tuple(clustering),
            columns=tuple(columns[c] for c in ordered),
            patterns=(pattern.name,),
            ttl=self.ttl(entity),
            estimate=f"{estimate}: {outcome}",
        )

    def design(self) -> list[Table]:
        tables: list[Table] = []
        shapes: dict[tuple[str, tuple[str, ...], tuple[tuple[str, bool], ...]], int] = {}
        for facts in self.scope.patterns:
            pattern = facts.pattern
            entity = self.entities[pattern.entity]
            if pattern.kind in ("full_text", "traversal") or (
                pattern.kind == "aggregate" and not pattern.filter
            ):
                self.decisions.append(
                    reason(
                        "cassandra_not_served",
                        (facts.path,),
                        "no table",
                        f"{pattern.name!r} is a {pattern.kind.replace('_', ' ')} pattern across "
                        "partitions, which Cassandra does not serve well: serve it from a search "
                        "or analytics component fed by CDC, or keep its results in a table of "
                        "their own.",
                    )
                )
                continue
            if pattern.operation != "read":
                continue
            table = self.table(entity, facts)
            if table is None:
                continue
            shape = (table.entity, table.partition, table.clustering)
            if shape in shapes:
                same = tables[shapes[shape]]
                tables[shapes[shape]] = Table(
                    **{**same.__dict__, "patterns": (*same.patterns, pattern.name)}
                )
                continue
            shapes[shape] = len(tables)
            tables.append(table)
        self.names = UniqueNames(
            ascii_name(t.name, int(figure("cassandra", "name_max_length")), lower=True)
            for t in tables
        )
        named = zip(tables, self.names.names, strict=True)
        tables = [Table(**{**t.__dict__, "name": n}) for t, n in named]
        owned: dict[str, list[str]] = {}
        for table in tables:
            owned.setdefault(table.entity, []).append(table.name)
        for facts in self.scope.patterns:
            pattern = facts.pattern
            if pattern.operation == "read" or pattern.kind in ("full_text", "traversal"):
                continue
            own = owned.get(pattern.entity, [])
            if not own:
                base = self.home(
                    self.entities[pattern.entity],
                    (pattern.name,),
                    f"{pattern.name!r} needs a table to write to and no read pattern asks for "
                    "one, so it is keyed by id",
                )
                tables.append(base)
                own = owned[pattern.entity] = [base.name]
            verb = {"write": "inserts into", "update": "updates", "delete": "deletes from"}[
                pattern.operation
            ]
            self.decisions.append(
                reason(
                    "cassandra_writes",
                    (facts.path,),
                    f"{pattern.name} writes {plural(len(own), 'table')}",
                    f"{pattern.name!r} {verb} every table of {pattern.entity} "
                    f"({', '.join(own)})"
                    + (", in one logged batch so that they stay in step" if len(own) > 1 else "")
                    + ".",
                )
            )
        return tables

    def home(self, entity: Entity, patterns: tuple[str, ...], estimate: str) -> Table:
        """A table of `entity` keyed by id, named apart from the tables made so far."""
        return Table(
            name=self.names.claim(ascii_name(entity.name, 48, lower=True)),
            entity=entity.name,
            partition=("id",),
            clustering=(),
            columns=tuple(self.columns(entity).values()),
            patterns=patterns,
            ttl=self.ttl(entity),
            estimate=estimate,
        )

    def homes(self, tables: list[Table]) -> None:
        """A table keyed by id for every entity without one, and a word on every entity no
        pattern reads: a system of record holds them all."""
        first: dict[str, Table] = {}
        for table in tables:
            first.setdefault(table.entity, table)
        for entity in self.scope.entities:
            if entity.name not in first:
                first[entity.name] = self.home(
                    entity,
                    (),
                    f"no access pattern reads or writes {entity.name} yet: keyed by id, "
                    "so that the keyspace holds the whole system of record",
                )
                tables.append(first[entity.name])
        for entity in unread_entities(self.scope):
            table = first[entity.name]
            self.decisions.append(
                unread_reason("cassandra", self.scope, entity.name, f"the table {table.name}")
            )


def _render_table(keyspace: str, table: Table) -> list[str]:
    lines = [f"-- {line}" for line in _wrap(table.estimate)]
    served = ", ".join(table.patterns) or "no pattern yet"
    lines.append(f"-- serves: {served}")
    lines.append(f"CREATE TABLE IF NOT EXISTS {keyspace}.{table.name} (")
    for column in table.columns:
        lines.append(f"    {cql_name(column.name)} {column.type},")
    partition = ", ".join(cql_name(c) for c in table.partition)
    if len(table.partition) > 1:
        partition = f"({partition})"
    clustering = "".join(f", {cql_name(c)}" for c, _ in table.clustering)
    lines.append(f"    PRIMARY KEY ({partition}{clustering})")
    options = []
    if table.clustering:
        order = ", ".join(f"{cql_name(c)} {'DESC' if d else 'ASC'}" for c, d in table.clustering)
        options.append(f"CLUSTERING ORDER BY ({order})")
    if table.ttl is not None:
        options.append(f"default_time_to_live = {table.ttl}")
        options.append(
            "compaction = {'class': 'TimeWindowCompactionStrategy', "
            "'compaction_window_unit': 'DAYS', 'compaction_window_size': 1}"
        )
    options.append(f"comment = {cql_string('serves ' + served)}")
    lines.append(") WITH " + "\n    AND ".join(options) + ";")
    return lines


def _wrap(text: str, width: int = 96) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current] if current else lines


def cassandra_schema(request: StoreRequest) -> StoreSchema:
    """The CQL schema: a keyspace and one table per read pattern, bucketed where needed; as a
    system of record, also a table keyed by id for every entity without one.

    `request.distinct_values` states how many values a partition key field takes (default:
    derived from the referenced entity, or the planning figure `assumed_distinct_values`).

    >>> from advisor.requirements import read_requirements
    >>> chat = read_requirements('''
    ... format: advisor/v1
    ... project: Chat
    ... workload: {data_volume_gb: 5000, writes_per_second: 10000}
    ... entities:
    ...   - {name: message, attributes: [{name: room, type: string, length: 40},
    ...                                  {name: sent_at, type: datetime, required: true}]}
    ... access_patterns:
    ...   - {name: latest, entity: message, operation: read, kind: range, filter: [room],
    ...      sort: [-sent_at]}
    ... ''')
    >>> from advisor.facts import build_facts
    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> request = StoreRequest(build_facts(chat, DEFAULT_MATRIX), "cassandra")
    >>> print(cassandra_schema(request).text.split("CREATE TABLE")[1].split("WITH")[0].strip())
    IF NOT EXISTS chat.message_by_room (
        room text,
        bucket timestamp,
        sent_at timestamp,
        id uuid,
        created_at timestamp,
        updated_at timestamp,
        PRIMARY KEY ((room, bucket), sent_at, id)
    )
    """
    requirements, technology = request.requirements, request.technology
    chosen = scope(request)
    designer = _Designer(chosen, dict(request.distinct_values))
    tables = designer.design()
    if request.system_of_record:
        designer.homes(tables)
    keyspace = ascii_name(
        requirements.project, int(figure("cassandra", "name_max_length")), lower=True
    )
    regions = max(requirements.workload.regions, 1)
    factor = int(figure("cassandra", "replication_factor"))
    replication = ", ".join(f"'region{n}': {factor}" for n in range(1, regions + 1))
    name = "ScyllaDB" if technology == "scylladb" else "Apache Cassandra"
    lines = [
        f"-- {name} schema for {requirements.project}, from the database design advisor.",
        "-- Run it with cqlsh -f. One table per query; writes go to every table of their entity.",
        "-- Rename the data centres (region1...) to yours.",
        "",
        f"CREATE KEYSPACE IF NOT EXISTS {keyspace} WITH replication = "
        f"{{'class': 'NetworkTopologyStrategy', {replication}}};",
    ]
    designer.decisions.insert(
        0,
        reason(
            "cassandra_keys",
            ("keys.strategy",),
            "id: uuid",
            "Ids are UUIDs made by the application (version 7 keeps them in time order): "
            "Cassandra has no sequences, and a counter would need a read before every insert.",
        ),
    )
    if keyspace != requirements.project:
        designer.decisions.append(
            reason(
                "cassandra_names",
                ("project",),
                f"keyspace {keyspace}",
                "Keyspace and table names are letters, digits and underscores, at most 48 "
                "characters, even when quoted; other names are spelled that way with a hash "
                "suffix. Column names keep any spelling, double-quoted.",
            )
        )
    for table in tables:
        lines += ["", *_render_table(keyspace, table)]
    lines += _counter_tables(request, keyspace, designer.decisions)
    tabled = {t.entity for t in tables}
    for entity in chosen.entities:
        if entity.name not in tabled:
            designer.decisions.append(
                reason(
                    "cassandra_no_table",
                    (entity_path(requirements, entity.name),),
                    f"no table for {entity.name}",
                    f"No pattern reads or writes {entity.name} here, so it has no table.",
                )
            )
    return StoreSchema(
        store="cassandra",
        technology=technology,
        filename="cassandra.cql",
        text="\n".join(lines) + "\n",
        decisions=tuple(designer.decisions),
        role=request.role,
        patterns=tuple(p.pattern.name for p in chosen.patterns),
    )


def _counter_tables(request: StoreRequest, keyspace: str, decisions: list[Reason]) -> list[str]:
    """A counter table per entity whose increments the engine gave to the store's own counters
    (`native_counter`): counter columns cannot share a table with other columns."""
    lines: list[str] = []
    by_entity: dict[str, list[str]] = {}
    inputs: dict[str, list[str]] = {}
    for counter in request.counters:
        if counter.how == "native_counter":
            names = by_entity.setdefault(counter.entity, [])
            names += [c for c in counter.columns if c not in names]
            inputs.setdefault(counter.entity, []).extend(counter.inputs[:1])
    for entity, columns in by_entity.items():
        table = f"{ascii_name(entity, 40, lower=True)}_counters"
        body = [f"  {cql_name('id')} uuid PRIMARY KEY"]
        body += [f"  {cql_name(c)} counter" for c in columns]
        lines += [
            "",
            f"-- {entity}: increments (UPDATE ... SET n = n + 1 WHERE id = ?); a counter table "
            "holds only its key and counters.",
            f"CREATE TABLE IF NOT EXISTS {keyspace}.{table} (",
            ",\n".join(body),
            ");",
        ]
        decisions.append(
            reason(
                "cassandra_counters",
                tuple(inputs[entity]),
                f"{table}: {', '.join(columns)}",
                f"{entity}'s {', '.join(columns)} are counter columns in {table}: increments "
                "are applied by the replicas without a read by the client, and a counter table "
                "holds nothing but its key and counters.",
            )
        )
    return lines
