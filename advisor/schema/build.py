"""From `Requirements` to the logical `Schema` of one SQL dialect."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from advisor.collector import collector_paused
from advisor.errors import AdvisorError
from advisor.recommendation import NO_TENANCY, Counter, Expiry, Recommendation, Tenancy
from advisor.recommendation import Partitioning as PartitionDecision
from advisor.requirements.model import Attribute, Entity, Relationship, Requirements, Scalar
from advisor.schema.dialects import Dialect, dialect
from advisor.schema.indexes import PatternNeed, plan_indexes
from advisor.schema.model import (
    TEMPORAL_KINDS,
    Check,
    Column,
    ColumnType,
    EnumType,
    ForeignKey,
    Index,
    IndexColumn,
    Key,
    Partition,
    Partitioning,
    PartitionOutcome,
    PatternIndex,
    RowTtl,
    Schema,
    Table,
    TenantScope,
)
from advisor.schema.names import NameRegistry, physical_name

KEY_STRATEGIES = ("bigint_identity", "uuid_v7")
KEY_REASONS = {
    "bigint_identity": (
        "bigint identity: small, ordered keys the database numbers itself; "
        "nothing asks for keys made outside it"
    ),
    "uuid_v7": (
        "UUIDv7 made by the application: ids are created in several places (write regions, "
        "offline clients or merged data sets) and version 7 keeps them roughly in time order"
    ),
}
# Partitions created with the table, and kept ahead of time by the maintenance job (pg_partman's
# premake): a day of hours, a week of days, a month of weeks, a quarter of months.
FIRST_PARTITIONS = {"hour": 24, "day": 7, "week": 4, "month": 3}
PARTMAN_INTERVALS = {"hour": "1 hour", "day": "1 day", "week": "1 week", "month": "1 month"}
# Why an append-only table has no updated_at and why its foreign keys restrict: a cascade (or
# SET NULL) would delete or rewrite history when the row it refers to goes.
APPEND_ONLY_COMMENT = (
    "append-only: rows are inserted, never updated or deleted; its foreign keys RESTRICT "
    "deletes of the rows they refer to, since a cascade would erase history with its parent"
)
EMAIL_COMMENT = "format: email (not checked: {dialect} has no regular expressions in CHECK)"


@dataclass
class SchemaParts:
    """What the schemas of one design in several dialects have in common, made once for all
    of them: column types, and the columns that come out the same in each dialect (most do).
    A large design has tens of thousands of columns, and making each anew took much of every
    schema's time. Give the same one to `schema_for` for each dialect of one design."""

    column_types: dict[ColumnType, ColumnType] = field(default_factory=dict)
    # By the attribute's type, length, precision, scale and values; by a plain kind.
    attribute_types: dict[tuple[object, ...], ColumnType] = field(default_factory=dict)
    plain_types: dict[str, ColumnType] = field(default_factory=dict)
    # By an entity's path: the entity, its attributes' paths and declared types (see
    # `_Builder.declared`).
    declared: dict[str, tuple[Entity, tuple[tuple[str, ColumnType], ...]]] = field(
        default_factory=dict
    )
    # By source and name, each way the dialects made it (most make it the same): see `column`.
    columns: dict[tuple[str, str], list[Column]] = field(default_factory=dict)
    # The last dialect's needs, with the names they were resolved from (see `_Builder.needs`).
    needs: tuple[tuple[object, ...], list[PatternNeed]] | None = None
    # The id and audit columns, by role, name and key strategy (see `_Builder.implicit_column`).
    implicit: dict[tuple[str, str, str], Column] = field(default_factory=dict)

    def column(
        self,
        name: str,
        column_type: ColumnType,
        *,
        nullable: bool,
        default: Scalar | None = None,
        comment: str = "",
        source: str,
        case_insensitive: bool = False,
    ) -> Column:
        """The column of these values, the one made before if there is one."""
        made = self.columns.get((source, name))
        if made is None:
            made = self.columns[(source, name)] = []
        for column in made:
            # A default goes with its type: 1, 1.0 and True are equal but written differently.
            if (
                (column.type is column_type or column.type == column_type)
                and column.nullable == nullable
                and type(column.default) is type(default)
                and (column.default is default or column.default == default)
                and column.comment == comment
                and column.case_insensitive == case_insensitive
            ):
                return column
        column = Column(
            name,
            column_type,
            nullable=nullable,
            default=default,
            comment=comment,
            source=source,
            case_insensitive=case_insensitive,
        )
        made.append(column)
        return column


@dataclass(slots=True)
class _Draft:
    """A table while it is being built; frozen into a `Table` at the end."""

    name: str
    source: str
    comment: str = ""
    entity: Entity | None = None
    columns: list[Column] = field(default_factory=list)
    audit: list[Column] = field(default_factory=list)  # placed last
    primary_key: Key | None = None
    uniques: list[Key] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    column_names: dict[str, str] = field(default_factory=dict)  # requirement name -> physical
    column_registry: NameRegistry | None = None  # its columns' names, made on the first claim
    changed_by: list[str] = field(default_factory=list)  # update and delete patterns

    def freeze(self) -> Table:
        return Table(
            name=self.name,
            columns=tuple(self.columns + self.audit),
            primary_key=self.primary_key,
            uniques=tuple(self.uniques),
            checks=tuple(self.checks),
            foreign_keys=tuple(self.foreign_keys),
            indexes=tuple(self.indexes),
            comment=self.comment,
            source=self.source,
            append_only=self.entity is not None and self.entity.append_only,
            changed_by=tuple(self.changed_by),
        )


class _Builder:
    def __init__(
        self,
        requirements: Requirements,
        target: Dialect,
        key_strategy: str,
        cross_service: frozenset[str] = frozenset(),
        parts: SchemaParts | None = None,
    ) -> None:
        self.requirements = requirements
        self.parts = parts or SchemaParts()
        self.dialect = target
        self.key_strategy = key_strategy
        self.cross_service = cross_service  # relationship paths with no foreign key
        self.objects = NameRegistry(target)
        self.drafts: dict[str, _Draft] = {}  # by entity name
        self.junctions: list[_Draft] = []
        self.enums: list[EnumType] = []
        # entity -> name in a filter -> the physical column of that entity's table (by entity
        # first: a large schema has one per column, and a pair for each took time to make)
        self.references: dict[str, dict[str, str]] = {}
        # (entity, name in a filter) -> why another table's index serves it
        self.elsewhere: dict[tuple[str, str], str] = {}
        # Equal column types share one object: a schema holds thousands of columns, and the
        # DDL renderer compares their types (an identical object compares at once).
        self.column_types = self.parts.column_types
        self.attribute_types = self.parts.attribute_types
        self.plain_types = self.parts.plain_types
        self.implicit = self.parts.implicit  # see `implicit_column`

    def column_type(self, column_type: ColumnType) -> ColumnType:
        return self.column_types.setdefault(column_type, column_type)

    def plain_type(self, kind: str) -> ColumnType:
        """The type of `kind` with no length, precision or values (`bigint`, `datetime`)."""
        found = self.plain_types.get(kind)
        if found is None:
            found = self.plain_types[kind] = self.column_type(ColumnType(kind))
        return found

    def claim_column(self, draft: _Draft, name: str) -> str:
        return self.column_registry(draft).claim(name)

    def column_registry(self, draft: _Draft) -> NameRegistry:
        registry = draft.column_registry
        if registry is None:
            registry = draft.column_registry = NameRegistry(self.dialect)
        return registry

    def tables(self) -> None:
        for position, entity in enumerate(self.requirements.entities):
            draft = _Draft(self.objects.claim(entity.name), f"entities[{position}]", entity=entity)
            if entity.append_only:
                draft.comment = APPEND_ONLY_COMMENT
            self.drafts[entity.name] = draft
        for entity in self.requirements.entities:
            self.entity_columns(self.drafts[entity.name], entity)

    def declared(self, draft: _Draft, entity: Entity) -> tuple[tuple[str, ColumnType], ...]:
        """Each attribute's path in the document and its type as declared: the same in every
        dialect, so made once for all of them (a large design has tens of thousands)."""
        made = self.parts.declared.get(draft.source)
        if made is not None and (made[0] is entity or made[0] == entity):
            return made[1]
        declared = tuple(
            (f"{draft.source}.attributes[{index}]", self.attribute_type(attribute))
            for index, attribute in enumerate(entity.attributes)
        )
        self.parts.declared[draft.source] = (entity, declared)
        return declared

    def attribute_type(self, attribute: Attribute) -> ColumnType:
        shape = (attribute.type, attribute.length, attribute.precision, attribute.scale)
        found = self.attribute_types.get((*shape, attribute.values))
        if found is None:
            found = self.attribute_types[(*shape, attribute.values)] = self.column_type(
                ColumnType(*shape, values=attribute.values)
            )
        return found

    def entity_columns(self, draft: _Draft, entity: Entity) -> None:
        claim = self.column_registry(draft).claim
        names = draft.column_names
        declared = self.declared(draft, entity)
        declared_id = entity.attribute("id")
        id_name = names["id"] = claim("id")
        if declared_id is not None:
            index = entity.attributes.index(declared_id)
            column = self.attribute_column(draft, declared_id, id_name, *declared[index])
            identity = declared_id.type in ("integer", "bigint") and declared_id.default is None
            draft.columns.append(replace(column, nullable=False, identity=identity))
        else:
            draft.columns.append(self.implicit_column("id", id_name))
        draft.primary_key = Key(self.objects.claim(f"pk_{draft.name}"), (id_name,))
        two_columns = self.dialect.point_columns == "two"
        for attribute, (path, declared_type) in zip(entity.attributes, declared, strict=True):
            if attribute.name == "id":
                continue
            if attribute.type == "point" and two_columns:
                self.coordinate_columns(draft, attribute, path)
                continue
            name = names[attribute.name] = claim(attribute.name)
            draft.columns.append(self.attribute_column(draft, attribute, name, path, declared_type))
        for audit in ("created_at", "updated_at"):
            if audit == "updated_at" and entity.append_only:
                continue  # its rows never change: no updated_at, and no trigger to keep it
            if entity.attribute(audit) is None:
                name = names[audit] = claim(audit)
                draft.audit.append(self.implicit_column(audit, name))
        known = self.references.get(entity.name)
        if known is None:
            self.references[entity.name] = dict(names)
        else:
            known.update(names)  # an entity of the same name before it

    def physical(self, entity: str, name: str) -> str:
        """The physical column `name` (an attribute, a relationship's role or target) means in
        `entity`'s table; `name` itself when it means none."""
        return self.references.get(entity, {}).get(name, name)

    def implicit_column(self, role: str, name: str) -> Column:
        """The id or audit column called `name`: the same in every table, so one object is
        shared by all (a large schema makes thousands)."""
        column = self.implicit.get((role, name, self.key_strategy))
        if column is None:
            if role == "id":
                column = self.key_column(name)
            else:
                column = Column(
                    name,
                    self.plain_type("datetime"),
                    nullable=False,
                    default_now=True,
                    on_update_now=role == "updated_at",
                    source="implicit",
                )
            self.implicit[(role, name, self.key_strategy)] = column
        return column

    def key_column(self, name: str) -> Column:
        if self.key_strategy == "uuid_v7":
            comment = "UUIDv7, made by the application"
            return Column(
                name,
                self.plain_type("uuid"),
                nullable=False,
                comment=comment,
                source="implicit",
            )
        column_type = self.plain_type("bigint")
        return Column(name, column_type, nullable=False, identity=True, source="implicit")

    def attribute_column(
        self, draft: _Draft, attribute: Attribute, name: str, source: str, plain: ColumnType
    ) -> Column:
        """The column of `attribute` at `source`, of type `plain` as declared (see `declared`)
        before the dialect's changes."""
        column_type = plain
        comment = ""
        if attribute.type == "enum" and self.dialect.enum == "create_type":
            enum_name = self.objects.claim(f"{draft.name}_{attribute.name}")
            self.enums.append(EnumType(enum_name, attribute.values))
            column_type = replace(column_type, enum_type=enum_name)
        elif attribute.type == "enum" and self.dialect.enum == "check":
            self.add_check(draft, name, "in", values=attribute.values)
        if attribute.min is not None or attribute.max is not None:
            self.add_check(draft, name, "range", minimum=attribute.min, maximum=attribute.max)
        if attribute.format == "email" and self.dialect.regex is not None:
            self.add_check(draft, name, "email")
        elif attribute.format == "email":
            comment = EMAIL_COMMENT.format(dialect=self.dialect.name)
        elif attribute.format is not None:
            comment = f"format: {attribute.format}"
        if attribute.unique:
            draft.uniques.append(Key(self.objects.claim(f"uq_{draft.name}_{name}"), (name,)))
        if attribute.type in ("point", "vector"):
            column_type = replace(column_type, dimensions=attribute.dimensions)
            comment = self.unordered_comment(attribute)
        if column_type is not plain:
            column_type = self.column_type(column_type)
        return self.parts.column(
            name,
            column_type,
            nullable=not attribute.required,
            default=attribute.default,
            comment=comment,
            source=source,
            case_insensitive=attribute.case_insensitive,
        )

    def coordinate_columns(self, draft: _Draft, attribute: Attribute, source: str) -> None:
        """A point as two numbers where the dialect has no spatial type; filters and sorts by
        the point's name mean its longitude column (the first)."""
        why = f"{self.dialect.title} has no spatial type or index without an extension"
        for axis, bound in (("longitude", 180), ("latitude", 90)):
            name = self.claim_column(draft, f"{attribute.name}_{axis}")
            draft.column_names.setdefault(attribute.name, name)
            self.add_check(draft, name, "range", minimum=-bound, maximum=bound)
            draft.columns.append(
                Column(
                    name,
                    self.plain_type("coordinate"),
                    nullable=not attribute.required,
                    comment=f"WGS84 {axis} of {attribute.name}: {why}",
                    source=source,
                )
            )

    def unordered_comment(self, attribute: Attribute) -> str:
        """What a point or vector column holds, and where the dialect cannot index it."""
        if attribute.type == "point":
            return "WGS84 longitude and latitude (SRID 4326)"
        size = f"{attribute.dimensions} numbers"
        if self.dialect.vector_index is not None:
            return f"an embedding of {size}"
        return (
            f"an embedding of {size}, float32 little-endian ({4 * (attribute.dimensions or 0)} "
            f"bytes): {self.dialect.title} has no vector index, so similarity search is served "
            "by a search component"
        )

    def add_check(
        self,
        draft: _Draft,
        column: str,
        kind: str,
        *,
        values: tuple[str, ...] = (),
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> None:
        name = self.objects.claim(f"ck_{draft.name}_{column}")
        draft.checks.append(Check(name, column, kind, values, minimum, maximum))

    def relationships(self) -> None:
        for position, relationship in enumerate(self.requirements.relationships):
            path = f"relationships[{position}]"
            if relationship.cardinality == "many-to-many":
                self.junction(relationship, path)
            else:
                self.foreign_key(relationship, path)

    def foreign_key(self, relationship: Relationship, path: str) -> None:
        source = self.drafts[relationship.source]
        target = self.drafts[relationship.target]
        key = target.columns[0]
        name = self.claim_column(source, f"{relationship.role}_id")
        column_type = key.type
        across = path in self.cross_service
        source.columns.append(
            self.parts.column(
                name,
                column_type,
                nullable=not relationship.required,
                comment=self.across_services(relationship) if across else "",
                source=path,
            )
        )
        for alias in (relationship.role, relationship.target):
            self.references.setdefault(relationship.source, {}).setdefault(alias, name)
        if across:
            return
        on_delete = relationship.on_delete or "restrict"
        if source.entity is not None and source.entity.append_only:
            on_delete = "restrict"  # see APPEND_ONLY_COMMENT
        source.foreign_keys.append(
            ForeignKey(
                self.objects.claim(f"fk_{source.name}_{name}"),
                (name,),
                target.name,
                (key.name,),
                on_delete=on_delete,
                required=relationship.required,
                source=path,
            )
        )
        if relationship.cardinality == "one-to-one":
            source.uniques.append(Key(self.objects.claim(f"uq_{source.name}_{name}"), (name,)))
        why = f"the join to {source.name} uses its index on {name}"
        for alias in (relationship.inverse_role, relationship.source):
            self.elsewhere.setdefault((relationship.target, alias), why)

    def unique_keys(self) -> None:
        """The entities' declared unique keys, over the columns their names resolve to."""
        for entity in self.requirements.entities:
            draft = self.drafts[entity.name]
            for key in entity.unique:
                columns = tuple(dict.fromkeys(self.physical(entity.name, name) for name in key))
                name = self.objects.claim(f"uq_{draft.name}_{'_'.join(columns)}")
                draft.uniques.append(Key(name, columns))

    def case_insensitive_keys(self) -> list[str]:
        """Unique keys over case-insensitive columns, as the dialect makes them ignore case:
        a unique index on lower() of those columns, or the column's collation (then the key
        stays a constraint). Returns the schema's notes on the collations used."""
        notes = []
        for draft in self.drafts.values():
            folded = {column.name for column in draft.columns if column.case_insensitive}
            if not folded:
                continue
            if self.dialect.case_insensitive == "collate":
                names = sorted(folded)
                caveat = self.dialect.case_insensitive_caveat
                notes.append(
                    f"{draft.name}: {', '.join(names)} "
                    f"{'compares' if len(names) == 1 else 'compare'} without case through the "
                    f"collation {self.dialect.case_insensitive_collation}, so a unique key over "
                    "it refuses a value that differs from another only in case"
                    + (f" ({caveat})" if caveat else "")
                )
                continue
            for key in [key for key in draft.uniques if folded & set(key.columns)]:
                draft.uniques.remove(key)
                lowered = ", ".join(f"lower({c})" if c in folded else c for c in key.columns)
                draft.indexes.append(
                    Index(
                        key.name,
                        tuple(IndexColumn(column) for column in key.columns),
                        kind="unique_lower",
                        unique=True,
                        reason=f"unique without case: a unique index on ({lowered}); queries "
                        f"compare lower() of the value to use it",
                    )
                )
        return notes

    def across_services(self, relationship: Relationship) -> str:
        """The comment on an id that points into another service's database."""
        target = self.requirements.entity(relationship.target)
        context = target.context if target is not None else None
        return (
            f"id of a {relationship.target} in the {context} service: no foreign key "
            "across services; keep it valid through that service's events"
        )

    def junction(self, relationship: Relationship, path: str) -> None:
        source = self.drafts[relationship.source]
        target = self.drafts[relationship.target]
        draft = _Draft(
            self.objects.claim(f"{relationship.source}_{relationship.role}"),
            path,
            comment=f"links {source.name} and {target.name} (many-to-many)",
        )
        near = self.claim_column(draft, f"{relationship.source}_id")
        far_wanted = f"{relationship.role}_id"
        far = self.claim_column(
            draft, far_wanted if far_wanted != near else f"related_{far_wanted}"
        )
        on_delete = relationship.on_delete or "cascade"
        across = path in self.cross_service
        for name, end in ((near, source), (far, target)):
            far_end = across and end is target
            comment = self.across_services(relationship) if far_end else ""
            draft.columns.append(
                Column(name, end.columns[0].type, nullable=False, comment=comment, source=path)
            )
            if far_end:
                continue
            draft.foreign_keys.append(
                ForeignKey(
                    self.objects.claim(f"fk_{draft.name}_{name}"),
                    (name,),
                    end.name,
                    (end.columns[0].name,),
                    on_delete=on_delete,
                    required=True,
                    source=path,
                )
            )
        draft.primary_key = Key(self.objects.claim(f"pk_{draft.name}"), (near, far))
        reverse = Index(
            name=self.objects.claim(f"ix_{draft.name}_{far}_{near}"),
            columns=(IndexColumn(far), IndexColumn(near)),
            reason=f"the reverse direction: from {target.name} to its {source.name} rows",
        )
        draft.indexes.append(reverse)
        self.junctions.append(draft)
        why = f"the junction table {draft.name} serves it with its keys"
        for entity, aliases in (
            (relationship.source, (relationship.role, relationship.target)),
            (relationship.target, (relationship.inverse_role, relationship.source)),
        ):
            for alias in aliases:
                self.elsewhere.setdefault((entity, alias), why)

    def needs(self, search_served: frozenset[str]) -> list[PatternNeed]:
        """The access patterns with their names resolved to physical columns; the ones made
        for another dialect when the names came out the same there (they mostly do)."""
        patterns = self.requirements.access_patterns
        drafts = self.drafts
        for pattern in patterns:
            if pattern.operation in ("update", "delete"):
                drafts[pattern.entity].changed_by.append(pattern.name)
        tables = {entity: draft.name for entity, draft in drafts.items()}
        made = self.parts.needs
        names = (patterns, search_served, tables, self.references, self.elsewhere)
        if made is not None and made[0] == names:
            return made[1]
        needs = self.resolved_needs(search_served)
        self.parts.needs = (names, needs)
        return needs

    def resolved_needs(self, search_served: frozenset[str]) -> list[PatternNeed]:
        needs = []
        for pattern in self.requirements.access_patterns:
            draft = self.drafts[pattern.entity]
            filters: list[str] = []
            elsewhere: list[str] = []
            references = self.references.get(pattern.entity, {})
            for name in pattern.filter:
                if name in references:
                    filters.append(references[name])
                elif (pattern.entity, name) in self.elsewhere:
                    elsewhere.append(f"{name}: {self.elsewhere[(pattern.entity, name)]}")
            sort: list[IndexColumn] = []
            for spelled in pattern.sort:
                descending = spelled.startswith("-") and len(spelled) > 1
                name = spelled[1:] if descending else spelled
                if name in references:
                    sort.append(IndexColumn(references[name], descending))
            needs.append(
                PatternNeed(
                    pattern=pattern.name,
                    table=draft.name,
                    operation=pattern.operation,
                    kind=pattern.kind,
                    filters=tuple(dict.fromkeys(filters)),
                    sort=tuple(sort),
                    elsewhere="; ".join(elsewhere),
                    search_served=pattern.name in search_served,
                )
            )
        return needs


def _first_partitions(
    table: str, interval: str, start: date, claim: NameRegistry
) -> tuple[Partition, ...]:
    """The first range partitions from `start`, and no DEFAULT partition: a row held there for
    a range makes creating that range's partition fail, so partitions are made ahead instead.

    >>> names = NameRegistry(dialect("postgresql"))
    >>> [p.name for p in _first_partitions("event", "hour", date(2025, 1, 1), names)][:2]
    ['event_p2025_01_01_00', 'event_p2025_01_01_01']
    >>> _first_partitions("event", "week", date(2025, 1, 1), names)[0].start
    '2024-12-30'
    """
    partitions = []
    current = datetime(start.year, start.month, start.day)
    if interval == "week":
        current -= timedelta(days=current.weekday())  # weeks start on Monday
    elif interval == "month":
        current = current.replace(day=1)
    for _ in range(FIRST_PARTITIONS[interval]):
        if interval == "hour":
            following = current + timedelta(hours=1)
            label = current.strftime("%Y_%m_%d_%H")
        elif interval in ("day", "week"):
            following = current + timedelta(days=1 if interval == "day" else 7)
            label = current.strftime("%Y_%m_%d")
        else:
            following = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
            label = current.strftime("%Y_%m")
        name = claim.claim(f"{table}_p{label}")
        partitions.append(Partition(name, _bound(current, interval), _bound(following, interval)))
        current = following
    return tuple(partitions)


def _bound(moment: datetime, interval: str) -> str:
    return moment.isoformat(sep=" ") if interval == "hour" else moment.date().isoformat()


def _maintenance(
    qualified: str, column: str, interval: str, retention: int | None, target: Dialect
) -> str:
    """How partitions are kept ahead of time and old ones go: pg_partman's calls on
    PostgreSQL (for the table `schema.name`), a scheduled job elsewhere."""
    ahead = FIRST_PARTITIONS[interval]
    if target.name != "postgresql":
        return (
            f"a scheduled job creates the partitions of the next {ahead} {interval}s ahead of "
            "time and alerts when fewer remain"
        )
    keep = (
        f" UPDATE partman.part_config SET retention = '{retention} days', "
        f"retention_keep_table = false WHERE parent_table = '{qualified}';"
        if retention is not None
        else ""
    )
    return (
        f"pg_partman keeps {ahead} partitions ahead: SELECT partman.create_parent("
        f"p_parent_table => '{qualified}', p_control => '{column}', "
        f"p_interval => '{PARTMAN_INTERVALS[interval]}', p_premake => {ahead}, "
        f"p_default_table => false);{keep} and run CALL partman.run_maintenance_proc() at least "
        f"every {interval} (pg_cron or the partman background worker)"
    )


SOURCE = re.compile(r"(entities|relationships)\[(\d+)\]")


def _namespaces(
    tables: tuple[Table, ...], requirements: Requirements, target: Dialect, per_context: bool
) -> tuple[tuple[Table, ...], tuple[str, ...]]:
    """Each table in its context's named schema, when the design keeps a schema per context
    and the dialect has named schemas; otherwise the tables as they are, and a note saying
    why when the design asked for schemas."""
    if not per_context:
        return tables, ()
    if not target.schemas:
        return tables, (
            f"{target.title} has no named schemas inside one database, so the contexts share "
            "one: each context's tables stay its own by convention (and by grants where the "
            "engine has them).",
        )
    placed = []
    for table in tables:
        context = _context_of(table.source, requirements)
        namespace = physical_name(context, target) if context else None
        placed.append(replace(table, namespace=namespace))
    return tuple(placed), ()


def _context_of(source: str, requirements: Requirements) -> str | None:
    """The context of the entity a table comes from: the entity itself, or the entity holding
    a many-to-many relationship."""
    found = SOURCE.match(source)
    if found is None:
        return None
    position = int(found.group(2))
    if found.group(1) == "entities":
        return requirements.entities[position].context
    entity = requirements.entity(requirements.relationships[position].source)
    return entity.context if entity is not None else None


def _why_not_partitioned(
    table: Table, column_name: str, referrers: dict[str, set[str]], target: Dialect
) -> str:
    """Why `table` cannot be range-partitioned on `column_name` here; empty when it can."""
    if not target.partitioning:
        return (
            f"the {target.name} DDL does not partition tables (the advisor writes declarative "
            "range partitions for PostgreSQL); keep the time index and expire rows in batches"
        )
    column = table.column(column_name)
    if column is None or column.type.kind not in TEMPORAL_KINDS:
        return f"{table.name} has no time column {column_name}"
    referring = sorted(referrers.get(table.name, ()))
    if not referring and not table.uniques:
        return ""
    why = (
        f"other tables refer to it ({', '.join(referring)})"
        if referring
        else "its unique constraints would have to include the time column"
    )
    return (
        f"{why}, and keys on a partitioned {target.name} table must include the partition "
        f"column {column_name}"
    )


def _partition(
    tables: tuple[Table, ...],
    decisions: Sequence[PartitionDecision],
    builder: _Builder,
    start: date,
) -> tuple[tuple[Table, ...], tuple[PartitionOutcome, ...]]:
    """Carry out the engine's partitioning decisions: range partitions by time where the
    dialect has them and the table's keys allow it; otherwise an outcome that says why not."""
    by_name = {table.name: table for table in tables}
    referrers: dict[str, set[str]] = {}  # a table's name -> the tables that refer to it
    if decisions:
        for table in tables:
            for key in table.foreign_keys:
                referrers.setdefault(key.target, set()).add(table.name)
    outcomes = []
    for decision in decisions:
        draft = builder.drafts.get(decision.entity)
        if draft is None:
            continue
        table = by_name[draft.name]
        physical = builder.physical(decision.entity, decision.column)
        why_not = _why_not_partitioned(table, physical, referrers, builder.dialect)
        column = table.column(physical)
        # A date has no hours: the finest partition of a date column is a day.
        dated = column is not None and column.type.kind == "date"
        interval = "day" if decision.interval == "hour" and dated else decision.interval
        outcomes.append(
            PartitionOutcome(decision.entity, table.name, physical, interval, not why_not, why_not)
        )
        if why_not or column is None:
            continue
        partitions = _first_partitions(table.name, interval, start, builder.objects)
        retention = decision.retention_days
        if retention is not None:
            policy = (
                f"keep {retention} days: create the partition of each coming "
                f"{interval} ahead of time, and drop a partition (DROP TABLE) once its "
                f"upper bound is more than {retention} days old"
            )
        else:
            policy = (
                f"keep every partition: create the partition of each coming {interval} "
                "ahead of time, and detach old ones (ALTER TABLE ... DETACH PARTITION) to "
                "archive them"
            )
        policy += (
            "; no DEFAULT partition, since rows held there for a range make creating that "
            "range's partition fail: "
            + _maintenance(
                f"{table.namespace or 'public'}.{table.name}",
                column.name,
                interval,
                retention,
                builder.dialect,
            )
        )
        primary_key = table.primary_key
        if primary_key is not None and column.name not in primary_key.columns:
            primary_key = replace(primary_key, columns=(*primary_key.columns, column.name))
        columns = tuple(replace(c, nullable=False) if c is column else c for c in table.columns)
        by_name[table.name] = replace(
            table,
            columns=columns,
            primary_key=primary_key,
            partitioning=Partitioning(column.name, interval, partitions, retention, policy),
        )
    return tuple(by_name[table.name] for table in tables), tuple(outcomes)


def _spatial_not_null(tables: tuple[Table, ...], target: Dialect) -> tuple[Table, ...]:
    """MySQL's SPATIAL INDEX takes only NOT NULL columns: the indexed points become required."""
    if target.spatial_index != "spatial":
        return tables
    result = []
    for table in tables:
        indexed = {n for i in table.indexes if i.kind == "spatial" for n in i.column_names}
        if not indexed:
            result.append(table)
            continue
        columns = tuple(
            replace(
                column,
                nullable=False,
                comment=f"{column.comment}; NOT NULL: a SPATIAL INDEX takes no NULL",
            )
            if column.name in indexed and column.nullable
            else column
            for column in table.columns
        )
        result.append(replace(table, columns=columns))
    return tuple(result)


def _row_ttl(
    tables: tuple[Table, ...], decisions: Sequence[Expiry], builder: _Builder
) -> tuple[Table, ...]:
    """Carry out the engine's row-TTL expiry decisions where the dialect has row-level TTL."""
    if builder.dialect.row_ttl is None:
        return tables
    by_name = {table.name: table for table in tables}
    for decision in decisions:
        draft = builder.drafts.get(decision.entity)
        if decision.how != "row_ttl" or draft is None:
            continue
        physical = builder.physical(decision.entity, decision.column)
        table = by_name[draft.name]
        if table.column(physical) is not None:
            by_name[draft.name] = replace(table, row_ttl=RowTtl(physical, decision.days))
    return tuple(by_name[table.name] for table in tables)


def _tenancy_notes(tenancy: Tenancy) -> tuple[str, ...]:
    """What the schema's reader must know of a per-tenant tenancy decision (the shared model's
    note comes from `_tenant_scope`, which carries it out)."""
    if tenancy.model in ("schema_per_tenant", "database_per_tenant"):
        where = "schema" if tenancy.model == "schema_per_tenant" else "database"
        return (
            f"one {where} per tenant ({tenancy.tenant_entity}): apply this DDL once in each "
            f"tenant's own {where}; the tables hold no tenant id. Provisioning: "
            f"{tenancy.provisioning}",
        )
    return ()


def _tenant_column_name(requirements: Requirements, tenancy: Tenancy) -> str:
    """The tenant id's name: after the first relationship of a scoped entity to the tenants."""
    for relationship in requirements.relationships:
        if (
            relationship.target == tenancy.tenant_entity
            and relationship.source in tenancy.scoped
            and relationship.cardinality != "many-to-many"
        ):
            return f"{relationship.role}_id"
    return f"{tenancy.tenant_entity}_id"


def _lead(column: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    return (column, *(c for c in columns if c != column))


def _tenant_scope(
    tables: tuple[Table, ...], tenancy: Tenancy, builder: _Builder
) -> tuple[tuple[Table, ...], TenantScope | None, tuple[str, ...]]:
    """Carry out shared-schema tenancy: every scoped table holds the tenant id (NOT NULL,
    referring to the tenant table), which leads its keys and B-tree indexes, and every foreign
    key between scoped tables is composite, (tenant id, column) to (tenant id, id), so that a
    row cannot point at another tenant's row. Junction and counter tables that refer to a
    scoped table are scoped with it. Returns the tables, the scope and the schema's notes.

    Primary keys: (tenant id, id) where the dialect numbers rows whatever the key (PostgreSQL,
    SQL Server, Oracle: a tenant's rows also sit together in the key's order). SQLite numbers
    rows only through a key of exactly `INTEGER PRIMARY KEY` (its rowid), and MySQL wants its
    AUTO_INCREMENT column first in some key: there `id` stays the primary key, and a
    UNIQUE (tenant id, id) is what the composite foreign keys refer to.
    """
    if tenancy.model != "shared_schema" or tenancy.tenant_entity not in builder.drafts:
        return tables, None, ()
    target = builder.dialect
    tenant_table = builder.drafts[tenancy.tenant_entity].name
    by_name = {table.name: table for table in tables}
    tenant_key = by_name[tenant_table].columns[0]
    column_name = _tenant_column_name(builder.requirements, tenancy)
    scoped = [builder.drafts[e].name for e in tenancy.scoped if e in builder.drafts]
    in_scope = set(scoped)
    changed = True
    while changed:  # junction and counter tables of scoped tables
        changed = False
        for table in tables:
            if (
                table.name not in in_scope
                and table.name != tenant_table
                and any(key.target in in_scope for key in table.foreign_keys)
            ):
                scoped.append(table.name)
                in_scope.add(table.name)
                changed = True
    leading = target.identity not in ("rowid", "auto_increment")
    referred = {
        key.target
        for name in scoped
        for key in by_name[name].foreign_keys
        if key.target in in_scope
    }
    degraded: list[str] = []
    for name in scoped:
        table = by_name[name]
        columns = list(table.columns)
        existing = table.column(column_name)
        column = Column(
            column_name,
            tenant_key.type,
            nullable=False,
            comment=f"the tenant ({tenant_table}) the row belongs to",
            source="tenancy",
        )
        if existing is not None:
            columns[columns.index(existing)] = replace(existing, nullable=False)
        else:
            pk = table.primary_key.columns if table.primary_key else ()
            columns.insert(1 if pk[:1] == (columns[0].name,) and len(pk) == 1 else 0, column)
        primary_key = table.primary_key
        id_alone = (
            primary_key is not None
            and len(primary_key.columns) == 1
            and (key_column := table.column(primary_key.columns[0])) is not None
            and key_column.identity
        )
        uniques = [replace(key, columns=_lead(column_name, key.columns)) for key in table.uniques]
        if primary_key is not None and (leading or not id_alone):
            primary_key = replace(primary_key, columns=_lead(column_name, primary_key.columns))
        elif primary_key is not None and name in referred:
            uniques.append(
                Key(
                    builder.objects.claim(f"uq_{name}_{column_name}_{primary_key.columns[0]}"),
                    (column_name, primary_key.columns[0]),
                )
            )
        foreign_keys = []
        for key in table.foreign_keys:
            if key.columns == (column_name,) and key.on_delete == "set_null":
                # The tenant id is NOT NULL now: deleting a tenant cannot orphan its rows.
                foreign_keys.append(replace(key, on_delete="restrict"))
                continue
            if key.target not in in_scope:
                foreign_keys.append(key)
                continue
            composite = replace(
                key,
                columns=(column_name, *key.columns),
                target_columns=(column_name, *key.target_columns),
            )
            if key.on_delete == "set_null" and target.set_null_columns:
                composite = replace(composite, set_null_columns=key.columns)
            elif key.on_delete == "set_null":
                composite = replace(composite, on_delete="restrict")
                degraded.append(f"{name}.{', '.join(key.columns)}")
            foreign_keys.append(composite)
        if not any(k.target == tenant_table and k.columns == (column_name,) for k in foreign_keys):
            foreign_keys.insert(
                0,
                ForeignKey(
                    builder.objects.claim(f"fk_{name}_{column_name}"),
                    (column_name,),
                    tenant_table,
                    (tenant_key.name,),
                    required=True,
                    source="tenancy",
                ),
            )
        keys = [k.columns for k in ((primary_key,) if primary_key else ())]
        keys += [k.columns for k in uniques]
        indexes = []
        for index in table.indexes:
            shared = any(
                k.target not in in_scope
                and k.target != tenant_table
                and index.column_names[: len(k.columns)] == k.columns
                for k in foreign_keys
            )
            if index.kind not in ("btree", "unique_lower") or (shared and not index.serves):
                # Full-text, spatial and vector indexes take no prefix; nor does the index of a
                # foreign key to a shared table, whose deletes look rows up by that key alone.
                indexes.append(index)
                continue
            index = replace(
                index,
                columns=(
                    IndexColumn(column_name),
                    *(c for c in index.columns if c.name != column_name),
                ),
                equality_columns=index.equality_columns
                + (column_name not in index.column_names[: index.equality_columns]),
            )
            covered = any(k[: len(index.columns)] == index.column_names for k in keys)
            if covered and not index.serves and not index.unique and not index.where:
                continue  # the tenant's own foreign key index, now the start of a key
            indexes.append(index)
        by_name[name] = replace(
            table,
            columns=tuple(columns),
            primary_key=primary_key,
            uniques=tuple(uniques),
            foreign_keys=tuple(foreign_keys),
            indexes=tuple(indexes),
        )
    how = (
        f"leads every primary key, unique key and B-tree index of {', '.join(scoped)}"
        if leading
        else (
            f"leads every unique key and B-tree index of {', '.join(scoped)}; the primary "
            f"keys stay id alone, since {target.title} numbers rows only through "
            + (
                "a key of exactly INTEGER PRIMARY KEY (its rowid)"
                if target.identity == "rowid"
                else "an AUTO_INCREMENT column that leads a key"
            )
            + f", and a UNIQUE ({column_name}, id) is what the foreign keys refer to"
        )
    )
    notes = [
        f"shared-schema tenancy ({tenant_table}): {column_name} (NOT NULL, references "
        f"{tenant_table}) {how}; foreign keys between them are ({column_name}, column) to "
        f"({column_name}, id), so that no row points at another tenant's row"
    ]
    if degraded:
        notes.append(
            f"{', '.join(degraded)}: ON DELETE RESTRICT instead of SET NULL, since "
            f"{target.title} would set {column_name} to NULL with it (PostgreSQL 15 names the "
            "columns to set: SET NULL (column)); clear the reference before the delete"
        )
    if target.row_security:
        notes.append(
            f"row-level security on {', '.join(scoped)}: each transaction sets app.tenant_id "
            f"(SET LOCAL app.tenant_id = '...') and sees and writes only that tenant's rows; "
            "superusers and roles with BYPASSRLS are not held by the policies"
        )
    notes.append(f"provisioning: {tenancy.provisioning}")
    scope = TenantScope(tenant_table, column_name, tenant_key.type, tuple(scoped), leading)
    return tuple(by_name[table.name] for table in tables), scope, tuple(notes)


def _counters(
    tables: tuple[Table, ...], decisions: Sequence[Counter], builder: _Builder
) -> tuple[Table, ...]:
    """Carry out the engine's counter decisions: a sharded counter's numbers move from the
    entity's table to a counter table of `slots` rows per item; numbers kept in a counter
    store say so in their comments."""
    by_name = {table.name: table for table in tables}
    added: list[Table] = []
    for decision in decisions:
        draft = builder.drafts.get(decision.entity)
        if draft is None or decision.how not in ("sharded_counter", "counter_store"):
            continue
        table = by_name[draft.name]
        physical = [builder.physical(decision.entity, c) for c in decision.columns]
        if decision.how == "counter_store":
            note = (
                f"incremented in {decision.technology} ({decision.pattern!r}); a job adds the "
                f"pending increments every {decision.flush_seconds:g} s"
            )
            by_name[draft.name] = replace(
                table,
                columns=tuple(
                    replace(c, comment=note) if c.name in physical else c for c in table.columns
                ),
            )
            continue
        counter = _Draft(
            builder.objects.claim(f"{draft.name}_counter"),
            draft.source,
            comment=(
                f"sharded counter of {draft.name} ({decision.pattern!r}): {decision.slots} rows "
                f"per {draft.name}; an increment adds to a random slot (UPDATE ... WHERE slot = "
                f"floor(random() * {decision.slots})), a read sums the slots"
            ),
        )
        key = table.columns[0]
        owner = builder.claim_column(counter, f"{decision.entity}_id")
        slot = builder.claim_column(counter, "slot")
        counter.columns.append(Column(owner, key.type, nullable=False, source=draft.source))
        counter.columns.append(Column(slot, builder.plain_type("integer"), nullable=False))
        builder.add_check(counter, slot, "range", minimum=0, maximum=decision.slots - 1)
        for name in decision.columns:
            counter.columns.append(
                Column(
                    builder.claim_column(counter, name),
                    builder.plain_type("bigint"),
                    nullable=False,
                    default=0,
                    source=draft.source,
                )
            )
        counter.primary_key = Key(builder.objects.claim(f"pk_{counter.name}"), (owner, slot))
        counter.foreign_keys.append(
            ForeignKey(
                builder.objects.claim(f"fk_{counter.name}_{owner}"),
                (owner,),
                table.name,
                (key.name,),
                on_delete="cascade",
                required=True,
                source=draft.source,
            )
        )
        added.append(counter.freeze())
        moved = set(physical)
        by_name[draft.name] = replace(
            table,
            columns=tuple(c for c in table.columns if c.name not in moved),
            checks=tuple(c for c in table.checks if c.column not in moved),
            comment=table.comment
            or f"{', '.join(physical)}: summed from {counter.name} (sharded counter)",
        )
    return (*(by_name[table.name] for table in tables), *added)


# A large schema is a few hundred thousand records that all live on: the cyclic collector's
# passes over them took about half of building one at 5,000 entities (see advisor/collector.py).
@collector_paused(lasting=True)
def build_schema(
    requirements: Requirements,
    dialect_name: str = "postgresql",
    *,
    key_strategy: str = "bigint_identity",
    key_reason: str | None = None,
    search_served_patterns: frozenset[str] = frozenset(),
    partitioning: Sequence[PartitionDecision] = (),
    expiry: Sequence[Expiry] = (),
    cross_service: frozenset[str] = frozenset(),
    partitions_from: date | None = None,
    tenancy: Tenancy = NO_TENANCY,
    counters: Sequence[Counter] = (),
    schema_per_context: bool = False,
    parts: SchemaParts | None = None,
) -> Schema:
    """The logical schema of `requirements` for one dialect.

    `key_strategy` (`bigint_identity` or `uuid_v7`) and `key_reason` come from the
    recommendation's keys; `search_served_patterns` names the full-text patterns a search
    component serves; `partitioning` holds the engine's time partitioning decisions, `expiry`
    its expiry decisions (row-level TTL where the dialect has it), and
    `cross_service` the relationships (paths) between services' databases, which keep their id
    column but get no foreign key. `tenancy` is the engine's tenancy decision (see
    `advisor.rules.tenancy`), and `counters` its counter decisions (a sharded counter table, or
    numbers kept in a counter store). With `schema_per_context` (the architecture decision to
    keep the contexts in one database, a schema each), every table lives in its context's named
    schema where the dialect has them. `partitions_from` is the first day of the first time
    partition (default: today), so that the same inputs give the same schema. `parts`, given
    for each dialect of one design, makes what the schemas share once (see `SchemaParts`).

    >>> from advisor.requirements import read_requirements
    >>> shop = read_requirements('''
    ... format: advisor/v1
    ... project: Shop
    ... entities:
    ...   - {name: customer, attributes: [{name: email, type: string, length: 255, unique: true}]}
    ...   - {name: order}
    ... relationships:
    ...   - {from: order, to: customer, cardinality: many-to-one, required: true}
    ... ''')
    >>> schema = build_schema(shop, "postgresql")
    >>> [column.name for column in schema.table("order").columns]
    ['id', 'customer_id', 'created_at', 'updated_at']
    >>> schema.table("order").foreign_keys[0].name, schema.table("order").indexes[0].name
    ('fk_order_customer_id', 'ix_order_customer_id')
    """
    if key_strategy not in KEY_STRATEGIES:
        raise AdvisorError(
            f"{key_strategy!r} is not a key strategy; use one of {', '.join(KEY_STRATEGIES)}",
            location="key_strategy",
        )
    target = dialect(dialect_name)
    builder = _Builder(requirements, target, key_strategy, cross_service, parts)
    builder.tables()
    builder.relationships()
    builder.unique_keys()
    case_notes = builder.case_insensitive_keys()
    drafts = list(builder.drafts.values()) + builder.junctions
    needs = builder.needs(search_served_patterns)
    tables, patterns = plan_indexes(
        [draft.freeze() for draft in drafts], needs, target, builder.objects.claim
    )
    tables = _spatial_not_null(tables, target)
    tables, namespace_notes = _namespaces(tables, requirements, target, schema_per_context)
    tables, outcomes = _partition(tables, partitioning, builder, partitions_from or date.today())
    tables = _row_ttl(tables, expiry, builder)
    tables = _counters(tables, counters, builder)
    tables, scope, tenancy_notes = _tenant_scope(tables, tenancy, builder)
    return Schema(
        dialect=target.name,
        tables=tables,
        enums=tuple(builder.enums),
        patterns=patterns,
        key_strategy=key_strategy,
        key_reason=key_reason or KEY_REASONS[key_strategy],
        notes=tuple(
            f"{o.table} is not partitioned by {o.column}: {o.why_not}"
            for o in outcomes
            if not o.applied
        )
        + tuple(case_notes)
        + _tenancy_notes(tenancy)
        + tenancy_notes
        + namespace_notes,
        partitions=outcomes,
        tenancy=scope,
    )


def schema_for(
    requirements: Requirements,
    recommendation: Recommendation,
    dialect_name: str,
    *,
    partitions_from: date | None = None,
    parts: SchemaParts | None = None,
) -> Schema:
    """The schema of `requirements` in one dialect, carrying out every decision of
    `recommendation` that a SQL schema holds: the key strategy, the patterns a search index
    serves, time partitioning, row-level expiry and counters. The one way the design, the
    diagrams and the command line turn a recommendation into tables."""
    return build_schema(
        requirements,
        dialect_name,
        key_strategy=recommendation.keys.strategy,
        key_reason=recommendation.keys.reason,
        search_served_patterns=recommendation.search_served,
        partitioning=recommendation.scaling.partitioning,
        expiry=recommendation.scaling.expiry,
        cross_service=frozenset(recommendation.pattern.cross_service),
        partitions_from=partitions_from,
        tenancy=recommendation.tenancy,
        counters=recommendation.scaling.counters,
        schema_per_context=recommendation.pattern.schema_per_context,
        parts=parts,
    )


__all__ = ["KEY_STRATEGIES", "PatternIndex", "SchemaParts", "build_schema", "schema_for"]
