"""`advise`: run the rules over requirements and assemble the recommendation."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from advisor.collector import collector_paused
from advisor.draft import Draft
from advisor.facts import Facts, build_facts
from advisor.matrix import DEFAULT_MATRIX, Matrix
from advisor.recommendation import (
    NO_TENANCY,
    Alternative,
    ArchitecturePattern,
    Cache,
    Choice,
    EntityVolume,
    Keys,
    PatternWork,
    RankedTechnology,
    ReadReplicas,
    Reason,
    Recommendation,
    Regions,
    Scaling,
    Sharding,
)
from advisor.replacing import replaced
from advisor.requirements.model import Requirements
from advisor.rules import RULES, Rule
from advisor.rules.architecture import architecture_pattern
from advisor.rules.common import listing, number
from advisor.rules.design import choose_primary
from advisor.rules.documents import document_modelling
from advisor.rules.patterns import pattern_weights
from advisor.rules.tenancy import tenancy
from advisor.sensitivity import Step, confidence
from advisor.shortfalls import shortfalls
from advisor.targets import schema_target

LOAD_FACTOR = 10
UNCOMPARED = (document_modelling, architecture_pattern, tenancy)


@collector_paused()
def advise(
    requirements: Requirements,
    rules: Sequence[Rule] = RULES,
    matrix: Matrix = DEFAULT_MATRIX,
    *,
    thresholds: Mapping[str, float] | None = None,
    project_load: bool = True,
    flips: bool = False,
) -> Recommendation:
    """Recommend a database design for `requirements`, explaining every step.

    `rules` run in order over a draft; `matrix` holds the knowledge and `thresholds` overrides
    some of its numbers. With `project_load`, the rules run a second time at ten times the
    stated load to say what would change. The recommendation's `confidence` gives the margin
    over the best other category; with `flips`, also the smallest change of each key input
    that would give another primary store (a few more runs of the scoring rules). Python's
    cyclic collector is paused meanwhile, as for `create_design` (see `advisor.collector`).

    >>> from advisor.requirements import read_requirements
    >>> shop = read_requirements(
    ...     "format: advisor/v1\\nproject: Shop\\n"
    ...     "workload: {transactions: multi_entity}\\n"
    ...     "entities: [{name: customer}, {name: order}]\\n"
    ...     "relationships: [{from: order, to: customer, cardinality: many-to-one}]\\n")
    >>> recommendation = advise(shop)
    >>> recommendation.primary.category, recommendation.keys.strategy
    ('relational', 'bigint_identity')
    >>> advise(shop, thresholds={"single_node_writes_per_second": 5}).scaling.sharding.needed
    True
    """
    if thresholds:
        matrix = matrix.with_thresholds(thresholds)
    return decide(build_facts(requirements, matrix), rules, project_load=project_load, flips=flips)


def decide(
    facts: Facts,
    rules: Sequence[Rule] = RULES,
    *,
    project_load: bool = True,
    flips: bool = False,
) -> Recommendation:
    """The recommendation from facts already built (`advise` builds them; `create_design`
    builds them once and shares them with every output)."""
    steps: list[Step] | None = [] if flips else None
    draft = run(Draft(facts), rules, steps)
    projection: tuple[str, ...] = ()
    if project_load:
        projection = _projection(draft, rules)
        reason = Reason(
            "load_times_ten",
            ("workload.reads_per_second", "workload.writes_per_second", "access_patterns"),
            f"{len(projection)} changes at {LOAD_FACTOR}x",
            " ".join(projection),
        )
        draft = draft.explain(reason)
    recommendation = finish(draft, projection)
    scoring = _scoring_rules(rules) if flips else None
    return dataclasses.replace(
        recommendation, confidence=confidence(recommendation, facts, scoring, steps or ())
    )


def _projection(draft: Draft, rules: Sequence[Rule]) -> tuple[str, ...]:
    """What changes at ten times the load (see `compare`). The scaled draft is freed on
    return, before the what-would-change search builds its facts."""
    facts = draft.facts
    # Quiet: `compare` reads the decisions of the scaled draft, never its reasons.
    scaled = run(
        Draft(
            build_facts(ten_times_load(facts.requirements), facts.matrix, like=facts), quiet=True
        ),
        _projected_rules(rules),
    )
    return compare(draft, scaled)


def _scoring_rules(rules: Sequence[Rule]) -> Sequence[Rule]:
    """The rules up to and including the choice of the primary store."""
    return rules[: rules.index(choose_primary) + 1] if choose_primary in rules else rules


def _projected_rules(rules: Sequence[Rule]) -> Sequence[Rule]:
    """The rules the 10x projection runs: all but the last ones whose decisions `compare`
    never reads (how documents are modelled, the architecture pattern, the tenancy)."""
    end = len(rules)
    while end > 0 and rules[end - 1] in UNCOMPARED:
        end -= 1
    return rules[:end]


def start(requirements: Requirements, matrix: Matrix = DEFAULT_MATRIX) -> Draft:
    """An empty draft for `requirements`: the facts, and nothing decided yet."""
    return Draft(build_facts(requirements, matrix))


def run(draft: Draft, rules: Sequence[Rule], steps: list[Step] | None = None) -> Draft:
    """`rules` run on `draft` in turn; each with the drafts it read and returned appended to
    `steps` if given (the what-would-change search reuses them)."""
    for rule in rules:
        after = rule(draft)
        if steps is not None:
            steps.append((rule, draft, after))
        draft = after
    if not draft.ranking:
        draft = choose_primary(draft)
    return draft


def ten_times_load(requirements: Requirements) -> Requirements:
    """The same requirements with every rate and the growth ten times higher."""
    workload = requirements.workload
    return dataclasses.replace(
        requirements,
        workload=dataclasses.replace(
            workload,
            reads_per_second=workload.reads_per_second * LOAD_FACTOR,
            writes_per_second=workload.writes_per_second * LOAD_FACTOR,
            growth_gb_per_month=workload.growth_gb_per_month * LOAD_FACTOR,
        ),
        access_patterns=tuple(
            replaced(p, per_second=p.per_second * LOAD_FACTOR) if p.per_second is not None else p
            for p in requirements.access_patterns
        ),
    )


def compare(now: Draft, later: Draft) -> tuple[str, ...]:
    """What differs between the design for the stated load and for ten times that load."""
    facts = later.facts
    changes = [
        f"At {number(facts.reads_per_second)} reads/s and {number(facts.writes_per_second)} "
        f"writes/s:"
    ]
    if now.primary.id != later.primary.id:
        changes.append(
            f"the primary store changes from {now.primary.name} to {later.primary.name}."
        )
    else:
        changes.append(f"{now.primary.name} remains the best fit.")
    replicas_now = now.read_replicas.count if now.read_replicas else 0
    replicas_later = later.read_replicas.count if later.read_replicas else 0
    if replicas_now != replicas_later:
        changes.append(f"Read replicas go from {replicas_now} to {replicas_later}.")
    shards_now = now.sharding.shards if now.sharding and now.sharding.needed else 0
    if later.sharding is not None and later.sharding.needed:
        keys = listing(f"{k.entity} by {k.key}" for k in later.sharding.keys)
        if shards_now == 0:
            changes.append(
                f"Sharding becomes necessary: {later.sharding.shards} shards"
                + (f", {keys}." if keys else ".")
            )
        elif shards_now != later.sharding.shards:
            changes.append(f"Shards go from {shards_now} to {later.sharding.shards}.")
    roles_now = {(c.role, c.technology) for c in now.components}
    for component in later.components:
        if (component.role, component.technology) not in roles_now:
            changes.append(
                f"Add {component.name} as {component.role.replace('_', ' ')} for "
                f"{listing(repr(name) for name in component.patterns)}."
            )
    partitioned_now = {p.entity for p in now.partitioning}
    for item in later.partitioning:
        if item.entity not in partitioned_now:
            changes.append(f"Partition {item.entity} by {item.by} ({item.column}).")
    if now.keys is not None and later.keys is not None and now.keys.strategy != later.keys.strategy:
        changes.append(f"Primary keys change to {later.keys.strategy.replace('_', ' ')}.")
    if len(changes) == 2 and now.primary.id == later.primary.id:
        changes.append("Nothing else changes: the design has room for that growth.")
    return tuple(changes)


def finish(draft: Draft, projection: Sequence[str] = ()) -> Recommendation:
    """The recommendation from a finished draft; undecided parts get neutral defaults."""
    technology, score = draft.ranking[0]
    primary = Choice(technology.category, technology.id, technology.name, score)
    alternatives = []
    for category in draft.facts.matrix.categories:
        ranked = tuple(
            sorted(
                (
                    RankedTechnology(t.id, t.name, s, draft.disqualified.get(t.id, ""))
                    for t, s in draft.ranking
                    if t.category == category
                ),
                key=lambda ranked: (bool(ranked.disqualified), -round(ranked.score, 9)),
            )
        )
        feasible = [t for t in ranked if not t.disqualified]
        best = (feasible or ranked)[0]
        behind = shortfalls(draft, best.technology, technology.id)
        alternatives.append(Alternative(category, best.score, ranked, bool(feasible), behind))
    alternatives.sort(
        key=lambda alternative: (not alternative.feasible, -round(alternative.score, 9))
    )
    undecided = "Not decided: the rule did not run."
    scaling = Scaling(
        read_replicas=draft.read_replicas or ReadReplicas(0, undecided),
        cache=draft.cache or Cache(False, undecided),
        partitioning=draft.partitioning,
        sharding=draft.sharding or Sharding(False, 0, (), (), undecided),
        regions=draft.regions
        or Regions(draft.facts.requirements.workload.regions, "single_region", undecided),
        at_10x=tuple(projection),
        expiry=draft.expiry,
        counters=draft.counters,
    )
    return Recommendation(
        project=draft.facts.requirements.project,
        primary=primary,
        alternatives=tuple(alternatives),
        components=draft.components,
        pattern=draft.pattern or ArchitecturePattern("single_database", (undecided,)),
        scaling=scaling,
        keys=draft.keys or Keys("bigint_identity", undecided, ()),
        trace=draft.trace,
        documents=draft.documents,
        primary_schema=schema_target(technology),
        tenancy=draft.tenancy or NO_TENANCY,
        volumes=tuple(
            EntityVolume(size.entity, size.rows, size.row_bytes, size.estimated)
            for size in draft.facts.sizes.values()
        ),
        work=tuple(
            PatternWork(p.pattern.name, p.rows, weight)
            for p, weight in zip(draft.facts.patterns, pattern_weights(draft.facts), strict=True)
        ),
    )
