"""Every write the app makes goes through here: `<thing>_<action>(*, ...)`.

Views and commands call these; forms only validate. ORM objects stop here: what goes into the
engine in `advisor/` is converted in this module.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.text import slugify

import advisor
from advisor.design import Design as AdvisorDesign
from advisor.engine import advise
from advisor.importing.report import ImportResult
from advisor.importing.to_requirements import requirements_document
from advisor.migrate import Migration, Plan, plan_migration, plan_schemas
from advisor.migrate.diff import SchemaDiff
from advisor.migrate.lint import Finding, failing, lint_migration
from advisor.migrate.output import plan_sql
from advisor.migrate.plan import values_needed
from advisor.requirements import (
    Requirements,
    dump_yaml,
    parse_requirements,
    read_requirements,
    requirements_to_document,
)
from advisor.requirements.model import Scalar
from advisor.schema import DIALECTS
from advisor.schema.model import Column, Index, Key, Table
from designs.highlight import highlight
from designs.models import (
    ApiToken,
    Decision,
    Design,
    DesignFile,
    Project,
    RequirementsVersion,
)

Numbered = TypeVar("Numbered", RequirementsVersion, Design, Decision)


class ProjectNameTaken(Exception):
    """The owner already has a project of that name (compared without regard to case)."""


class NothingChanged(Exception):
    """The requirements are the same as the project's latest version."""

    def __init__(self, version: RequirementsVersion) -> None:
        super().__init__(f"no change since v{version.number}")
        self.version = version


def project_create(*, owner: AbstractBaseUser, name: str, description: str = "") -> Project:
    try:
        with transaction.atomic():
            return Project.objects.create(owner=owner, name=name, description=description)
    except IntegrityError as error:
        if Project.objects.filter(owner=owner, name__iexact=name).exists():
            raise ProjectNameTaken(name) from error
        raise


def project_update(*, project: Project, name: str, description: str) -> Project:
    project.name = name
    project.description = description
    try:
        with transaction.atomic():
            project.save(update_fields=["name", "description", "updated_at"])
    except IntegrityError as error:
        taken = Project.objects.filter(owner_id=project.owner_id, name__iexact=name)
        if taken.exclude(pk=project.pk).exists():
            raise ProjectNameTaken(name) from error
        raise
    return project


def project_delete(*, project: Project) -> None:
    project.delete()


API_TOKEN_PREFIX = "dda"


def api_token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """Make an API token for `user`; returns it and the secret, which is shown this once.

    The token reads `dda_<prefix>_<secret>`: the prefix finds the row, the sha256 of the whole
    token is all that is kept.
    """
    prefix = secrets.token_hex(6)
    secret = f"{API_TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, digest=_digest(secret))
    return token, secret


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_user(secret: str) -> AbstractBaseUser | None:
    """The active user whose token this is, or None for a token unknown, revoked or malformed."""
    shape = re.fullmatch(rf"{API_TOKEN_PREFIX}_([0-9a-f]{{12}})_[\w-]+", secret, re.ASCII)
    if shape is None:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=shape[1], revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def version_create(
    *,
    project: Project,
    document: dict[str, Any],
    created_by: AbstractBaseUser | None,
    note: str = "",
) -> RequirementsVersion:
    """Store a requirements version numbered after the project's last one."""
    version = create_numbered(
        RequirementsVersion,
        project=project,
        document=document,
        note=note,
        created_by=created_by,
    )
    Project.objects.filter(pk=project.pk).update(updated_at=version.created_at)
    return version


def create_numbered(model: type[Numbered], *, project: Project, **fields: Any) -> Numbered:
    """Create a row numbered after the project's last one of its kind.

    Two saves at the same moment race for the same number; the unique constraint on
    (project, number) decides and the loser takes the next number.
    """
    attempts = 5
    for attempt in range(attempts):
        rows = model.objects.filter(project=project)
        last = rows.aggregate(last=Max("number"))["last"] or 0
        try:
            with transaction.atomic():
                return model.objects.create(project=project, number=last + 1, **fields)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def requirements_of(version: RequirementsVersion) -> Requirements:
    """The engine's model of a stored version (stored documents were validated on saving)."""
    return parse_requirements(version.document)


def version_yaml(version: RequirementsVersion) -> str:
    """A stored version as canonical YAML (the database may not keep the document's key order)."""
    return dump_yaml(requirements_to_document(requirements_of(version)))


def recommendation_for(
    requirements: Requirements, *, field_path: Callable[[str], str] = str
) -> dict[str, Any]:
    """The engine's recommendation for `requirements`, as the page shows it."""
    return recommendation_view(advise(requirements, flips=True).to_dict(), field_path=field_path)


def recommendation_view(
    recommendation: dict[str, Any], *, field_path: Callable[[str], str] = str
) -> dict[str, Any]:
    """A recommendation's JSON form with what the page adds: a bar length for each alternative
    and, for each input a reason read, the form field that holds it."""
    # New dicts where the page adds to them; the rest is shared, and `recommendation` is left
    # as it was (a deep copy cost a tenth of a live panel's post).
    data = dict(recommendation)
    data["alternatives"] = [dict(alternative) for alternative in data["alternatives"]]
    scores = [alternative["score"] for alternative in data["alternatives"]]
    low, high = min(scores, default=0), max(scores, default=0)
    for alternative in data["alternatives"]:
        alternative["bar"] = bar_length(alternative["score"], low, high)
        alternative["gap"] = round(data["primary"]["score"] - alternative["score"], 1)
    data["trace"] = [dict(reason) for reason in data["trace"]]
    for reason in data["trace"]:
        inputs = reason["inputs"]
        reason["links"] = [
            {"path": path, "field": input_field(field_path(path))} for path in inputs[:LINKS_SHOWN]
        ]
        reason["links_more"] = max(0, len(inputs) - LINKS_SHOWN)
    # The largest entities and the heaviest patterns: a design of thousands lists them in its
    # recommendation.json, not on the page.
    volumes, data["volumes_more"] = _largest(
        data.get("volumes", []), lambda volume: volume["rows"] * volume["row_bytes"]
    )
    work, data["work_more"] = _largest(data.get("work", []), lambda item: item["weight"])
    data["volumes"] = [dict(volume) for volume in volumes]
    data["work"] = [dict(item) for item in work]
    for volume in data["volumes"]:
        volume["rows_text"] = approximately(volume["rows"])
        volume["size_text"] = approximately(volume["rows"] * volume["row_bytes"], unit="B")
    for item in data["work"]:
        item["rows_text"] = approximately(item["rows"])
        item["percent"] = round(100 * item["weight"])
    data["components"] = [dict(component) for component in data["components"]]
    for component in data["components"]:
        served, component["links_more"] = shown_first(
            list(zip(component["patterns"], component["inputs"], strict=False)), LINKS_SHOWN
        )
        component["links"] = [
            {"name": name, "field": input_field(field_path(path))} for name, path in served
        ]
    # A key per entity and the patterns that cross shards: thousands in a large design.
    if (sharding := data.get("scaling", {}).get("sharding")) is not None:
        sharding = dict(sharding)
        data["scaling"] = {**data["scaling"], "sharding": sharding}
        sharding["keys"], sharding["keys_more"] = shown_first(sharding.get("keys", []), ROWS_SHOWN)
        sharding["cross_shard_patterns"], sharding["cross_shard_more"] = shown_first(
            sharding.get("cross_shard_patterns", []), LINKS_SHOWN
        )
    return data


ROWS_SHOWN = 15
LINKS_SHOWN = 12  # inputs linked under a reason; a rule over every entity reads thousands


def _largest(
    items: list[dict[str, Any]], size: Callable[[dict[str, Any]], float]
) -> tuple[list[dict[str, Any]], int]:
    """The ROWS_SHOWN largest of `items` in their own order, and how many are left out."""
    if len(items) <= ROWS_SHOWN:
        return items, 0
    kept = {id(item) for item in sorted(items, key=size, reverse=True)[:ROWS_SHOWN]}
    return [item for item in items if id(item) in kept], len(items) - ROWS_SHOWN


def shown_first(items: list[Any], shown: int) -> tuple[list[Any], int]:
    """The first `shown` of `items`, and how many are left out.

    >>> shown_first(["a", "b", "c"], 2)
    (['a', 'b'], 1)
    """
    return items[:shown], max(0, len(items) - shown)


BAR_FLOOR = 5  # percent: the lowest score still shows a sliver


def bar_length(score: float, low: float, high: float) -> int:
    """How long a score's bar is, in percent, between the lowest and the highest score: the
    scores of a ranking often lie within a few points of each other, and bars measured from
    zero would all look full.

    >>> bar_length(96.9, 54.2, 96.9), bar_length(54.2, 54.2, 96.9), bar_length(75.5, 54.2, 96.9)
    (100, 5, 52)
    """
    if high <= low:
        return 100
    return round(BAR_FLOOR + (100 - BAR_FLOOR) * (score - low) / (high - low))


def approximately(value: float, *, unit: str = "") -> str:
    """A large count as a person reads it: a scale word with one decimal below ten, or a byte
    size in kB, MB, GB, TB and PB.

    >>> approximately(3_470_000_000_000), approximately(964_599_209), approximately(12)
    ('3.5 trillion', '965 million', '12')
    >>> approximately(2.5e12, unit="B")
    '2.5 TB'
    """
    if unit == "B":
        scales = ((1e15, " PB"), (1e12, " TB"), (1e9, " GB"), (1e6, " MB"), (1e3, " kB"))
        small = f"{value:.0f} B"
    else:
        scales = ((1e12, " trillion"), (1e9, " billion"), (1e6, " million"), (1e3, " thousand"))
        small = f"{value:.0f}"
    for size, word in scales:
        if value >= size:
            scaled = value / size
            return f"{scaled:.1f}{word}" if scaled < 10 else f"{scaled:.0f}{word}"
    return small


def input_field(path: str) -> str:
    """The input to point at for a document path: a row points at its name field.

    >>> input_field("access_patterns[3]"), input_field("workload"), input_field("workload.regions")
    ('access_patterns[3].name', 'workload.reads_per_second', 'workload.regions')
    """
    if path.endswith("]"):
        return f"{path}.name"
    return {"workload": "workload.reads_per_second", "team": "team.expertise"}.get(path, path)


def requirements_save(
    *,
    project: Project,
    document: dict[str, Any],
    created_by: AbstractBaseUser | None,
    note: str = "",
) -> RequirementsVersion:
    """Validate a requirements document and store it, canonical, as the project's next version.

    Raises `InvalidRequirements` (nothing is saved) or `NothingChanged` when it equals the
    latest version.
    """
    return _requirements_version(project, parse_requirements(document), created_by, note)


def requirements_save_text(
    *,
    project: Project,
    text: str,
    source: str,
    created_by: AbstractBaseUser | None,
    note: str = "",
) -> RequirementsVersion:
    """`requirements_save` of a document's text (YAML or JSON), read straight to requirements
    (`read_requirements`: a JSON document with no problem is read about a tenth faster than
    through `load_document`). Raises also `UnreadableDocument`, naming `source`."""
    requirements = read_requirements(text, source=source)
    return _requirements_version(project, requirements, created_by, note)


def _requirements_version(
    project: Project,
    requirements: Requirements,
    created_by: AbstractBaseUser | None,
    note: str,
) -> RequirementsVersion:
    latest = project.versions.order_by("-number").first()
    if latest is not None and requirements_of(latest) == requirements:
        raise NothingChanged(latest)
    return version_create(
        project=project,
        document=requirements_to_document(requirements),
        created_by=created_by,
        note=note,
    )


# What a schema does not say, kept from the latest version when a schema is imported into a
# project that has one; entities, relationships and access patterns come from the schema.
KEPT_ON_IMPORT = ("project", "description", "workload", "team")


def schema_import(
    *,
    project: Project,
    result: ImportResult,
    source: str,
    created_by: AbstractBaseUser | None,
) -> RequirementsVersion:
    """Save the requirements an imported schema implies as the project's next version.

    The schema gives the entities, relationships and access patterns (one per index); the
    project's name, description, workload and team are the latest version's, if there is one.
    The version's note says what was imported from where. Raises what `requirements_save`
    raises.
    """
    document = requirements_document(result.schema, project=project.name)
    latest = project.versions.order_by("-number").first()
    kept = ""
    if latest is not None:
        document |= {key: latest.document[key] for key in KEPT_ON_IMPORT if key in latest.document}
        kept = f"; name, description, workload and team kept from v{latest.number}"
    tables = len(result.schema.tables)
    note = f"Imported {tables} tables from {source} ({result.dialect}){kept}."
    return requirements_save(
        project=project, document=document, created_by=created_by, note=note[:500]
    )


def latest_design(project: Project) -> Design | None:
    return project.designs.select_related("version").order_by("-number").first()


def design_for(version: RequirementsVersion) -> Design | None:
    """The design this engine already made from `version`, if any."""
    return _designs_by_this_engine(version).first()


def stored_recommendation(version: RequirementsVersion) -> dict[str, Any] | None:
    """The recommendation of the design this engine made from `version`, if any, read alone:
    a large design's other columns are megabytes of JSON."""
    found: dict[str, Any] | None = (
        _designs_by_this_engine(version).values_list("recommendation", flat=True).first()
    )
    return found


def _designs_by_this_engine(version: RequirementsVersion) -> QuerySet[Design]:
    return version.designs.filter(advisor_version=advisor.__version__).order_by("-number")


def design_store(
    *, version: RequirementsVersion, design: AdvisorDesign, created_by: AbstractBaseUser | None
) -> Design:
    """Keep a design the engine made from `version`, with every file it wrote."""
    with transaction.atomic():
        stored = create_numbered(
            Design,
            project=version.project,
            version=version,
            advisor_version=advisor.__version__,
            recommendation=design.recommendation.to_dict(),
            details=design_details(design),
            created_by=created_by,
        )
        files = [
            DesignFile(design=stored, path=item.path, media_type=item.media_type, content=item.text)
            for item in design.files
        ]
        for item in files:
            # The page shows the schemas; highlighting every view of the diagram took seconds.
            if item.path.startswith("schema/"):
                item.highlighted = highlight(item.path, item.content)
        DesignFile.objects.bulk_create(files)
    return stored


def design_slug(design: Design) -> str:
    """The name of a design's folder and downloads: `<project>-design-<number>`."""
    return f"{slugify(design.project.name) or 'project'}-design-{design.number}"


def design_archive(design: Design, *, drawings: Mapping[str, bytes] | None = None) -> bytes:
    """A zip of the design's folder: its requirements as YAML, every file it wrote and the
    `drawings` of its diagram (format -> content), as `erd/erd.<format>`."""
    folder = design_slug(design)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}/requirements.yaml", version_yaml(design.version))
        for item in design.files.order_by("id"):
            archive.writestr(f"{folder}/{item.path}", item.content)
        for format, content in (drawings or {}).items():
            archive.writestr(f"{folder}/erd/erd.{format}", content)
    return buffer.getvalue()


def design_details(design: AdvisorDesign) -> dict[str, Any]:
    """What the design page lists per dialect (tables, indexes, served patterns, findings) and
    for each other store (its schema file and the decisions behind it)."""
    stores = [
        {
            "store": store.store,
            "technology": store.technology,
            "role": store.role,
            "path": f"schema/{store.filename}",
            "patterns": list(store.patterns),
            "decisions": [reason.sentence for reason in store.decisions],
        }
        for store in design.stores
    ]
    return {"stores": stores} | {
        item.dialect: {
            "tables": len(item.schema.tables),
            "table_contexts": {
                table.name: _table_context(table, design.requirements)
                for table in item.schema.tables
            },
            "indexes": [
                {
                    "table": table.name,
                    "name": index.name,
                    "columns": [column.name for column in index.columns],
                    "serves": list(index.serves),
                    "reason": index.reason,
                }
                for table in item.schema.tables
                for index in table.indexes
            ],
            "patterns": [
                {"pattern": p.pattern, "table": p.table, "index": p.index, "reason": p.reason}
                for p in item.schema.patterns
            ],
            "findings": [finding.to_dict() for finding in item.findings],
        }
        for item in design.dialects
    }


def _table_context(table: Table, requirements: Requirements) -> str:
    """The bounded context a table belongs to: its schema's, else its entity's; "" if none."""
    if table.namespace:
        return table.namespace
    kind, _, index = table.source.rstrip("]").partition("[")
    if kind == "entities" and index.isdigit() and int(index) < len(requirements.entities):
        return requirements.entities[int(index)].context or ""
    return ""


MIGRATION_DEFAULT_DIALECT = "postgresql"


def migration_dialect(project: Project) -> str:
    """The dialect a project's migrations are planned in unless asked otherwise: the SQL the
    primary store of its latest design runs (one of the five; CockroachDB's is PostgreSQL's),
    else PostgreSQL."""
    design = latest_design(project)
    target = (design.recommendation.get("primary_schema") or {}) if design else {}
    family = target.get("family")
    return family if family in DIALECTS else MIGRATION_DEFAULT_DIALECT


@dataclass(frozen=True)
class MigrationReview:
    """The migration between two stored versions, as the Migrations page shows it.

    `asked` are the `table.column` of new required columns without a default: existing rows
    need a value, which the person gives (`backfill`); `invalid` says, per column, why a value
    given does not fit its type (it was not used). `unmatched` are accepted findings that name
    no finding of this plan.
    """

    old: RequirementsVersion
    new: RequirementsVersion
    dialect: str
    migration: Migration
    findings: tuple[Finding, ...]
    asked: tuple[str, ...]
    backfill: Mapping[str, str]
    invalid: Mapping[str, str]
    accepted: tuple[str, ...]
    unmatched: tuple[str, ...]

    @property
    def diff(self) -> SchemaDiff:
        return self.migration.diff

    @property
    def failing(self) -> tuple[Finding, ...]:
        return failing(self.findings)

    def changes(self) -> list[dict[str, Any]]:
        """The schema diff per table, as the page lists it."""
        return migration_changes(self.diff)

    @property
    def plans(self) -> tuple[Plan, Plan]:
        return self.migration.forward, self.migration.rollback

    @property
    def questions(self) -> list[dict[str, str]]:
        """Each column asked for a value: `target`, the `value` given, the `error` if any."""
        return [
            {
                "target": target,
                "value": self.backfill.get(target, ""),
                "error": self.invalid.get(target, ""),
            }
            for target in self.asked
        ]

    def sql(self, direction: str) -> str:
        """The forward or rollback plan as one SQL file (the forward one with its lint)."""
        if direction == "rollback":
            return plan_sql(self.migration.rollback)
        return plan_sql(self.migration.forward, self.findings)


def migration_plan(
    *,
    old: RequirementsVersion,
    new: RequirementsVersion,
    dialect: str,
    backfill: Mapping[str, str] | None = None,
    accept: Iterable[str] = (),
) -> MigrationReview:
    """Plan the migration from `old` to `new` in `dialect` and lint it (`advisor.migrate`).

    `backfill` maps `table.column` to the text a person typed; a value that does not fit the
    column's type is left out and said why. Raises `AdvisorError` (an unsupported dialect, a
    `renamed_from` naming nothing of the old version).
    """
    before, after = requirements_of(old), requirements_of(new)
    given = {target: text.strip() for target, text in (backfill or {}).items() if text.strip()}
    migration = plan_migration(before, after, dialect)
    asked = values_needed(migration)
    values: dict[str, Scalar] = {}
    invalid: dict[str, str] = {}
    for target in asked:
        if target in given:
            try:
                values[target] = _backfill_value(migration, target, given[target])
            except ValueError as error:
                invalid[target] = str(error)
    if values:
        # The values change only the plans: the schemas and their diff are built once.
        migration = plan_schemas(migration.diff, backfill=values)
    accepted = tuple(dict.fromkeys(key.strip() for key in accept if key.strip()))
    findings = lint_migration(migration, accepted)
    matched = {key for f in findings for key in (f.rule, f.name)}
    matched |= {f"{key}:{f.target}" for f in findings for key in (f.rule, f.name)}
    return MigrationReview(
        old=old,
        new=new,
        dialect=dialect,
        migration=migration,
        findings=findings,
        asked=asked,
        backfill={target: given[target] for target in asked if target in given},
        invalid=invalid,
        accepted=accepted,
        unmatched=tuple(key for key in accepted if key not in matched),
    )


def _backfill_value(migration: Migration, target: str, text: str) -> Scalar:
    """`text` as a value of the column `target` (of either version), or ValueError saying why.

    Numbers and booleans become SQL numbers and booleans; other types stay text for the
    database to read (a date as `2025-01-31`).
    """
    table_name, _, column_name = target.partition(".")
    column: Column | None = None
    for schema in (migration.diff.new, migration.diff.old):
        table = schema.table(table_name)
        if table is not None and column is None:
            column = table.column(column_name)
    kind = column.type.kind if column is not None else "string"
    if kind in ("integer", "bigint"):
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"“{text}” is not a whole number") from None
    if kind in ("decimal", "float"):
        try:
            Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{text}” is not a number") from None
        return float(text) if kind == "float" else text
    if kind == "boolean":
        truth = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        if text.lower() not in truth:
            raise ValueError(f"“{text}” is not true or false")
        return truth[text.lower()]
    if column is not None and column.type.values and text not in column.type.values:
        raise ValueError(f"“{text}” is not one of {', '.join(column.type.values)}")
    if column is not None and column.type.length and len(text) > column.type.length:
        raise ValueError(f"longer than {column.type.length} characters")
    return text


def migration_changes(diff: SchemaDiff) -> list[dict[str, Any]]:
    """What changes per table: `{"table", "change" (added, dropped, changed, renamed),
    "was" (the old name), "items" (one sentence each)}`, then the enum types."""
    rows: list[dict[str, Any]] = []
    for table in diff.added_tables:
        items = [f"column {c.name} {c.type.label}" for c in table.columns]
        items += [f"index {index.name} ({_index_columns(index)})" for index in table.indexes]
        rows.append({"table": table.name, "change": "added", "was": "", "items": items})
    for change in diff.tables:
        items = [f"column {c.name} added, {_column_text(c)}" for c in change.added_columns]
        items += [f"column {c.name} dropped" for c in change.dropped_columns]
        for column in change.changed_columns:
            old, new = column.old, column.new
            what = [f"renamed from {old.name}"] if column.renamed else []
            if column.type_changed:
                what.append(f"type {old.type.label} → {new.type.label}")
            if column.nullability_changed:
                what.append("now required" if not new.nullable else "now optional")
            if column.default_changed:
                what.append(f"default {_default_text(old)} → {_default_text(new)}")
            items.append(f"column {new.name} {', '.join(what) or 'changed'}")
        if change.primary_key:
            before, after = change.primary_key
            items.append(f"primary key {_key_text(before)} → {_key_text(after)}")
        for label, objects in (
            ("unique key", change.uniques),
            ("check", change.checks),
            ("foreign key", change.foreign_keys),
            ("index", change.indexes),
        ):
            items += [f"{label} {item.name} added" for item in objects.added]
            items += [f"{label} {item.name} dropped" for item in objects.dropped]
            items += [f"{label} {b.name} renamed to {a.name}" for b, a in objects.renamed]
        if change.partitioning_changed:
            items.append("partitioning changed")
        kind = "renamed" if change.renamed else "changed"
        rows.append(
            {"table": change.new.name, "change": kind, "was": change.old.name, "items": items}
        )
    for table in diff.dropped_tables:
        rows.append({"table": table.name, "change": "dropped", "was": "", "items": []})
    enums = [f"{e.name} added: {', '.join(e.values)}" for e in diff.added_enums]
    enums += [f"{e.name} dropped" for e in diff.dropped_enums]
    enums += [
        f"{b.name}: {', '.join(b.values)} → {', '.join(a.values)}" for b, a in diff.changed_enums
    ]
    if enums:
        rows.append({"table": "enum types", "change": "changed", "was": "", "items": enums})
    return rows


def _column_text(column: Column) -> str:
    text = column.type.label + ("" if column.nullable else ", required")
    if column.default is not None or column.default_now:
        text += f", default {_default_text(column)}"
    return text


def _default_text(column: Column) -> str:
    if column.default_now:
        return "now"
    return "none" if column.default is None else str(column.default)


def _key_text(key: Key | None) -> str:
    return "none" if key is None else f"({', '.join(key.columns)})"


def _index_columns(index: Index) -> str:
    return ", ".join(index.column_names)
