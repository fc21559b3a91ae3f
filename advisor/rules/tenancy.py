"""Tenancy: how the data of many tenants is kept apart, and which entities belong to a tenant."""

from __future__ import annotations

from advisor.draft import Draft
from advisor.recommendation import NO_TENANCY, Reason, Tenancy
from advisor.requirements.model import Requirements
from advisor.rules.common import listing

PROVISIONING = {
    "shared_schema": (
        "a new tenant is one row in {tenant}; every query sets app.tenant_id for its "
        "transaction, and PostgreSQL's row-level security policies hide the other tenants' rows"
    ),
    "schema_per_tenant": (
        "a new tenant gets a schema of its own (CREATE SCHEMA, then this DDL with the schema on "
        "the search path), created by the sign-up job; migrations run once per schema, and the "
        "catalogue of tenants ({tenant}) maps each tenant to its schema"
    ),
    "database_per_tenant": (
        "a new tenant gets a database of its own (created by the sign-up job from this DDL, or "
        "from a template database); migrations run once per database, and the catalogue of "
        "tenants ({tenant}) maps each tenant to its connection"
    ),
}


def tenant_scoped(requirements: Requirements, tenant: str) -> tuple[str, ...]:
    """The entities that belong to one tenant: those that refer to the tenant entity, directly
    or through other references (many-to-one or one-to-one), in the document's order.

    >>> from advisor.requirements import read_requirements
    >>> saas = read_requirements('''
    ... format: advisor/v1
    ... project: SaaS
    ... workload: {tenancy: shared_schema}
    ... entities: [{name: company, tenant: true}, {name: invoice}, {name: line}, {name: country}]
    ... relationships:
    ...   - {from: invoice, to: company, cardinality: many-to-one, required: true}
    ...   - {from: line, to: invoice, cardinality: many-to-one, required: true}
    ...   - {from: company, to: country, cardinality: many-to-one}
    ... ''')
    >>> tenant_scoped(saas, "company")
    ('invoice', 'line')
    """
    scoped = {tenant}
    changed = True
    while changed:
        changed = False
        for relationship in requirements.relationships:
            if (
                relationship.cardinality != "many-to-many"
                and relationship.target in scoped
                and relationship.source not in scoped
            ):
                scoped.add(relationship.source)
                changed = True
    return tuple(e.name for e in requirements.entities if e.name in scoped and e.name != tenant)


def tenancy(draft: Draft) -> Draft:
    """Carry out `workload.tenancy`: which entity holds the tenants, which entities are
    tenant-scoped, and how a tenant is provisioned. The schemas read this decision; in the
    shared model the tenant id leads every key and index of a scoped table."""
    requirements = draft.facts.requirements
    model = requirements.workload.tenancy
    tenant = next(((i, e) for i, e in enumerate(requirements.entities) if e.tenant), None)
    if model == "none" or tenant is None:
        return draft.replace(tenancy=NO_TENANCY)
    index, entity = tenant
    scoped = tenant_scoped(requirements, entity.name)
    inputs = ("workload.tenancy", f"entities[{index}].tenant", "relationships")
    unscoped = [
        e.name for e in requirements.entities if e.name not in scoped and e.name != entity.name
    ]
    if model == "shared_schema":
        sentence = (
            f"Shared schema: the tenants ({entity.name}) share one set of tables; "
            f"{listing(scoped) or 'no entity'} refer to {entity.name} and so hold its id, "
            "which leads their primary, unique and foreign keys and every index that serves a "
            "pattern, so that no row can point at another tenant's row."
        )
    else:
        where = "schema" if model == "schema_per_tenant" else "database"
        sentence = (
            f"A {where} per tenant ({entity.name}): the same tables in each tenant's own "
            f"{where}, so the tables hold no tenant id and a query cannot reach another "
            f"tenant's rows; the DDL is applied once per tenant."
        )
    if unscoped:
        verb = "refers" if len(unscoped) == 1 else "refer"
        sentence += f" {listing(unscoped)} {verb} to no tenant: shared by all tenants."
    decided = Tenancy(
        model,
        entity.name,
        scoped,
        PROVISIONING[model].format(tenant=entity.name),
        sentence,
        inputs,
    )
    reason = Reason("tenancy", inputs, model, sentence)
    return draft.explain(reason, tenancy=decided)


__all__ = ["tenancy", "tenant_scoped"]
