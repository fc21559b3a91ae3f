"""A whole design from a requirements document: recommendation, schemas, DDL and lint findings.

One function builds it, so that the command line (`python -m advisor advise`) and the web app
produce the same files from the same requirements.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from advisor.baseline import MIGRATION_DIALECT, MODEL_FILE, Baseline, model_json
from advisor.collector import collector_paused
from advisor.ddl import render_ddl
from advisor.decisions import (
    Decision,
    architecture_document,
    decisions_for,
    filename,
    record_context,
    render_madr,
    slug,
)
from advisor.engine import decide
from advisor.erd import (
    MODES,
    default_mode,
    erd_dbml,
    erd_dots,
    erd_mermaid,
    erd_model,
    erd_plantuml,
)
from advisor.erd.tables import TABLES_FILE, TABLES_FORMAT, table_details
from advisor.facts import Facts, build_facts
from advisor.lint import Finding, lint
from advisor.matrix import DEFAULT_MATRIX
from advisor.recommendation import Recommendation
from advisor.requirements import Requirements
from advisor.schema import DIALECTS, ENGINES, Schema, SchemaParts, schema_for
from advisor.stores import StoreSchema, store_schemas

Progress = Callable[[str, float], None]
"""`progress(stage, done)`: the stage under way, one of `STAGES`, and the share of it done."""

# What `create_design` does, in order: what a long design reports it is doing.
STAGES = ("recommending", "SQL schemas", "other stores' schemas", "diagrams", "decision records")

LINT_FORMAT = "advisor/lint/v1"
ERD_VIEWS_FORMAT = "advisor/erd-views/v1"


@dataclass(frozen=True)
class DesignFile:
    """One output of a design, by its path in the design folder (`schema/mysql.sql`)."""

    path: str
    text: str
    media_type: str


@dataclass(frozen=True)
class DialectSchema:
    dialect: str
    schema: Schema
    ddl: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Design:
    requirements: Requirements
    facts: Facts  # what the engine derived from the requirements, built once for every output
    recommendation: Recommendation
    dialects: tuple[DialectSchema, ...]
    files: tuple[DesignFile, ...]
    stores: tuple[StoreSchema, ...] = ()  # the non-relational stores' schemas
    decisions: tuple[Decision, ...] = ()  # the significant decisions, for the records

    def for_dialect(self, name: str) -> DialectSchema:
        """The schema, DDL and findings for one SQL dialect.

        >>> from advisor.requirements import read_requirements
        >>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\nentities: [{name: a}]")
        >>> "CREATE TABLE a (" in create_design(shop).for_dialect("sqlite").ddl
        True
        """
        for item in self.dialects:
            if item.dialect == name:
                return item
        raise KeyError(name)

    def baseline(self) -> Baseline:
        """What the next design's migration plan starts from."""
        return Baseline(
            self.recommendation, self.for_dialect(MIGRATION_DIALECT).schema, self.requirements
        )

    def file(self, path: str) -> DesignFile | None:
        return next((item for item in self.files if item.path == path), None)


@collector_paused()
def create_design(
    requirements: Requirements,
    *,
    partitions_from: date | None = None,
    progress: Progress | None = None,
    previous: Baseline | None = None,
) -> Design:
    """Build the design: the recommendation first, then the schema for every SQL dialect, then
    the decision records and the architecture document.

    `partitions_from` fixes the first time partition and the records' date (default: today),
    so that tests and CI runs give the same bytes. `previous`, the baseline of the design of the
    requirements' previous version (`Design.baseline()`, or `baseline_from_files` of its stored
    files), gives the architecture document its migration plan and, when the primary store
    changes, the primary store's record its data migration.
    `progress(stage, done)` is called at each stage's start (and between the dialects).

    >>> from advisor.requirements import read_requirements
    >>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\nentities: [{name: a}]")
    >>> paths = [item.path for item in create_design(shop).files]
    >>> paths[:3], paths[-1], sum(path.startswith("decisions/0") for path in paths)
    (['recommendation.json', 'schema/postgresql.sql', 'schema/mysql.sql'], 'architecture.md', 4)
    """
    report = progress or (lambda stage, done: None)
    report("recommending", 0.0)
    facts = build_facts(requirements, DEFAULT_MATRIX)
    recommendation = decide(facts, flips=True)
    parts = SchemaParts()
    dialects = list(
        dialect_schemas(
            requirements,
            recommendation,
            partitions_from=partitions_from,
            progress=report,
            parts=parts,
        )
    )
    report("other stores' schemas", 0.0)
    stores = store_schemas(requirements, recommendation, facts=facts, schema_parts=parts)
    report("diagrams", 0.0)
    files = (
        DesignFile("recommendation.json", recommendation.to_json(), "application/json"),
        *(
            DesignFile(f"schema/{item.dialect}.sql", item.ddl, "application/sql")
            for item in dialects
        ),
        DesignFile("lint.json", _lint_json(dialects), "application/json"),
        DesignFile(
            MODEL_FILE,
            model_json(next(d.schema for d in dialects if d.dialect == MIGRATION_DIALECT)),
            "application/json",
        ),
        *(
            DesignFile(f"schema/{store.filename}", store.text, _media_type(store.filename))
            for store in stores
        ),
        *_erd_files(requirements, dialects[0].schema),
    )
    design = Design(requirements, facts, recommendation, tuple(dialects), files, stores)
    report("decision records", 0.0)
    schemas = {item.dialect: item.schema for item in dialects}
    context = record_context(
        requirements, recommendation, schemas, facts=facts, stores=stores, previous=previous
    )
    design = replace(design, decisions=decisions_for(context))
    return replace(design, files=files + _decision_files(design, partitions_from, previous))


def design_dialects(recommendation: Recommendation) -> tuple[str, ...]:
    """The SQL dialects a design writes: the five dialects, then the primary store's own
    (CockroachDB's, YugabyteDB's) if it has one."""
    target = recommendation.primary_schema
    return (*DIALECTS, *(name for name in ENGINES if target and target.dialect == name))


def dialect_schemas(
    requirements: Requirements,
    recommendation: Recommendation,
    names: Sequence[str] | None = None,
    *,
    partitions_from: date | None = None,
    progress: Progress | None = None,
    parts: SchemaParts | None = None,
) -> tuple[DialectSchema, ...]:
    """The schema, its DDL and its lint findings for each of `names` (default: every dialect
    of the design), as the design's `schema/*.sql` and `lint.json` hold them. `parts` (see
    `SchemaParts`) keeps what the schemas share, for another schema of the same design.

    >>> from advisor.engine import advise
    >>> from advisor.requirements import read_requirements
    >>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\nentities: [{name: user}]")
    >>> [(d.dialect, [f.rule for f in d.findings]) for d in dialect_schemas(shop, advise(shop),
    ...     ["postgresql"])]
    [('postgresql', ['reserved-word-identifier'])]
    """
    report = progress or (lambda stage, done: None)
    chosen = tuple(names) if names is not None else design_dialects(recommendation)
    if parts is None:
        parts = SchemaParts()
    dialects = []
    for done, name in enumerate(chosen):
        report("SQL schemas", done / len(chosen))
        schema = schema_for(
            requirements, recommendation, name, partitions_from=partitions_from, parts=parts
        )
        dialects.append(DialectSchema(name, schema, render_ddl(schema), lint(schema)))
    return tuple(dialects)


def _decision_files(
    design: Design, decided_on: date | None, previous: Baseline | None
) -> tuple[DesignFile, ...]:
    """`decisions/NNNN-slug.md`, numbered from 1 for this design alone, and `architecture.md`."""
    day = decided_on or date.today()
    records = tuple(
        DesignFile(
            f"decisions/{filename(number, decision.title)}",
            render_madr(decision, number=number, status="accepted", date=day),
            "text/markdown",
        )
        for number, decision in enumerate(design.decisions, start=1)
    )
    document = architecture_document(design, previous=previous)
    return (*records, DesignFile("architecture.md", document, "text/markdown"))


MEDIA_TYPES = {
    ".js": "text/javascript",
    ".json": "application/json",
    ".md": "text/markdown",
    ".sql": "application/sql",
}


def _media_type(filename: str) -> str:
    return MEDIA_TYPES.get(filename[filename.rfind(".") :], "text/plain")


def _erd_files(requirements: Requirements, schema: Schema) -> tuple[DesignFile, ...]:
    """The diagram as text: one DOT per view the diagram page offers (every mode, of all tables
    and of each bounded context) listed in `erd/views.json`; the default view again as
    `erd/erd.dot` (drawn to SVG and PNG at the edge); Mermaid, DBML and PlantUML; what the
    diagram page tells about each table (`erd/tables.json`)."""
    erd = erd_model(schema, requirements)
    folders: dict[str | None, str] = {None: "erd/views"}
    for name, folder in _context_folders(erd.contexts).items():
        folders[name] = f"erd/views/{folder}"
    chosen = [(mode, context, folder) for context, folder in folders.items() for mode in MODES]
    dots = erd_dots(
        erd, [(mode, frozenset({context}) if context else None) for mode, context, _ in chosen]
    )
    views = [
        (mode, context, f"{folder}/{mode}.dot", dot)
        for (mode, context, folder), dot in zip(chosen, dots, strict=True)
    ]
    default = default_mode(len(erd.tables))
    index = {
        "format": ERD_VIEWS_FORMAT,
        "tables": len(erd.tables),
        "default_mode": default,
        "contexts": list(erd.contexts),
        "views": [
            {"mode": mode, "context": context, "path": path} for mode, context, path, _ in views
        ],
    }
    default_dot = next(dot for mode, context, _, dot in views if (mode, context) == (default, None))
    details = {"format": TABLES_FORMAT, "tables": table_details(schema, erd)}
    return (
        DesignFile(TABLES_FILE, json.dumps(details, separators=(",", ":")), "application/json"),
        DesignFile("erd/erd.dot", default_dot, "text/vnd.graphviz"),
        DesignFile("erd/erd.mmd", erd_mermaid(erd), "text/plain"),
        DesignFile("erd/erd.dbml", erd_dbml(erd), "text/plain"),
        DesignFile("erd/erd.puml", erd_plantuml(erd), "text/plain"),
        DesignFile("erd/views.json", json.dumps(index, indent=2) + "\n", "application/json"),
        *(DesignFile(path, dot, "text/vnd.graphviz") for _, _, path, dot in views),
    )


def _context_folders(contexts: tuple[str, ...]) -> dict[str, str]:
    """A folder name for each bounded context's views, unique, in ASCII.

    >>> _context_folders(("Sales", "sales!", "客户"))
    {'Sales': 'context-sales', 'sales!': 'context-sales-2', '客户': 'context'}
    """
    folders: dict[str, str] = {}
    for context in contexts:
        base = folder = slug(f"context {context}")
        number = 1
        while folder in folders.values():
            number += 1
            folder = f"{base}-{number}"
        folders[context] = folder
    return folders


def _lint_json(dialects: list[DialectSchema]) -> str:
    document = {
        "format": LINT_FORMAT,
        "dialects": {
            item.dialect: [finding.to_dict() for finding in item.findings] for item in dialects
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
