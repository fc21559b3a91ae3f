"""ClickHouse: one MergeTree table per entity, sorted for the access patterns it serves, with
monthly partitions, a TTL at the retention and materialized views for aggregations.

The sorting key (ORDER BY, which is also the sparse primary index) takes the columns the read
patterns compare for equality that have few values (booleans, enums, short strings), fewest
first, then those with many values that the most frequent read pattern compares (a host and a
metric), then the time column; other equality columns with many values get a bloom-filter
skipping index. Aggregate and time-window patterns read materialized views that keep their
groups pre-aggregated (SummingMergeTree for counts, AggregatingMergeTree when there are
measures: each column as `common.rollup` says: sums and counts, min and max, quantile
states for durations, last values of gauges and positions, sums per direction and a signed net
for amounts with a direction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.facts import PatternFacts
from advisor.knowledge import knowledge, reserved_words
from advisor.recommendation import Reason
from advisor.requirements.model import Attribute, Entity
from advisor.stores.common import (
    QUANTILE_LEVELS,
    TEMPORAL_TYPES,
    Rollup,
    Scope,
    StoreRequest,
    StoreSchema,
    UniqueNames,
    ascii_name,
    bounded_values,
    entity_path,
    figure,
    implicit_attribute,
    is_expiry,
    is_timed,
    reason,
    retention_days,
    rollup,
    scope,
    unique_names,
    unread_entities,
    unread_reason,
)
from advisor.stores.timeseries import bucket_of

TYPES = {
    "string": "String",
    "text": "String",
    "integer": "Int32",
    "bigint": "Int64",
    "float": "Float64",
    "boolean": "Bool",
    "date": "Date32",
    "datetime": "DateTime64(3, 'UTC')",
    "time": "String",  # no time-of-day type before ClickHouse 25.6: 'HH:MM:SS'
    "uuid": "UUID",
    "json": "String",  # JSON text; the JSON type is still marked beta in many releases
    "binary": "String",
    "point": "Point",  # Tuple(Float64, Float64): longitude, latitude
    "vector": "Array(Float32)",
}
MEASURE_TYPES = ("integer", "bigint", "decimal", "float")
RANGE_KINDS = ("range", "aggregate", "time_window")
AGGREGATE_KINDS = ("aggregate", "time_window")
# The function that truncates a time to each bucket of `timeseries.bucket_of`, by its seconds,
# with the type of the bucket it returns.
BUCKET_FUNCTIONS = {
    60: ("toStartOfMinute", "DateTime('UTC')"),
    3600: ("toStartOfHour", "DateTime('UTC')"),
    86400: ("toStartOfDay", "DateTime('UTC')"),
    7 * 86400: ("toMonday", "Date"),
    30 * 86400: ("toStartOfMonth", "Date"),
}
QUANTILES = f"quantiles({', '.join(str(q) for q in QUANTILE_LEVELS)})"
_PLAIN = re.compile(r"[a-z_][a-z0-9_]*")


def ch_name(name: str) -> str:
    """A ClickHouse identifier: as written when it is a plain lower-case word that is not a
    keyword, else in backticks with backslashes and backticks escaped.

    >>> ch_name("at"), ch_name("order"), ch_name("a`b"), ch_name("客户")
    ('at', '`order`', '`a\\\\`b`', '`客户`')
    """
    if _PLAIN.fullmatch(name) and name not in reserved_words("clickhouse_reserved"):
        return name
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def ch_string(text: str) -> str:
    """A ClickHouse string literal (backslash escapes, as ClickHouse reads them).

    >>> print(ch_string("it's"))
    'it\\'s'
    """
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # without Nullable
    nullable: bool
    attribute: Attribute | None  # None: a reference
    cardinality: int | None  # the values a low-cardinality column takes, when bounded

    @property
    def low(self) -> bool:
        return self.type.startswith("LowCardinality") or self.cardinality is not None

    def declared(self, in_key: bool) -> str:
        if not self.nullable or in_key:
            return self.type
        if self.type.startswith("LowCardinality("):
            return f"LowCardinality(Nullable({self.type[len('LowCardinality(') : -1]}))"
        return f"Nullable({self.type})"


def column_type(attribute: Attribute, key_type: str) -> tuple[str, int | None]:
    """The ClickHouse type of an attribute (without Nullable), and its bounded values.

    >>> column_type(Attribute("country", "string", length=2), "Int64")
    ('LowCardinality(String)', None)
    >>> column_type(Attribute("status", "enum", values=("a", "b")), "Int64")
    ('LowCardinality(String)', 2)
    """
    if attribute.name == "id" and attribute.type in ("bigint", "uuid"):
        return key_type, None
    if attribute.type == "enum":
        return "LowCardinality(String)", len(attribute.values)
    if attribute.type == "boolean":
        return "Bool", bounded_values(attribute)
    if attribute.type == "string" and not attribute.unique:
        short = int(figure("clickhouse", "low_cardinality_max_length"))
        if attribute.length is not None and attribute.length <= short:
            return "LowCardinality(String)", None
    if attribute.type == "decimal":
        precision = attribute.precision or 18
        return f"Decimal({precision}, {attribute.scale or 0})", None
    return TYPES[attribute.type], None


class _Designer:
    def __init__(self, chosen: Scope, key_type: str) -> None:
        self.scope = chosen
        self.requirements = chosen.requirements
        self.key_type = key_type
        self.decisions: list[Reason] = []
        self.statements: list[str] = []
        self.table_names = dict(
            zip(
                [e.name for e in chosen.entities],
                unique_names(e.name for e in chosen.entities),
                strict=True,
            )
        )
        self.taken = UniqueNames(self.table_names.values())

    def columns(self, entity: Entity) -> dict[str, Column]:
        result: dict[str, Column] = {}
        for name in entity.attribute_names():
            attribute = implicit_attribute(entity, name)
            kind, bounded = column_type(attribute, self.key_type)
            optional = not attribute.required and name not in ("id", "created_at", "updated_at")
            result[name] = Column(name, kind, optional, attribute, bounded)
        for relationship in self.scope.outgoing(entity.name):
            if relationship.cardinality == "many-to-many":
                name = f"{relationship.role}_ids"
                result[name] = Column(name, f"Array({self.key_type})", False, None, None)
            else:
                name = f"{relationship.role}_id"
                result[name] = Column(name, self.key_type, not relationship.required, None, None)
        return result

    def time_column(self, entity: Entity, columns: dict[str, Column]) -> str | None:
        """The time column when the entity is read or written by time, else None."""
        served = self.scope.patterns_of(entity.name)
        named = [
            self.scope.field(entity.name, n)
            for p in served
            for n in (*p.pattern.filter, *p.pattern.sort)
        ]
        for name in named:
            column = columns.get(name or "")
            attribute = column.attribute if column is not None else None
            if column is not None and attribute is not None and attribute.type in TEMPORAL_TYPES:
                return column.name
        if is_timed(self.scope, entity.name):
            for column in columns.values():
                attribute = column.attribute
                timed = attribute is not None and attribute.type in TEMPORAL_TYPES
                if timed and attribute is not None and not is_expiry(attribute):
                    return column.name
            return "created_at"
        return None

    def equality(
        self, entity: Entity, facts: PatternFacts, columns: dict[str, Column]
    ) -> list[str]:
        fields = []
        for spelled in facts.pattern.filter:
            field = self.scope.field(entity.name, spelled)
            if field is None or field not in columns:
                continue
            attribute = columns[field].attribute
            kind = attribute.type if attribute is not None else "reference"
            if kind in TEMPORAL_TYPES or (
                kind in MEASURE_TYPES and facts.pattern.kind in RANGE_KINDS
            ):
                continue
            fields.append(field)
        return list(dict.fromkeys(fields))

    def table(self, entity: Entity) -> None:
        requirements = self.requirements
        path = entity_path(requirements, entity.name)
        columns = self.columns(entity)
        reads = [
            p
            for p in self.scope.patterns_of(entity.name)
            if not p.writes and p.pattern.kind not in ("full_text", "traversal")
        ]
        time_name = self.time_column(entity, columns)
        equal = list(dict.fromkeys(f for p in reads for f in self.equality(entity, p, columns)))
        low = sorted(
            (f for f in equal if columns[f].low),
            key=lambda f: columns[f].cardinality or float(knowledge()["assumed_distinct_values"]),
        )
        high = [f for f in equal if not columns[f].low]
        # The most frequent read pattern that compares columns gets those with many values in
        # the key too, after the few-valued ones: without them its rows are spread over every
        # granule of the time range (a host and metric read 668 granules instead of 1).
        hottest = max(
            (p for p in reads if self.equality(entity, p, columns)),
            key=lambda p: p.rate,
            default=None,
        )
        keyed_high = [
            f for f in (self.equality(entity, hottest, columns) if hottest else []) if f in high
        ]
        key = [*low, *keyed_high, *([time_name] if time_name else [])]
        if not key:
            key = ["id"]
        skipping = [f for f in high if f not in key]
        name = self.table_names[entity.name]
        lines = [f"CREATE TABLE IF NOT EXISTS {ch_name(name)}", "("]
        body = [f"    {ch_name(c.name)} {c.declared(c.name in key)}" for c in columns.values()]
        body += [
            f"    INDEX {ch_name(ascii_name(f'ix_{f}', 60))} {ch_name(f)} TYPE bloom_filter "
            f"GRANULARITY {int(figure('clickhouse', 'bloom_filter_granularity'))}"
            for f in skipping
        ]
        lines.append(",\n".join(body))
        lines.append(")")
        lines.append("ENGINE = MergeTree")
        if time_name is not None:
            lines.append(f"PARTITION BY toYYYYMM({ch_name(time_name)})")
        lines.append(f"ORDER BY ({', '.join(ch_name(c) for c in key)})")
        days = retention_days(self.scope)
        ttl = days is not None and time_name is not None and is_timed(self.scope, entity.name)
        if ttl:
            lines.append(f"TTL toDateTime({ch_name(time_name or '')}) + INTERVAL {days} DAY")
            lines.append("SETTINGS ttl_only_drop_parts = 1")
        served = ", ".join(repr(p.pattern.name) for p in reads) or "no read pattern"
        self.statements.append(f"-- {entity.name!r}: serves {served}\n" + "\n".join(lines) + ";")
        keyed = [c for c in key if columns[c].nullable]
        self.decisions.append(
            reason(
                "clickhouse_sorting_key",
                (path, *(p.path for p in reads)),
                f"{name}: ORDER BY ({', '.join(key)})",
                f"{entity.name} is sorted by {', '.join(key)}: "
                + (
                    f"the equality columns with few values ({', '.join(low)}) come first, fewest "
                    "first, so that each value's rows are contiguous"
                    if low
                    else "no equality column with few values is filtered on"
                )
                + (
                    f", then {', '.join(keyed_high)}, which the most frequent pattern that "
                    f"compares them ({hottest.pattern.name!r}) filters on, so that it reads "
                    "only the granules of its values"
                    if hottest is not None and keyed_high
                    else ""
                )
                + (
                    f", then the time column {time_name}, which the queries read in ranges"
                    if time_name
                    else ""
                )
                + (
                    f"; equality columns with many values ({', '.join(skipping)}) get "
                    "bloom-filter skipping indexes rather than a place in the key"
                    if skipping
                    else ""
                )
                + (
                    f"; the optional key columns ({', '.join(keyed)}) are stored without "
                    "Nullable (a missing value is the type's default), since a sorting key "
                    "takes no Nullable column"
                    if keyed
                    else ""
                )
                + ".",
            )
        )
        nullable = [c.name for c in columns.values() if c.nullable and c.name not in key]
        lowcard = [c.name for c in columns.values() if c.type.startswith("LowCardinality")]
        self.decisions.append(
            reason(
                "clickhouse_types",
                (path,),
                f"{name}: {len(lowcard)} LowCardinality, {len(nullable)} Nullable",
                f"{entity.name}'s columns: LowCardinality(String) for enums and strings of at "
                f"most {int(figure('clickhouse', 'low_cardinality_max_length'))} characters "
                f"({', '.join(lowcard) or 'none'}); Nullable only for optional columns outside "
                f"the key ({', '.join(nullable) or 'none'}); times as DateTime64(3, 'UTC').",
            )
        )
        if time_name is not None:
            self.decisions.append(
                reason(
                    "clickhouse_partitions",
                    (path,),
                    f"{name}: PARTITION BY toYYYYMM({time_name})",
                    f"{entity.name} is partitioned by month of {time_name}: few enough parts "
                    "for merges, and old months drop whole"
                    + (
                        f"; rows expire {days} days after {time_name}, and whole parts are "
                        "dropped once all their rows have expired"
                        if ttl
                        else ""
                    )
                    + ".",
                )
            )
        for view in self.views(entity, columns, time_name, key):
            self.statements.extend(view)

    def views(
        self, entity: Entity, columns: dict[str, Column], time_name: str | None, key: list[str]
    ) -> list[list[str]]:
        """A target table and a materialized view per aggregation (merged when bucket and
        groups agree); group columns keep the type they have in the entity's table."""
        grouped: dict[tuple[int | None, tuple[str, ...]], list[PatternFacts]] = {}
        for facts in self.scope.patterns_of(entity.name):
            if facts.writes or facts.pattern.kind not in AGGREGATE_KINDS:
                continue
            seconds = bucket_of(facts.pattern.name)[2] if time_name is not None else None
            groups = tuple(self.equality(entity, facts, columns))
            grouped.setdefault((seconds, groups), []).append(facts)
        source = ch_name(self.table_names[entity.name])
        result = []
        for (seconds, groups), served in grouped.items():
            names = [p.pattern.name for p in served]
            # a reference is rolled up as the key it holds (a distinct count, when asked)
            measures = [
                (c, rolled)
                for c in columns.values()
                if c.name not in ("id", time_name, *groups)
                and not c.type.startswith("Array(")
                and (
                    rolled := rollup(
                        entity,
                        c.attribute or Attribute(c.name, "bigint"),
                        names,
                        timed=seconds is not None,
                    )
                ).aggregates
            ]
            time = columns[time_name] if seconds and time_name is not None else None
            function, bucket_type = BUCKET_FUNCTIONS[seconds] if seconds else ("", "")
            unit = bucket_of(served[0].pattern.name)[0].split()[1] if seconds else ""
            wanted = (
                f"{entity.name}"
                + (f"_per_{unit}" if unit else "")
                + (f"_by_{'_'.join(groups)}" if groups else "")
            )
            target = self.taken.claim(ascii_name(wanted, 120, lower=True))
            view = self.taken.claim(f"{target}_mv")
            fields = [f"    bucket {bucket_type}"] if seconds else []
            selected = [f"{function}({ch_name(time_name or '')}) AS bucket"] if seconds else []
            for group in groups:
                fields.append(f"    {ch_name(group)} {columns[group].declared(group in key)}")
                selected.append(ch_name(group))
            nullable_key = any(columns[g].nullable and g not in key for g in groups)
            aggregating = bool(measures)
            for measure, rolled in measures:
                for part, kind, expression in _parts(measure, rolled, time):
                    fields.append(f"    {ch_name(part)} {kind}")
                    selected.append(f"{expression} AS {ch_name(part)}")
            if aggregating:
                fields.append("    samples SimpleAggregateFunction(sum, UInt64)")
            else:
                fields.append("    samples UInt64")
            selected.append("count() AS samples")
            key = [*(ch_name(g) for g in groups), *(["bucket"] if seconds else [])]
            engine = "AggregatingMergeTree" if aggregating else "SummingMergeTree"
            served_names = ", ".join(repr(n) for n in names)
            table = [
                f"-- serves {served_names}",
                f"CREATE TABLE IF NOT EXISTS {ch_name(target)}",
                "(",
                ",\n".join(fields),
                ")",
                f"ENGINE = {engine}",
                *(["PARTITION BY toYYYYMM(bucket)"] if seconds else []),
                f"ORDER BY ({', '.join(key)})" if key else "ORDER BY tuple()",
            ]
            if nullable_key:
                table.append("SETTINGS allow_nullable_key = 1")
            group_by = ", ".join(key)
            materialized = [
                f"CREATE MATERIALIZED VIEW IF NOT EXISTS {ch_name(view)} TO {ch_name(target)} AS",
                f"SELECT {', '.join(selected)}",
                f"FROM {source}" + (f"\nGROUP BY {group_by}" if group_by else ""),
            ]
            result.append(["\n".join(table) + ";", "\n".join(materialized) + ";"])
            interval = bucket_of(served[0].pattern.name)[0] if seconds else ""
            self.decisions.append(
                reason(
                    "clickhouse_materialized_view",
                    tuple(p.path for p in served),
                    f"{engine} {target}",
                    f"{served_names} aggregate {entity.name}"
                    + (f" in {interval} buckets" if interval else "")
                    + (f" per {', '.join(groups)}" if groups else "")
                    + f": the materialized view {view} adds every insert into {target}, a "
                    + (
                        f"{engine} of {_rollup_sentence(measures)} and a count of rows, "
                        "each of which merges correctly into coarser buckets (an average is "
                        "sum / count, percentiles come from quantilesMerge, the last value from "
                        "argMaxMerge, distinct counts from uniqMerge, a directed amount's "
                        "balance from its net; coordinates and identifiers are never averaged)"
                        if aggregating
                        else f"{engine} that sums the count of each group (read with sum)"
                    )
                    + ", so that dashboards read the groups rather than the rows"
                    + ("; nullable groups need allow_nullable_key" if nullable_key else "")
                    + ".",
                )
            )
        return result


def _sum_type(column: Column) -> str:
    """The type a sum of `column` is kept in: wide enough not to overflow."""
    if column.type.startswith("Decimal("):
        scale = column.type.removesuffix(")").split(",")[-1].strip()
        wide = f"Decimal(38, {scale})"
    elif column.type.startswith("Int") or column.type.startswith("UInt"):
        wide = "Int64"
    else:
        wide = "Float64"
    return f"Nullable({wide})" if column.nullable else wide


def _parts(column: Column, rolled: Rollup, time: Column | None) -> list[tuple[str, str, str]]:
    """The rollup columns of `column`: (name, type in the target table, select expression)."""
    name, value, declared = column.name, ch_name(column.name), column.declared(False)
    wide = _sum_type(column)
    sign = rolled.direction
    parts = []
    if sign is not None:
        side = ch_name(sign.attribute)
        for direction in sign.values:
            when = f"{side} = {ch_string(direction)}"
            parts.append(
                (f"{name}_{direction}_sum", f"SimpleAggregateFunction(sum, {wide})",
                 f"sumIf({value}, {when})")
            )  # fmt: skip
            parts.append(
                (f"{name}_{direction}_count", "SimpleAggregateFunction(sum, UInt64)",
                 f"countIf({value}, {when})")
            )  # fmt: skip
        if "net" in rolled:
            adds = " + ".join(f"sumIf({value}, {side} = {ch_string(v)})" for v in sign.adds)
            subtracts = " - ".join(
                f"sumIf({value}, {side} = {ch_string(v)})" for v in sign.subtracts
            )
            parts.append(
                (f"{name}_net", f"SimpleAggregateFunction(sum, {wide})", f"{adds} - {subtracts}")
            )
        return parts
    if "sum" in rolled:
        parts.append((f"{name}_sum", f"SimpleAggregateFunction(sum, {wide})", f"sum({value})"))
    if "count" in rolled:
        parts.append((f"{name}_count", "SimpleAggregateFunction(sum, UInt64)", f"count({value})"))
    for function in ("min", "max"):
        if function in rolled:
            parts.append(
                (f"{name}_{function}", f"SimpleAggregateFunction({function}, {declared})",
                 f"{function}({value})")
            )  # fmt: skip
    if "quantiles" in rolled:
        parts.append(
            (f"{name}_quantiles", f"AggregateFunction({QUANTILES}, {declared})",
             f"{QUANTILES.replace('quantiles(', 'quantilesState(', 1)}({value})")
        )  # fmt: skip
    if "uniq" in rolled:
        parts.append(
            (f"{name}_uniq", f"AggregateFunction(uniq, {declared})", f"uniqState({value})")
        )
    if "last" in rolled and time is not None:
        parts.append(
            (f"{name}_last", f"AggregateFunction(argMax, {declared}, {time.declared(False)})",
             f"argMaxState({value}, {ch_name(time.name)})")
        )  # fmt: skip
    return parts


def _rollup_sentence(measures: list[tuple[Column, Rollup]]) -> str:
    parts = []
    for column, rolled in measures:
        sign = rolled.direction
        if sign is not None:
            parts.append(
                f"the sum and count of {column.name} per {sign.attribute} "
                f"({', '.join(sign.values)})"
                + (
                    f" and its signed net ({' + '.join(sign.adds)} minus "
                    f"{' and '.join(sign.subtracts)})"
                    if sign.net
                    else " (not every value names a known direction, so no net is kept; "
                    "any balance is a difference of the sums per direction)"
                )
            )
            continue
        named = {
            "quantiles": "quantile states",
            "last": "last value (argMax by time)",
            "uniq": "distinct-count state (uniqState)",
        }
        aggregates = ", ".join(named.get(a, a) for a in rolled.aggregates)
        parts.append(f"{aggregates} of {column.name}")
    return "; ".join(parts)


def clickhouse_schema(request: StoreRequest) -> StoreSchema:
    """ClickHouse DDL: a MergeTree table per entity and materialized views for aggregations.

    >>> from advisor.requirements import read_requirements
    >>> clicks = read_requirements('''
    ... format: advisor/v1
    ... project: Clicks
    ... workload: {retention_days: 90}
    ... entities:
    ...   - {name: click, attributes: [{name: country, type: string, length: 2},
    ...                                {name: at, type: datetime, required: true}]}
    ... access_patterns:
    ...   - {name: clicks per day, entity: click, operation: read, kind: time_window,
    ...      filter: [country, at]}
    ... ''')
    >>> from advisor.facts import build_facts
    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> request = StoreRequest(build_facts(clicks, DEFAULT_MATRIX), "clickhouse")
    >>> text = clickhouse_schema(request).text
    >>> "ORDER BY (country, at)" in text, "TTL toDateTime(at) + INTERVAL 90 DAY" in text
    (True, True)
    """
    requirements, technology = request.requirements, request.technology
    chosen = scope(request)
    key_type = "UUID" if request.key_strategy.startswith("uuid") else "Int64"
    designer = _Designer(chosen, key_type)
    designer.decisions.append(
        reason(
            "clickhouse_keys",
            ("keys.strategy",),
            f"id: {key_type}",
            f"Ids are {key_type} values written by the application or copied from the source "
            "database: ClickHouse numbers nothing, and its primary key is a sorting key, not "
            "a uniqueness constraint.",
        )
    )
    for entity in chosen.entities:
        designer.table(entity)
    if request.system_of_record:
        designer.decisions += [
            unread_reason("clickhouse", chosen, e.name, f"the table {designer.table_names[e.name]}")
            for e in unread_entities(chosen)
        ]
    header = [
        f"-- ClickHouse schema for {requirements.project!r}, from the database design advisor.",
        "-- Needs ClickHouse 23.3 or later. Run it with clickhouse-client --multiquery.",
    ]
    text = "\n".join(header) + "\n\n" + "\n\n".join(designer.statements) + "\n"
    return StoreSchema(
        store="clickhouse",
        technology=technology,
        filename="clickhouse.sql",
        text=text,
        decisions=tuple(designer.decisions),
        role=request.role,
        patterns=tuple(p.pattern.name for p in chosen.patterns),
    )
