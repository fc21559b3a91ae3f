"""What the rules read and write: the facts (see `advisor.facts`) and the draft.

A rule is a pure function `Draft -> Draft`. The draft carries the facts (requirements, matrix,
and what each access pattern needs), the scoring criteria added so far, the decisions taken so
far, and the trace of reasons. Rules never mutate it; they return a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import mul
from types import MappingProxyType

from advisor.facts import (
    Facts,
    PatternFacts,
    build_facts,
    ceil_div,
    resolve_reference,
    share,
)
from advisor.matrix import Technology
from advisor.recommendation import (
    ArchitecturePattern,
    Cache,
    Component,
    Counter,
    Expiry,
    Keys,
    Partitioning,
    Placement,
    ReadReplicas,
    Reason,
    Regions,
    Sharding,
    Tenancy,
)
from advisor.replacing import replaced
from advisor.requirements.model import TIME_TYPES

__all__ = [
    "TIME_TYPES",
    "Criterion",
    "Draft",
    "Facts",
    "PatternFacts",
    "build_facts",
    "ceil_div",
    "resolve_reference",
    "share",
]

# The reason a rule gives a quiet draft instead of writing one (see `Draft.quiet`).
UNSAID = Reason("", (), "", "")

# How well each technology fits a criterion, 0-1: a function of the technology, or the fits of
# all technologies in matrix order.
Fit = Callable[[Technology], float] | tuple[float, ...]


@dataclass(frozen=True)
class Criterion:
    """A weighted requirement and how well each technology (in matrix order) fits it, 0-1."""

    rule: str
    weight: float
    fits: tuple[float, ...]


@dataclass(frozen=True)
class Draft:
    """The recommendation while the rules build it: each rule returns a draft with its
    decisions and reasons added."""

    facts: Facts
    criteria: tuple[Criterion, ...] = ()
    trace: tuple[Reason, ...] = ()
    ranking: tuple[tuple[Technology, float], ...] = ()
    components: tuple[Component, ...] = ()
    pattern: ArchitecturePattern | None = None
    read_replicas: ReadReplicas | None = None
    cache: Cache | None = None
    partitioning: tuple[Partitioning, ...] = ()
    expiry: tuple[Expiry, ...] = ()
    counters: tuple[Counter, ...] = ()
    sharding: Sharding | None = None
    regions: Regions | None = None
    keys: Keys | None = None
    documents: tuple[Placement, ...] = ()
    # What the team runs: 1 for a technology it runs, 0.7 for one speaking its protocol.
    familiar: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    tenancy: Tenancy | None = None
    # Technologies that cannot be the primary store, by id, with why (feasibility rules).
    disqualified: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    notes: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    # A draft only ranked (the what-would-change search): its reasons are not kept, and a
    # rule may leave its sentences unwritten (giving `UNSAID`).
    quiet: bool = False

    @property
    def primary(self) -> Technology:
        """The chosen technology; only rules after `choose_primary` may ask."""
        if not self.ranking:
            raise LookupError("no primary technology has been chosen yet")
        return self.ranking[0][0]

    def replace(self, **changes: object) -> Draft:
        """A new draft with the given fields replaced."""
        return replaced(self, **changes)

    def explain(self, reason: Reason, **changes: object) -> Draft:
        """A new draft with `reason` appended to the trace (unless the draft is quiet) and the
        given fields replaced."""
        if self.quiet:
            return self.replace(**changes) if changes else self
        return self.replace(trace=(*self.trace, reason), **changes)

    def disqualify(self, reason: Reason, why: Mapping[str, str]) -> Draft:
        """A new draft where the technologies in `why` (id -> why) cannot be the primary store;
        a technology keeps the first reason it was ruled out for."""
        merged = {**why, **self.disqualified}
        return self.explain(reason, disqualified=MappingProxyType(merged))

    def feasible(self, technology: Technology) -> bool:
        return technology.id not in self.disqualified

    def score(
        self,
        rule: str,
        weight: float,
        fit: Fit,
        reason: Reason,
    ) -> Draft:
        """A new draft with one more criterion (skipped when its weight is 0) and its reason."""
        return self.weigh(reason, (rule, weight, fit))

    def weigh(self, reason: Reason, *criteria: tuple[str, float, Fit]) -> Draft:
        """A new draft with several criteria explained by one reason; a fit is a function of
        the technology or the fits of all technologies in matrix order (`Facts.levels`)."""
        technologies = self.facts.technologies
        added = tuple(
            Criterion(
                rule,
                weight,
                fit if isinstance(fit, tuple) else tuple(fit(t) for t in technologies),
            )
            for rule, weight, fit in criteria
            if weight > 0
        )
        return self.explain(reason, criteria=(*self.criteria, *added))

    def scores(self) -> tuple[float, ...]:
        """Each technology's score, 0-100: the weighted mean of its fits over all criteria."""
        total = sum(criterion.weight for criterion in self.criteria)
        if total == 0:
            return tuple(0.0 for _ in self.facts.technologies)
        # Each technology's weighted fits summed criterion by criterion, in their order (`sum`
        # adds floats one by one on Python 3.11).
        weights = [criterion.weight for criterion in self.criteria]
        columns = zip(*(criterion.fits for criterion in self.criteria), strict=True)
        return tuple(100 * sum(map(mul, weights, fits)) / total for fits in columns)
