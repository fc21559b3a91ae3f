"""Tenancy: the engine decides it once (a typed `Tenancy` with its reason), and the schemas
read that decision."""

from __future__ import annotations

import json

import jsonschema
import pytest

from advisor.ddl import generate_ddl
from advisor.decisions.model import Decision
from advisor.design import create_design
from advisor.engine import advise
from advisor.errors import InvalidRequirements
from advisor.requirements import read_requirements
from advisor.schema import DIALECTS, schema_for
from advisor.schemas import recommendation_schema

SAAS = """
format: advisor/v1
project: Invoices
workload: {tenancy: TENANCY}
entities:
  - {name: company, tenant: true}
  - {name: customer}
  - {name: invoice}
  - {name: country}
relationships:
  - {from: customer, to: company, cardinality: many-to-one, required: true}
  - {from: invoice, to: customer, cardinality: many-to-one, required: true}
  - {from: company, to: country, cardinality: many-to-one}
"""


def _saas(tenancy: str) -> str:
    return SAAS.replace("TENANCY", tenancy)


def test_shared_schema_scopes_every_entity_that_reaches_the_tenant() -> None:
    decided = advise(read_requirements(_saas("shared_schema")), project_load=False).tenancy
    assert (decided.model, decided.tenant_entity) == ("shared_schema", "company")
    assert decided.scoped == ("customer", "invoice")  # invoice through customer
    assert "country refers to no tenant: shared by all tenants." in decided.reason


def test_the_decision_is_one_reason_in_the_trace_citing_the_fields() -> None:
    recommendation = advise(read_requirements(_saas("schema_per_tenant")), project_load=False)
    reasons = [reason for reason in recommendation.trace if reason.rule == "tenancy"]
    assert len(reasons) == 1
    assert reasons[0].inputs[:2] == ("workload.tenancy", "entities[0].tenant")
    assert "schema of its own" in recommendation.tenancy.provisioning
    jsonschema.validate(json.loads(recommendation.to_json()), recommendation_schema())


def test_without_tenancy_nothing_is_decided() -> None:
    text = _saas("none").replace("{name: company, tenant: true}", "{name: company}")
    recommendation = advise(read_requirements(text), project_load=False)
    assert recommendation.tenancy.model == "none"
    assert not [reason for reason in recommendation.trace if reason.rule == "tenancy"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (_saas("none"), "entities[0].tenant: applies only with a workload.tenancy"),
        (
            _saas("shared_schema").replace("tenant: true", "context: x"),
            "workload.tenancy: shared_schema needs the entity whose items are the tenants",
        ),
        (
            _saas("shared_schema").replace("{name: country}", "{name: country, tenant: true}"),
            "entities[3].tenant: only one entity holds the tenants",
        ),
    ],
)
def test_the_tenant_entity_must_match_the_tenancy(text: str, problem: str) -> None:
    with pytest.raises(InvalidRequirements) as caught:
        read_requirements(text)
    assert any(f"{p.path}: {p.message}".startswith(problem) for p in caught.value.problems)


@pytest.mark.parametrize("model", ["schema_per_tenant", "database_per_tenant"])
def test_per_tenant_ddl_says_it_is_applied_once_per_tenant(model: str) -> None:
    ddl = generate_ddl(read_requirements(_saas(model)), "postgresql")
    where = "schema" if model == "schema_per_tenant" else "database"
    assert f"-- Note: one {where} per tenant (company): apply this DDL once" in ddl
    assert "tenant_id" not in ddl


def _record(text: str) -> Decision:
    design = create_design(read_requirements(text))
    return next(decision for decision in design.decisions if decision.key == "tenancy")


def test_the_shared_schema_record_states_the_keys_the_policies_and_the_provisioning() -> None:
    record = _record(_saas("shared_schema"))
    assert record.outcome == "shared_schema; tenant=company; scoped=customer,invoice"
    said = "\n".join(record.justification)
    assert "customer, invoice hold company\\_id (NOT NULL, referencing company)" in said
    assert "(company\\_id, column) referencing (company\\_id, id)" in said
    assert "Primary keys are (company\\_id, id)" in said
    assert "Row-level security (ENABLE and FORCE)" in said
    assert "Provisioning: a new tenant is one row in company" in said
    chosen = record.chosen
    assert chosen is not None and chosen.name == "Shared schema, the tenant id in every key"


@pytest.mark.parametrize("model", ["schema_per_tenant", "database_per_tenant"])
def test_a_per_tenant_record_says_how_a_tenant_gets_its_place(model: str) -> None:
    record = _record(_saas(model))
    assert record.outcome == f"{model}; tenant=company"
    assert any("Provisioning: a new tenant gets a" in line for line in record.justification)


def test_without_tenancy_there_is_no_record() -> None:
    text = _saas("none").replace("{name: company, tenant: true}", "{name: company}")
    design = create_design(read_requirements(text))
    assert "tenancy" not in [decision.key for decision in design.decisions]


@pytest.mark.parametrize("dialect_name", DIALECTS)
def test_shared_schema_ddl_says_what_it_does_not_what_it_lacks(dialect_name: str) -> None:
    ddl = generate_ddl(read_requirements(_saas("shared_schema")), dialect_name)
    assert "not generated yet" not in ddl
    assert "-- Note: shared-schema tenancy (company): company_id (NOT NULL, references" in ddl
    assert ("ROW LEVEL SECURITY" in ddl) == (dialect_name == "postgresql")


@pytest.mark.parametrize(
    ("dialect_name", "primary_key"),
    [
        ("postgresql", ("company_id", "id")),
        ("sqlserver", ("company_id", "id")),
        ("oracle", ("company_id", "id")),
        ("mysql", ("id",)),  # AUTO_INCREMENT must lead a key
        ("sqlite", ("id",)),  # the rowid: INTEGER PRIMARY KEY alone
    ],
)
def test_primary_keys_lead_with_the_tenant_where_ids_stay_generated(
    dialect_name: str, primary_key: tuple[str, ...]
) -> None:
    requirements = read_requirements(_saas("shared_schema"))
    schema = schema_for(requirements, advise(requirements, project_load=False), dialect_name)
    invoice = schema.table("invoice")
    assert invoice is not None and invoice.primary_key is not None
    assert invoice.primary_key.columns == primary_key
    column = invoice.column("company_id")
    assert column is not None and not column.nullable
    [composite] = [key for key in invoice.foreign_keys if key.target == "customer"]
    assert (composite.columns, composite.target_columns) == (
        ("company_id", "customer_id"),
        ("company_id", "id"),
    )
    customer = schema.table("customer")
    assert customer is not None
    referred = {key.columns for key in customer.uniques}
    referred |= {customer.primary_key.columns} if customer.primary_key else set()
    assert ("company_id", "id") in referred


def test_an_optional_tenant_reference_becomes_required_and_restricts_deletes() -> None:
    text = _saas("shared_schema").replace(
        "{from: customer, to: company, cardinality: many-to-one, required: true}",
        "{from: customer, to: company, cardinality: many-to-one, on_delete: set_null}",
    )
    requirements = read_requirements(text)
    schema = schema_for(requirements, advise(requirements, project_load=False), "postgresql")
    customer = schema.table("customer")
    assert customer is not None
    column = customer.column("company_id")
    assert column is not None and not column.nullable
    [to_tenant] = [key for key in customer.foreign_keys if key.target == "company"]
    assert to_tenant.on_delete == "restrict"
