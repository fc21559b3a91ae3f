"""The figures of the requirements a scoring rule reads, declared beside the rule.

The what-would-change search (`advisor.sensitivity`) changes one figure at a time: the write
rates (and with them the inserts, so the sizes and the rows of the patterns), the read rates,
the volume (and with it the sizes), the consistency, the write regions. For each change it runs
again only the rules that read the changed figure, and keeps the other rules' part of the stated
requirements' draft. A rule that declares nothing is run again for every change. A test runs
every rule afresh on every change and fails if a declaration leaves out a figure the rule reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

WRITES = "workload.writes_per_second"
READS_PER_SECOND = "workload.reads_per_second"
VOLUME = "workload.data_volume_gb"
CONSISTENCY = "workload.consistency"
REGIONS = "workload.regions"

R = TypeVar("R", bound=Callable[..., object])
_DECLARED: dict[Callable[..., object], tuple[str, ...]] = {}


def reads(*figures: str) -> Callable[[R], R]:
    """Declare that the rule reads `figures` of those the search changes, and no other."""

    def declare(rule: R) -> R:
        _DECLARED[rule] = figures
        return rule

    return declare


def figures_read(rule: Callable[..., object]) -> tuple[str, ...] | None:
    """The figures `rule` declares it reads; None when it declares nothing."""
    return _DECLARED.get(rule)
