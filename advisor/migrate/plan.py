"""Forward and rollback plans between two versions of a design, per dialect.

`plan_migration(old, new, dialect)` builds both schemas, diffs them with the renames the new
version declares, and asks the dialect's planner for the steps. The rollback is the plan from
the new version back to the old one, with the renames read backwards: the same care, and what
it cannot bring back (a dropped column's values) is a hazard of the step that recreates it.

Phases, so that every statement finds what it needs and nothing is dropped while something
still refers to it: foreign keys, then indexes and constraints that go; types and tables that
come; renames, new and changed columns (with their backfills); keys, checks, indexes, then
foreign keys; last, after the application stops using them, the columns, tables and types
that go.

Statements are written from templates per dialect (`TEMPLATES`): sqlglot parses most ALTER
forms (RENAME CONSTRAINT, VALIDATE, SET NOT NULL) only as commands and writes several wrongly
for another dialect. Column definitions, types, checks, indexes and foreign keys come from the
DDL renderer, so a migrated table is declared as a newly created one would be.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from advisor.ddl.render import _Renderer, table_order
from advisor.errors import UnsupportedDialect
from advisor.migrate.diff import ColumnChange, SchemaDiff, TableDiff, diff_schemas, renames_between
from advisor.migrate.hazards import Hazard
from advisor.migrate.steps import Plan, Step
from advisor.requirements.model import Requirements, Scalar
from advisor.schema.build import schema_for
from advisor.schema.model import Check, Column, ForeignKey, Index, Key, Schema, Table
from advisor.schema.names import physical_name

BATCH_ROWS = 1000  # rows per backfill batch: short transactions, little replication lag

TEMPLATES: Mapping[str, Mapping[str, str]] = {
    "postgresql": {
        "add_column": "ALTER TABLE {table} ADD COLUMN {definition}",
        "drop_column": "ALTER TABLE {table} DROP COLUMN {column}",
        "rename_column": "ALTER TABLE {table} RENAME COLUMN {old} TO {new}",
        "rename_table": "ALTER TABLE {old} RENAME TO {new}",
        "set_type": "ALTER TABLE {table} ALTER COLUMN {column} TYPE {type} USING {column}::{type}",
        "set_not_null": "ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL",
        "drop_not_null": "ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL",
        "set_default": "ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {value}",
        "drop_default": "ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT",
        "add_constraint": "ALTER TABLE {table} ADD CONSTRAINT {name} {body}",
        "drop_constraint": "ALTER TABLE {table} DROP CONSTRAINT {name}",
        "drop_foreign_key": "ALTER TABLE {table} DROP CONSTRAINT {name}",
        "drop_unique": "ALTER TABLE {table} DROP CONSTRAINT {name}",
        "rename_constraint": "ALTER TABLE {table} RENAME CONSTRAINT {old} TO {new}",
        "drop_index": "DROP INDEX {name}",
        "rename_index": "ALTER INDEX {old} RENAME TO {new}",
        "drop_table": "DROP TABLE {table}",
        "drop_enum": "DROP TYPE {name}",
    },
    "mysql": {
        "add_column": "ALTER TABLE {table} ADD COLUMN {definition}",
        "drop_column": "ALTER TABLE {table} DROP COLUMN {column}",
        "rename_column": "ALTER TABLE {table} RENAME COLUMN {old} TO {new}",
        "rename_table": "RENAME TABLE {old} TO {new}",
        "set_type": "ALTER TABLE {table} MODIFY COLUMN {definition}",
        "set_not_null": "ALTER TABLE {table} MODIFY COLUMN {definition}",
        "drop_not_null": "ALTER TABLE {table} MODIFY COLUMN {definition}",
        "set_default": "ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {value}",
        "drop_default": "ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT",
        "add_constraint": "ALTER TABLE {table} ADD CONSTRAINT {name} {body}",
        "drop_constraint": "ALTER TABLE {table} DROP CONSTRAINT {name}",
        "drop_foreign_key": "ALTER TABLE {table} DROP FOREIGN KEY {name}",
        "drop_unique": "ALTER TABLE {table} DROP INDEX {name}",
        "rename_constraint": "",  # none: drop and add
        "drop_index": "ALTER TABLE {table} DROP INDEX {name}",
        "rename_index": "ALTER TABLE {table} RENAME INDEX {old} TO {new}",
        "drop_table": "DROP TABLE {table}",
        "drop_enum": "",
    },
    "sqlite": {
        "add_column": "ALTER TABLE {table} ADD COLUMN {definition}",
        "drop_column": "ALTER TABLE {table} DROP COLUMN {column}",
        "rename_column": "ALTER TABLE {table} RENAME COLUMN {old} TO {new}",
        "rename_table": "ALTER TABLE {old} RENAME TO {new}",
        "drop_index": "DROP INDEX {name}",
        "drop_table": "DROP TABLE {table}",
    },
    "sqlserver": {
        "add_column": "ALTER TABLE {table} ADD {definition}",
        "drop_column": "ALTER TABLE {table} DROP COLUMN {column}",
        "rename_column": "EXEC sp_rename '{table_text}.{old_text}', '{new_text}', 'COLUMN'",
        "rename_table": "EXEC sp_rename '{old_text}', '{new_text}'",
        "set_type": "ALTER TABLE {table} ALTER COLUMN {column} {type} {nullability}",
        "set_not_null": "ALTER TABLE {table} ALTER COLUMN {column} {type} NOT NULL",
        "drop_not_null": "ALTER TABLE {table} ALTER COLUMN {column} {type} NULL",
        "set_default": "ALTER TABLE {table} ADD DEFAULT {value} FOR {column}",
        "drop_default": "",  # the default's constraint has a generated name: see the step
        "add_constraint": "ALTER TABLE {table} ADD CONSTRAINT {name} {body}",
        "drop_constraint": "ALTER TABLE {table} DROP CONSTRAINT {name}",
        "drop_foreign_key": "ALTER TABLE {table} DROP CONSTRAINT {name}",
        "drop_unique": "ALTER TABLE {table} DROP CONSTRAINT {name}",
        "rename_constraint": "EXEC sp_rename '{old_text}', '{new_text}', 'OBJECT'",
        "drop_index": "DROP INDEX {name} ON {table}",
        "rename_index": "EXEC sp_rename '{table_text}.{old_text}', '{new_text}', 'INDEX'",
        "drop_table": "DROP TABLE {table}",
        "drop_enum": "",
    },
    "oracle": {
        "add_column": "ALTER TABLE {table} ADD ({definition})",
        "drop_column": "ALTER TABLE {table} DROP COLUMN {column}",
        "rename_column": "ALTER TABLE {table} RENAME COLUMN {old} TO {new}",
        "rename_table": "ALTER TABLE {old} RENAME TO {new}",
        "set_type": "ALTER TABLE {table} MODIFY ({column} {type})",
        "set_not_null": "ALTER TABLE {table} MODIFY ({column} NOT NULL)",
        "drop_not_null": "ALTER TABLE {table} MODIFY ({column} NULL)",
        "set_default": "ALTER TABLE {table} MODIFY ({column} DEFAULT {value})",
        "drop_default": "ALTER TABLE {table} MODIFY ({column} DEFAULT NULL)",
        "add_constraint": "ALTER TABLE {table} ADD CONSTRAINT {name} {body}",
        "drop_constraint": "ALTER TABLE {table} DROP CONSTRAINT {name}",
        "drop_foreign_key": "ALTER TABLE {table} DROP CONSTRAINT {name}",
        "drop_unique": "ALTER TABLE {table} DROP CONSTRAINT {name}",
        "rename_constraint": "ALTER TABLE {table} RENAME CONSTRAINT {old} TO {new}",
        "drop_index": "DROP INDEX {name}",
        "rename_index": "ALTER INDEX {old} RENAME TO {new}",
        "drop_table": "DROP TABLE {table}",
        "drop_enum": "",
    },
}


@dataclass
class Phases:
    """Steps gathered by phase; `steps()` puts them in the order that runs."""

    drop_foreign_keys: list[Step] = field(default_factory=list)
    drop_objects: list[Step] = field(default_factory=list)
    create_types: list[Step] = field(default_factory=list)
    create_tables: list[Step] = field(default_factory=list)
    columns: list[Step] = field(default_factory=list)
    add_objects: list[Step] = field(default_factory=list)
    add_foreign_keys: list[Step] = field(default_factory=list)
    contract: list[Step] = field(default_factory=list)
    drop_tables: list[Step] = field(default_factory=list)

    def steps(self) -> tuple[Step, ...]:
        return (
            *self.drop_foreign_keys,
            *self.drop_objects,
            *self.create_types,
            *self.create_tables,
            *self.columns,
            *self.add_objects,
            *self.add_foreign_keys,
            *self.contract,
            *self.drop_tables,
        )


class Planner:
    """The steps of one diff in one dialect: plain ALTER statements where the dialect has
    them. Subclasses replace what their engine does better or differently."""

    family = ""

    def __init__(
        self,
        diff: SchemaDiff,
        *,
        direction: str = "forward",
        backfill: Mapping[str, Scalar] | None = None,
    ) -> None:
        self.diff = diff
        self.direction = direction
        self.backfill = dict(backfill or {})
        self.renderer = _Renderer(diff.new)
        self.dialect = self.renderer.dialect
        # The named schema of each table of either version (a schema per context).
        self.namespaces = {
            t.name: t.namespace for t in (*diff.old.tables, *diff.new.tables) if t.namespace
        }
        self.templates = TEMPLATES[self.family or self.dialect.family]
        self.phases = Phases()

    # Writing

    def sql(self, expression: object) -> str:
        from sqlglot import exp

        assert isinstance(expression, exp.Expression)
        return self.renderer.flat_generator.generate(expression)

    def q(self, name: str) -> str:
        return self.sql(self.renderer.name(name))

    def qt(self, table: str, name: str | None = None) -> str:
        """A table (or, with `name`, an object of that table's schema) as the statements
        name it: qualified by its named schema when it has one."""
        return self.sql(self.renderer.table_ref(name or table, self.namespaces.get(table)))

    def statement(self, template: str, **names: str) -> str:
        """The template filled: `table`, `column`, `old`, `new` and `name` are quoted names
        (`..._text` the bare text, for procedures that take names as strings)."""
        values = dict(names)
        for key in ("table", "column", "old", "new", "name"):
            if key in names:
                values[key] = self.q(names[key])
                values[f"{key}_text"] = names[key].replace("'", "''")
        if "table" in names and (namespace := self.namespaces.get(names["table"])):
            values["table"] = self.qt(names["table"])
            values["table_text"] = f"{namespace}.{names['table']}".replace("'", "''")
        return self.templates[template].format(**values)

    def definition(self, table: Table, column: Column) -> str:
        return self.sql(self.renderer.column_def(table, column))

    def type_of(self, table: Table, column: Column) -> str:
        return self.sql(self.renderer.column_type(table, column))

    def value(self, column: Column) -> str:
        if column.default_now:
            return self.sql(self.renderer.now())
        assert column.default is not None
        return self.sql(self.renderer.literal(column.default))

    def constraint_body(self, item: Key | Check | ForeignKey, *, primary: bool = False) -> str:
        if isinstance(item, Check):
            return self.sql(self.renderer.check_text(item))
        if isinstance(item, ForeignKey):
            constraint = self.renderer.foreign_key(item)
            return self.sql(constraint.expressions[0])
        return self.sql(self.renderer.key(item, primary=primary).expressions[0])

    def create_index(self, table: Table, index: Index) -> str:
        return self.sql(self.renderer.index(table, index))

    def step(self, operation: str, description: str, *statements: str, **options: object) -> Step:
        return Step(operation, description, tuple(statements), **options)  # type: ignore[arg-type]

    # Hazards

    def lost_on_rollback(self, what: str) -> tuple[Hazard, ...]:
        if self.direction != "rollback":
            return ()
        return (Hazard("data_not_restored", f"{what} comes back empty: its values are lost"),)

    # Planning

    def plan(self) -> tuple[Step, ...]:
        diff = self.diff
        for table in diff.dropped_tables:
            self.drop_table(table)
        for change in diff.tables:
            self.drop_objects(change)
        for enum in diff.added_enums:
            self.create_enum(enum.name, enum.values)
        for old_enum, new_enum in diff.changed_enums:
            self.change_enum(old_enum.values, new_enum.values, new_enum.name)
        for table in table_order(diff.added_tables):
            self.create_table(table)
        for change in diff.tables:
            self.alter_table(change)
        for change in diff.tables:
            self.add_objects(change)
        for enum in diff.dropped_enums:
            self.drop_enum(enum.name)
        contract = self.phases.contract + self.phases.drop_tables
        if contract and any(step.operation != "deploy" for step in contract):
            self.phases.contract.insert(
                0,
                self.step(
                    "deploy",
                    "Deploy the application version that no longer reads or writes what the "
                    "next steps drop (and, for a rename, reads and writes only the new name).",
                    hazards=(Hazard("manual", "a deployment, before the contract steps"),),
                ),
            )
        return self.phases.steps()

    def drop_table(self, table: Table) -> None:
        inline = self.dialect.foreign_keys == "inline"  # they go with the table
        for key in () if inline else table.foreign_keys:
            self.phases.drop_foreign_keys.append(
                self.step(
                    "drop_foreign_key",
                    f"Drop the foreign key {key.name} of {table.name}, which is dropped.",
                    self.statement("drop_foreign_key", table=table.name, name=key.name),
                    target=table.name,
                )
            )
        self.phases.drop_tables.append(
            self.step(
                "drop_table",
                f"Drop the table {table.name}.",
                self.statement("drop_table", table=table.name),
                target=table.name,
                hazards=(Hazard("deletes_data", f"every row of {table.name}"),),
            )
        )

    def drop_objects(self, change: TableDiff) -> None:
        table = change.old.name
        for key in change.foreign_keys.dropped:
            self.phases.drop_foreign_keys.append(
                self.step(
                    "drop_foreign_key",
                    f"Drop the foreign key {key.name} of {table}.",
                    self.statement("drop_foreign_key", table=table, name=key.name),
                    target=table,
                )
            )
        for index in change.indexes.dropped:
            self.phases.drop_objects.append(self.drop_index(change.old, index))
        for unique in change.uniques.dropped:
            self.phases.drop_objects.append(
                self.step(
                    "drop_unique",
                    f"Drop the unique key {unique.name} of {table}.",
                    self.statement("drop_unique", table=table, name=unique.name),
                    target=table,
                )
            )
        for check in change.checks.dropped:
            self.phases.drop_objects.append(
                self.step(
                    "drop_check",
                    f"Drop the check {check.name} of {table}.",
                    self.statement("drop_constraint", table=table, name=check.name),
                    target=table,
                )
            )

    def drop_index(self, table: Table, index: Index) -> Step:
        return self.step(
            "drop_index",
            f"Drop the index {index.name} of {table.name}.",
            self.statement("drop_index", table=table.name, name=index.name),
            target=table.name,
        )

    def create_enum(self, name: str, values: tuple[str, ...]) -> None:
        """Only PostgreSQL has named enum types; elsewhere the column carries its values."""

    def change_enum(self, old: tuple[str, ...], new: tuple[str, ...], name: str) -> None:
        """Only PostgreSQL has named enum types; elsewhere the column's type changes."""

    def drop_enum(self, name: str) -> None:
        """Only PostgreSQL has named enum types."""

    def create_table(self, table: Table) -> None:
        statements = [self.renderer.generator.generate(self.renderer.create_table(table))]
        statements += [self.create_index(table, index) for index in table.indexes]
        self.phases.create_tables.append(
            self.step(
                "create_table",
                f"Create the table {table.name} with its indexes.",
                *statements,
                target=table.name,
                hazards=self.lost_on_rollback(f"the table {table.name}"),
            )
        )
        if self.dialect.foreign_keys == "alter":
            for key in table.foreign_keys:
                self.phases.add_foreign_keys.append(self.add_foreign_key(table, key))

    def alter_table(self, change: TableDiff) -> None:
        if change.renamed:
            self.phases.columns.append(self.rename_table(change))
        for column in change.added_columns:
            self.add_column(change.new, column)
        for column_change in change.changed_columns:
            self.change_column(change, column_change)
        for column in change.dropped_columns:
            self.drop_column(change.new, column)
        if change.partitioning_changed:
            self.phases.columns.append(
                self.step(
                    "repartition",
                    f"Change how {change.new.name} is partitioned: copy its rows into a new "
                    "partitioned table, switch, and drop the old one; no ALTER does it.",
                    target=change.new.name,
                    hazards=(Hazard("manual", "the plan does not copy a partitioned table"),),
                )
            )

    def rename_table(self, change: TableDiff) -> Step:
        old, new = change.old.name, change.new.name
        return self.step(
            "rename_table",
            f"Rename the table {old} to {new}.",
            self.statement("rename_table", old=old, new=new),
            target=new,
            hazards=(
                Hazard(
                    "has_untracked_dependencies",
                    f"code that still says {old} fails from this step on",
                ),
            ),
        )

    def backfill_value(self, table: Table, column: Column) -> str | None:
        given = self.backfill.get(f"{table.name}.{column.name}")
        return None if given is None else self.sql(self.renderer.literal(given))

    def needs_backfill(self, column: Column) -> bool:
        return needs_value(column)

    def add_column(self, table: Table, column: Column) -> None:
        hazards = self.lost_on_rollback(f"the column {table.name}.{column.name}")
        if not self.needs_backfill(column):
            self.phases.columns.append(
                self.step(
                    "add_column",
                    f"Add the column {table.name}.{column.name}.",
                    self.statement(
                        "add_column", table=table.name, definition=self.definition(table, column)
                    ),
                    target=f"{table.name}.{column.name}",
                    hazards=hazards,
                )
            )
            return
        nullable = replace(column, nullable=True)
        self.phases.columns.append(
            self.step(
                "add_column",
                f"Add the column {table.name}.{column.name}, empty for now: it is required, "
                "with no default, so existing rows get a value first.",
                self.statement(
                    "add_column", table=table.name, definition=self.definition(table, nullable)
                ),
                target=f"{table.name}.{column.name}",
                hazards=hazards,
            )
        )
        self.phases.columns.append(self.fill(table, column))
        self.phases.columns.extend(self.set_not_null(table, column))

    def fill(self, table: Table, column: Column) -> Step:
        """A value for the existing rows of a new required column, in batches."""
        target = f"{table.name}.{column.name}"
        value = self.backfill_value(table, column)
        if value is None:
            return self.step(
                "backfill",
                f"Give every existing row of {table.name} a value of {column.name} (the plan "
                f"was given none: pass one as --backfill {target}=VALUE, or fill it in the "
                "application).",
                target=target,
                hazards=(
                    Hazard("needs_value", f"{target} is required and has no default"),
                    Hazard("manual", "the next step fails while a row has no value"),
                ),
            )
        return self.batch_update(table, column.name, value, f"{column.name} IS NULL", target)

    def batch_update(
        self, table: Table, column: str, value: str, condition: str, target: str
    ) -> Step:
        assert table.primary_key is not None
        keys = ", ".join(self.q(name) for name in table.primary_key.columns)
        name = self.qt(table.name)
        where = condition
        statement = (
            f"UPDATE {name} SET {self.q(column)} = {value} WHERE ({keys}) IN "
            f"(SELECT {keys} FROM {name} WHERE {where} LIMIT {BATCH_ROWS})"
        )
        return self.step(
            "backfill",
            f"Backfill {target} in batches of {BATCH_ROWS} rows; run again until no row changes.",
            statement,
            target=target,
            repeat=True,
            hazards=(Hazard("backfill", f"updates every existing row of {table.name}"),),
        )

    def set_not_null(self, table: Table, column: Column) -> list[Step]:
        return [
            self.step(
                "set_not_null",
                f"Make {table.name}.{column.name} required.",
                self.statement(
                    "set_not_null",
                    table=table.name,
                    column=column.name,
                    definition=self.definition(table, column),
                    type=self.type_of(table, column),
                ),
                target=f"{table.name}.{column.name}",
                hazards=(
                    Hazard("access_exclusive_lock", "the table is read whole to check for NULLs"),
                ),
            )
        ]

    def change_column(self, change: TableDiff, column_change: ColumnChange) -> None:
        table, old, new = change.new, column_change.old, column_change.new
        if column_change.renamed:
            self.phases.columns.append(self.rename_column(table, old.name, new.name))
        if column_change.type_changed:
            self.phases.columns.append(self.change_type(table, old, new))
        if column_change.nullability_changed:
            if new.nullable:
                self.phases.columns.append(
                    self.step(
                        "drop_not_null",
                        f"Let {table.name}.{new.name} be empty.",
                        self.statement(
                            "drop_not_null",
                            table=table.name,
                            column=new.name,
                            definition=self.definition(table, new),
                            type=self.type_of(table, new),
                        ),
                        target=f"{table.name}.{new.name}",
                    )
                )
            else:
                fill = self.backfill_value(table, new)
                if fill is not None:
                    self.phases.columns.append(
                        self.batch_update(
                            table, new.name, fill, f"{self.q(new.name)} IS NULL", new.name
                        )
                    )
                self.phases.columns.extend(self.set_not_null(table, new))
        if column_change.default_changed:
            self.phases.columns.append(self.change_default(table, new))

    def rename_column(self, table: Table, old: str, new: str) -> Step:
        return self.step(
            "rename_column",
            f"Rename {table.name}.{old} to {new}.",
            self.statement("rename_column", table=table.name, old=old, new=new),
            target=f"{table.name}.{new}",
            hazards=(
                Hazard(
                    "has_untracked_dependencies",
                    f"code that still says {old} fails from this step on: deploy code that "
                    "reads both names first",
                ),
            ),
        )

    def change_type(self, table: Table, old: Column, new: Column) -> Step:
        return self.step(
            "change_type",
            f"Change the type of {table.name}.{new.name} to {self.type_of(table, new)}.",
            self.statement(
                "set_type",
                table=table.name,
                column=new.name,
                type=self.type_of(table, new),
                definition=self.definition(table, new),
                nullability="NULL" if new.nullable else "NOT NULL",
            ),
            target=f"{table.name}.{new.name}",
            hazards=(
                Hazard("access_exclusive_lock", f"{table.name} is locked while it changes"),
                Hazard("table_rewrite", f"every value of {new.name} is converted"),
            ),
        )

    def change_default(self, table: Table, column: Column) -> Step:
        has_default = column.default is not None or column.default_now
        if not has_default and not self.templates.get("drop_default"):
            return self.step(
                "set_default",
                f"Drop the default of {table.name}.{column.name}: its constraint has a name "
                "the database made up; find it in the catalogue and drop it.",
                target=f"{table.name}.{column.name}",
                hazards=(Hazard("manual", "the default's constraint name is not known"),),
            )
        statement = (
            self.statement(
                "set_default", table=table.name, column=column.name, value=self.value(column)
            )
            if has_default
            else self.statement("drop_default", table=table.name, column=column.name)
        )
        return self.step(
            "set_default",
            f"{'Set' if has_default else 'Drop'} the default of {table.name}.{column.name}.",
            statement,
            target=f"{table.name}.{column.name}",
        )

    def drop_column(self, table: Table, column: Column) -> None:
        self.phases.contract.append(
            self.step(
                "drop_column",
                f"Drop the column {table.name}.{column.name}.",
                self.statement("drop_column", table=table.name, column=column.name),
                target=f"{table.name}.{column.name}",
                hazards=(Hazard("deletes_data", f"the values of {table.name}.{column.name}"),),
            )
        )

    def add_objects(self, change: TableDiff) -> None:
        table = change.new
        if change.primary_key is not None:
            old_key, new_key = change.primary_key
            if old_key is not None:
                self.phases.drop_objects.append(
                    self.step(
                        "drop_primary_key",
                        f"Drop the primary key {old_key.name} of {change.old.name}.",
                        self.statement("drop_constraint", table=change.old.name, name=old_key.name),
                        target=change.old.name,
                        hazards=(Hazard("access_exclusive_lock", "while the key goes"),),
                    )
                )
            if new_key is not None:
                self.phases.add_objects.append(self.add_key(table, new_key, primary=True))
        for old_unique, new_unique in change.uniques.renamed:
            self.phases.add_objects.extend(self.rename_constraint(table, old_unique, new_unique))
        for old_check, new_check in change.checks.renamed:
            self.phases.add_objects.extend(self.rename_constraint(table, old_check, new_check))
        for old_reference, new_reference in change.foreign_keys.renamed:
            self.phases.add_foreign_keys.extend(
                self.rename_constraint(table, old_reference, new_reference)
            )
        for unique in change.uniques.added:
            self.phases.add_objects.append(self.add_key(table, unique, primary=False))
        for check in change.checks.added:
            self.phases.add_objects.extend(self.add_check(table, check))
        for old_index, new_index in change.indexes.renamed:
            self.phases.add_objects.extend(self.rename_index(table, old_index, new_index))
        for index in change.indexes.added:
            self.phases.add_objects.extend(self.add_index(table, index))
        for key in change.foreign_keys.added:
            self.phases.add_foreign_keys.append(self.add_foreign_key(table, key))

    def add_key(self, table: Table, key: Key, *, primary: bool) -> Step:
        return self.step(
            "add_primary_key" if primary else "add_unique",
            f"Add the {'primary' if primary else 'unique'} key {key.name} of {table.name}.",
            self.statement(
                "add_constraint",
                table=table.name,
                name=key.name,
                body=self.constraint_body(key, primary=primary),
            ),
            target=table.name,
            hazards=(
                Hazard("index_build", f"a unique index over {', '.join(key.columns)}"),
                Hazard("access_exclusive_lock", f"{table.name} is locked while it builds"),
            ),
        )

    def add_check(self, table: Table, check: Check) -> list[Step]:
        return [
            self.step(
                "add_check",
                f"Add the check {check.name} of {table.name}.",
                self.statement(
                    "add_constraint",
                    table=table.name,
                    name=check.name,
                    body=self.constraint_body(check),
                ),
                target=table.name,
                hazards=(
                    Hazard("access_exclusive_lock", f"{table.name} is read whole to check it"),
                ),
            )
        ]

    def add_index(self, table: Table, index: Index) -> list[Step]:
        return [
            self.step(
                "create_index",
                f"Create the index {index.name} on {table.name}.",
                self.create_index(table, index),
                target=table.name,
                hazards=(
                    Hazard("index_build", f"{index.name} reads all of {table.name}"),
                    Hazard("access_exclusive_lock", "writes to the table wait for the build"),
                ),
            )
        ]

    def rename_index(self, table: Table, old: Index, new: Index) -> list[Step]:
        return [
            self.step(
                "rename_index",
                f"Rename the index {old.name} of {table.name} to {new.name}.",
                self.statement("rename_index", table=table.name, old=old.name, new=new.name),
                target=table.name,
            )
        ]

    def rename_constraint(
        self, table: Table, old: Key | Check | ForeignKey, new: Key | Check | ForeignKey
    ) -> list[Step]:
        if self.templates.get("rename_constraint"):
            return [
                self.step(
                    "rename_constraint",
                    f"Rename the constraint {old.name} of {table.name} to {new.name}.",
                    self.statement(
                        "rename_constraint", table=table.name, old=old.name, new=new.name
                    ),
                    target=table.name,
                )
            ]
        drop = "drop_foreign_key" if isinstance(old, ForeignKey) else "drop_constraint"
        if isinstance(old, Key):
            drop = "drop_unique"
        steps = [
            self.step(
                "drop_foreign_key" if isinstance(old, ForeignKey) else "drop_check",
                f"Drop {old.name} of {table.name} to add it again as {new.name} (the dialect "
                "renames no constraint).",
                self.statement(drop, table=table.name, name=old.name),
                target=table.name,
            )
        ]
        if isinstance(new, ForeignKey):
            return [*steps, self.add_foreign_key(table, new)]
        if isinstance(new, Check):
            return [*steps, *self.add_check(table, new)]
        return [*steps, self.add_key(table, new, primary=False)]

    def add_foreign_key(self, table: Table, key: ForeignKey) -> Step:
        return self.step(
            "add_foreign_key",
            f"Add the foreign key {key.name} of {table.name} to {key.target}.",
            self.sql(self.renderer.alter_foreign_key(table, key)),
            target=table.name,
            hazards=(
                Hazard(
                    "access_exclusive_lock",
                    f"{table.name} and {key.target} are locked while every row is checked",
                ),
            ),
        )


def planner_for(dialect_name: str) -> type[Planner]:
    from advisor.migrate.mysql import MySQLPlanner
    from advisor.migrate.others import OraclePlanner, SQLServerPlanner
    from advisor.migrate.postgresql import PostgreSQLPlanner
    from advisor.migrate.sqlite import SQLitePlanner

    planners: dict[str, type[Planner]] = {
        "postgresql": PostgreSQLPlanner,
        "mysql": MySQLPlanner,
        "sqlite": SQLitePlanner,
        "sqlserver": SQLServerPlanner,
        "oracle": OraclePlanner,
    }
    if dialect_name not in planners:
        raise UnsupportedDialect(
            f"no migration plans for {dialect_name!r}; plans are written for {', '.join(planners)}",
            location="dialect",
        )
    return planners[dialect_name]


@dataclass(frozen=True)
class Migration:
    """Both plans between two versions of a design, with the diff they carry out and the
    values existing rows were given (`backfill`, by `table.column`)."""

    diff: SchemaDiff
    forward: Plan
    rollback: Plan
    backfill: Mapping[str, Scalar] = field(default_factory=dict)


def plan_schemas(diff: SchemaDiff, *, backfill: Mapping[str, Scalar] | None = None) -> Migration:
    """The forward plan of `diff` and its rollback (the diff read backwards)."""
    planner = planner_for(diff.new.dialect)
    backwards = diff_schemas(diff.new, diff.old, diff.renames.inverted())
    forward = planner(diff, direction="forward", backfill=backfill).plan()
    rollback = planner(backwards, direction="rollback", backfill=backfill).plan()
    return Migration(
        diff,
        Plan(diff.new.dialect, "forward", forward),
        Plan(diff.new.dialect, "rollback", rollback),
        dict(backfill or {}),
    )


def schemas_of(old: Requirements, new: Requirements, dialect_name: str) -> tuple[Schema, Schema]:
    """The schemas the designs of `old` and `new` write in the dialect, with every decision of
    their recommendations (keys, partitions, a schema per context, tenancy, counters), so that
    a plan changes the database the design's DDL made."""
    planner_for(dialect_name)  # an unsupported dialect is refused before anything is built
    return designed_schema(old, dialect_name), designed_schema(new, dialect_name)


def designed_schema(requirements: Requirements, dialect_name: str) -> Schema:
    from advisor.engine import advise  # the engine reads the schema package, not the plans

    return schema_for(requirements, advise(requirements, project_load=False), dialect_name)


def plan_migration(
    old: Requirements,
    new: Requirements,
    dialect_name: str,
    *,
    backfill: Mapping[str, Scalar] | None = None,
) -> Migration:
    """The migration from `old` to `new` in one dialect: the diff, the forward plan and the
    rollback, a pure function of its arguments.

    `backfill` gives the value existing rows get in a new required column without a default,
    by `table.column` (physical names of the new version).

    >>> from advisor.requirements import read_requirements
    >>> v1 = read_requirements("format: advisor/v1\\nproject: S\\nentities: "
    ...     "[{name: tag, attributes: [{name: label, type: string, length: 40}]}]\\n")
    >>> v2 = read_requirements("format: advisor/v1\\nproject: S\\nentities: [{name: tag, "
    ...     "attributes: [{name: name, type: string, length: 40, renamed_from: label}]}]\\n")
    >>> migration = plan_migration(v1, v2, "mysql")
    >>> [step.statements for step in migration.forward.steps]
    [('ALTER TABLE tag RENAME COLUMN label TO name, ALGORITHM=INSTANT',)]
    >>> [step.statements for step in migration.rollback.steps]
    [('ALTER TABLE tag RENAME COLUMN name TO label, ALGORITHM=INSTANT',)]
    """
    old_schema, new_schema = schemas_of(old, new, dialect_name)
    renames = renames_between(old, new, old_schema, new_schema)
    return plan_schemas(diff_schemas(old_schema, new_schema, renames), backfill=backfill)


def needs_value(column: Column) -> bool:
    """Whether existing rows need a value before `column` can be added: it is required and has
    no default."""
    return not column.nullable and column.default is None and not column.default_now


def values_needed(migration: Migration) -> tuple[str, ...]:
    """The `table.column` of each column that a plan of `migration` adds to existing rows and
    that needs a value (`backfill`): the forward plan's new required columns without a
    default, then those the rollback brings back.

    >>> from advisor.requirements import read_requirements
    >>> v1 = read_requirements("format: advisor/v1\\nproject: S\\nentities: [{name: tag}]\\n")
    >>> v2 = read_requirements("format: advisor/v1\\nproject: S\\nentities: [{name: tag, "
    ...     "attributes: [{name: label, type: string, required: true}]}]\\n")
    >>> values_needed(plan_migration(v1, v2, "sqlite"))
    ('tag.label',)
    >>> values_needed(plan_migration(v2, v1, "sqlite"))  # the rollback brings it back
    ('tag.label',)
    """
    return tuple(dict.fromkeys(_needed(migration.diff) + _needed(migration.diff, rollback=True)))


def values_missing(migration: Migration) -> tuple[str, ...]:
    """The `table.column` of each new required column without a default that the forward plan
    adds to existing rows with no value given: whatever the step that adds it (a backfill, a
    rebuild of the whole table), a person must give one.

    >>> from advisor.requirements import read_requirements
    >>> v1 = read_requirements("format: advisor/v1\\nproject: S\\nentities: [{name: tag}]\\n")
    >>> v2 = read_requirements("format: advisor/v1\\nproject: S\\nentities: [{name: tag, "
    ...     "attributes: [{name: label, type: string, required: true}]}]\\n")
    >>> values_missing(plan_migration(v1, v2, "sqlite"))
    ('tag.label',)
    >>> values_missing(plan_migration(v1, v2, "sqlite", backfill={"tag.label": "none"}))
    ()
    """
    return tuple(target for target in _needed(migration.diff) if target not in migration.backfill)


def _needed(diff: SchemaDiff, *, rollback: bool = False) -> list[str]:
    """The columns that need a value, forward (added) or in the rollback (dropped, so
    brought back)."""
    return [
        f"{(change.old if rollback else change.new).name}.{column.name}"
        for change in diff.tables
        for column in (change.dropped_columns if rollback else change.added_columns)
        if needs_value(column)
    ]


def touches(item: Key | Check | ForeignKey | Index, columns: Iterable[str]) -> bool:
    """Whether `item` names any of `columns`."""
    names = set(columns)
    if isinstance(item, Check):
        return item.column in names
    if isinstance(item, Index):
        return bool(names & {*item.column_names, *item.include, *(c for c, _ in item.where)})
    return bool(names & set(item.columns))


def temporary_name(name: str, plan: Planner) -> str:
    return physical_name(f"{name}__new", plan.dialect)
