from __future__ import annotations

import pytest

from advisor.erd import END_WORDS, Erd, erd_model
from advisor.requirements import Requirements, read_requirements
from advisor.schema import build_schema


@pytest.fixture
def shop(demo: Requirements) -> Erd:
    return erd_model(build_schema(demo, "postgresql"), demo)


def ends(erd: Erd, name: str) -> tuple[str, str]:
    link = next(link for link in erd.links if link.name == name)
    return END_WORDS[link.parent_end], END_WORDS[link.child_end]


def test_an_order_has_exactly_one_customer_and_a_customer_zero_or_more_orders(shop: Erd) -> None:
    assert ends(shop, "fk_order_customer_id") == ("exactly one", "zero or more")


def test_a_category_parent_is_optional(shop: Erd) -> None:
    assert ends(shop, "fk_category_parent_id") == ("zero or one", "zero or more")


def test_an_optional_billing_address_is_zero_or_one(shop: Erd) -> None:
    assert ends(shop, "fk_order_billing_address_id") == ("zero or one", "zero or more")


def test_tables_carry_the_context_of_their_entity(shop: Erd) -> None:
    contexts = {table.name: table.context for table in shop.tables}
    assert contexts["order"] == "sales" and contexts["product"] == "catalogue"
    assert shop.contexts == ("catalogue", "sales")


def test_columns_carry_key_and_not_null_markers(shop: Erd) -> None:
    order = shop.table("order")
    customer = shop.table("customer")
    assert order is not None and customer is not None
    assert [(c.name, c.markers) for c in order.columns[:2]] == [
        ("id", ("PK", "NN")),
        ("status", ("NN",)),
    ]
    billing = order.column("billing_address_id")
    email = customer.column("email")
    assert billing is not None and billing.markers == ("FK",)
    assert email is not None and email.markers == ("UK", "NN")
    assert (email.type, order.columns[1].type) == ("varchar(255)", "order_status")


CARDINALITIES = """
format: advisor/v1
project: Links
entities:
  - {name: person, context: people}
  - {name: passport, context: people}
  - {name: tag, context: tagging}
relationships:
  - {from: passport, to: person, cardinality: one-to-one, required: true}
  - {from: person, to: tag, cardinality: many-to-many}
"""


def test_a_one_to_one_reference_is_zero_or_one_on_the_referring_side() -> None:
    requirements = read_requirements(CARDINALITIES)
    erd = erd_model(build_schema(requirements, "postgresql"), requirements)
    assert ends(erd, "fk_passport_person_id") == ("exactly one", "zero or one")


def test_a_junction_table_has_identifying_links_and_its_source_context() -> None:
    requirements = read_requirements(CARDINALITIES)
    erd = erd_model(build_schema(requirements, "postgresql"), requirements)
    junction = erd.table("person_tag")
    assert junction is not None
    assert junction.context == "people" and junction.primary_key == ("person_id", "tag_id")
    links = [link for link in erd.links if link.child == "person_tag"]
    assert [(link.parent, link.identifying) for link in links] == [
        ("person", True),
        ("tag", True),
    ]
    assert {ends(erd, link.name) for link in links} == {("exactly one", "zero or more")}


def test_a_schema_without_requirements_has_no_contexts(demo: Requirements) -> None:
    erd = erd_model(build_schema(demo, "mysql"))
    assert erd.contexts == () and erd.title == ""
    assert len(erd.links) == 8
