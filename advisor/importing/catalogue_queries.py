"""The pg_catalog queries the live importer runs, one per kind of object, each over all the
relations read at once (a few round trips whatever the size of the database).

pg_catalog rather than information_schema: the latter is a stack of views that checks
privileges row by row, seconds on a database of thousands of tables, and it has no partitions,
index methods, enums or comments. Catalogue reference: https://www.postgresql.org/docs/15/catalogs.html
"""

from __future__ import annotations

# Tables, partitioned tables, views, materialized views and foreign tables; the extension a
# relation belongs to, if any (pg_depend deptype 'e').
RELATIONS = """
SELECT c.oid, n.nspname AS namespace, c.relname AS name, c.relkind AS kind,
       c.relispartition AS is_partition, obj_description(c.oid, 'pg_class') AS comment,
       (SELECT e.extname FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
         LIMIT 1) AS extension
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
ORDER BY n.nspname, c.relname
"""

# Columns with their type resolved through a domain to its base type.
COLUMNS = """
SELECT a.attrelid AS relation, a.attnum AS number, a.attname AS name,
       a.attnotnull AS not_null, a.attidentity AS identity, a.attgenerated AS generated,
       format_type(a.atttypid, a.atttypmod) AS original,
       base.typname AS base_name, base.typcategory AS category, base.typtype AS base_kind,
       base.oid AS base_oid, base_ns.nspname AS base_namespace,
       CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS modifier,
       pg_get_expr(d.adbin, d.adrelid) AS default_expression,
       col_description(a.attrelid, a.attnum) AS comment
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type base ON base.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
JOIN pg_namespace base_ns ON base_ns.oid = base.typnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""

# Keys, checks, foreign keys and exclusion constraints declared on the relations themselves
# (a partition's copy of its parent's constraint has conparentid <> 0).
CONSTRAINTS = """
SELECT con.conrelid AS relation, con.conname AS name, con.contype AS kind,
       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(number, position)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.number
             ORDER BY k.position)::text[] AS columns,
       target_ns.nspname AS target_namespace, target.relname AS target_name,
       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(number, position)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.number
             ORDER BY k.position)::text[] AS target_columns,
       con.confdeltype AS on_delete, {set_null_columns} AS set_null_columns,
       pg_get_constraintdef(con.oid) AS definition
FROM pg_constraint con
LEFT JOIN pg_class target ON target.oid = con.confrelid
LEFT JOIN pg_namespace target_ns ON target_ns.oid = target.relnamespace
WHERE con.conrelid = ANY(%s) AND con.contype IN ('p', 'u', 'f', 'c', 'x')
  AND con.conparentid = 0
ORDER BY con.conrelid, con.contype, con.conname
"""
# ON DELETE SET NULL (columns) is PostgreSQL 15's.
SET_NULL_COLUMNS_15 = """ARRAY(SELECT a.attname FROM unnest(con.confdelsetcols) k(number)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.number)::text[]"""
SET_NULL_COLUMNS_BEFORE_15 = "ARRAY[]::text[]"

# Indexes, with each position's column number (0 for an expression) and definition.
INDEXES = """
SELECT i.indrelid AS relation, ic.relname AS name, am.amname AS method,
       i.indisunique AS is_unique, i.indisvalid AS is_valid, i.indnkeyatts AS key_count,
       i.indkey::int2[] AS numbers, i.indoption::int2[] AS options,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
             FROM generate_series(1, i.indnatts) k ORDER BY k) AS definitions,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
               AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')) AS backs_constraint
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE i.indrelid = ANY(%s)
ORDER BY i.indrelid, ic.relname
"""

PARTITIONING = """
SELECT p.partrelid AS relation, p.partstrat AS strategy, p.partattrs::int2[] AS numbers,
       pg_get_partkeydef(p.partrelid) AS definition
FROM pg_partitioned_table p WHERE p.partrelid = ANY(%s)
"""

PARTITIONS = """
SELECT i.inhparent AS parent, c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = ANY(%s) AND c.relispartition
ORDER BY i.inhparent, c.relname
"""

ENUMS = """
SELECT t.oid, n.nspname AS namespace, t.typname AS name,
       array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = ANY(%s) OR t.oid = ANY(%s)
GROUP BY t.oid, n.nspname, t.typname
ORDER BY n.nspname, t.typname
"""

# What is not schema to the model, listed so that the report says it was seen and skipped.
OTHER_OBJECTS = """
SELECT 'DOMAIN' AS kind, n.nspname AS namespace, t.typname AS name,
       format_type(t.typbasetype, t.typtypmod) AS detail
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = ANY(%s) AND t.typtype = 'd'
UNION ALL
SELECT 'TYPE', n.nspname, t.typname, 'composite'
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
WHERE n.nspname = ANY(%s) AND t.typtype = 'c'
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
       n.nspname, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', ''
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = ANY(%s)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                  AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'TRIGGER', n.nspname, tg.tgname || ' ON ' || c.relname, ''
FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%s) AND NOT tg.tgisinternal AND tg.tgparentid = 0
ORDER BY 1, 2, 3
"""
