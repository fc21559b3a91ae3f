"""Tenancy: how the data of many tenants is kept apart, and what the schema does about it."""

from __future__ import annotations

from advisor.decisions.common import drivers, input_paths, reasons_of
from advisor.decisions.context import RecordContext
from advisor.decisions.markdown import code, escape
from advisor.decisions.model import Decision, Option
from advisor.schema import dialect
from advisor.schema.model import Schema, TenantScope

MODELS = {
    "shared_schema": (
        "Shared schema, the tenant id in every key",
        "All tenants in one set of tables; each scoped row holds its tenant's id.",
        (
            "one schema to migrate and one pool of connections, however many tenants",
            "a new tenant is one row, created in the sign-up transaction",
        ),
        (
            "isolation rests on keys and policies: every key, foreign key and query must "
            "carry the tenant id",
            "one tenant's load shares the tables, indexes and cache with all the others",
        ),
    ),
    "schema_per_tenant": (
        "A schema per tenant",
        "The same tables in a schema of each tenant's own.",
        ("no tenant id in the tables: a query cannot reach another tenant's rows",),
        ("migrations run once per schema, and the catalogue grows with every tenant",),
    ),
    "database_per_tenant": (
        "A database per tenant",
        "The same tables in a database of each tenant's own.",
        (
            "the strongest isolation: per-tenant backups, restores, placement and limits",
            "no tenant id in the tables",
        ),
        ("a database and its connections per tenant; migrations run once per database",),
    ),
}
SETTING = "app.tenant_id"
ROW_SECURITY_DOCS = "Row security policies: https://www.postgresql.org/docs/15/ddl-rowsecurity.html"
TITLES = {
    "shared_schema": "Keep tenants apart in one schema, with the tenant id in every key",
    "schema_per_tenant": "Give each tenant a schema of its own",
    "database_per_tenant": "Give each tenant a database of its own",
}


def tenancy(context: RecordContext) -> Decision | None:
    decided = context.recommendation.tenancy
    if decided.model == "none" or decided.tenant_entity is None:
        return None
    scope = context.schema.tenancy
    inputs = tuple(dict.fromkeys([*decided.inputs, *input_paths(reasons_of(context, "tenancy"))]))
    outcome = f"{decided.model}; tenant={decided.tenant_entity}"
    if decided.model == "shared_schema":
        outcome += f"; scoped={','.join(decided.scoped)}"
    order = [decided.model, *(name for name in MODELS if name != decided.model)]
    options = tuple(
        Option(
            MODELS[name][0],
            None,
            ("Chosen. " if name == decided.model else "") + MODELS[name][1],
            MODELS[name][2],
            MODELS[name][3],
        )
        for name in order
    )
    justification = [escape(decided.reason)]
    if scope is not None:
        justification += _shared_schema(context.schema, scope)
    justification.append(f"Provisioning: {escape(decided.provisioning)}.")
    _, _, good, bad = MODELS[decided.model]
    return Decision(
        key="tenancy",
        title=TITLES[decided.model],
        outcome=outcome,
        context=(
            f"The requirements hold the data of many tenants ({escape(decided.tenant_entity)}). "
            "How is each tenant's data kept apart from the others', and how does a new tenant "
            "get its place?"
        ),
        drivers=drivers(context, inputs),
        options=options,
        justification=tuple(justification),
        good=good,
        bad=bad,
        confirmation=_checks(context, scope),
        more_information=(ROW_SECURITY_DOCS,) if scope is not None else (),
        inputs=inputs,
        because=MODELS[decided.model][2][0],
    )


def _shared_schema(schema: Schema, scope: TenantScope) -> list[str]:
    """What the schema does with the tenant id, in the dialect the records quote."""
    target = dialect(schema.dialect)
    column = escape(scope.column)
    tables = ", ".join(escape(name) for name in scope.scoped)
    lines = [
        f"{tables} hold {column} (NOT NULL, referencing {escape(scope.table)}); it leads every "
        "unique key and every index that serves an access pattern, so a unique value is "
        "unique per tenant.",
        f"Every foreign key between them is composite, ({column}, column) referencing "
        f"({column}, id), so a row cannot point at another tenant's row.",
    ]
    if scope.leading_primary_key:
        lines.append(f"Primary keys are ({column}, id): a tenant's rows sit together.")
    else:
        lines.append(
            f"Primary keys stay id alone: {target.title} numbers rows only through a key of "
            f"id alone, so a UNIQUE ({column}, id) is what the foreign keys refer to."
        )
    if target.row_security:
        lines.append(
            "Row-level security (ENABLE and FORCE) with a policy per scoped table: a session "
            f"sees and writes only the rows of the tenant its {escape(SETTING)} setting names."
        )
    else:
        lines.append(
            f"{target.title} has no row-level security here: every query must filter by "
            f"{column} itself."
        )
    set_null = [
        f"{escape(table.name)}.{escape(', '.join(key.set_null_columns))}"
        for table in schema.tables
        for key in table.foreign_keys
        if key.set_null_columns
    ]
    if set_null:
        lines.append(
            f"ON DELETE SET NULL ({', '.join(set_null)}) names the column to clear, keeping "
            f"{column}."
        )
    return lines


def _checks(context: RecordContext, scope: TenantScope | None) -> tuple[str, ...]:
    if scope is None:
        return (
            "The sign-up job creates the tenant's place from this DDL, and the migration job "
            "runs every migration in every tenant's place: a test provisions two tenants.",
        )
    checks = [
        "A test inserts a row of one tenant that refers to another tenant's row and expects "
        "the foreign key to refuse it."
    ]
    if dialect(context.schema.dialect).row_security:
        checks.append(
            "The application connects as a role without BYPASSRLS, not as the tables' owner "
            "or a superuser: "
            + code("SELECT rolname, rolbypassrls, rolsuper FROM pg_roles WHERE rolcanlogin;")
        )
        checks.append(
            "Every scoped table has row security forced: "
            + code(
                "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity "
                "ORDER BY relname;"
            )
        )
    return tuple(checks)
