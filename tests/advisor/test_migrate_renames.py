"""`renamed_from` on entities and attributes: what a rename may name, and that it survives a
round trip through the document."""

from __future__ import annotations

import pytest

from advisor.errors import InvalidRequirements
from advisor.requirements import read_requirements, requirements_to_document
from advisor.requirements.document import dump_yaml

HEAD = "format: advisor/v1\nproject: Shop\n"


def test_a_renamed_entity_and_attribute_keep_their_previous_names() -> None:
    shop = read_requirements(
        HEAD + "entities:\n"
        "  - name: client\n"
        "    renamed_from: customer\n"
        "    attributes: [{name: email_address, type: string, renamed_from: email}]\n"
    )
    client = shop.entity("client")
    assert client is not None and client.renamed_from == "customer"
    assert client.attributes[0].renamed_from == "email"
    again = read_requirements(dump_yaml(requirements_to_document(shop)))
    assert again == shop


@pytest.mark.parametrize(
    ("entities", "where", "what"),
    [
        (
            "[{name: client, renamed_from: client}]",
            "entities[0].renamed_from",
            "own name",
        ),
        (
            "[{name: client, renamed_from: customer}, {name: customer}]",
            "entities[0].renamed_from",
            "'customer' is still the name of an entity",
        ),
        (
            "[{name: client, renamed_from: customer}, {name: buyer, renamed_from: customer}]",
            "entities[1].renamed_from",
            "entities[0] is already renamed from 'customer'",
        ),
        (
            "[{name: c, attributes: [{name: mail, type: string, renamed_from: phone},"
            " {name: phone, type: string}]}]",
            "entities[0].attributes[0].renamed_from",
            "'phone' is still the name of an attribute",
        ),
    ],
    ids=["itself", "a present entity", "twice", "a present attribute"],
)
def test_a_rename_must_name_something_gone(entities: str, where: str, what: str) -> None:
    with pytest.raises(InvalidRequirements) as raised:
        read_requirements(HEAD + f"entities: {entities}\n")
    assert any(p.path == where and what in p.message for p in raised.value.problems), str(
        raised.value
    )
