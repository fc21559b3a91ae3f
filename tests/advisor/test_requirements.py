from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from advisor.errors import AdvisorError, InvalidRequirements, Problem, UnreadableDocument
from advisor.requirements import (
    Attribute,
    Entity,
    Requirements,
    Workload,
    diff_requirements,
    dump_json,
    dump_yaml,
    load_document,
    parse_requirements,
    requirements_to_document,
)
from tests.advisor.conftest import demo_document


def minimal(**sections: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": "advisor/v1",
        "project": "Shop",
        "entities": [
            {
                "name": "customer",
                "attributes": [{"name": "email", "type": "string", "length": 255}],
            },
            {"name": "order", "attributes": [{"name": "total", "type": "decimal"}]},
        ],
        "relationships": [{"from": "order", "to": "customer", "cardinality": "many-to-one"}],
        "access_patterns": [
            {
                "name": "orders of a customer",
                "entity": "order",
                "operation": "read",
                "kind": "range",
                "filter": ["customer"],
                "sort": ["-created_at"],
            },
        ],
    }
    document.update(sections)
    return document


def problems_of(document: Any) -> tuple[Problem, ...]:
    with pytest.raises(InvalidRequirements) as caught:
        parse_requirements(document)
    return caught.value.problems


def test_the_demo_parses_with_its_workload_and_team(demo: Requirements) -> None:
    assert demo.workload.writes_per_second == 300
    assert demo.workload.transactions == "multi_entity"
    assert demo.team.expertise == ("postgresql",)
    assert [entity.name for entity in demo.entities][:2] == ["customer", "address"]


def test_missing_workload_keys_take_their_documented_defaults() -> None:
    requirements = parse_requirements(minimal(workload={"writes_per_second": 5}))
    assert requirements.workload == Workload(writes_per_second=5)
    assert requirements.workload.consistency == "strong"
    assert requirements.workload.regions == 1
    assert requirements.workload.retention_days is None


def test_the_canonical_document_parses_back_to_the_same_requirements(
    demo: Requirements,
) -> None:
    document = requirements_to_document(demo)
    assert parse_requirements(document) == demo
    assert parse_requirements(load_document(dump_yaml(document))) == demo
    assert parse_requirements(load_document(dump_json(document))) == demo


def test_the_canonical_document_has_a_stable_key_order() -> None:
    document = requirements_to_document(parse_requirements(minimal(description="x")))
    assert list(document) == [
        "format",
        "project",
        "description",
        "workload",
        "team",
        "entities",
        "relationships",
        "access_patterns",
    ]
    assert list(document["relationships"][0]) == ["from", "to", "cardinality"]


def test_one_to_many_is_mirrored_to_many_to_one() -> None:
    document = minimal(
        relationships=[{"from": "customer", "to": "order", "cardinality": "one-to-many"}]
    )
    (relationship,) = parse_requirements(document).relationships
    assert (relationship.source, relationship.target) == ("order", "customer")
    assert relationship.cardinality == "many-to-one"


def test_names_are_free_strings() -> None:
    names = ["OrderLine", "select", "Straße", "order line", "客户"]
    document = minimal(
        entities=[{"name": name, "attributes": [{"name": name, "type": "text"}]} for name in names],
        relationships=[],
        access_patterns=[],
    )
    requirements = parse_requirements(document)
    assert [entity.name for entity in requirements.entities] == names


def test_implicit_attributes_can_be_filtered_and_declared() -> None:
    document = minimal()
    document["entities"][0]["attributes"].append({"name": "id", "type": "uuid"})
    requirements = parse_requirements(document)
    customer = requirements.entity("customer")
    assert customer is not None
    assert customer.attribute_names() == ("email", "id", "created_at", "updated_at")
    assert customer.attribute("id") == Attribute("id", "uuid")


def test_filters_may_name_relationship_roles_and_related_entities() -> None:
    document = minimal(
        relationships=[
            {"from": "order", "to": "customer", "cardinality": "many-to-one", "name": "buyer"}
        ],
        access_patterns=[
            {
                "name": "by buyer",
                "entity": "order",
                "operation": "read",
                "kind": "range",
                "filter": ["buyer", "customer", "updated_at"],
            },
            {
                "name": "customer with orders",
                "entity": "customer",
                "operation": "read",
                "kind": "join",
                "filter": ["order", "buyer"],
            },
        ],
    )
    assert len(parse_requirements(document).access_patterns) == 2


def test_dates_stay_strings_so_documents_stay_json() -> None:
    document = load_document(
        "format: advisor/v1\nproject: x\nentities:\n- name: e\n  attributes:\n"
        "  - {name: d, type: date, default: 2024-01-31}\n"
    )
    json.dumps(document)
    assert parse_requirements(document).entities[0].attributes[0].default == "2024-01-31"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("project: [Shop\n", "shop.yaml:2:1: not valid YAML or JSON", id="syntax"),
        pytest.param('{"project": "Shop"', "shop.yaml:1:19: not valid YAML or JSON", id="json"),
        pytest.param("- a\n- b\n", "shop.yaml: the document is a list", id="list"),
        pytest.param("just text", "shop.yaml: the document is a single str", id="scalar"),
        pytest.param("# nothing\n", "shop.yaml: the document is empty", id="empty"),
        pytest.param(
            "a: 1\nb: 2\na: 3\n",
            "shop.yaml:3:1: not valid YAML or JSON: duplicate key 'a'",
            id="duplicate-key",
        ),
    ],
)
def test_unreadable_text_names_where_and_what(text: str, message: str) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        load_document(text, source="shop.yaml")
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, AdvisorError)


def _set(path: str, value: Any) -> dict[str, Any]:
    """The minimal document with the value at a dotted path (list indexes as numbers) replaced."""
    document = copy.deepcopy(minimal())
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is _DELETE:
        del target[int(last) if last.isdigit() else last]
    elif last.isdigit() and int(last) == len(target):
        target.append(value)
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return document


_DELETE = object()
ATTRIBUTE = "entities.0.attributes.0"
PATTERN = "access_patterns.0"

INVALID = [
    ("unknown-top-key", _set("projet", "x"), "projet", "unknown key (did you mean 'project'?)"),
    ("missing-project", _set("project", _DELETE), "project", "is required"),
    (
        "wrong-format",
        _set("format", "advisor/v2"),
        "format",
        "'advisor/v2' is not a supported format; expected 'advisor/v1'",
    ),
    ("workload-not-mapping", _set("workload", [1]), "workload", "expected a mapping, got a list"),
    (
        "negative-rate",
        _set("workload", {"writes_per_second": -5}),
        "workload.writes_per_second",
        "-5 is too small; it must be at least 0",
    ),
    (
        "rate-not-number",
        _set("workload", {"reads_per_second": "many"}),
        "workload.reads_per_second",
        "expected a number, got string 'many'",
    ),
    (
        "rate-boolean",
        _set("workload", {"reads_per_second": True}),
        "workload.reads_per_second",
        "expected a number, got boolean true",
    ),
    (
        "availability-over-100",
        _set("workload", {"availability_percent": 100.5}),
        "workload.availability_percent",
        "100.5 is too large; it must be less than 100",
    ),
    (
        "regions-zero",
        _set("workload", {"regions": 0}),
        "workload.regions",
        "0 is too small; it must be at least 1",
    ),
    (
        "regions-float",
        _set("workload", {"regions": 1.5}),
        "workload.regions",
        "expected an integer, got number 1.5",
    ),
    (
        "latency-zero",
        _set("workload", {"latency_p99_ms": 0}),
        "workload.latency_p99_ms",
        "0 is too small; it must be more than 0",
    ),
    (
        "bad-consistency",
        _set("workload", {"consistency": "strog"}),
        "workload.consistency",
        "'strog' is not one of strong, eventual (did you mean 'strong'?)",
    ),
    (
        "unknown-workload-key",
        _set("workload", {"writes_per_sec": 1}),
        "workload.writes_per_sec",
        "unknown key (did you mean 'writes_per_second'?)",
    ),
    (
        "expertise-twice",
        _set("team", {"expertise": ["redis", "redis"]}),
        "team.expertise[1]",
        "'redis' is listed twice",
    ),
    (
        "bad-budget",
        _set("team", {"budget": "huge"}),
        "team.budget",
        "'huge' is not one of low, medium, high",
    ),
    (
        "entities-not-list",
        _set("entities", {"name": "x"}),
        "entities",
        "expected a list, got a mapping",
    ),
    ("empty-entity-name", _set("entities.0.name", " "), "entities[0].name", "must not be empty"),
    (
        "long-name",
        _set("entities.1.name", "x" * 129),
        "entities[1].name",
        "is 129 characters long; at most 128 are allowed",
    ),
    (
        "control-character",
        _set("entities.1.attributes.0.name", "a\nb"),
        "entities[1].attributes[0].name",
        "must not contain control characters (line breaks, tabs, ...)",
    ),
    (
        "duplicate-entity",
        _set("entities.1.name", "customer"),
        "entities[1].name",
        "duplicate entity name 'customer' (first at entities[0].name)",
    ),
    (
        "unknown-type",
        _set(f"{ATTRIBUTE}.type", "strng"),
        "entities[0].attributes[0].type",
        "'strng' is not one of string, text, integer, bigint, decimal, float, boolean, date, "
        "datetime, time, uuid, json, enum, binary, point, vector (did you mean 'string'?)",
    ),
    (
        "unknown-attribute-key",
        _set(f"{ATTRIBUTE}.lenght", 3),
        "entities[0].attributes[0].lenght",
        "unknown key (did you mean 'length'?)",
    ),
    (
        "missing-type",
        _set(f"{ATTRIBUTE}.type", _DELETE),
        "entities[0].attributes[0].type",
        "is required",
    ),
    (
        "duplicate-attribute",
        _set("entities.0.attributes.1", {"name": "email", "type": "text"}),
        "entities[0].attributes[1].name",
        "duplicate attribute name 'email' (first at entities[0].attributes[0].name)",
    ),
    (
        "length-on-integer",
        _set("entities.1.attributes.0", {"name": "n", "type": "integer", "length": 3}),
        "entities[1].attributes[0].length",
        "applies only to type string, not to type integer",
    ),
    (
        "length-zero",
        _set(f"{ATTRIBUTE}.length", 0),
        "entities[0].attributes[0].length",
        "0 is too small; it must be at least 1",
    ),
    (
        "enum-without-values",
        _set("entities.1.attributes.0", {"name": "s", "type": "enum"}),
        "entities[1].attributes[0].values",
        "is required for type enum",
    ),
    (
        "enum-empty-values",
        _set("entities.1.attributes.0", {"name": "s", "type": "enum", "values": []}),
        "entities[1].attributes[0].values",
        "must list at least one value",
    ),
    (
        "enum-duplicate-value",
        _set("entities.1.attributes.0", {"name": "s", "type": "enum", "values": ["a", "a"]}),
        "entities[1].attributes[0].values[1]",
        "duplicate value 'a'",
    ),
    (
        "values-on-string",
        _set(f"{ATTRIBUTE}.values", ["a"]),
        "entities[0].attributes[0].values",
        "applies only to type enum, not to type string",
    ),
    (
        "enum-default-not-a-value",
        _set(
            "entities.1.attributes.0",
            {"name": "s", "type": "enum", "values": ["a", "b"], "default": "c"},
        ),
        "entities[1].attributes[0].default",
        "'c' is not one of a, b",
    ),
    (
        "scale-over-precision",
        _set(
            "entities.1.attributes.0", {"name": "p", "type": "decimal", "precision": 4, "scale": 6}
        ),
        "entities[1].attributes[0].scale",
        "6 is greater than the precision 4",
    ),
    (
        "scale-without-precision",
        _set("entities.1.attributes.0", {"name": "p", "type": "decimal", "scale": 2}),
        "entities[1].attributes[0].scale",
        "needs a precision",
    ),
    (
        "precision-on-float",
        _set("entities.1.attributes.0", {"name": "p", "type": "float", "precision": 4}),
        "entities[1].attributes[0].precision",
        "applies only to type decimal, not to type float",
    ),
    (
        "min-over-max",
        _set("entities.1.attributes.0", {"name": "q", "type": "integer", "min": 5, "max": 1}),
        "entities[1].attributes[0].max",
        "1 is less than min 5",
    ),
    (
        "min-on-string",
        _set(f"{ATTRIBUTE}.min", 1),
        "entities[0].attributes[0].min",
        "applies only to numeric types (integer, bigint, decimal, float), not to type string",
    ),
    (
        "default-wrong-type",
        _set("entities.1.attributes.0", {"name": "q", "type": "integer", "default": "zero"}),
        "entities[1].attributes[0].default",
        "expected an integer, got string 'zero'",
    ),
    (
        "default-below-min",
        _set("entities.1.attributes.0", {"name": "q", "type": "integer", "min": 0, "default": -1}),
        "entities[1].attributes[0].default",
        "-1 is less than min 0",
    ),
    (
        "default-too-long",
        _set(f"{ATTRIBUTE}.default", "x" * 256),
        "entities[0].attributes[0].default",
        "is 256 characters long; the length is 255",
    ),
    (
        "format-on-integer",
        _set("entities.1.attributes.0", {"name": "q", "type": "integer", "format": "email"}),
        "entities[1].attributes[0].format",
        "applies only to types string and text, not to type integer",
    ),
    (
        "bad-format",
        _set(f"{ATTRIBUTE}.format", "e-mail"),
        "entities[0].attributes[0].format",
        "'e-mail' is not one of email, url, phone (did you mean 'email'?)",
    ),
    (
        "required-not-boolean",
        _set(f"{ATTRIBUTE}.required", "yes"),
        "entities[0].attributes[0].required",
        "expected true or false, got string 'yes'",
    ),
    (
        "unknown-relationship-entity",
        _set("relationships.0.to", "custmer"),
        "relationships[0].to",
        "unknown entity 'custmer' (did you mean 'customer'?)",
    ),
    (
        "bad-cardinality",
        _set("relationships.0.cardinality", "many-to-few"),
        "relationships[0].cardinality",
        "'many-to-few' is not one of many-to-one, one-to-one, many-to-many, one-to-many "
        "(did you mean 'many-to-one'?)",
    ),
    (
        "set-null-on-required",
        _set(
            "relationships.0",
            {
                "from": "order",
                "to": "customer",
                "cardinality": "many-to-one",
                "required": True,
                "on_delete": "set_null",
            },
        ),
        "relationships[0].on_delete",
        "set_null cannot apply to a required relationship (required is true)",
    ),
    (
        "duplicate-role",
        _set("relationships.1", {"from": "order", "to": "customer", "cardinality": "many-to-one"}),
        "relationships[1].to",
        "entity 'order' already has a relationship called 'customer' (relationships[0]); "
        "give this one another name",
    ),
    (
        "unknown-pattern-entity",
        _set(f"{PATTERN}.entity", "orders"),
        "access_patterns[0].entity",
        "unknown entity 'orders' (did you mean 'order'?)",
    ),
    (
        "unknown-filter",
        _set(f"{PATTERN}.filter", ["custome"]),
        "access_patterns[0].filter[0]",
        "'custome' is not an attribute or relationship of 'order' (did you mean 'customer'?)",
    ),
    (
        "unknown-sort",
        _set(f"{PATTERN}.sort", ["-placed"]),
        "access_patterns[0].sort[0]",
        "'placed' is not an attribute or relationship of 'order'",
    ),
    (
        "bad-kind",
        _set(f"{PATTERN}.kind", "scan"),
        "access_patterns[0].kind",
        "'scan' is not one of lookup, range, join, aggregate, full_text, traversal, time_window, "
        "append, increment, nearby, similarity",
    ),
    (
        "missing-operation",
        _set(f"{PATTERN}.operation", _DELETE),
        "access_patterns[0].operation",
        "is required",
    ),
    (
        "depth-on-range",
        _set(f"{PATTERN}.depth", 3),
        "access_patterns[0].depth",
        "applies only to kind traversal, not to kind range",
    ),
    (
        "signed-by-not-an-enum",
        _set("entities.1.attributes.0.signed_by", "side"),
        "entities[1].attributes[0].signed_by",
        "'side' is not an enum attribute of this entity",
    ),
    (
        "signed-by-on-a-string",
        _set("entities.0.attributes.0.signed_by", "side"),
        "entities[0].attributes[0].signed_by",
        "applies only to numeric types (integer, bigint, decimal, float), not to type string",
    ),
    (
        "negative-pattern-rate",
        _set(f"{PATTERN}.per_second", -1),
        "access_patterns[0].per_second",
        "-1 is too small; it must be at least 0",
    ),
    (
        "duplicate-pattern",
        _set(
            "access_patterns.1",
            {
                "name": "orders of a customer",
                "entity": "customer",
                "operation": "read",
                "kind": "lookup",
            },
        ),
        "access_patterns[1].name",
        "duplicate access pattern name 'orders of a customer' (first at access_patterns[0].name)",
    ),
]


@pytest.mark.parametrize(
    ("document", "path", "message"),
    [pytest.param(document, path, message, id=name) for name, document, path, message in INVALID],
)
def test_each_problem_names_its_path_and_what_is_wrong(
    document: dict[str, Any], path: str, message: str
) -> None:
    # Problems come in document order; later ones may follow from this one (a renamed entity
    # leaves its references unknown), so the first is the one under test.
    assert problems_of(document)[0] == Problem(path, message)


def test_every_problem_is_reported_at_once() -> None:
    document = minimal(workload={"regions": 0, "consistency": "sometimes"})
    document["entities"][0]["attributes"][0]["type"] = "strng"
    document["access_patterns"][0]["filter"] = ["nobody"]
    paths = [problem.path for problem in problems_of(document)]
    assert paths == [
        "workload.consistency",
        "workload.regions",
        "entities[0].attributes[0].type",
        "access_patterns[0].filter[0]",
    ]


def test_a_document_that_is_not_a_mapping_is_one_problem() -> None:
    assert problems_of(["format"]) == (Problem("", "expected a mapping, got a list"),)


def test_diff_lists_changed_inputs_by_path(demo: Requirements) -> None:
    document = requirements_to_document(demo)
    document["workload"]["writes_per_second"] = 200_000
    document["entities"][0]["attributes"][0]["length"] = 320
    changed = parse_requirements(document)
    assert [(c.path, c.old, c.new) for c in diff_requirements(demo, changed)] == [
        ("workload.writes_per_second", 300, 200_000),
        ("entities[0].attributes[0].length", 255, 320),
    ]
    assert diff_requirements(demo, demo) == ()


def test_requirements_compare_by_value() -> None:
    entity = Entity("customer", attributes=(Attribute("email", "string"),))
    assert Requirements("x", entities=(entity,)) == Requirements("x", entities=(entity,))
    assert Requirements("x") != Requirements("x", workload=Workload(regions=2))


def test_the_demo_document_validates_as_it_is() -> None:
    parse_requirements(demo_document())


def test_numbers_written_with_an_exponent_are_numbers_in_json_and_yaml() -> None:
    document = load_document(
        '{"format": "advisor/v1", "project": "S", "workload": {"reads_per_second": 1e3}}'
    )
    assert document["workload"]["reads_per_second"] == 1000.0
    assert load_document("a: 2E+2\nb: '1e3'\n") == {"a": 200.0, "b": "1e3"}
