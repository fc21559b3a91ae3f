"""Bloat estimates without pgstattuple: the pages a table or a B-tree index would need for the
rows the statistics count, against the pages it has.

The method is Jehan-Guillaume de Rorthais's (https://github.com/ioguix/pgsql-bloat-estimation,
BSD-2), written again here, the arithmetic in Python so that it can be read and tested:
the average row width comes from pg_stats (`avg_width`, `null_frac`), the tuple and page
overheads from PostgreSQL's storage layout (https://www.postgresql.org/docs/15/storage-page-layout.html).
Updated for current PostgreSQL: no `relhasoids` (WITH OIDS is gone since 12), `reltuples` of
-1 means "never vacuumed or analysed" (14) and is skipped, and B-tree deduplication (13) makes
an index with repeated keys smaller than the estimate, so its bloat is under-estimated, never
over-estimated. Only relations whose every column has statistics are estimated: a column
without them (never analysed) would make the row look thinner and the bloat larger.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAXALIGN = 8  # 64-bit servers
PAGE_HEADER = 24  # PageHeaderData
ITEM_ID = 4  # ItemIdData, one per tuple on a page
HEAP_TUPLE_HEADER = 23  # HeapTupleHeaderData before alignment
INDEX_TUPLE_HEADER = 8  # IndexTupleData
INDEX_NULL_BITMAP = 4  # IndexAttributeBitMapData, when a key column can be null
BTREE_OPAQUE = 16  # BTPageOpaqueData, at the end of every B-tree page
TOAST_CHUNKS_PER_PAGE = 4  # TOAST_MAX_CHUNK_SIZE is about a quarter of a page

TABLE_BLOAT = """
SELECT n.nspname AS namespace, c.relname AS name, c.reltuples AS tuples, c.relpages AS pages,
       coalesce(toast.relpages, 0) AS toast_pages, coalesce(toast.reltuples, 0) AS toast_tuples,
       coalesce((SELECT option_value::int FROM pg_options_to_table(c.reloptions)
                 WHERE option_name = 'fillfactor'), 100) AS fillfactor,
       count(*) AS columns, count(s.attname) AS columns_with_statistics,
       coalesce(max(s.null_frac), 0) > 0 AS has_nulls,
       coalesce(sum((1 - s.null_frac) * s.avg_width), 0) AS data_width,
       current_setting('block_size')::int AS block_size
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname
     AND s.attname = a.attname AND NOT s.inherited
LEFT JOIN pg_class toast ON toast.oid = c.reltoastrelid
WHERE n.nspname = ANY(%s) AND c.relkind = 'r' AND c.relpages > 0 AND c.reltuples >= 0
GROUP BY n.nspname, c.relname, c.reltuples, c.relpages, toast.relpages, toast.reltuples,
         c.reloptions
"""

# Every position of the index, key and included columns; an expression has no pg_stats row
# under the table, so an expression index is never counted as having all its statistics.
INDEX_BLOAT = """
SELECT n.nspname AS namespace, t.relname AS table_name, ic.relname AS name,
       ic.reltuples AS tuples, ic.relpages AS pages,
       coalesce((SELECT option_value::int FROM pg_options_to_table(ic.reloptions)
                 WHERE option_name = 'fillfactor'), 90) AS fillfactor,
       count(*) AS columns, count(s.attname) AS columns_with_statistics,
       coalesce(max(s.null_frac), 0) > 0 AS has_nulls,
       coalesce(sum((1 - s.null_frac) * s.avg_width), 0) AS data_width,
       current_setting('block_size')::int AS block_size
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
CROSS JOIN LATERAL unnest(i.indkey::int2[]) AS k(number)
LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.number AND k.number > 0
LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = t.relname
     AND s.attname = a.attname AND NOT s.inherited
WHERE n.nspname = ANY(%s) AND t.relkind = 'r' AND ic.relpages > 0 AND ic.reltuples >= 0
GROUP BY n.nspname, t.relname, ic.relname, ic.reltuples, ic.relpages, ic.reloptions
"""


@dataclass(frozen=True)
class Bloat:
    actual_bytes: int
    expected_bytes: int

    @property
    def wasted_bytes(self) -> int:
        return max(self.actual_bytes - self.expected_bytes, 0)

    @property
    def ratio(self) -> float:
        return self.wasted_bytes / self.actual_bytes if self.actual_bytes else 0.0


def _aligned(size: float) -> int:
    return math.ceil(size / MAXALIGN) * MAXALIGN


def table_bloat(
    *,
    tuples: float,
    pages: int,
    toast_pages: int,
    toast_tuples: float,
    fillfactor: int,
    columns: int,
    has_nulls: bool,
    data_width: float,
    block_size: int,
) -> Bloat:
    """A heap's bloat: its pages against those its live rows need at its fill factor.

    A row of 100 bytes takes 132 on a page (a 24-byte header, its data aligned to 104, a
    4-byte pointer), 61 rows a page: 100,000 rows need 1,640 pages, and a table of 6,000
    pages is nearly three quarters empty:

    >>> bloat = table_bloat(tuples=100_000, pages=6_000, toast_pages=0, toast_tuples=0,
    ...                     fillfactor=100, columns=2, has_nulls=False, data_width=100,
    ...                     block_size=8192)
    >>> bloat.expected_bytes // 8192, round(bloat.ratio, 2)
    (1640, 0.73)
    """
    null_bitmap = math.ceil(columns / 8) if has_nulls else 0
    tuple_size = _aligned(HEAP_TUPLE_HEADER + null_bitmap) + _aligned(data_width) + ITEM_ID
    usable = (block_size - PAGE_HEADER) * fillfactor / 100
    per_page = max(math.floor(usable / tuple_size), 1)
    expected = math.ceil(tuples / per_page) + math.ceil(toast_tuples / TOAST_CHUNKS_PER_PAGE)
    return Bloat((pages + toast_pages) * block_size, expected * block_size)


def index_bloat(
    *,
    tuples: float,
    pages: int,
    fillfactor: int,
    has_nulls: bool,
    data_width: float,
    block_size: int,
) -> Bloat:
    """A B-tree's bloat: its pages against the leaf pages its entries need at its fill factor,
    plus the meta page.

    >>> bloat = index_bloat(tuples=100_000, pages=1_000, fillfactor=90, has_nulls=False,
    ...                     data_width=4, block_size=8192)
    >>> bloat.expected_bytes // 8192, round(bloat.ratio, 2)
    (275, 0.72)
    """
    header = INDEX_TUPLE_HEADER + (INDEX_NULL_BITMAP if has_nulls else 0)
    tuple_size = _aligned(header) + _aligned(data_width) + ITEM_ID
    usable = (block_size - PAGE_HEADER - BTREE_OPAQUE) * fillfactor / 100
    per_page = max(math.floor(usable / tuple_size), 1)
    expected = 1 + math.ceil(tuples / per_page)
    return Bloat(pages * block_size, expected * block_size)
