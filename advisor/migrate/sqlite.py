"""SQLite: ALTER TABLE renames a table or a column, adds a plain column and drops one that
nothing else names; everything else is the table rebuild of
https://www.sqlite.org/lang_altertable.html#otheralter (foreign keys off, a new table, the rows
copied, the old one dropped, the new one renamed, indexes and triggers made again, the foreign
keys checked), in one transaction.
"""

from __future__ import annotations

from dataclasses import replace

from advisor.migrate.diff import TableDiff
from advisor.migrate.hazards import Hazard
from advisor.migrate.plan import Planner, touches
from advisor.migrate.steps import Step
from advisor.schema.model import Table


class SQLitePlanner(Planner):
    family = "sqlite"

    def needs_rebuild(self, change: TableDiff) -> bool:
        old, new = change.old, change.new
        constrained_old = [
            *old.uniques,
            *old.checks,
            *old.foreign_keys,
            *old.indexes,
            *((old.primary_key,) if old.primary_key else ()),
        ]
        constrained_new = [
            *new.uniques,
            *new.checks,
            *new.foreign_keys,
            *((new.primary_key,) if new.primary_key else ()),
        ]
        return bool(
            change.primary_key
            or change.uniques.added
            or change.uniques.dropped
            or change.checks.added
            or change.checks.dropped
            or change.foreign_keys.added
            or change.foreign_keys.dropped
            or any(
                c.type_changed or c.nullability_changed or c.default_changed
                for c in change.changed_columns
            )
            or any(
                touches(item, [column.name])
                for column in change.dropped_columns
                for item in constrained_old
            )
            or any(
                not (column.nullable or (column.default is not None and not column.default_now))
                or any(touches(item, [column.name]) for item in constrained_new)
                for column in change.added_columns
            )
        )

    def drop_objects(self, change: TableDiff) -> None:
        if not self.needs_rebuild(change):
            for index in change.indexes.dropped:
                self.phases.drop_objects.append(self.drop_index(change.old, index))
            for old_index, _ in change.indexes.renamed:
                self.phases.drop_objects.append(self.drop_index(change.old, old_index))

    def add_objects(self, change: TableDiff) -> None:
        if not self.needs_rebuild(change):
            for _, index in change.indexes.renamed:
                self.phases.add_objects.extend(self.add_index(change.new, index))
            for index in change.indexes.added:
                self.phases.add_objects.extend(self.add_index(change.new, index))

    def alter_table(self, change: TableDiff) -> None:
        if not self.needs_rebuild(change):
            super().alter_table(change)
            return
        if change.renamed:
            self.phases.columns.append(self.rename_table(change))
        self.phases.columns.append(self.rebuild(change))

    def rebuild(self, change: TableDiff) -> Step:
        table = change.new
        interim = f"_new_{table.name}"
        old_of = {c.new.name: c.old for c in change.changed_columns}
        kept = {column.name for column in table.columns}
        old_of |= {
            column.name: column
            for column in change.old.columns
            if column.name in kept and column.name not in old_of
        }
        names: list[str] = []
        values: list[str] = []
        hazards: list[Hazard] = []
        for column in table.columns:
            given = self.backfill_value(table, column)
            previous = old_of.get(column.name)
            if previous is None:
                if given is not None:
                    names.append(column.name)
                    values.append(given)
                elif self.needs_backfill(column):
                    hazards.append(
                        Hazard(
                            "needs_value",
                            f"{table.name}.{column.name} is required, with no default and no "
                            "--backfill value: the copy fails if the table has rows",
                        )
                    )
                continue
            value = self.q(previous.name)
            if previous.type != column.type:
                value = f"CAST({value} AS {self.type_of(table, column)})"
            if given is not None and previous.nullable and not column.nullable:
                value = f"COALESCE({value}, {given})"
            names.append(column.name)
            values.append(value)
        hazards += [
            Hazard("deletes_data", f"the values of {table.name}.{column.name}")
            for column in change.dropped_columns
        ]
        hazards += [
            Hazard("table_rewrite", f"every row of {table.name} is copied"),
            Hazard("access_exclusive_lock", "the database is locked for writes while it runs"),
            *self.lost_on_rollback_columns(change),
        ]
        create = replace(table, name=interim, indexes=())
        write = self.renderer.generator.generate
        target = self.q(table.name)
        listed = ", ".join(self.q(name) for name in names)
        statements = [
            "PRAGMA foreign_keys = OFF",
            "BEGIN",
            write(self.renderer.create_table(create)),
            f"INSERT INTO {self.q(interim)} ({listed}) SELECT {', '.join(values)} FROM {target}",
            f"DROP TABLE {target}",
            f"ALTER TABLE {self.q(interim)} RENAME TO {target}",
            *(self.create_index(table, index) for index in table.indexes),
            *(
                self.sql(self.renderer.sqlite_trigger(table, column.name))
                for column in table.columns
                if column.on_update_now
            ),
            f"PRAGMA foreign_key_check({target})",
            "COMMIT",
            "PRAGMA foreign_keys = ON",
        ]
        return self.step(
            "rebuild_table",
            f"Rebuild {table.name}: SQLite's ALTER TABLE cannot make these changes, so the "
            "rows move to a new table of the new shape.",
            *statements,
            target=table.name,
            transactional=False,  # it holds its own transaction: PRAGMA foreign_keys is outside
            hazards=tuple(hazards),
        )

    def lost_on_rollback_columns(self, change: TableDiff) -> tuple[Hazard, ...]:
        hazards: tuple[Hazard, ...] = ()
        for column in change.added_columns:
            hazards += self.lost_on_rollback(f"the column {change.new.name}.{column.name}")
        return hazards

    def create_table(self, table: Table) -> None:
        super().create_table(table)
        for column in table.columns:
            if column.on_update_now:
                self.phases.create_tables.append(
                    self.step(
                        "create_trigger",
                        f"Keep {table.name}.{column.name} current on UPDATE.",
                        self.sql(self.renderer.sqlite_trigger(table, column.name)),
                        target=table.name,
                    )
                )
