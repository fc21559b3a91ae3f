"""Reading the editor's flat fields into a requirements document."""

from __future__ import annotations

from advisor.errors import Problem
from designs.requirements_form import errors_by_field, form_to_document


def test_rows_are_ordered_by_index_and_renumbered() -> None:
    state = form_to_document(
        {
            "project": "Shop",
            "entities[1700000].name": "order",
            "entities[0].name": "customer",
            "entities[0].attributes[9].name": "email",
            "entities[0].attributes[9].type": "string",
            "entities[0].attributes[2].name": "phone",
            "entities[0].attributes[2].type": "string",
        }
    )
    entities = state.document["entities"]
    assert [entity["name"] for entity in entities] == ["customer", "order"]
    assert [a["name"] for a in entities[0]["attributes"]] == ["phone", "email"]
    assert state.field_path("entities[1].name") == "entities[1700000].name"
    assert state.field_path("entities[0].attributes[1].type") == "entities[0].attributes[9].type"


def test_empty_rows_and_fields_are_left_out_so_defaults_apply() -> None:
    state = form_to_document(
        {
            "project": "Shop",
            "workload.reads_per_second": "",
            "workload.writes_per_second": "250",
            "workload.consistency": "",
            "entities[5].name": "",
            "entities[5].context": "",
            "relationships[3].from": "",
            "relationships[3].to": "",
            "relationships[3].cardinality": "many-to-one",
            "access_patterns[8].name": " ",
            "access_patterns[8].operation": "read",
        }
    )
    assert state.document == {
        "format": "advisor/v1",
        "project": "Shop",
        "workload": {"writes_per_second": 250},
    }


def test_lists_take_quoted_names_and_numbers_that_are_not_numbers_reach_the_validator() -> None:
    state = form_to_document(
        {
            "project": "Shop",
            "workload.reads_per_second": "lots",
            "access_patterns[0].name": "by place",
            "access_patterns[0].entity": "address",
            "access_patterns[0].filter": 'customer, "city, country"',
            "access_patterns[0].sort": "-created_at",
        }
    )
    assert state.document["workload"] == {"reads_per_second": "lots"}
    pattern = state.document["access_patterns"][0]
    assert pattern["filter"] == ["customer", "city, country"]
    assert pattern["sort"] == ["-created_at"]


def test_defaults_are_typed_by_the_attribute_type() -> None:
    state = form_to_document(
        {
            "project": "Shop",
            "entities[0].name": "product",
            "entities[0].attributes[0].name": "active",
            "entities[0].attributes[0].type": "boolean",
            "entities[0].attributes[0].default": "true",
            "entities[0].attributes[1].name": "stock",
            "entities[0].attributes[1].type": "integer",
            "entities[0].attributes[1].default": "0",
            "entities[0].attributes[1].required": "1",
        }
    )
    attributes = state.document["entities"][0]["attributes"]
    assert attributes[0]["default"] is True
    assert attributes[1] == {"name": "stock", "type": "integer", "default": 0, "required": True}


def test_a_problem_in_a_list_goes_beside_the_list_field_of_its_row() -> None:
    state = form_to_document(
        {"project": "Shop", "access_patterns[42].name": "x", "access_patterns[42].filter": "a, b"}
    )
    problems = (Problem("access_patterns[0].filter[1]", "'b' is not a field of order"),)
    assert errors_by_field(problems, state) == {
        "access_patterns[42].filter": ["'b' is not a field of order"]
    }
