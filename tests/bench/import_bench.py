"""Time to import a 5 MB pg_dump: 400 tables with keys, indexes and comments, a function with a
`$$` body per table, and COPY blocks of rows, which are most of the bytes, as in real dumps.

Run by `make bench`; the target is under 5 s in-process (issue 11: "a 5 MB dump imports within
seconds"). Exits 1 when the target is missed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from advisor.importing.sql import import_sql

TABLES = 400
TARGET_BYTES = 5 * 1024 * 1024
TARGET_SECONDS = 5.0


def dump(tables: int = TABLES, size: int = TARGET_BYTES) -> str:
    parts = ["\\restrict bench", "SET statement_timeout = 0;"]
    rows_per_table = 1
    for n in range(tables):
        parent = f"REFERENCES public.table_{n - 1}" if n else ""
        parts.append(
            f"CREATE TABLE public.table_{n} (\n    id integer NOT NULL,\n"
            f"    parent_id integer {parent},\n    title character varying(200) NOT NULL,\n"
            f"    price money DEFAULT 0,\n    created timestamp with time zone DEFAULT now()\n);"
        )
        parts.append(f"ALTER TABLE public.table_{n} OWNER TO postgres;")
        parts.append(
            f"CREATE FUNCTION public.f_{n}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN NEW.created := now(); RETURN NEW; END; $$;"
        )
    for n in range(tables):
        parts.append(
            f"ALTER TABLE ONLY public.table_{n} ADD CONSTRAINT table_{n}_pkey PRIMARY KEY (id);"
        )
        parts.append(f"CREATE INDEX table_{n}_title ON public.table_{n} USING btree (title);")
        parts.append(f"COMMENT ON TABLE public.table_{n} IS 'table {n}; with a semicolon';")
    text = "\n".join(parts)
    row = "1\t\\N\ta title; with a semicolon\t$1.00\t2024-01-01 00:00:00+00\n"
    rows_per_table = max(1, (size - len(text)) // (len(row) * tables))
    copies = [
        f"COPY public.table_{n} (id, parent_id, title, price, created) FROM stdin;\n"
        + row * rows_per_table
        + "\\."
        for n in range(tables)
    ]
    return "\n".join([text, *copies, "\\unrestrict bench", ""])


def main() -> int:
    text = dump()
    started = time.perf_counter()
    result = import_sql(text)
    elapsed = time.perf_counter() - started
    keys = sum(len(table.foreign_keys) for table in result.schema.tables)
    print(
        f"{len(text) / 1024 / 1024:.1f} MB, {len(result.statements)} statements, "
        f"{len(result.schema.tables)} tables, {keys} foreign keys: {elapsed:.2f} s "
        f"(target {TARGET_SECONDS:.0f} s)"
    )
    assert len(result.schema.tables) == TABLES and keys == TABLES - 1
    return 0 if elapsed < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
