"""MySQL and MariaDB: every ALTER says how it may run (`ALGORITHM=INSTANT`, `INPLACE` with
`LOCK=NONE`, or `COPY`), so the server refuses rather than silently copying a table, and the
step says when it copies.

Sources: https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html and
https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-instant-alter-algorithm/.
DDL commits implicitly in both: no step is transactional.
"""

from __future__ import annotations

from dataclasses import replace

from advisor.migrate.hazards import Hazard
from advisor.migrate.plan import BATCH_ROWS, Planner
from advisor.migrate.steps import Step
from advisor.schema.model import Check, Column, ForeignKey, Index, Key, Table

INSTANT = "ALGORITHM=INSTANT"
ONLINE = "ALGORITHM=INPLACE, LOCK=NONE"
COPY = "ALGORITHM=COPY, LOCK=SHARED"
# A VARCHAR keeps its length in one byte up to 255 bytes, four bytes a character in utf8mb4:
# widening within one side of that line is in place, across it a copy.
ONE_BYTE_LENGTH_CHARACTERS = 255 // 4


def _with(step: Step, algorithm: str, *hazards: Hazard) -> Step:
    statements = (*step.statements[:-1], f"{step.statements[-1]}, {algorithm}")
    return replace(step, statements=statements, hazards=(*step.hazards, *hazards))


def _copies(table: Table, why: str) -> tuple[Hazard, ...]:
    return (
        Hazard("table_rewrite", f"ALGORITHM=COPY: {table.name} is copied row by row ({why})"),
        Hazard("access_exclusive_lock", f"writes to {table.name} wait until the copy ends"),
    )


class MySQLPlanner(Planner):
    family = "mysql"

    def plan(self) -> tuple[Step, ...]:
        return tuple(replace(step, transactional=False) for step in super().plan())

    def add_column(self, table: Table, column: Column) -> None:
        before = len(self.phases.columns)
        super().add_column(table, column)
        self.phases.columns[before] = replace(
            _with(self.phases.columns[before], INSTANT),
            description=self.phases.columns[before].description
            + " Instant: only the table's metadata changes.",
        )

    def batch_update(
        self, table: Table, column: str, value: str, condition: str, target: str
    ) -> Step:
        step = super().batch_update(table, column, value, condition, target)
        statement = (
            f"UPDATE {self.q(table.name)} SET {self.q(column)} = {value} "
            f"WHERE {self.q(column)} IS NULL LIMIT {BATCH_ROWS}"
        )
        return replace(step, statements=(statement,))

    def set_not_null(self, table: Table, column: Column) -> list[Step]:
        rebuilt = Hazard("table_rewrite", f"{table.name} is rebuilt in place; writes go on")
        return [
            replace(_with(step, ONLINE), hazards=(rebuilt,))
            for step in super().set_not_null(table, column)
        ]

    def change_column(self, change, column_change):  # type: ignore[no-untyped-def]
        before = len(self.phases.columns)
        super().change_column(change, column_change)
        for position in range(before, len(self.phases.columns)):
            step = self.phases.columns[position]
            if step.operation == "drop_not_null":
                self.phases.columns[position] = _with(
                    step, ONLINE, Hazard("table_rewrite", "the table is rebuilt in place")
                )
            elif step.operation == "rename_column" or (
                step.operation == "set_default" and step.statements
            ):
                self.phases.columns[position] = _with(step, INSTANT)

    def change_type(self, table: Table, old: Column, new: Column) -> Step:
        step = super().change_type(table, old, new)
        step = replace(step, hazards=())
        before, after = old.type, new.type
        if before.kind == after.kind == "enum" and after.values[: len(before.values)] == (
            before.values
        ):
            return replace(
                _with(step, INSTANT),
                description=step.description + " Instant: values are only appended.",
            )
        if (
            before.kind == after.kind == "string"
            and before.length is not None
            and after.length is not None
            and before.length <= after.length
            and (before.length <= ONE_BYTE_LENGTH_CHARACTERS)
            == (after.length <= ONE_BYTE_LENGTH_CHARACTERS)
        ):
            return replace(
                _with(step, ONLINE),
                description=step.description + " In place: a longer VARCHAR of the same kind.",
            )
        return _with(step, COPY, *_copies(table, f"{new.name} changes type"))

    def drop_column(self, table: Table, column: Column) -> None:
        super().drop_column(table, column)
        self.phases.contract[-1] = _with(self.phases.contract[-1], ONLINE)

    def drop_index(self, table: Table, index: Index) -> Step:
        return _with(super().drop_index(table, index), ONLINE)

    def add_key(self, table: Table, key: Key, *, primary: bool) -> Step:
        step = replace(super().add_key(table, key, primary=primary), hazards=())
        return _with(
            step,
            ONLINE,
            Hazard("index_build", f"a unique index over {', '.join(key.columns)}; writes go on"),
        )

    def add_check(self, table: Table, check: Check) -> list[Step]:
        return [
            _with(replace(step, hazards=()), COPY, *_copies(table, "every row is checked"))
            for step in super().add_check(table, check)
        ]

    def add_index(self, table: Table, index: Index) -> list[Step]:
        steps = []
        for step in super().add_index(table, index):
            build = Hazard("index_build", f"{index.name} reads all of {table.name}")
            if index.kind == "full_text":
                steps.append(
                    _with(
                        replace(step, hazards=()),
                        "ALGORITHM=INPLACE, LOCK=SHARED",
                        build,
                        Hazard("access_exclusive_lock", "writes wait for a FULLTEXT build"),
                    )
                )
            else:
                # CREATE INDEX takes its options after the column list, without a comma.
                statement = f"{step.statements[-1]} {ONLINE.replace(',', '')}"
                steps.append(replace(step, statements=(statement,), hazards=(build,)))
        return steps

    def rename_constraint(
        self, table: Table, old: Key | Check | ForeignKey, new: Key | Check | ForeignKey
    ) -> list[Step]:
        if isinstance(old, Key) and isinstance(new, Key):  # a unique key is an index here
            statement = self.statement("rename_index", table=table.name, old=old.name, new=new.name)
            step = self.step(
                "rename_index",
                f"Rename the unique key {old.name} of {table.name} to {new.name}.",
                statement,
                target=table.name,
            )
            return [_with(step, ONLINE)]
        return super().rename_constraint(table, old, new)

    def rename_index(self, table: Table, old: Index, new: Index) -> list[Step]:
        return [_with(step, ONLINE) for step in super().rename_index(table, old, new)]

    def add_foreign_key(self, table: Table, key: ForeignKey) -> Step:
        step = replace(super().add_foreign_key(table, key), hazards=())
        return _with(step, COPY, *_copies(table, "every reference is checked"))
