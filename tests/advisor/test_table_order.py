"""The DDL's table order: each table after the tables it refers to, else as given."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from advisor.ddl import table_order
from advisor.schema import ForeignKey, Table


def first_ready_each_time(tables: list[Table]) -> list[Table]:
    """The order as a person would work it out: at each step, the first table left whose
    targets are all placed (or missing, or itself), else the first table left."""
    pending = list(tables)
    names = {table.name for table in pending}
    placed: list[Table] = []
    done: set[str] = set()
    while pending:
        ready = next(
            (
                table
                for table in pending
                if all(
                    key.target in done or key.target == table.name or key.target not in names
                    for key in table.foreign_keys
                )
            ),
            pending[0],
        )
        placed.append(ready)
        done.add(ready.name)
        pending.remove(ready)
    return placed


def _table(name: str, targets: list[str]) -> Table:
    keys = tuple(ForeignKey(f"fk_{name}_{t}", ("id",), t, ("id",)) for t in targets)
    return Table(name, (), foreign_keys=keys)


NAMES = st.sampled_from(["a", "b", "c", "d", "e", "f"])
TABLES = st.lists(st.builds(_table, NAMES, st.lists(NAMES, max_size=3)), max_size=10)


@given(TABLES)
def test_each_table_comes_first_once_its_targets_are_placed(tables: list[Table]) -> None:
    # Cycles, self-references, missing targets and repeated names included.
    order = table_order(tables)
    assert [id(table) for table in order] == [id(t) for t in first_ready_each_time(tables)]


def test_a_table_comes_after_the_tables_it_refers_to() -> None:
    tables = [_table("line", ["order", "product"]), _table("order", ["customer"])]
    tables += [_table("customer", []), _table("product", [])]
    assert [t.name for t in table_order(tables)] == ["customer", "order", "product", "line"]
