"""Tuples that count how often they are read whole, for the tests that prove a stage scans the
model a fixed number of times however large it is (test_linear_work, test_migrate_scale)."""

from __future__ import annotations

from collections import Counter
from typing import Any

scans: Counter[str] = Counter()  # reads of each labelled tuple since the last clear()


class _Counted(tuple[Any, ...]):
    label = ""

    def __iter__(self) -> Any:
        scans[self.label] += 1
        return super().__iter__()

    def __contains__(self, item: object) -> bool:
        scans[self.label] += 1
        return super().__contains__(item)

    def index(self, *args: Any) -> int:
        scans[self.label] += 1
        return super().index(*args)


def counted(label: str, items: tuple[Any, ...]) -> tuple[Any, ...]:
    """`items` as a tuple whose every iteration, `in` and `index` adds one to `scans[label]`."""
    return type(f"Counted_{label}", (_Counted,), {"label": label})(items)
