"""Time series: a TimescaleDB hypertable with retention, compression and continuous aggregates
(SQL), or an InfluxDB measurement with tags and fields, a retention and downsampling tasks
(Markdown with line protocol, influx commands and Flux).

The entities written as streams or read by time windows are the time series; their time
column is the one their patterns filter or sort on. A time-window pattern's bucket comes from
its name (per minute, hourly, daily, weekly, monthly), else one hour.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from advisor.ddl import render_ddl
from advisor.facts import PatternFacts
from advisor.recommendation import Reason
from advisor.requirements.model import Attribute, Entity
from advisor.schema import Table, build_schema, dialect, needs_quotes, physical_name
from advisor.stores.common import (
    BYTES_PER_GB,
    QUANTILE_LEVELS,
    SECONDS_PER_DAY,
    TEMPORAL_TYPES,
    Rollup,
    Scope,
    StoreRequest,
    StoreSchema,
    UniqueNames,
    entity_path,
    figure,
    implicit_attribute,
    is_timed,
    md_code,
    megabytes,
    number,
    reason,
    relationship_path,
    retention_days,
    rollup,
    row_bytes,
    scope,
    text_figure,
    time_attribute,
    unread_entities,
    unread_reason,
    words,
)

BUCKET_WORDS = (
    (("minute", "minutely"), "1 minute", "1m", 60),
    (("hour", "hourly"), "1 hour", "1h", 3600),
    (("day", "daily"), "1 day", "1d", SECONDS_PER_DAY),
    (("week", "weekly"), "1 week", "1w", 7 * SECONDS_PER_DAY),
    (("month", "monthly"), "1 month", "1mo", 30 * SECONDS_PER_DAY),
)
CHUNKS = (("7 days", 7.0), ("1 day", 1.0), ("1 hour", 1 / 24))
MEASURE_TYPES = ("integer", "bigint", "decimal", "float")
POSTGRESQL = dialect("postgresql")


def bucket_of(pattern_name: str) -> tuple[str, str, int]:
    """The bucket a time-window pattern aggregates by: (SQL interval, Flux duration, seconds).

    >>> bucket_of("hourly averages of a device"), bucket_of("fleet-wide daily minimum")
    (('1 hour', '1h', 3600), ('1 day', '1d', 86400))
    >>> bucket_of("errors per minute")[0], bucket_of("dashboard panels")[0]
    ('1 minute', '1 hour')
    """
    spelled = {word.lower() for word in words(pattern_name)}
    for names, interval, duration, seconds in BUCKET_WORDS:
        if spelled & set(names):
            return interval, duration, seconds
    default = text_figure("timeseries", "default_bucket")
    for _, interval, duration, seconds in BUCKET_WORDS:
        if interval == default:
            return interval, duration, seconds
    return "1 hour", "1h", 3600


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"' if needs_quotes(name, POSTGRESQL) else name


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _timed_entities(chosen: Scope) -> list[tuple[Entity, str]]:
    result = []
    for entity in chosen.entities:
        if not is_timed(chosen, entity.name):
            continue
        found = time_attribute(chosen, entity)
        if found is not None:
            result.append((entity, found))
    return result


def _window_patterns(chosen: Scope, entity: Entity) -> list[PatternFacts]:
    return [p for p in chosen.patterns_of(entity.name) if p.pattern.kind == "time_window"]


def _group_fields(chosen: Scope, entity: Entity, facts: PatternFacts) -> list[str]:
    fields = []
    for name in facts.pattern.filter:
        field = chosen.field(entity.name, name)
        if field is None:
            continue
        attribute = entity.attribute(field)
        if attribute is not None and attribute.type in TEMPORAL_TYPES:
            continue
        fields.append(field)
    return list(dict.fromkeys(fields))


def timescaledb_schema(request: StoreRequest) -> StoreSchema:
    """PostgreSQL DDL with hypertables, retention, compression and continuous aggregates.

    >>> from advisor.requirements import read_requirements
    >>> iot = read_requirements('''
    ... format: advisor/v1
    ... project: IoT
    ... workload: {retention_days: 30}
    ... entities:
    ...   - {name: reading, attributes: [{name: at, type: datetime, required: true},
    ...                                  {name: celsius, type: float}]}
    ... access_patterns:
    ...   - {name: hourly means, entity: reading, operation: read, kind: time_window, filter: [at]}
    ... ''')
    >>> from advisor.facts import build_facts
    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> request = StoreRequest(build_facts(iot, DEFAULT_MATRIX), "timescaledb")
    >>> text = timescaledb_schema(request).text
    >>> "SELECT create_hypertable('reading', by_range('at', INTERVAL '7 days'));" in text
    True
    >>> "SELECT add_retention_policy('reading', drop_after => INTERVAL '30 days');" in text
    True
    """
    requirements, technology = request.requirements, request.technology
    chosen = scope(request)
    decisions: list[Reason] = []
    schema = build_schema(
        requirements,
        "postgresql",
        key_strategy=request.key_strategy,
        partitions_from=date(2000, 1, 1),
        parts=request.schema_parts,
    )
    wanted = {entity_path(requirements, e.name) for e in chosen.entities}
    entity_tables = {t.name for t in schema.tables if t.source in wanted}
    tables = [
        replace(t, partitioning=None)
        for t in schema.tables
        if t.name in entity_tables
        or (t.foreign_keys and all(k.target in entity_tables for k in t.foreign_keys))
    ]
    by_source = {t.source: t for t in tables}
    kept = {t.name for t in tables}
    tables = [
        replace(t, foreign_keys=tuple(k for k in t.foreign_keys if k.target in kept))
        for t in tables
    ]
    statements: list[str] = []
    hypertables: dict[str, Table] = {}
    referenced = {k.target for t in tables for k in t.foreign_keys}
    taken = UniqueNames(t.name for t in tables)
    named: dict[str, list[int]] = {}
    for position, t in enumerate(tables):
        named.setdefault(t.name, []).append(position)
    for entity, time_name in _timed_entities(chosen):
        table = by_source[entity_path(requirements, entity.name)]
        column = _column(table, chosen, entity, time_name)
        if table.name in referenced:
            decisions.append(
                reason(
                    "timescaledb_not_hypertable",
                    (entity_path(requirements, entity.name),),
                    f"{table.name} stays a plain table",
                    f"{table.name} is read by time but other tables refer to it, and a "
                    "hypertable cannot be the target of a foreign key.",
                )
            )
            continue
        dropped = [k.name for k in table.uniques if column not in k.columns]
        primary = table.primary_key
        if primary is not None and column not in primary.columns:
            primary = replace(primary, columns=(*primary.columns, column))
        table = replace(
            table,
            primary_key=primary,
            uniques=tuple(k for k in table.uniques if column in k.columns),
            indexes=tuple(i for i in table.indexes if not i.unique or column in i.column_names),
            columns=tuple(
                replace(c, nullable=False) if c.name == column else c for c in table.columns
            ),
        )
        for position in named.get(table.name, ()):
            tables[position] = table
        hypertables[entity.name] = table
        if dropped:
            decisions.append(
                reason(
                    "timescaledb_uniques",
                    (entity_path(requirements, entity.name),),
                    f"dropped {', '.join(dropped)}",
                    f"{table.name}'s unique constraints {', '.join(dropped)} are left out: on a "
                    f"hypertable a unique key must include the time column {column}.",
                )
            )
        statements += _hypertable(chosen, entity, table, column, decisions, taken)
    if any(f in s for s in statements for f in ("percentile_agg(", "hyperloglog(")):
        # percentile sketches and distinct counts that merge into coarser buckets
        statements.insert(0, "CREATE EXTENSION IF NOT EXISTS timescaledb_toolkit;")
    # The enum types of the tables it holds: the others belong to entities it leaves out.
    used = {c.type.enum_type for t in tables for c in t.columns}
    enums = tuple(e for e in schema.enums if e.name in used)
    text_schema = replace(schema, tables=tuple(tables), enums=enums, notes=(), patterns=())
    ddl = render_ddl(text_schema)
    header = [
        f"-- TimescaleDB schema for {requirements.project}, from the database design advisor.",
        "-- Needs TimescaleDB 2.13 or later (create_hypertable with by_range).",
        "CREATE EXTENSION IF NOT EXISTS timescaledb;",
    ]
    if not hypertables:
        decisions.append(
            reason(
                "timescaledb_no_series",
                ("access_patterns",),
                "no hypertable",
                "No entity here is written as a stream or read by time windows with a time "
                "column, so every table stays a plain PostgreSQL table.",
            )
        )
    if request.system_of_record:
        decisions += [
            unread_reason(
                "timescaledb",
                chosen,
                e.name,
                f"the table {by_source[entity_path(requirements, e.name)].name}",
            )
            for e in unread_entities(chosen)
        ]
    text = (
        "\n".join(header)
        + "\n\n"
        + ddl
        + ("\n" + "\n\n".join(statements) + "\n" if statements else "")
    )
    return StoreSchema(
        store="timescaledb",
        technology=technology,
        filename="timeseries.sql",
        text=text,
        decisions=tuple(decisions),
        role=request.role,
        patterns=tuple(p.pattern.name for p in chosen.patterns),
    )


def _column(table: Table, chosen: Scope, entity: Entity, name: str) -> str:
    """The physical column of an attribute or reference of `entity` in its table."""
    requirements = chosen.requirements
    path = entity_path(requirements, entity.name)
    declared = entity.attribute(name)
    sources: list[str] = []
    if declared is not None:
        sources.append(f"{path}.attributes[{entity.attributes.index(declared)}]")
    sources += [
        relationship_path(requirements, relationship)
        for relationship in chosen.outgoing(entity.name)
        if f"{relationship.role}_id" == name
    ]
    for source in sources:
        for column in table.columns:
            if column.source == source:
                return column.name
    for column in table.columns:
        if column.name == name:
            return column.name
    return name


def _hypertable(
    chosen: Scope,
    entity: Entity,
    table: Table,
    column: str,
    decisions: list[Reason],
    taken: UniqueNames,
) -> list[str]:
    requirements = chosen.requirements
    path = entity_path(requirements, entity.name)
    rate = chosen.facts.write_rates[entity.name]
    per_day = rate * SECONDS_PER_DAY * row_bytes(chosen, entity) * 2  # rows and their indexes
    budget = figure("timeseries", "chunk_memory_gb") * BYTES_PER_GB
    interval, days = CHUNKS[-1]
    for candidate, span in CHUNKS:
        if per_day * span <= budget:
            interval, days = candidate, span
            break
    regclass = _sql_string(_sql_name(table.name))
    fits = per_day * days <= budget
    sizing = (
        f"chunks of {interval} (about {megabytes(per_day * days)}) keep the chunk being written "
        f"within {megabytes(budget)}, a quarter of the memory"
        if fits
        else f"even chunks of {interval} (about {megabytes(per_day * days)}) exceed "
        f"{megabytes(budget)}, a quarter of a 16 GB server: plan more memory"
    )
    statements = [
        f"-- {table.name}: about {megabytes(per_day)} a day with its indexes; {sizing}.\n"
        f"SELECT create_hypertable({regclass}, by_range({_sql_string(column)}, "
        f"INTERVAL {_sql_string(interval)}));",
    ]
    decisions.append(
        reason(
            "timescaledb_hypertable",
            (path, *(p.path for p in chosen.patterns_of(entity.name) if p.writes)),
            f"hypertable {table.name} on {column}, chunks of {interval}",
            f"{table.name} is a hypertable partitioned by {column} in chunks of {interval}: "
            f"{number(rate)} rows/s make about {megabytes(per_day)} a day with indexes; {sizing}.",
        )
    )
    days_kept = retention_days(chosen)
    if days_kept is not None:
        statements.append(
            f"SELECT add_retention_policy({regclass}, drop_after => INTERVAL "
            f"{_sql_string(f'{days_kept} days')});"
        )
        decisions.append(
            reason(
                "timescaledb_retention",
                ("workload.retention_days",),
                f"drop chunks after {days_kept} days",
                f"A retention policy drops whole chunks of {table.name} older than {days_kept} "
                "days: no DELETE, no vacuum.",
            )
        )
    groups: list[str] = []
    for facts in chosen.patterns_of(entity.name):
        for field in _group_fields(chosen, entity, facts):
            physical = _column(table, chosen, entity, field)
            if physical not in groups and physical != column:
                groups.append(physical)
    compress_days = int(figure("timeseries", "compress_after_days"))
    settings = ["timescaledb.compress"]
    if groups:
        segments = ", ".join(_sql_name(g) for g in groups)
        settings.append(f"timescaledb.compress_segmentby = {_sql_string(segments)}")
    settings.append(f"timescaledb.compress_orderby = {_sql_string(_sql_name(column) + ' DESC')}")
    statements.append(f"ALTER TABLE {_sql_name(table.name)} SET ({', '.join(settings)});")
    statements.append(
        f"SELECT add_compression_policy({regclass}, compress_after => INTERVAL "
        f"{_sql_string(f'{compress_days} days')});"
    )
    statements += _aggregates(chosen, entity, table, column, decisions, taken)
    return statements


def _aggregates(
    chosen: Scope,
    entity: Entity,
    table: Table,
    column: str,
    decisions: list[Reason],
    taken: UniqueNames,
) -> list[str]:
    """A continuous aggregate per bucket and grouping; `taken` holds the relation names in use
    (tables, and the views made so far), so that no two views get one name."""
    views: dict[tuple[str, tuple[str, ...]], list[PatternFacts]] = {}
    for facts in _window_patterns(chosen, entity):
        interval = bucket_of(facts.pattern.name)[0]
        groups = tuple(
            _column(table, chosen, entity, f) for f in _group_fields(chosen, entity, facts)
        )
        views.setdefault((interval, groups), []).append(facts)
    time_name = time_attribute(chosen, entity) or "created_at"
    statements = []
    for (interval, groups), served in views.items():
        references = [
            Attribute(f"{r.role}_id", "bigint")
            for r in chosen.outgoing(entity.name)
            if r.cardinality != "many-to-many"
        ]
        measures = [
            (name, rolled)
            for a in (*entity.attributes, *references)
            if (name := _column(table, chosen, entity, a.name)) not in (column, *groups)
            and a.name != time_name
            and (rolled := rollup(entity, a, (p.pattern.name for p in served))).aggregates
        ]
        unit = interval.split()[1]
        wanted = f"{table.name}_per_{unit}" + (f"_by_{'_'.join(groups)}" if groups else "")
        view = taken.claim(physical_name(wanted, POSTGRESQL))
        selected = [f"time_bucket(INTERVAL {_sql_string(interval)}, {_sql_name(column)}) AS bucket"]
        selected += [_sql_name(g) for g in groups]
        for measure, rolled in measures:
            side = rolled.direction
            if side is not None:
                selected += _directed_selects(
                    measure, _column(table, chosen, entity, side.attribute), rolled
                )
                continue
            value = _sql_name(measure)
            selected += [
                f"{function}({value}) AS {_sql_name(f'{measure}_{function}')}"
                for function in ("sum", "count", "min", "max")
                if function in rolled
            ]
            if "quantiles" in rolled:
                selected.append(f"percentile_agg({value}) AS {_sql_name(f'{measure}_pct')}")
            if "last" in rolled:
                selected.append(
                    f"last({value}, {_sql_name(column)}) AS {_sql_name(f'{measure}_last')}"
                )
            if "uniq" in rolled:
                selected.append(
                    f"hyperloglog(32768, {value}) AS {_sql_name(f'{measure}_distinct')}"
                )
        selected.append("count(*) AS samples")
        quantiled = [m for m, rolled in measures if "quantiles" in rolled]
        plain = [m for m, rolled in measures if "sum" in rolled and rolled.direction is None]
        lasts = [m for m, rolled in measures if "last" in rolled]
        distinct = [m for m, rolled in measures if "uniq" in rolled]
        directed = [(m, rolled.direction) for m, rolled in measures if rolled.direction]
        group_by = ", ".join(["bucket", *(_sql_name(g) for g in groups)])
        names = ", ".join(repr(p.pattern.name) for p in served)
        statements.append(
            f"-- serves {names}\n"
            f"CREATE MATERIALIZED VIEW {_sql_name(view)} WITH (timescaledb.continuous) AS\n"
            f"SELECT {', '.join(selected)}\nFROM {_sql_name(table.name)}\n"
            f"GROUP BY {group_by}\nWITH NO DATA;"
        )
        statements.append(
            f"SELECT add_continuous_aggregate_policy({_sql_string(_sql_name(view))}, "
            f"start_offset => INTERVAL {_sql_string(_times(interval, 3))}, "
            f"end_offset => INTERVAL {_sql_string(interval)}, "
            f"schedule_interval => INTERVAL {_sql_string(interval)});"
        )
        decisions.append(
            reason(
                "timescaledb_continuous_aggregate",
                tuple(p.path for p in served),
                f"continuous aggregate {view}",
                f"{names} read {interval} buckets"
                + (f" per {', '.join(groups)}" if groups else "")
                + f": the continuous aggregate {view} keeps sum, count, min and max of "
                f"{', '.join(plain) or 'no measure'} and a count of rows "
                "(an average is sum / count, at this bucket or re-aggregated into coarser ones)"
                + "".join(
                    f"; the sum and count of {m} per {d.attribute} ({', '.join(d.values)})"
                    + (
                        f" and its signed net ({' + '.join(d.adds)} minus "
                        f"{' and '.join(d.subtracts)}), never a plain sum"
                        if d.net
                        else " (not every value names a known direction, so no net is kept)"
                    )
                    for m, d in directed
                    if d is not None
                )
                + (
                    f"; the last value of {', '.join(lasts)} by {column} (a position or a "
                    "level is read as its latest value, never averaged)"
                    if lasts
                    else ""
                )
                + (
                    f"; hyperloglog states of {', '.join(distinct)} (distinct counts do not "
                    "add up; read with distinct_count, merged with rollup)"
                    if distinct
                    else ""
                )
                + (
                    f", and percentile_agg sketches of {', '.join(quantiled)} (timescaledb_"
                    "toolkit; read with approx_percentile, merged with rollup)"
                    if quantiled
                    else ""
                )
                + f"; identifiers are not aggregated; refreshed every {interval} "
                "for the last three buckets.",
            )
        )
    return statements


def _directed_selects(measure: str, side: str, rolled: Rollup) -> list[str]:
    """A directed amount's sum and count per direction, and its signed net."""
    signs = rolled.direction
    if signs is None:
        return []
    value, by = _sql_name(measure), _sql_name(side)
    selects = []
    for direction in signs.values:
        when = f"CASE WHEN {by} = {_sql_string(direction)} THEN {value} END"
        selects += [
            f"sum({when}) AS {_sql_name(f'{measure}_{direction}_sum')}",
            f"count({when}) AS {_sql_name(f'{measure}_{direction}_count')}",
        ]
    if "net" in rolled:
        cases = [f"WHEN {by} = {_sql_string(v)} THEN {value}" for v in signs.adds]
        cases += [f"WHEN {by} = {_sql_string(v)} THEN -{value}" for v in signs.subtracts]
        selects.append(f"sum(CASE {' '.join(cases)} END) AS {_sql_name(f'{measure}_net')}")
    return selects


def _times(interval: str, factor: int) -> str:
    amount, unit = interval.split()
    return f"{int(amount) * factor} {unit}s"


def _flux_string(text: str) -> str:
    """A Flux string literal: backslash, quote and interpolation escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("${", "\\${") + '"'


def _line_protocol(name: str, *, measurement: bool = False) -> str:
    """A name escaped for line protocol: commas and spaces, and equals signs outside
    measurement names."""
    specials = ", " if measurement else ",= "
    return "".join("\\" + c if c in specials else c for c in name)


def influxdb_schema(request: StoreRequest) -> StoreSchema:
    """InfluxDB 2 measurements (tags and fields), bucket retention and Flux downsampling tasks.

    >>> from advisor.requirements import read_requirements
    >>> iot = read_requirements('''
    ... format: advisor/v1
    ... project: IoT
    ... entities:
    ...   - {name: device, attributes: [{name: serial, type: string, unique: true}]}
    ...   - {name: reading, attributes: [{name: at, type: datetime, required: true},
    ...                                  {name: celsius, type: float}]}
    ... relationships: [{from: reading, to: device, cardinality: many-to-one, required: true}]
    ... access_patterns:
    ...   - {name: hourly means, entity: reading, operation: read, kind: time_window,
    ...      filter: [device, at]}
    ... ''')
    >>> from advisor.facts import build_facts
    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> request = StoreRequest(build_facts(iot, DEFAULT_MATRIX), "influxdb")
    >>> "| `device_id` | tag |" in influxdb_schema(request).text
    True
    """
    requirements, technology = request.requirements, request.technology
    chosen = scope(request)
    decisions: list[Reason] = []
    bucket = "_".join(words(requirements.project.lower())) or "telemetry"
    days = retention_days(chosen)
    factor = int(figure("timeseries", "downsampled_retention_factor"))
    retention = f"{days}d" if days is not None else "0 (infinite)"
    lines = [
        f"# InfluxDB schema for {requirements.project}",
        "",
        "InfluxDB 2 (Flux). Generated by the database design advisor.",
        "",
        "## Buckets",
        "",
        "```sh",
        f"influx bucket create --name {_shell(bucket)} --retention {days or 0}d",
        f"influx bucket create --name {_shell(bucket + '_downsampled')} "
        f"--retention {(days or 0) * factor}d",
        "```",
        "",
        f"Raw data is kept {retention}; downsampled data {factor} times as long "
        + ("(0: forever)." if days is None else f"({days * factor}d)."),
    ]
    decisions.append(
        reason(
            "influxdb_retention",
            ("workload.retention_days",),
            f"bucket {bucket}: {retention}",
            f"The bucket {bucket!r} keeps raw points {retention}; the downsampled bucket keeps "
            f"aggregates {factor} times as long.",
        )
    )
    timed = _timed_entities(chosen)
    for entity, time_name in timed:
        grouped = {
            f for p in chosen.patterns_of(entity.name) for f in _group_fields(chosen, entity, p)
        }
        tags: list[tuple[str, str]] = []
        fields: list[tuple[str, str]] = []
        for name in entity.attribute_names():
            if name == time_name:
                continue
            attribute = implicit_attribute(entity, name)
            if name == "id" or (attribute.unique and name not in grouped):
                continue
            low = attribute.type in ("enum", "boolean") or (
                attribute.type == "string" and name in grouped
            )
            if low and not attribute.unique:
                tags.append((name, "low-cardinality, identifies the series"))
            elif name not in ("created_at", "updated_at"):
                fields.append((name, attribute.type))
        for relationship in chosen.outgoing(entity.name):
            if relationship.cardinality != "many-to-many":
                tags.append((f"{relationship.role}_id", f"identifies the {relationship.target}"))
        lines += [
            "",
            f"## Measurement {md_code(entity.name)}",
            "",
            f"Timestamp: {md_code(time_name)} (nanoseconds).",
            "",
            "| name | kind | why |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {md_code(n)} | tag | {why} |" for n, why in tags]
        lines += [f"| {md_code(n)} | field | {kind} |" for n, kind in fields]
        example_tags = "".join(f",{_line_protocol(n)}=<{_line_protocol(n)}>" for n, _ in tags)
        example_fields = (
            ",".join(f"{_line_protocol(n)}=<value>" for n, _ in fields) or "value=<value>"
        )
        lines += [
            "",
            "Line protocol:",
            "",
            "```",
            f"{_line_protocol(entity.name, measurement=True)}{example_tags} {example_fields} "
            "<timestamp>",
            "```",
        ]
        decisions.append(
            reason(
                "influxdb_measurement",
                (entity_path(requirements, entity.name),),
                f"{entity.name}: {len(tags)} tags, {len(fields)} fields",
                f"{entity.name} is a measurement timed by {time_name}; tags (indexed, part of the "
                f"series key): {', '.join(n for n, _ in tags) or 'none'}; fields: "
                f"{', '.join(n for n, _ in fields) or 'none'}. Unique values stay out of the tags "
                "so that series cardinality stays bounded.",
            )
        )
        by_duration: dict[str, list[PatternFacts]] = {}
        for facts in _window_patterns(chosen, entity):
            by_duration.setdefault(bucket_of(facts.pattern.name)[1], []).append(facts)
        field_names = {n for n, _ in fields}
        for duration, served in by_duration.items():
            names = [p.pattern.name for p in served]
            measures = [
                (a.name, rolled)
                for a in entity.attributes
                if a.name in field_names and (rolled := rollup(entity, a, names)).aggregates
            ]
            group_tags = sorted(
                {n for n, _ in tags for p in served if n in _group_fields(chosen, entity, p)}
            )
            task = f"downsample {entity.name} {duration}"
            lines += [
                "",
                f"### Task {md_code(task)}, for {', '.join(md_code(n) for n in names)}",
                "",
                "```flux",
                *_flux_task(task, duration, bucket, entity.name, measures),
                "```",
            ]
            quantiled = [n for n, rolled in measures if "quantiles" in rolled]
            summed = [n for n, rolled in measures if "sum" in rolled]
            lasts = [n for n, rolled in measures if "last" in rolled]
            directed = [(n, r.direction) for n, r in measures if r.direction is not None]
            decisions.append(
                reason(
                    "influxdb_downsampling",
                    tuple(p.path for p in served),
                    f"task {task!r} every {duration}",
                    f"{', '.join(repr(n) for n in names)} read {duration} buckets"
                    + (f" per {', '.join(group_tags)}" if group_tags else "")
                    + f": one task, {task!r}, writes every {duration} to the downsampled "
                    "bucket the sum, count, min and max of "
                    + (", ".join(summed) or "no measure")
                    + " (an average is sum / count, at this bucket or any coarser one)"
                    + (
                        f", and the p50, p90 and p99 of {', '.join(quantiled)} (percentiles do "
                        "not merge: read them at this bucket, or from the raw points)"
                        if quantiled
                        else ""
                    )
                    + "".join(
                        f"; {n}'s sums are kept per {d.attribute} (a tag, so each direction is "
                        "its own series)"
                        + (
                            f" with its signed net {n}_net ({' + '.join(d.adds)} minus "
                            f"{' and '.join(d.subtracts)}), never a plain sum"
                            if d.net
                            else ""
                        )
                        for n, d in directed
                        if d is not None
                    )
                    + (f"; the last value of {', '.join(lasts)} (never averaged)" if lasts else "")
                    + "; identifiers are not aggregated.",
                )
            )
    if not timed:
        lines += ["", "No entity here is written as a stream or read by time windows."]
    if request.system_of_record:
        timed_names = {entity.name for entity, _ in timed}
        for entity in chosen.entities:
            if entity.name not in timed_names:
                lines += _item_series(chosen, entity, decisions)
        decisions += [
            unread_reason("influxdb", chosen, e.name, f"the measurement {e.name}")
            for e in unread_entities(chosen)
        ]
    return StoreSchema(
        store="influxdb",
        technology=technology,
        filename="timeseries.md",
        text="\n".join(lines) + "\n",
        decisions=tuple(decisions),
        role=request.role,
        patterns=tuple(p.pattern.name for p in chosen.patterns),
    )


def _flux_task(
    task: str,
    duration: str,
    bucket: str,
    measurement: str,
    measures: list[tuple[str, Rollup]],
) -> list[str]:
    """A Flux downsampling task: each measure's aggregates per window (`rollup`), as fields
    `<name>_<aggregate>`, into the downsampled bucket. A directed amount's sums stay per
    direction, since its enum is a tag; its net is summed with the debits negated."""
    lines = [
        f"option task = {{name: {_flux_string(task)}, every: {duration}}}",
        "",
        f"data = from(bucket: {_flux_string(bucket)})",
        "    |> range(start: -task.every)",
        f"    |> filter(fn: (r) => r._measurement == {_flux_string(measurement)})",
    ]
    if not measures:
        return [
            *lines,
            "",
            "data",
            f"    |> aggregateWindow(every: {duration}, fn: count, createEmpty: false)",
            '    |> map(fn: (r) => ({r with _field: r._field + "_count"}))',
            f"    |> to(bucket: {_flux_string(bucket + '_downsampled')})",
        ]

    def fields(wanted: str) -> str:
        chosen = [n for n, rolled in measures if wanted in rolled]
        return " or ".join(f"r._field == {_flux_string(n)}" for n in chosen)

    streams = []
    for function in ("sum", "count", "min", "max", "last"):
        if not fields(function):
            continue
        streams.append(function)
        lines += [
            "",
            f"{function}s = data",
            f"    |> filter(fn: (r) => {fields(function)})",
            f"    |> aggregateWindow(every: {duration}, fn: {function}, createEmpty: false)",
            f'    |> map(fn: (r) => ({{r with _field: r._field + "_{function}"}}))',
        ]
    if any("quantiles" in rolled for _, rolled in measures):
        for level in QUANTILE_LEVELS:
            label = f"p{round(level * 100)}"
            streams.append(label)
            lines += [
                "",
                f"{label}s = data",
                f"    |> filter(fn: (r) => {fields('quantiles')})",
                f"    |> aggregateWindow(every: {duration}, createEmpty: false, "
                f"fn: (column, tables=<-) => tables |> quantile(q: {level}, column: column))",
                f'    |> map(fn: (r) => ({{r with _field: r._field + "_{label}"}}))',
            ]
    for name, rolled in measures:
        signs = rolled.direction
        if signs is None or "net" not in rolled:
            continue
        tag = f"r[{_flux_string(signs.attribute)}]"
        subtracted = " or ".join(f"{tag} == {_flux_string(v)}" for v in signs.subtracts)
        label = f"net{sum(1 for s in streams if s.startswith('net')) + 1}".replace("net1", "net")
        streams.append(label)
        lines += [
            "",
            f"{label}s = data",
            f"    |> filter(fn: (r) => r._field == {_flux_string(name)})",
            f"    |> map(fn: (r) => ({{r with _value: if {subtracted} then -r._value "
            "else r._value}))",
            f'    |> group(columns: [{_flux_string(signs.attribute)}], mode: "except")',
            f"    |> aggregateWindow(every: {duration}, fn: sum, createEmpty: false)",
            '    |> map(fn: (r) => ({r with _field: r._field + "_net"}))',
        ]
    return [
        *lines,
        "",
        f"union(tables: [{', '.join(f'{name}s' for name in streams)}])",
        f"    |> to(bucket: {_flux_string(bucket + '_downsampled')})",
    ]


def _item_series(chosen: Scope, entity: Entity, decisions: list[Reason]) -> list[str]:
    """A measurement for an entity that is not a time series: one series per item, keyed by
    its id, whose latest point is the item."""
    fields = [
        (n, implicit_attribute(entity, n).type)
        for n in entity.attribute_names()
        if n not in ("id", "created_at", "updated_at")
    ]
    fields += [
        (f"{r.role}_id", f"references the {r.target}")
        for r in chosen.outgoing(entity.name)
        if r.cardinality != "many-to-many"
    ]
    example = ",".join(f"{_line_protocol(n)}=<value>" for n, _ in fields) or "present=true"
    decisions.append(
        reason(
            "influxdb_item_series",
            (entity_path(chosen.requirements, entity.name),),
            f"{entity.name}: one series per id",
            f"{entity.name} is not a time series, but the store holds the whole system of "
            "record: one series per item, keyed by the tag id; every change writes a point "
            "timestamped by updated_at, and the latest point is the item. Series cardinality "
            f"grows with the number of {entity.name} items.",
        )
    )
    return [
        "",
        f"## Measurement {md_code(entity.name)}",
        "",
        "Not a time series: one series per item, keyed by the tag `id`; every change writes a "
        "point timestamped by `updated_at`, and the latest point is the item (`last()`).",
        "",
        "| name | kind | why |",
        "| --- | --- | --- |",
        "| `id` | tag | identifies the item |",
        *(f"| {md_code(n)} | field | {kind} |" for n, kind in fields),
        "",
        "Line protocol:",
        "",
        "```",
        f"{_line_protocol(entity.name, measurement=True)},id=<id> {example} <updated_at>",
        "```",
    ]


def _shell(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
