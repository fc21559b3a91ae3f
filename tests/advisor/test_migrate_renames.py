"""`renamed_from` on entities and attributes: what a rename may name, and that it survives a
round trip through the document."""

from __future__ import annotations

import pytest

from advisor.errors import AdvisorError, InvalidRequirements
from advisor.migrate import plan_migration
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


V1 = HEAD + "entities: [{name: customer, attributes: [{name: email, type: string}]}]\n"
V2 = (
    HEAD + "entities: [{name: client, renamed_from: customer, attributes: "
    "[{name: mail, type: string, renamed_from: email}]}]\n"
)


def test_a_rename_left_in_the_next_version_renames_nothing_again() -> None:
    v2 = read_requirements(V2)
    v3 = read_requirements(V2.replace("type: string,", "type: string, length: 80,"))
    migration = plan_migration(v2, v3, "sqlite")
    assert dict(migration.diff.renames.tables) == {}
    assert dict(migration.diff.renames.columns) == {}
    assert [change.new.name for change in migration.diff.tables] == ["client"]


def test_a_rename_of_something_the_old_version_never_had_is_refused() -> None:
    v1 = read_requirements(V1)
    v2 = read_requirements(V2.replace("renamed_from: email", "renamed_from: e_mail"))
    with pytest.raises(AdvisorError) as raised:
        plan_migration(v1, v2, "sqlite")
    assert raised.value.location == "entities[0].attributes[0].renamed_from"
