"""Tenancy: the engine decides it once (a typed `Tenancy` with its reason), and the schemas
read that decision."""

from __future__ import annotations

import json

import jsonschema
import pytest

from advisor.ddl import generate_ddl
from advisor.engine import advise
from advisor.errors import InvalidRequirements
from advisor.requirements import read_requirements
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
