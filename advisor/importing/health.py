"""The health of a live PostgreSQL database, from its catalogue and statistics views.

Each rule is a small function `Catalogue -> findings` in the ordered tuple `HEALTH_RULES`; a
test can run one alone. Rule ids are Azimutt's analyzer's where it has the rule
(https://github.com/azimuttapp/azimutt, libs/models/src/analyze/rules): primary-key-missing,
index-on-relation, index-duplicated, index-unused. query-slow reads what Azimutt's
query-too-slow and query-expensive read, and fk-type-mismatch is its relation-misaligned-type;
table-bloat, index-bloat, index-invalid and sequence-exhaustion are ours. docs/live-import.md
lists every rule with its source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg

from advisor.importing import catalogue_bloat as bloat
from advisor.importing.catalogue import (
    Catalogue,
    Row,
    failure,
    read_only_connection,
    schemas_to_read,
)
from advisor.importing.report import HealthFinding

# Bloat worth a finding: half the relation is empty space, and at least a megabyte of it
# (estimates are rough, within about 20 % per pgexperts' and ioguix's notes, and a VACUUM
# FULL or REINDEX of a smaller relation gains nothing anyone would notice).
BLOAT_RATIO = 0.5
BLOAT_MIN_BYTES = 1024 * 1024
# A sequence past half its range: moving an integer key to bigint rewrites the table and
# every index on the key, which is a project to plan while there is time; past 80 % it is due.
SEQUENCE_WARNING = 0.5
SEQUENCE_ERROR = 0.8
SLOWEST_QUERIES = 5
QUERY_SHOWN = 160  # characters of a query's text in its finding

# Relations that are the user's: not a partition (judged through its parent), not an
# extension's. `c` is pg_class, `n` its pg_namespace.
USER_TABLES = """
n.nspname = ANY(%s) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                AND d.objid = c.oid AND d.deptype = 'e')
"""

Rule = Callable[[Catalogue], Iterable[HealthFinding]]


def database_health(
    source: psycopg.Connection[Any] | str, schemas: tuple[str, ...] | None = None
) -> tuple[HealthFinding, ...]:
    """Every finding of `HEALTH_RULES` on a database (a DSN, or a connection used as it is:
    open it read-only yourself) in `schemas`, or in all of its schemas but the system's."""
    if isinstance(source, str):
        with read_only_connection(source) as connection:
            return database_health(connection, schemas)
    try:
        catalogue = Catalogue(source, schemas_to_read(source, schemas))
        return tuple(finding for rule in HEALTH_RULES for finding in rule(catalogue))
    except psycopg.Error as error:
        raise failure(error, "the statistics views", _location(source)) from None


def _location(connection: psycopg.Connection[Any]) -> str:
    info = connection.info
    return f"postgresql://{info.host}:{info.port}/{info.dbname}"


def _rows_text(tuples: float) -> str:
    return "never analysed" if tuples < 0 else f"about {round(tuples):,} rows"


def size_text(size: float) -> str:
    """A size as pg_size_pretty writes it.

    >>> size_text(512), size_text(3 * 1024 * 1024), size_text(1536 * 1024 ** 3)
    ('512 bytes', '3.0 MB', '1.5 TB')
    """
    for unit in ("bytes", "kB", "MB", "GB"):
        if abs(size) < 1024:
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"


def primary_key_missing(catalogue: Catalogue) -> Iterator[HealthFinding]:
    rows = catalogue.rows(
        f"""SELECT n.nspname AS namespace, c.relname AS name, c.reltuples AS tuples
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {USER_TABLES} AND NOT EXISTS (
            SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
        ORDER BY 1, 2""",
        (list(catalogue.schemas),),
    )
    for row in rows:
        table = catalogue.name(row["namespace"], row["name"])
        yield HealthFinding(
            "primary-key-missing",
            "warning",
            table,
            f"{table} has no primary key ({_rows_text(row['tuples'])}): its rows cannot be "
            "told apart, nor replicated logically without REPLICA IDENTITY FULL",
        )


_INDEXES = """
SELECT i.indrelid AS relation, ic.relname AS name, am.amname AS method,
       i.indisunique AS is_unique, i.indisvalid AS is_valid,
       (i.indkey::int2[])[0:i.indnkeyatts - 1] AS numbers,
       (i.indclass::oid[])[0:i.indnkeyatts - 1] AS classes,
       (i.indcollation::oid[])[0:i.indnkeyatts - 1] AS collations,
       (i.indoption::int2[])[0:i.indnkeyatts - 1] AS options,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
             FROM generate_series(1, i.indnkeyatts) k ORDER BY k) AS definitions,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       pg_relation_size(i.indexrelid) AS size
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE """


def _indexes(catalogue: Catalogue) -> dict[int, list[Row]]:
    by_table: dict[int, list[Row]] = defaultdict(list)
    sql = _INDEXES + USER_TABLES + " ORDER BY i.indrelid, ic.relname"
    for row in catalogue.rows(sql, (list(catalogue.schemas),)):
        by_table[row["relation"]].append(row)
    return by_table


def index_on_relation(catalogue: Catalogue) -> Iterator[HealthFinding]:
    """A foreign key whose columns lead no index: every delete or key change of a referenced
    row scans the referring table for rows to check (a lock held meanwhile)."""
    indexes = _indexes(catalogue)
    keys = catalogue.rows(
        f"""SELECT con.conrelid AS relation, con.conname AS name,
               n.nspname AS namespace, c.relname AS table_name, c.reltuples AS tuples,
               con.conkey::int2[] AS numbers,
               ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(number, position)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.number
                     ORDER BY k.position)::text[] AS columns,
               tn.nspname AS target_namespace, t.relname AS target_name
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_class t ON t.oid = con.confrelid
        JOIN pg_namespace tn ON tn.oid = t.relnamespace
        WHERE con.contype = 'f' AND con.conparentid = 0 AND {USER_TABLES}
        ORDER BY n.nspname, c.relname, con.conname""",
        (list(catalogue.schemas),),
    )
    for key in keys:
        wanted = set(key["numbers"])
        covered = any(
            index["is_valid"]
            and index["predicate"] is None
            and set(index["numbers"][: len(wanted)]) == wanted
            for index in indexes.get(key["relation"], [])
        )
        if covered:
            continue
        table = catalogue.name(key["namespace"], key["table_name"])
        target = catalogue.name(key["target_namespace"], key["target_name"])
        columns = ", ".join(key["columns"])
        yield HealthFinding(
            "index-on-relation",
            "warning",
            table,
            f"foreign key {key['name']} ({columns}) of {table} to {target} has no index "
            f"leading with its columns: each delete or key change in {target} scans {table} "
            f"({_rows_text(key['tuples'])}); CREATE INDEX ON {table} ({columns})",
        )


def _key(index: Row) -> list[tuple[Any, ...]]:
    return list(
        zip(
            index["definitions"],
            index["classes"],
            index["collations"],
            index["options"],
            strict=True,
        )
    )


def _redundant(index: Row, other: Row) -> bool:
    """`index` serves nothing `other` does not: same method and predicate, and its key is a
    prefix of the other's (a B-tree) or equal to it (any method); a unique index enforces
    something, so only an equal unique one makes it redundant."""
    if index is other or index["method"] != other["method"]:
        return False
    if index["predicate"] != other["predicate"] or not (index["is_valid"] and other["is_valid"]):
        return False
    mine, theirs = _key(index), _key(other)
    equal = mine == theirs
    prefix = index["method"] == "btree" and theirs[: len(mine)] == mine
    if index["is_unique"]:
        # Of two equal unique indexes the one that sorts later is the spare one.
        return equal and bool(other["is_unique"]) and index["name"] > other["name"]
    if equal and not other["is_unique"]:
        return bool(index["name"] > other["name"])
    return equal or prefix


def index_duplicated(catalogue: Catalogue) -> Iterator[HealthFinding]:
    tables = _table_names(catalogue)
    for relation, indexes in _indexes(catalogue).items():
        for index in indexes:
            other = next((o for o in indexes if _redundant(index, o)), None)
            if other is None:
                continue
            table = tables[relation]
            how = "duplicates" if _key(index) == _key(other) else "is a prefix of"
            yield HealthFinding(
                "index-duplicated",
                "warning",
                table,
                f"index {index['name']} ({', '.join(index['definitions'])}) on {table} {how} "
                f"{other['name']} ({', '.join(other['definitions'])}), which serves the same "
                f"lookups: it costs {size_text(index['size'])} and work on every write",
            )


def _table_names(catalogue: Catalogue) -> dict[int, str]:
    rows = catalogue.rows(
        f"""SELECT c.oid, n.nspname AS namespace, c.relname AS name
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_TABLES}""",
        (list(catalogue.schemas),),
    )
    return {row["oid"]: catalogue.name(row["namespace"], row["name"]) for row in rows}


def statistics_window(catalogue: Catalogue, now: datetime | None = None) -> str:
    """Since when the statistics views count, in words."""
    rows = catalogue.rows(
        "SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()"
    )
    reset = rows[0]["stats_reset"] if rows else None
    if reset is None:
        return "since the statistics began (they were never reset)"
    days = ((now or datetime.now(UTC)) - reset).days
    return f"since the statistics were reset on {reset:%Y-%m-%d} ({days} days)"


def index_unused(catalogue: Catalogue) -> Iterator[HealthFinding]:
    """An index never scanned, on a table that has rows and was read meanwhile (an empty or
    unread table, such as one just restored, says nothing of its indexes). Indexes that enforce
    a key are kept whatever their scans. A partitioned table's index is judged by its
    partitions' indexes, their scans and sizes summed, against its partitions' reads and
    changes; an index that a partition alone has is not judged."""
    schemas = (list(catalogue.schemas),)
    rows = [
        *catalogue.rows(
            f"""SELECT n.nspname AS namespace, c.relname AS name, s.indexrelname AS index_name,
                   pg_relation_size(s.indexrelid) AS size,
                   t.seq_scan + coalesce(t.idx_scan, 0) AS reads,
                   t.n_tup_ins + t.n_tup_upd + t.n_tup_del AS changes, 0 AS partitions
            FROM pg_stat_user_indexes s
            JOIN pg_index i ON i.indexrelid = s.indexrelid
            JOIN pg_stat_user_tables t ON t.relid = s.relid
            JOIN pg_class c ON c.oid = s.relid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {USER_TABLES} AND s.idx_scan = 0 AND NOT i.indisunique AND i.indisvalid
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
              AND t.n_live_tup > 0 AND t.seq_scan + coalesce(t.idx_scan, 0) > 0""",
            schemas,
        ),
        *catalogue.rows(_PARTITIONED_INDEXES_UNUSED.format(user_tables=USER_TABLES), schemas),
    ]
    if not rows:
        return
    window = statistics_window(catalogue)
    for row in sorted(rows, key=lambda row: (row["namespace"], row["name"], row["index_name"])):
        table = catalogue.name(row["namespace"], row["name"])
        where = table
        if row["partitions"]:
            where = f"its {row['partitions']:,} partitions"
        yield HealthFinding(
            "index-unused",
            "warning",
            table,
            f"index {row['index_name']} on {table} was never used"
            + (" on any of its partitions" if row["partitions"] else "")
            + f" {window}, while {where} had {row['reads']:,} scans and {row['changes']:,} row "
            f"changes: it costs {size_text(row['size'])}"
            + (" over the partitions" if row["partitions"] else "")
            + " and work on every write",
        )


# The indexes of partitioned tables, each with its leaf partitions' index scans and sizes
# summed (the statistics views count partitions only), and its table's partitions' reads,
# changes and live rows; those never scanned, on partitions that hold rows and were read.
_PARTITIONED_INDEXES_UNUSED = """
WITH parents AS (
    SELECT n.nspname AS namespace, c.oid AS relation, c.relname AS name,
           i.indexrelid AS index, ic.relname AS index_name
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE {user_tables} AND c.relkind = 'p' AND NOT i.indisunique AND i.indisvalid
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
), judged AS (
    SELECT p.namespace, p.name, p.index_name,
           (SELECT coalesce(sum(s.idx_scan), 0)::bigint FROM pg_partition_tree(p.index) tree
            JOIN pg_stat_user_indexes s ON s.indexrelid = tree.relid) AS scans,
           (SELECT coalesce(sum(pg_relation_size(tree.relid)), 0)::bigint
            FROM pg_partition_tree(p.index) tree WHERE tree.isleaf) AS size,
           t.reads, t.changes, t.live, t.partitions
    FROM parents p
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(s.seq_scan + coalesce(s.idx_scan, 0)), 0)::bigint AS reads,
               coalesce(sum(s.n_tup_ins + s.n_tup_upd + s.n_tup_del), 0)::bigint AS changes,
               coalesce(sum(s.n_live_tup), 0)::bigint AS live, count(*) AS partitions
        FROM pg_partition_tree(p.relation) tree
        JOIN pg_stat_user_tables s ON s.relid = tree.relid
        WHERE tree.isleaf
    ) t
)
SELECT namespace, name, index_name, size, reads, changes, partitions FROM judged
WHERE scans = 0 AND live > 0 AND reads > 0
"""


def index_invalid(catalogue: Catalogue) -> Iterator[HealthFinding]:
    """An index left invalid by a failed CREATE INDEX CONCURRENTLY: kept up to date by every
    write, used by no query."""
    rows = catalogue.rows(
        f"""SELECT n.nspname AS namespace, c.relname AS name, ic.relname AS index_name
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {USER_TABLES} AND NOT i.indisvalid ORDER BY 1, 2, 3""",
        (list(catalogue.schemas),),
    )
    for row in rows:
        table = catalogue.name(row["namespace"], row["name"])
        yield HealthFinding(
            "index-invalid",
            "warning",
            table,
            f"index {row['index_name']} on {table} is invalid (a failed concurrent build): "
            "every write maintains it and no query uses it; drop it and build it again",
        )


def table_bloat(catalogue: Catalogue) -> Iterator[HealthFinding]:
    for row in catalogue.rows(bloat.TABLE_BLOAT, (list(catalogue.schemas),)):
        if row["columns_with_statistics"] < row["columns"]:
            continue
        estimate = bloat.table_bloat(
            tuples=row["tuples"],
            pages=row["pages"],
            toast_pages=row["toast_pages"],
            toast_tuples=row["toast_tuples"],
            fillfactor=row["fillfactor"],
            columns=row["columns"],
            has_nulls=row["has_nulls"],
            data_width=float(row["data_width"]),
            block_size=row["block_size"],
        )
        if estimate.ratio >= BLOAT_RATIO and estimate.wasted_bytes >= BLOAT_MIN_BYTES:
            table = catalogue.name(row["namespace"], row["name"])
            yield HealthFinding(
                "table-bloat",
                "warning",
                table,
                f"{table} is about {estimate.ratio:.0%} empty space (estimated "
                f"{size_text(estimate.wasted_bytes)} of {size_text(estimate.actual_bytes)}): "
                "VACUUM FULL or pg_repack would return it",
            )


def index_bloat(catalogue: Catalogue) -> Iterator[HealthFinding]:
    for row in catalogue.rows(bloat.INDEX_BLOAT, (list(catalogue.schemas),)):
        if row["columns_with_statistics"] < row["columns"]:
            continue
        estimate = bloat.index_bloat(
            tuples=row["tuples"],
            pages=row["pages"],
            fillfactor=row["fillfactor"],
            has_nulls=row["has_nulls"],
            data_width=float(row["data_width"]),
            block_size=row["block_size"],
        )
        if estimate.ratio >= BLOAT_RATIO and estimate.wasted_bytes >= BLOAT_MIN_BYTES:
            table = catalogue.name(row["namespace"], row["table_name"])
            yield HealthFinding(
                "index-bloat",
                "warning",
                table,
                f"index {row['name']} on {table} is about {estimate.ratio:.0%} empty space "
                f"(estimated {size_text(estimate.wasted_bytes)} of "
                f"{size_text(estimate.actual_bytes)}): REINDEX CONCURRENTLY would return it",
            )


# The largest value a column of each integer type holds.
INTEGER_LIMITS = {"smallint": 2**15 - 1, "integer": 2**31 - 1, "bigint": 2**63 - 1}


def sequence_exhaustion(catalogue: Catalogue) -> Iterator[HealthFinding]:
    """A sequence that has used much of its range, or of the range of the column it fills
    (a bigint sequence behind an integer column fails at 2,147,483,647)."""
    rows = catalogue.rows(
        """SELECT s.schemaname AS namespace, s.sequencename AS name, s.last_value,
               s.max_value, tn.nspname AS table_namespace, t.relname AS table_name,
               a.attname AS column_name, a.atttypid::regtype::text AS column_type
        FROM pg_sequences s
        JOIN pg_namespace sn ON sn.nspname = s.schemaname
        JOIN pg_class seq ON seq.relnamespace = sn.oid AND seq.relname = s.sequencename
        LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = seq.oid
             AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        LEFT JOIN pg_class t ON t.oid = d.refobjid
        LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
        LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE s.schemaname = ANY(%s) AND s.last_value IS NOT NULL AND s.increment_by > 0
        ORDER BY 1, 2""",
        (list(catalogue.schemas),),
    )
    for row in rows:
        limit = min(row["max_value"], INTEGER_LIMITS.get(row["column_type"] or "", 2**63 - 1))
        used = row["last_value"] / limit
        if used < SEQUENCE_WARNING:
            continue
        owner = (
            f" for {catalogue.name(row['table_namespace'], row['table_name'])}."
            f"{row['column_name']} ({row['column_type']})"
            if row["table_name"]
            else ""
        )
        table = catalogue.name(row["table_namespace"], row["table_name"]) if owner else ""
        yield HealthFinding(
            "sequence-exhaustion",
            "error" if used >= SEQUENCE_ERROR else "warning",
            table,
            f"sequence {catalogue.name(row['namespace'], row['name'])}{owner} has used "
            f"{used:.0%} of its {limit:,} values (last value {row['last_value']:,}): move the "
            "key to bigint before inserts fail",
        )


def fk_type_mismatch(catalogue: Catalogue) -> Iterator[HealthFinding]:
    """A foreign key column of another type than the column it refers to."""
    rows = catalogue.rows(
        f"""SELECT con.conname AS name, n.nspname AS namespace, c.relname AS table_name,
               tn.nspname AS target_namespace, t.relname AS target_name,
               a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS column_type,
               fa.attname AS target_column, format_type(fa.atttypid, fa.atttypmod) AS target_type
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_class t ON t.oid = con.confrelid
        JOIN pg_namespace tn ON tn.oid = t.relnamespace
        CROSS JOIN LATERAL unnest(con.conkey, con.confkey) AS k(number, target_number)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.number
        JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.target_number
        WHERE con.contype = 'f' AND con.conparentid = 0 AND {USER_TABLES}
          AND (a.atttypid, a.atttypmod) <> (fa.atttypid, fa.atttypmod)
        ORDER BY 2, 3, 1, 6""",
        (list(catalogue.schemas),),
    )
    for row in rows:
        table = catalogue.name(row["namespace"], row["table_name"])
        target = catalogue.name(row["target_namespace"], row["target_name"])
        yield HealthFinding(
            "fk-type-mismatch",
            "warning",
            table,
            f"{table}.{row['column_name']} ({row['column_type']}) refers to "
            f"{target}.{row['target_column']} ({row['target_type']}) in foreign key "
            f"{row['name']}: values of one may not fit the other, and joins compare through "
            "a cast",
        )


def query_slow(catalogue: Catalogue) -> Iterator[HealthFinding]:
    """The queries that took the most time in all, from pg_stat_statements; an info finding
    when the extension is absent or not loaded."""
    installed = catalogue.rows(
        "SELECT n.nspname AS namespace FROM pg_extension e "
        "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'"
    )
    if not installed:
        yield HealthFinding(
            "query-slow",
            "info",
            "",
            "pg_stat_statements is not installed in this database, so there are no query "
            "statistics: add it to shared_preload_libraries and CREATE EXTENSION "
            "pg_stat_statements to see the slowest queries",
        )
        return
    view = f'"{installed[0]["namespace"]}".pg_stat_statements'
    try:
        with catalogue.connection.transaction():  # a savepoint: a failure spoils nothing
            rows = catalogue.rows(
                f"""SELECT query, calls, total_exec_time AS total, mean_exec_time AS mean
                FROM {view}
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                ORDER BY total_exec_time DESC LIMIT %s""",
                (SLOWEST_QUERIES,),
            )
    except psycopg.Error as error:
        yield HealthFinding(
            "query-slow",
            "info",
            "",
            f"pg_stat_statements is installed but cannot be read ({str(error).strip()}), so "
            "there are no query statistics",
        )
        return
    for row in rows:
        text = " ".join(str(row["query"]).split())
        shown = text if len(text) <= QUERY_SHOWN else text[: QUERY_SHOWN - 1] + "…"
        yield HealthFinding(
            "query-slow",
            "info",
            "",
            f"{row['total'] / 1000:,.1f} s in all over {row['calls']:,} calls "
            f"({row['mean']:,.1f} ms each): {shown}",
        )


HEALTH_RULES: tuple[Rule, ...] = (
    primary_key_missing,
    index_on_relation,
    index_duplicated,
    index_unused,
    index_invalid,
    table_bloat,
    index_bloat,
    sequence_exhaustion,
    fk_type_mismatch,
    query_slow,
)
