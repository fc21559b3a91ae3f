"""Which table and requirements path a lint finding is about, read back from its location."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from advisor.lint.rules import Finding, Subject, document_path, subject
from advisor.schema import Column, ColumnType, Schema, Table


def every_table_longest_first(schema: Schema, location: str) -> Subject:
    """The subject as a person would find it: try each table, the longest names first."""
    for table in sorted(schema.tables, key=lambda table: -len(table.name)):
        column = None
        if location == f"table {table.name}" or location.startswith(f"{table.name}: "):
            pass
        elif location.startswith(f"{table.name}."):
            column = table.column(location[len(table.name) + 1 :])
            if column is None:
                continue
        else:
            continue
        return Subject(table.name, document_path(table, column))
    return Subject("", "")


# Names built from the separators locations use, so that they collide and nest.
PIECES = st.sampled_from(["a", "b", ".", ": ", "table ", "a.b", "a: b"])
NAMES = st.lists(PIECES, min_size=1, max_size=3).map("".join)


@st.composite
def schemas(draw: st.DrawFn) -> Schema:
    tables = []
    for position, name in enumerate(draw(st.lists(NAMES, max_size=5))):
        columns = tuple(
            Column(column, ColumnType("text"), source=f"entities[{position}].attributes[{i}]")
            for i, column in enumerate(draw(st.lists(NAMES, max_size=3)))
        )
        tables.append(Table(name, columns, source=f"entities[{position}]"))
    return Schema("postgresql", tuple(tables))


@given(schemas(), st.lists(NAMES, min_size=1, max_size=4).map("".join))
def test_the_subject_is_the_longest_table_name_the_location_starts_with(
    schema: Schema, location: str
) -> None:
    found = subject(schema, Finding("rule", "error", location, "message", "fix"))
    assert found == every_table_longest_first(schema, location)


def test_a_column_location_names_the_attribute_it_came_from() -> None:
    column = Column("b", ColumnType("text"), source="entities[1].attributes[0]")
    tables = (Table("a", (), source="entities[0]"), Table("a.b", (column,), source="entities[1]"))
    schema = Schema("postgresql", tables)
    about = subject(schema, Finding("rule", "error", "a.b.b", "message", "fix"))
    assert about == Subject("a.b", "entities[1].attributes[0]")
    about = subject(schema, Finding("rule", "error", "a: index x", "message", "fix"))
    assert about == Subject("a", "entities[0]")
