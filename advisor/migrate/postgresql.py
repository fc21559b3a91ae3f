"""PostgreSQL: steps that keep the table open to traffic.

- every step sets `lock_timeout` (a step waiting behind a long transaction would queue every
  query behind it) and `statement_timeout`;
- indexes are built and dropped `CONCURRENTLY`, outside a transaction; a unique or primary
  key is added `USING INDEX` one built that way;
- checks and foreign keys are added `NOT VALID`, then validated (a lock that lets writes go);
- `SET NOT NULL` goes through a validated `CHECK (c IS NOT NULL)`, which spares it the scan;
- a rename or a type change that rewrites is an expand and contract: a new column, dual
  writes, a backfill in batches, its keys and indexes, then the switch and the drop.

Sources: https://www.postgresql.org/docs/15/sql-altertable.html (notes on NOT VALID, SET NOT
NULL and rewrites), https://www.postgresql.org/docs/15/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property

from sqlglot import exp

from advisor.migrate.diff import ColumnChange, Objects, SchemaDiff, T, TableDiff
from advisor.migrate.hazards import Hazard
from advisor.migrate.plan import Planner, temporary_name, touches
from advisor.migrate.steps import Step
from advisor.requirements.model import Scalar
from advisor.schema.model import (
    Check,
    Column,
    ColumnType,
    ForeignKey,
    Index,
    IndexColumn,
    Key,
    Table,
)
from advisor.schema.names import physical_name

LOCK_TIMEOUT = "3s"
# A step that blocks traffic must end soon; one that lets it go (a concurrent build, a
# validation, a batch) may take as long as the table needs.
STATEMENT_TIMEOUT = {"blocking": "30s", "online": "0", "batch": "60s"}
ONLINE_OPERATIONS = ("create_index", "drop_index", "validate")


def rewrites(old: ColumnType, new: ColumnType) -> bool:
    """Whether changing `old` to `new` rewrites the table; the binary-coercible cases of
    https://www.postgresql.org/docs/15/sql-altertable.html do not.

    >>> rewrites(ColumnType("string", 40), ColumnType("string", 80))
    False
    >>> rewrites(ColumnType("integer"), ColumnType("bigint"))
    True
    """
    if old.kind == "string" and new.kind in ("string", "text"):
        return not (new.length is None or (old.length is not None and new.length >= old.length))
    if old.kind == new.kind == "decimal":
        return not (
            new.precision is None
            or (
                old.precision is not None
                and new.precision >= old.precision
                and (new.scale or 0) == (old.scale or 0)
            )
        )
    return old != new


class PostgreSQLPlanner(Planner):
    family = "postgresql"

    def __init__(
        self,
        diff: SchemaDiff,
        *,
        direction: str = "forward",
        backfill: dict[str, Scalar] | None = None,
    ) -> None:
        super().__init__(diff, direction=direction, backfill=backfill)
        referenced = {
            (key.target, column)
            for table in diff.old.tables
            for key in table.foreign_keys
            for column in key.target_columns
        }
        # Columns replaced by expand and contract: new table -> {new column: old column}.
        self.replaced: dict[str, dict[str, str]] = {}
        for change in diff.tables:
            keyed = set(change.old.primary_key.columns if change.old.primary_key else ())
            for column_change in change.changed_columns:
                old = column_change.old
                if old.name in keyed or (change.old.name, old.name) in referenced:
                    continue
                if column_change.renamed or (
                    column_change.type_changed and rewrites(old.type, column_change.new.type)
                ):
                    self.replaced.setdefault(change.new.name, {})[column_change.new.name] = old.name

    @cached_property
    def old_object_names(self) -> set[str]:
        """The names of the keys, checks, foreign keys and indexes of the old version."""
        return {
            item.name
            for old in self.diff.old.tables
            for item in (
                *old.uniques,
                *old.checks,
                *old.foreign_keys,
                *old.indexes,
                *((old.primary_key,) if old.primary_key else ()),
            )
        }

    def old_replaced(self, change: TableDiff) -> set[str]:
        return set(self.replaced.get(change.new.name, {}).values())

    def new_replaced(self, change: TableDiff) -> set[str]:
        return set(self.replaced.get(change.new.name, {}))

    # Timeouts and transactions

    def plan(self) -> tuple[Step, ...]:
        return tuple(self.timed(step) for step in super().plan())

    def timed(self, step: Step) -> Step:
        if not step.statements:
            return step
        kind = (
            "batch"
            if step.repeat
            else "online"
            if step.operation in ONLINE_OPERATIONS
            else "blocking"
        )
        settings = (
            f"SET lock_timeout = '{LOCK_TIMEOUT}'",
            f"SET statement_timeout = '{STATEMENT_TIMEOUT[kind]}'",
        )
        return replace(step, statements=(*settings, *step.statements))

    # Objects that go with a replaced column stay until it goes

    def drop_objects(self, change: TableDiff) -> None:
        gone = self.old_replaced(change)
        kept = replace(
            change,
            uniques=replace(
                change.uniques,
                dropped=tuple(k for k in change.uniques.dropped if not touches(k, gone)),
            ),
            checks=replace(
                change.checks,
                dropped=tuple(k for k in change.checks.dropped if not touches(k, gone)),
            ),
            foreign_keys=replace(
                change.foreign_keys,
                dropped=tuple(k for k in change.foreign_keys.dropped if not touches(k, gone)),
            ),
            indexes=replace(
                change.indexes,
                dropped=tuple(k for k in change.indexes.dropped if not touches(k, gone)),
            ),
        )
        super().drop_objects(kept)

    # Columns

    def change_column(self, change: TableDiff, column_change: ColumnChange) -> None:
        if column_change.new.name in self.replaced.get(change.new.name, {}):
            self.expand_and_contract(change, column_change)
            return
        super().change_column(change, column_change)

    def change_type(self, table: Table, old: Column, new: Column) -> Step:
        step = super().change_type(table, old, new)
        if rewrites(old.type, new.type):
            return step
        return replace(
            step,
            description=step.description + " No rewrite: the new type holds every old value.",
            hazards=(Hazard("access_exclusive_lock", "briefly, to change the catalogue"),),
        )

    def expand_and_contract(self, change: TableDiff, column_change: ColumnChange) -> None:
        table, old, new = change.new, column_change.old, column_change.new
        temporary = new.name if column_change.renamed else temporary_name(new.name, self)
        where = f"{table.name}.{new.name}"
        expanded = replace(
            new,
            name=temporary,
            nullable=True,
            default=None,
            default_now=False,
            on_update_now=False,
            identity=False,
        )
        why = "a rename" if column_change.renamed else "a type change that rewrites"
        columns = self.phases.columns
        columns.append(
            self.step(
                "add_column",
                f"Expand ({why}): add {table.name}.{temporary} beside {old.name}.",
                self.statement(
                    "add_column", table=table.name, definition=self.definition(table, expanded)
                ),
                target=where,
            )
        )
        columns.append(
            self.step(
                "deploy",
                f"Deploy the application writing both {old.name} and {temporary} (dual "
                f"write) and still reading {old.name}.",
                target=where,
                hazards=(Hazard("manual", "a deployment, before the backfill"),),
            )
        )
        cast = self.q(old.name)
        if column_change.type_changed:
            cast = f"CAST({cast} AS {self.type_of(table, new)})"
        columns.append(
            self.batch_update(
                table,
                temporary,
                cast,
                f"{self.q(temporary)} IS NULL AND {self.q(old.name)} IS NOT NULL",
                where,
            )
        )
        final = replace(expanded, name=temporary, default=new.default, default_now=new.default_now)
        if new.default is not None or new.default_now:
            columns.append(self.change_default(table, final))
        if not new.nullable:
            columns.extend(self.set_not_null(table, replace(final, nullable=False)))
        renames = self.dependents(table, new.name, temporary)
        contract = [
            self.step(
                "drop_column",
                f"Contract: drop {table.name}.{old.name}; its values are in {temporary}.",
                self.statement("drop_column", table=table.name, column=old.name),
                target=where,
                hazards=(Hazard("access_exclusive_lock", "briefly: the column is only hidden"),),
            )
        ]
        if temporary != new.name:
            contract.append(
                self.step(
                    "rename_column",
                    f"Give {temporary} its name {new.name}.",
                    self.statement("rename_column", table=table.name, old=temporary, new=new.name),
                    target=where,
                    hazards=(
                        Hazard(
                            "has_untracked_dependencies",
                            f"code must read {new.name} again from here (or use a view)",
                        ),
                    ),
                )
            )
        for kind, old_name, new_name in renames:
            template = "rename_index" if kind == "index" else "rename_constraint"
            contract.append(
                self.step(
                    "rename_index" if kind == "index" else "rename_constraint",
                    f"Give {old_name} its name {new_name}.",
                    self.statement(template, table=table.name, old=old_name, new=new_name),
                    target=table.name,
                )
            )
        self.phases.contract.extend(contract)

    def dependents(self, table: Table, column: str, temporary: str) -> list[tuple[str, str, str]]:
        """Create the keys, checks, indexes and foreign keys of the new `column` on
        `temporary`; those whose name is still taken get a temporary one, returned as
        (kind, temporary name, name) to rename after the contract."""
        taken = self.old_object_names
        renames: list[tuple[str, str, str]] = []

        def moved(name: str, kind: str) -> str:
            if name not in taken:
                return name
            interim = temporary_name(name, self)
            renames.append((kind, interim, name))
            return interim

        def on(columns: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(temporary if name == column else name for name in columns)

        for unique in table.uniques:
            if touches(unique, [column]):
                key = Key(moved(unique.name, "constraint"), on(unique.columns))
                self.phases.add_objects.extend(self.unique_online(table, key, primary=False))
        for check in table.checks:
            if touches(check, [column]):
                self.phases.add_objects.extend(
                    self.add_check(
                        table,
                        replace(check, name=moved(check.name, "constraint"), column=temporary),
                    )
                )
        for index in table.indexes:
            if touches(index, [column]):
                moved_index = replace(
                    index,
                    name=moved(index.name, "index"),
                    columns=tuple(
                        replace(c, name=temporary if c.name == column else c.name)
                        for c in index.columns
                    ),
                    include=on(index.include),
                    where=tuple((temporary if c == column else c, v) for c, v in index.where),
                )
                self.phases.add_objects.extend(self.add_index(table, moved_index))
        for reference in table.foreign_keys:
            if touches(reference, [column]):
                self.phases.add_foreign_keys.extend(
                    self.foreign_key_online(
                        table,
                        replace(
                            reference,
                            name=moved(reference.name, "constraint"),
                            columns=on(reference.columns),
                            set_null_columns=on(reference.set_null_columns),
                        ),
                    )
                )
        return renames

    def set_not_null(self, table: Table, column: Column) -> list[Step]:
        check = physical_name(f"ck_{table.name}_{column.name}_not_null", self.dialect)
        name, target = self.q(column.name), f"{table.name}.{column.name}"
        return [
            self.step(
                "add_check",
                f"Require {target} without a scan under lock: a check NOT VALID first.",
                self.statement(
                    "add_constraint",
                    table=table.name,
                    name=check,
                    body=f"CHECK ({name} IS NOT NULL) NOT VALID",
                ),
                target=target,
            ),
            self.validate(table, check, target),
            self.step(
                "set_not_null",
                f"Make {target} NOT NULL: the validated check spares the scan.",
                self.statement("set_not_null", table=table.name, column=column.name),
                target=target,
                hazards=(Hazard("access_exclusive_lock", "briefly, no scan"),),
            ),
            self.step(
                "drop_check",
                f"Drop the check {check}, which NOT NULL now holds.",
                self.statement("drop_constraint", table=table.name, name=check),
                target=target,
            ),
        ]

    def validate(self, table: Table, name: str, target: str) -> Step:
        return self.step(
            "validate",
            f"Validate {name}: reads the table, writes go on (SHARE UPDATE EXCLUSIVE).",
            f"ALTER TABLE {self.qt(table.name)} VALIDATE CONSTRAINT {self.q(name)}",
            target=target,
        )

    # Keys, checks, indexes, foreign keys

    def add_check(self, table: Table, check: Check) -> list[Step]:
        body = f"{self.constraint_body(check)} NOT VALID"
        return [
            self.step(
                "add_check",
                f"Add the check {check.name} of {table.name}, NOT VALID: new rows only.",
                self.statement("add_constraint", table=table.name, name=check.name, body=body),
                target=table.name,
            ),
            self.validate(table, check.name, table.name),
        ]

    def add_key(self, table: Table, key: Key, *, primary: bool) -> Step:
        raise AssertionError("keys are added by unique_online")  # pragma: no cover

    def add_objects(self, change: TableDiff) -> None:
        new = self.new_replaced(change)
        old = self.old_replaced(change)
        uniques = tuple(u for u in change.uniques.added if not touches(u, new))
        for unique in uniques:
            self.phases.add_objects.extend(self.unique_online(change.new, unique, primary=False))
        if change.primary_key is not None and change.primary_key[1] is not None:
            if change.primary_key[0] is not None:
                self.phases.drop_objects.append(
                    self.step(
                        "drop_primary_key",
                        f"Drop the primary key {change.primary_key[0].name} of {change.old.name}.",
                        self.statement(
                            "drop_constraint",
                            table=change.old.name,
                            name=change.primary_key[0].name,
                        ),
                        target=change.old.name,
                        hazards=(Hazard("access_exclusive_lock", "briefly"),),
                    )
                )
            self.phases.add_objects.extend(
                self.unique_online(change.new, change.primary_key[1], primary=True)
            )
        self._add_rest(change, new, old)

    def _add_rest(self, change: TableDiff, new: set[str], old: set[str]) -> None:
        def keep(objects: Objects[T]) -> Objects[T]:
            return _without(objects, new, old)

        Planner.add_objects(
            self,
            replace(
                change,
                primary_key=None,
                uniques=replace(keep(change.uniques), added=()),
                checks=keep(change.checks),
                foreign_keys=keep(change.foreign_keys),
                indexes=keep(change.indexes),
            ),
        )

    def unique_online(self, table: Table, key: Key, *, primary: bool) -> list[Step]:
        index = Index(key.name, tuple(IndexColumn(name) for name in key.columns), unique=True)
        build = self.add_index(table, index)
        kind = "PRIMARY KEY" if primary else "UNIQUE"
        attach = self.step(
            "add_primary_key" if primary else "add_unique",
            f"Make the index {key.name} the {kind.lower()} constraint of {table.name}.",
            self.statement(
                "add_constraint",
                table=table.name,
                name=key.name,
                body=f"{kind} USING INDEX {self.q(key.name)}",
            ),
            target=table.name,
            hazards=(Hazard("access_exclusive_lock", "briefly: the index is already built"),),
        )
        return [*build, attach]

    def add_index(self, table: Table, index: Index) -> list[Step]:
        created = self.renderer.index(table, index)
        if isinstance(created, exp.Create):
            created.set("concurrently", True)
        return [
            self.step(
                "create_index",
                f"Build the index {index.name} on {table.name} CONCURRENTLY: writes go on.",
                self.sql(created),
                target=table.name,
                transactional=False,
                hazards=(
                    Hazard("index_build", f"{index.name} reads all of {table.name}"),
                    Hazard(
                        "not_transactional",
                        f"a failed build leaves {index.name} INVALID: drop it and run the "
                        "step again",
                    ),
                ),
            )
        ]

    def drop_index(self, table: Table, index: Index) -> Step:
        return self.step(
            "drop_index",
            f"Drop the index {index.name} of {table.name} CONCURRENTLY.",
            f"DROP INDEX CONCURRENTLY IF EXISTS {self.qt(table.name, index.name)}",
            target=table.name,
            transactional=False,
        )

    def add_foreign_key(self, table: Table, key: ForeignKey) -> Step:
        return self.foreign_key_online(table, key)[0]

    def foreign_key_online(self, table: Table, key: ForeignKey) -> list[Step]:
        return [
            self.step(
                "add_foreign_key",
                f"Add the foreign key {key.name} of {table.name}, NOT VALID: new rows only.",
                self.sql(self.renderer.alter_foreign_key(table, key)) + " NOT VALID",
                target=table.name,
            ),
            self.validate(table, key.name, table.name),
        ]

    # Enums

    def create_enum(self, name: str, values: tuple[str, ...]) -> None:
        listed = ", ".join(self.sql(exp.Literal.string(value)) for value in values)
        self.phases.create_types.append(
            self.step(
                "create_enum",
                f"Create the enum type {name}.",
                f"CREATE TYPE {self.q(name)} AS ENUM ({listed})",
                target=name,
            )
        )

    def change_enum(self, old: tuple[str, ...], new: tuple[str, ...], name: str) -> None:
        removed = [value for value in old if value not in new]
        if removed or [value for value in old if value in new] != list(old[: len(old)]):
            self.phases.create_types.append(
                self.step(
                    "alter_enum",
                    f"The enum {name} loses or reorders values ({', '.join(removed)}): "
                    "PostgreSQL cannot remove one; create a new type, move the column to it "
                    "by expand and contract, drop the old type.",
                    target=name,
                    hazards=(Hazard("manual", "no ALTER TYPE removes an enum value"),),
                )
            )
            return
        for value in new:
            if value not in old:
                self.phases.create_types.append(
                    self.step(
                        "alter_enum",
                        f"Add the value {value!r} to {name} (usable once committed).",
                        f"ALTER TYPE {self.q(name)} ADD VALUE IF NOT EXISTS "
                        f"{self.sql(exp.Literal.string(value))}",
                        target=name,
                        transactional=False,
                    )
                )

    def drop_enum(self, name: str) -> None:
        self.phases.drop_tables.append(
            self.step(
                "drop_enum",
                f"Drop the enum type {name}, which no column uses any more.",
                self.statement("drop_enum", name=name),
                target=name,
            )
        )

    def create_table(self, table: Table) -> None:
        super().create_table(table)
        stamped = [column.name for column in table.columns if column.on_update_now]
        for column in stamped:
            function = self.renderer.generator.generate(self.renderer.stamp_function(column))
            self.phases.create_tables.append(
                self.step(
                    "create_trigger",
                    f"Keep {table.name}.{column} current on UPDATE.",
                    function.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
                    self.sql(self.renderer.postgres_trigger(table, column)),
                    target=table.name,
                )
            )


def _without(objects: Objects[T], new: set[str], old: set[str]) -> Objects[T]:
    """`objects` less those on replaced columns, which expand and contract makes itself."""
    return replace(
        objects,
        added=tuple(item for item in objects.added if not touches(item, new)),
        renamed=tuple(
            (a, b) for a, b in objects.renamed if not touches(a, old) and not touches(b, new)
        ),
    )
