"""From a design to its decisions: one `Decision` per significant choice the engine made.

Every text comes from the design: the requirements' figures, the engine's reasons, the matrix's
properties and the generated schema. Names from the requirements are escaped where they enter
Markdown; titles, outcomes and option names stay plain text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from advisor.decisions.markdown import code, escape, quoted, sentence_case
from advisor.decisions.model import Decision, Option
from advisor.decisions.operations import SQL_DIALECTS, Check, operations_for
from advisor.draft import Facts, build_facts
from advisor.matrix import DEFAULT_MATRIX, MAX_LEVEL, Technology
from advisor.recommendation import Component, Reason, Recommendation
from advisor.requirements.model import Requirements
from advisor.rules.common import listing, number
from advisor.schema import DIALECTS, Schema, dialect, needs_quotes
from advisor.stores import primary_request, store_schema

if TYPE_CHECKING:
    from advisor.design import Design

ENGINE_DOCS = "How the engine decides: docs/decisions.md in the advisor's repository."
ROLE_NAMES = {
    "cache": "cache",
    "search_index": "search index",
    "graph_store": "graph store",
    "time_series_store": "time-series store",
    "analytics": "analytics store",
}
SYNC_NAMES = {
    "cache_aside": "cache-aside",
    "transactional_outbox": "a transactional outbox",
    "change_data_capture": "change data capture",
    "dual_write": "dual writes",
}
CAPABILITY_NAMES = {
    "point_lookup": "lookups by key",
    "range_scan": "range scans",
    "secondary_indexes": "secondary indexes",
    "joins": "joins",
    "aggregation": "aggregation",
    "full_text": "full-text search",
    "traversal": "graph traversal",
    "time_buckets": "time bucketing",
    "append": "high-rate appends",
    "schema_flexibility": "schema flexibility",
    "low_latency": "in-memory latency",
    "expiry": "expiry",
    "large_volume": "large volumes",
    "durability": "durability",
}
LEVELS = ("no", "only limited", "good", "native")
GRANTS_QUERY = (
    "SELECT grantee, table_name, privilege_type FROM information_schema.role_table_grants "
    "ORDER BY 1, 2;"
)
FOREIGN_KEYS_QUERY = (
    "SELECT conrelid::regclass, confrelid::regclass FROM pg_constraint WHERE contype = 'f';"
)
CLIENTS_QUERY = "SELECT usename, application_name, count(*) FROM pg_stat_activity GROUP BY 1, 2;"
ENUM_STYLES = {
    "create_type": "a named enum type",
    "inline": "an ENUM column",
    "check": "a CHECK constraint",
}
RANKS = {
    "consistency": ("eventual", "tunable", "strong"),
    "transactions": ("none", "single_entity", "multi_entity"),
    "scaling": ("embedded", "single_primary", "sharded", "distributed"),
    "multi_region": ("none", "conflict_resolution", "consensus"),
    "operations": ("high", "medium", "low"),
    "cost": ("high", "medium", "low"),
}
PROPERTY_CLAUSES = {
    "consistency": {
        "strong": "reads are strongly consistent by default",
        "tunable": "reads are strongly consistent only at a chosen consistency level",
        "eventual": "reads are only eventually consistent",
    },
    "transactions": {
        "multi_entity": "it has ACID transactions across items",
        "single_entity": "its transactions cover one item only",
        "none": "it has no transactions",
    },
    "scaling": {
        "embedded": "it runs inside one process with a single writer",
        "single_primary": "one primary takes every write",
        "sharded": "it shards data and writes across nodes",
        "distributed": "it spreads data and writes across nodes by itself",
    },
    "multi_region": {
        "none": "it takes writes in one region only",
        "conflict_resolution": "it takes writes in several regions, resolving conflicts",
        "consensus": "it takes writes in several regions, agreeing on every commit",
    },
    "operations": {
        "low": "its operational weight is low",
        "medium": "its operational weight is medium",
        "high": "its operational weight is high",
    },
    "cost": {
        "low": "its cost is low",
        "medium": "its cost is medium",
        "high": "its cost is high",
    },
}
PATTERN_TITLES = {
    "single_database": "Keep all the data in one database",
    "database_per_service": "Give each service its own database",
    "cqrs": "Separate read models from the write model (CQRS)",
    "event_sourcing": "Record changes as an append-only log of events (event sourcing)",
}
PATTERN_OPTIONS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    # name, summary, good, bad
    "single_database": (
        "Single database",
        "Every entity in one database.",
        ("joins and transactions reach every entity", "there is one database to run"),
        ("services couple through the shared schema and deploy together",),
    ),
    "database_per_service": (
        "Database per service",
        "Each bounded context owns its tables; others reach them through its API or events.",
        ("services deploy, scale and change their schema apart",),
        (
            "queries across contexts become API calls or copies kept by events",
            "transactions across contexts become sagas with compensating steps",
        ),
    ),
    "cqrs": (
        "CQRS",
        "Writes go to one model; reads are served by read models fed from it.",
        ("each read model is shaped and scaled for its queries",),
        ("read models lag behind the writes", "there are more stores and pipelines to run"),
    ),
    "event_sourcing": (
        "Event sourcing",
        "The events are the record; current state is derived from them.",
        ("the events are a complete audit trail, and state can be rebuilt as of any moment",),
        (
            "queries need projections, and event schemas must stay readable forever",
            "snapshots are needed once streams grow long",
        ),
    ),
}
KEY_OPTIONS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    "bigint_identity": (
        "bigint identity",
        "A 64-bit integer the database numbers itself.",
        (
            "keys are 8 bytes, ordered, and make the smallest indexes and foreign keys",
            "nothing outside the database has to make ids",
        ),
        (
            "ids are guessable and reveal how many rows there are",
            "one sequence hands out every id, which does not work across regions or shards",
        ),
    ),
    "uuid_v7": (
        "UUIDv7 made by the application",
        "A 128-bit UUID with a millisecond time prefix (RFC 9562).",
        (
            "ids can be made anywhere (regions, shards, clients) without coordination",
            "the time prefix keeps inserts at the end of the index, like a sequence",
        ),
        (
            "keys take 16 bytes, twice a bigint, in every index and foreign key",
            "the creation time can be read from the id",
        ),
    ),
    "uuid_v4": (
        "Random UUIDv4",
        "A 128-bit random UUID.",
        ("ids can be made anywhere without coordination",),
        ("random inserts spread over the whole index: page splits, a larger working set",),
    ),
    "natural": (
        "Natural keys",
        "A business attribute (an e-mail address, a SKU) as the key.",
        ("no extra column",),
        ("natural values change, and every referencing row must change with them",),
    ),
}


def decisions_for(design: Design) -> tuple[Decision, ...]:
    """The significant decisions of a design, in a stable order.

    The primary store; each store added beside it and how it is kept in sync; the architecture
    pattern; the scaling strategy; then the modelling choices that apply: primary keys, enum
    representation, time partitioning and, for a document store, embedding or referencing.

    >>> from advisor.design import create_design
    >>> from advisor.requirements import read_requirements
    >>> shop = read_requirements("format: advisor/v1\\nproject: Shop\\nentities: [{name: a}]")
    >>> [decision.key for decision in decisions_for(create_design(shop))]
    ['primary-store', 'architecture-pattern', 'scaling', 'primary-keys']
    """
    subject = _Subject(design)
    builders: list[Callable[[], Decision | None]] = [subject.primary_store]
    builders += [
        functools.partial(subject.component, component)
        for component in design.recommendation.components
    ]
    builders += [
        subject.architecture_pattern,
        subject.scaling,
        subject.primary_keys,
        subject.enum_representation,
        subject.partitioning,
        subject.document_modelling,
    ]
    return tuple(decision for build in builders if (decision := build()) is not None)


class _Subject:
    """The design being explained, with what every decision builder needs at hand."""

    def __init__(self, design: Design) -> None:
        self.design = design
        self.requirements: Requirements = design.requirements
        self.recommendation: Recommendation = design.recommendation
        self.matrix = DEFAULT_MATRIX
        self.facts: Facts = build_facts(self.requirements, self.matrix)
        self.primary: Technology = self.matrix.technologies[self.recommendation.primary.technology]
        self.dialect = SQL_DIALECTS.get(self.primary.id, "postgresql")
        self.schema: Schema = design.for_dialect(self.dialect).schema
        self.scores = {
            technology.technology: technology.score
            for alternative in self.recommendation.alternatives
            for technology in alternative.technologies
        }

    # The primary store -------------------------------------------------------------------

    def primary_store(self) -> Decision:
        recommendation = self.recommendation
        primary = self.primary
        scoring = self._reasons_before("choose_primary", effective=True)
        inputs = _paths(scoring)
        ranked = [
            technology.technology
            for alternative in recommendation.alternatives
            if alternative.category == primary.category
            for technology in alternative.technologies
            if technology.technology != primary.id
        ][:2]
        ranked += [
            alternative.technologies[0].technology
            for alternative in recommendation.alternatives
            if alternative.category != primary.category and alternative.technologies
        ]
        options = (
            self._technology_option(primary, chosen=primary),
            *(
                self._technology_option(self.matrix.technologies[item], chosen=primary)
                for item in ranked
            ),
        )
        requirements = self.requirements
        entities = listing([escape(entity.name) for entity in requirements.entities], 6)
        context = (
            f"{escape(requirements.project)} needs a system of record"
            + (f" for {len(requirements.entities)} entities ({entities})" if entities else "")
            + f" and {len(requirements.access_patterns)} access patterns."
            + (f" {escape(requirements.description)}" if requirements.description else "")
            + " Which store should hold the data and serve most of the traffic? The advisor "
            "scores every technology of its matrix against the weighted requirements."
        )
        good, bad = self._primary_consequences()
        ten_times = [escape(sentence) for sentence in recommendation.scaling.at_10x]
        more = [
            f"Managed offerings: {escape(', '.join(primary.managed))}."
            if primary.managed
            else "No managed offering: the team runs it.",
            f"Licence: {escape(primary.licence)}.",
        ]
        if ten_times:
            more.append(" ".join(ten_times))
        more.append(ENGINE_DOCS)
        return Decision(
            key="primary-store",
            title=f"Use {primary.name} as the primary store",
            outcome=primary.id,
            context=context,
            drivers=self._drivers(inputs),
            options=options,
            justification=tuple(
                escape(reason.sentence)
                for reason in (*self.recommendation_reasons("choose_primary"), *scoring)
            ),
            good=good,
            bad=bad,
            confirmation=(
                *self._latency_targets(),
                *_checks(self._checks(primary.id)),
            ),
            more_information=tuple(more),
            inputs=inputs,
            because=(
                f"it fits the weighted requirements best, with {recommendation.primary.score:.1f} "
                "of 100"
            ),
        )

    def _primary_consequences(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        primary = self.primary
        needed = self._needed_capabilities()
        native = [c for c in needed if primary.capabilities[c] == MAX_LEVEL]
        good: list[str] = []
        bad: list[str] = []
        if native:
            good.append(
                f"it offers native {listing([CAPABILITY_NAMES[c] for c in native], 6)}, which "
                "the access patterns need"
            )
        workload = self.requirements.workload
        if workload.consistency == "strong" and primary.consistency == "strong":
            good.append("reads are strongly consistent by default, as the workload asks")
        if workload.transactions == "multi_entity" and primary.transactions == "multi_entity":
            good.append("changes to several entities commit atomically in one transaction")
        if self._team_runs(primary):
            good.append("the team already runs it")
        if primary.managed:
            good.append(f"managed offerings exist ({escape(listing(primary.managed, 3))})")
        served = {
            capability: component
            for component in self.recommendation.components
            for capability in _role_capabilities(component.role)
        }
        for capability in needed:
            level = primary.capabilities[capability]
            if level == MAX_LEVEL:
                continue
            clause = (
                f"its support for {CAPABILITY_NAMES[capability]} is "
                f"{('absent', 'limited', 'good')[level]}, not native"
            )
            if capability in served:
                component = served[capability]
                clause += (
                    f": {escape(component.name)} serves "
                    f"{listing([quoted(name) for name in component.patterns])} beside it"
                )
            bad.append(clause)
        if workload.consistency == "strong" and primary.consistency != "strong":
            bad.append(
                f"reads are {primary.consistency} by default: strongly consistent reads must "
                "ask for it and cost more"
            )
        if primary.scaling in ("single_primary", "embedded"):
            bad.append(
                f"{PROPERTY_CLAUSES['scaling'][primary.scaling]}: its capacity bounds the "
                "write load, and beyond it the data must be sharded or moved"
            )
        if primary.operations != "low":
            bad.append(
                f"it needs operating (operational weight {primary.operations}): "
                + "; ".join(operations_for(primary.id).maintenance[:1])
            )
        return tuple(good), tuple(bad)

    def _technology_option(self, technology: Technology, *, chosen: Technology) -> Option:
        name = f"{technology.name} ({technology.category.replace('_', ' ')})"
        score = self.scores.get(technology.id)
        if technology is chosen:
            pros, cons = self._absolute(technology)
            return Option(
                name, score, "Chosen: the best fit of the weighted requirements.", pros, cons
            )
        pros, cons = self._compare(technology, chosen)
        category = self.matrix.categories[technology.category].description
        behind = (
            f" {score_gap(self.scores.get(chosen.id), score)} behind {escape(chosen.name)}."
            if score is not None
            else ""
        )
        return Option(name, score, f"{escape(category)}{behind}", pros, cons)

    def _absolute(self, technology: Technology) -> tuple[tuple[str, ...], tuple[str, ...]]:
        by_level: dict[int, list[str]] = {}
        for capability in self._needed_capabilities():
            level = technology.capabilities[capability]
            by_level.setdefault(level, []).append(CAPABILITY_NAMES[capability])
        pros = [
            f"it offers {LEVELS[level]} {listing(by_level[level], 8)}"
            for level in (3, 2)
            if level in by_level
        ]
        cons = [
            f"it offers {LEVELS[level]} {listing(by_level[level], 8)}"
            for level in (1, 0)
            if level in by_level
        ]
        for key in self._relevant_properties():
            value = getattr(technology, key)
            ranks = RANKS[key]
            if ranks.index(value) >= (len(ranks) + 1) // 2:
                pros.append(PROPERTY_CLAUSES[key][value])
            elif ranks.index(value) < len(ranks) // 2:
                cons.append(PROPERTY_CLAUSES[key][value])
        return tuple(pros), tuple(cons)

    def _compare(
        self, technology: Technology, chosen: Technology
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        pros: list[str] = []
        cons: list[str] = []
        for capability in self._needed_capabilities():
            level = technology.capabilities[capability]
            other = chosen.capabilities[capability]
            if level != other:
                clause = (
                    f"it offers {LEVELS[level]} {CAPABILITY_NAMES[capability]} "
                    f"({escape(chosen.name)}: {LEVELS[other].removeprefix('only ')})"
                )
                (pros if level > other else cons).append(clause)
        for key in self._relevant_properties():
            value, other = getattr(technology, key), getattr(chosen, key)
            if value != other:
                better = RANKS[key].index(value) > RANKS[key].index(other)
                (pros if better else cons).append(PROPERTY_CLAUSES[key][value])
        runs = self._team_runs(technology)
        if runs != self._team_runs(chosen) and self.requirements.team.expertise:
            (pros if runs else cons).append(
                "the team already runs it" if runs else "the team would have to learn it"
            )
        return tuple(pros), tuple(cons)

    def _needed_capabilities(self) -> tuple[str, ...]:
        weights: dict[str, float] = {}
        for pattern in self.facts.patterns:
            for capability, share in pattern.needs.items():
                weights[capability] = weights.get(capability, 0) + share
        workload = self.requirements.workload
        if workload.schema_stability == "evolving":
            weights.setdefault("schema_flexibility", 0.5)
        fast = self.matrix.threshold("in_memory_latency_ms")
        if any(pattern.latency_ms <= fast for pattern in self.facts.patterns):
            weights.setdefault("low_latency", 0.5)
        order = list(CAPABILITY_NAMES)
        return tuple(sorted((c for c, w in weights.items() if w >= 0.1), key=order.index))

    def _relevant_properties(self) -> tuple[str, ...]:
        workload = self.requirements.workload
        keys = []
        if workload.consistency == "strong" or any(
            pattern.consistency == "strong" for pattern in self.facts.patterns
        ):
            keys.append("consistency")
        if workload.transactions != "none":
            keys.append("transactions")
        keys.append("scaling")
        if workload.regions > 1:
            keys.append("multi_region")
        return (*keys, "operations", "cost")

    def _team_runs(self, technology: Technology) -> bool:
        return any(
            self.matrix.technology_for(name) is technology
            for name in self.requirements.team.expertise
        )

    def _latency_targets(self) -> tuple[str, ...]:
        if not self.facts.patterns:
            return ()
        tightest = min(self.facts.patterns, key=lambda p: (p.latency_ms, p.index))
        return (
            f"Every access pattern meets its p99 latency target in production (the tightest: "
            f"{quoted(tightest.pattern.name)}, {number(tightest.latency_ms)} ms), measured at "
            "the application.",
        )

    # Components -------------------------------------------------------------------------

    def component(self, component: Component) -> Decision:
        primary = self.primary
        role = ROLE_NAMES.get(component.role, component.role.replace("_", " "))
        sync = SYNC_NAMES.get(component.sync, component.sync.replace("_", " "))
        patterns = [p for p in self.facts.patterns if p.path in component.inputs]
        served = listing([f"{quoted(p.pattern.name)} ({number(p.rate)}/s)" for p in patterns], 6)
        context = (
            f"{served} {'need' if len(patterns) != 1 else 'needs'} what {escape(primary.name)} "
            f"does not do best. Should a {role} serve "
            f"{'them' if len(patterns) != 1 else 'it'} beside the primary store, which one, "
            f"and how is it kept in step with {escape(primary.name)}?"
        )
        alternatives = next(
            (a for a in self.recommendation.alternatives if a.category == component.category),
            None,
        )
        technologies = [component.technology] + [
            t.technology
            for t in (alternatives.technologies if alternatives else ())
            if t.technology != component.technology
        ]
        options = [
            self._component_option(self.matrix.technologies[item], component)
            for item in technologies
        ]
        options.append(
            Option(
                f"No {role}: serve from {primary.name}",
                None,
                f"One store less to run and keep in sync; {escape(primary.name)} serves the "
                "patterns with its own indexes.",
                ("there is one store less to run and nothing to keep in sync",),
                ("the patterns stay on a store that does not serve them best",),
            )
        )
        good, bad = self._component_consequences(component)
        reasons = self.recommendation_reasons(f"{component.role}_component")
        if component.role == "cache":
            reasons += self.recommendation_reasons("cache")
        operations = operations_for(component.technology)
        sync_checks = self._sync_checks(component)
        inputs = tuple(dict.fromkeys([*component.inputs, *_paths(reasons)]))
        return Decision(
            key=f"component:{component.role}",
            title=f"Add {component.name} as the {role}, kept in sync by {sync}",
            outcome=f"{component.technology}; sync={component.sync}",
            context=context,
            drivers=self._drivers(inputs),
            options=tuple(options),
            justification=tuple(dict.fromkeys(escape(r.sentence) for r in reasons))
            or (escape(component.reason),),
            good=good,
            bad=bad,
            confirmation=(
                *sync_checks,
                *_checks(
                    check
                    for check in operations.checks
                    if not (component.sync == "cache_aside" and check.topic == "cache")
                ),
            ),
            more_information=(
                *(
                    (f"Monitoring reference: <{operations.reference}>",)
                    if operations.reference
                    else ()
                ),
                ENGINE_DOCS,
            ),
            inputs=inputs,
            because=f"it serves {served} best of its kind, {sync} keeping it in step",
        )

    def _component_option(self, technology: Technology, component: Component) -> Option:
        name = f"{technology.name} ({technology.category.replace('_', ' ')})"
        score = self.scores.get(technology.id)
        capabilities = _role_capabilities(component.role)
        pros = [
            f"it offers {LEVELS[technology.capabilities[c]]} {CAPABILITY_NAMES[c]}"
            for c in capabilities
            if technology.capabilities[c] >= 2
        ]
        cons = [
            f"it offers {LEVELS[technology.capabilities[c]]} {CAPABILITY_NAMES[c]}"
            for c in capabilities
            if technology.capabilities[c] < 2
        ]
        cons += [PROPERTY_CLAUSES["operations"]["high"]] if technology.operations == "high" else []
        chosen = self.matrix.technologies[component.technology]
        weaker = [
            f"{CAPABILITY_NAMES[c]} {LEVELS[technology.capabilities[c]].removeprefix('only ')} "
            f"against {LEVELS[chosen.capabilities[c]].removeprefix('only ')}"
            for c in capabilities
            if technology.capabilities[c] < chosen.capabilities[c]
        ]
        if technology.id == component.technology:
            summary = (
                "Chosen: the most capable of its category for this role (scores rate each "
                "store for the whole workload, as a primary store)."
            )
        elif weaker:
            summary = f"Less capable for this role than {escape(chosen.name)}: {'; '.join(weaker)}."
        else:
            summary = (
                f"As capable for this role as {escape(chosen.name)}, which ranks higher on the "
                "team, managed-service and budget preferences or comes first in the matrix."
            )
        return Option(name, score, summary, tuple(pros), tuple(cons))

    def _component_consequences(
        self, component: Component
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        primary = escape(self.primary.name)
        name = escape(component.name)
        good = [
            f"{listing([quoted(p) for p in component.patterns])} "
            f"{'are' if len(component.patterns) != 1 else 'is'} served by a store built for "
            f"{'it' if len(component.patterns) == 1 else 'them'}, sparing {primary}"
        ]
        bad = ["it is one more system to run, secure, monitor and pay for"]
        if component.sync == "cache_aside":
            good.append("the cache can be emptied at any time: the primary store stays the truth")
            bad.append(
                "a cached item can be stale until it is invalidated or its time-to-live ends; "
                "reads that must see the latest write go to the primary store"
            )
        elif component.sync == "change_data_capture":
            good.append(
                f"the application writes once, to {primary}; the change stream feeds {name}, "
                "so no change is lost"
            )
            bad.append(
                f"{name} lags {primary} by the pipeline's delay (usually seconds), and the "
                "pipeline is one more thing to watch"
            )
        elif component.sync == "transactional_outbox":
            good.append(f"each change and its event commit together in {primary}, so none is lost")
            bad.append(f"a relay must publish the outbox, and {name} lags by its delay")
        elif component.sync == "dual_write":
            bad.append(
                f"the application writes to both stores without a transaction between them: "
                f"{name} and {primary} can drift apart, so reconcile them regularly"
            )
        strong = [
            p
            for p in self.facts.patterns
            if p.path in component.inputs and p.consistency == "strong"
        ]
        if strong and component.sync != "cache_aside":
            bad.append(
                f"{listing([quoted(p.pattern.name) for p in strong])} asked for strong "
                f"consistency, which a store fed after the commit does not give"
            )
        return tuple(good), tuple(bad)

    def _sync_checks(self, component: Component) -> tuple[str, ...]:
        if component.sync == "cache_aside":
            return (
                f"The cache hit ratio stays high (above 80%) and evictions low: "
                f"{code('INFO stats')} (keyspace\\_hits, keyspace\\_misses, evicted\\_keys).",
            )
        if component.sync == "change_data_capture":
            checks = self._checks(self.primary.id, "sync")
            return (
                f"The change data capture pipeline keeps {escape(component.name)} within "
                "seconds of the primary store: alert on its lag.",
                *_checks(checks),
            )
        if component.sync == "transactional_outbox":
            return (
                f"The outbox is drained: {code('SELECT count(*), min(created_at) FROM outbox')} "
                "stays near zero and recent.",
            )
        return (
            f"A reconciliation job compares {escape(component.name)} with "
            f"{escape(self.primary.name)} and reports the items that differ.",
        )

    # The architecture pattern -------------------------------------------------------------

    def architecture_pattern(self) -> Decision:
        pattern = self.recommendation.pattern
        reasons = self.recommendation_reasons("architecture_pattern")
        inputs = _paths(reasons) or ("entities",)
        contexts = sorted({e.context for e in self.requirements.entities if e.context})
        context = (
            f"How should the data of {escape(self.requirements.project)} be divided between "
            "services and models? "
            + (
                f"The entities belong to {len(contexts)} contexts "
                f"({listing([escape(c) for c in contexts])}). "
                if contexts
                else "The entities declare no bounded contexts. "
            )
            + f"The workload needs {_transactions_clause(self.requirements)}."
        )
        order = [pattern.name, *(name for name in PATTERN_OPTIONS if name != pattern.name)]
        options = tuple(
            Option(
                PATTERN_OPTIONS[name][0],
                None,
                ("Chosen. " if name == pattern.name else "") + PATTERN_OPTIONS[name][1],
                PATTERN_OPTIONS[name][2],
                PATTERN_OPTIONS[name][3],
            )
            for name in order
            if name in PATTERN_OPTIONS
        )
        _, _, good, bad = PATTERN_OPTIONS.get(pattern.name, ("", "", (), ()))
        warnings = tuple(escape(warning.sentence) for warning in pattern.warnings)
        return Decision(
            key="architecture-pattern",
            title=PATTERN_TITLES.get(pattern.name, pattern.name.replace("_", " ")),
            outcome=pattern.name,
            context=context,
            drivers=self._drivers(inputs),
            options=options,
            justification=tuple(escape(reason) for reason in pattern.reasons),
            good=good,
            bad=(*bad, *(_lower_first(w) for w in warnings)),
            confirmation=self._pattern_checks(pattern.name),
            more_information=(ENGINE_DOCS,),
            inputs=inputs,
            because=_lower_first(escape(pattern.reasons[0]).rstrip(".")) if pattern.reasons else "",
        )

    def _pattern_checks(self, name: str) -> tuple[str, ...]:
        postgres = self.dialect == "postgresql" and self.primary.category == "relational"
        if name == "database_per_service":
            checks = [
                "Each service connects with its own database role, which owns only its "
                "context's tables" + (f": {code(GRANTS_QUERY)}" if postgres else "."),
                "No foreign key crosses a context boundary once the services are split"
                + (f": {code(FOREIGN_KEYS_QUERY)}" if postgres else "."),
            ]
        elif name == "event_sourcing":
            checks = [
                "Events are never updated or deleted: revoke UPDATE and DELETE on the event "
                "tables, and check that their update and delete counters stay at zero"
                + (
                    f" ({code('SELECT relname, n_tup_upd, n_tup_del FROM pg_stat_user_tables;')})."
                    if postgres
                    else "."
                ),
                "Projections can be rebuilt from the events: rebuild one in a scratch "
                "environment and compare.",
            ]
        elif name == "cqrs":
            checks = [
                "Every read model stays within its agreed lag of the write model; alert on "
                "the pipeline's lag.",
            ]
        else:
            checks = [
                "One schema, one connection pool: watch which application issues which "
                "statements" + (f" ({code(CLIENTS_QUERY)})." if postgres else "."),
            ]
        return tuple(checks)

    # Scaling ----------------------------------------------------------------------------

    def scaling(self) -> Decision:
        scaling = self.recommendation.scaling
        replicas = scaling.read_replicas.count
        cache = next((c for c in self.recommendation.components if c.role == "cache"), None)
        sharding = scaling.sharding
        keys = ",".join(f"{key.entity}:{key.key}" for key in sharding.keys)
        if sharding.needed:
            sharded = f"by {keys}" if keys else "yes"
        elif keys:
            sharded = f"distributed by {keys}"
        else:
            sharded = "none"
        outcome = (
            f"replicas={replicas}; cache={cache.technology if cache else 'none'}; "
            f"sharding={sharded}; regions={scaling.regions.strategy}"
        )
        parts = [
            f"{replicas} read replica{'s' if replicas != 1 else ''}"
            if replicas
            else "no read replica"
        ]
        if cache is not None:
            parts.append(f"a {cache.name} cache")
        if sharding.needed:
            parts.append(
                "sharding " + ", ".join(f"{key.entity} by {key.key}" for key in sharding.keys)
                if sharding.keys
                else "sharding"
            )
        else:
            parts.append("no sharding")
        regions = scaling.regions
        parts.append(
            "writes in one region"
            if regions.write_regions <= 1
            else f"writes in {regions.write_regions} regions"
        )
        reasons = [
            *self.recommendation_reasons("read_replicas"),
            *self.recommendation_reasons("cache"),
            *self.recommendation_reasons("partitioning"),
            *self.recommendation_reasons("sharding"),
            *self.recommendation_reasons("regions"),
        ]
        inputs = _paths(reasons)
        workload = self.requirements.workload
        context = (
            f"The workload peaks at {number(self.facts.reads_per_second)} reads/s and "
            f"{number(self.facts.writes_per_second)} writes/s, with "
            f"{number(workload.data_volume_gb)} GB today and about "
            f"{number(round(self.facts.projected_volume_gb))} GB within the planning horizon, "
            f"in {number(workload.regions)} write region{'s' if workload.regions != 1 else ''} "
            f"at {number(workload.availability_percent)}% availability. How should "
            f"{escape(self.primary.name)} scale: replicas, a cache, sharding, regions?"
        )
        options = [
            Option(
                _sentence_list(parts),
                None,
                "Chosen: what the load and availability targets need, and no more.",
            )
        ]
        if replicas:
            options.append(
                Option(
                    "A single node without replicas",
                    None,
                    "The cheapest setup.",
                    ("there is one server to run and pay for",),
                    (
                        f"nothing takes over when it fails, short of the "
                        f"{number(workload.availability_percent)}% availability target",
                    ),
                )
            )
        if sharding.needed:
            options.append(
                Option(
                    "One larger primary instead of shards",
                    None,
                    "Scale up rather than out.",
                    ("no cross-shard queries and no resharding",),
                    (escape(sharding.reason),),
                )
            )
        else:
            options.append(
                Option(
                    "Shard now",
                    None,
                    "Spread writes and storage over several nodes from the start.",
                    ("it leaves headroom for writes and storage far beyond one node",),
                    (
                        "queries that miss the shard key read every shard, and every "
                        "operation (backups, upgrades, schema changes) multiplies",
                        escape(sharding.reason),
                    ),
                )
            )
        good: list[str] = []
        bad: list[str] = []
        if replicas:
            good.append("a standby takes over when the primary fails, and replicas can serve reads")
            bad.append(
                "replicas lag the primary: reads that must see their own writes go to the primary"
            )
        if cache is not None:
            good.append(f"hot reads come from {escape(cache.name)}'s memory")
        if sharding.needed:
            good.append("writes and storage spread over the shards")
            if sharding.cross_shard_patterns:
                bad.append(
                    f"{listing([quoted(p) for p in sharding.cross_shard_patterns])} must read "
                    "across shards (scatter-gather)"
                )
            bad.append("resharding and cross-shard transactions are hard to change later")
        else:
            good.append("every query and transaction stays on one node: no cross-shard work")
        if regions.write_regions > 1:
            bad.append(f"{escape(_lower_first(regions.reason))}")
        if len(scaling.at_10x) > 1:
            bad.append(
                "it holds only to a point: "
                + _lower_first(escape(scaling.at_10x[0]).rstrip(":"))
                + ", "
                + "; ".join(
                    _lower_first(escape(sentence)).rstrip(".") for sentence in scaling.at_10x[1:]
                )
            )
        return Decision(
            key="scaling",
            title=f"Scale with {_sentence_list(parts)}",
            outcome=outcome,
            context=context,
            drivers=self._drivers(inputs),
            options=tuple(options),
            justification=tuple(dict.fromkeys(escape(reason.sentence) for reason in reasons)),
            good=tuple(good),
            bad=tuple(bad),
            confirmation=(
                *_checks(self._checks(self.primary.id, "replication", "storage", "cache")),
                f"Peak load stays within the plan: {number(self.facts.reads_per_second)} "
                f"reads/s, {number(self.facts.writes_per_second)} writes/s and about "
                f"{number(round(self.facts.projected_volume_gb))} GB; revisit this decision "
                "when a figure doubles.",
            ),
            more_information=(ENGINE_DOCS,),
            inputs=inputs,
            because="it meets the stated load and availability with the least machinery",
        )

    # Modelling choices ------------------------------------------------------------------

    def primary_keys(self) -> Decision | None:
        if not self.requirements.entities:
            return None
        keys = self.recommendation.keys
        declared = ",".join(f"{entity.entity}={entity.type}" for entity in keys.entities)
        outcome = keys.strategy + (f"; declared: {declared}" if declared else "")
        reasons = self.recommendation_reasons("primary_keys")
        inputs = tuple(
            dict.fromkeys(
                [*keys.inputs, *_paths(reasons), "workload.regions", "workload.writes_per_second"]
            )
        )
        order = [keys.strategy, *(name for name in KEY_OPTIONS if name != keys.strategy)]
        options = tuple(
            Option(
                KEY_OPTIONS[name][0],
                None,
                ("Chosen. " if name == keys.strategy else "") + KEY_OPTIONS[name][1],
                KEY_OPTIONS[name][2],
                KEY_OPTIONS[name][3],
            )
            for name in order
        )
        title = {
            "bigint_identity": "Use bigint identity primary keys",
            "uuid_v7": "Use UUIDv7 primary keys made by the application",
        }.get(keys.strategy, f"Use {keys.strategy.replace('_', ' ')} primary keys")
        _, _, good, bad = KEY_OPTIONS.get(keys.strategy, ("", "", (), ()))
        declared_note = tuple(
            f"{escape(entity.entity)} keeps the id it declares ({escape(entity.type)})"
            for entity in keys.entities
        )
        return Decision(
            key="primary-keys",
            title=title,
            outcome=outcome,
            context=(
                f"Every table of the {len(self.requirements.entities)} entities needs a primary "
                "key, and every relationship a foreign key of the same type. Where are ids "
                "made, and of which type?"
            ),
            drivers=self._drivers(inputs),
            options=options,
            justification=(escape(keys.reason), *declared_note),
            good=good,
            bad=bad,
            confirmation=self._key_checks(keys.strategy),
            more_information=(ENGINE_DOCS,),
            inputs=inputs,
            because=_lower_first(escape(keys.reason.split(":")[-1].strip()).rstrip(".")),
        )

    def _key_checks(self, strategy: str) -> tuple[str, ...]:
        checks = []
        table = self.schema.tables[0].name if self.schema.tables else None
        if self.dialect == "postgresql":
            checks.append(
                "Primary key indexes stay small against their tables: "
                + code(
                    "SELECT relname, indexrelname, pg_size_pretty(pg_relation_size(indexrelid)) "
                    "FROM pg_stat_user_indexes WHERE indexrelname LIKE 'pk%' ORDER BY "
                    "pg_relation_size(indexrelid) DESC;"
                )
            )
            if strategy == "uuid_v7" and table is not None:
                name = _identifier(table, "postgresql")
                checks.append(
                    "New ids are version 7 (the 15th character of the text form is 7): "
                    + code(
                        f"SELECT substr(id::text, 15, 1) AS version, count(*) FROM {name} "
                        "GROUP BY 1;"
                    )
                    + "."
                )
        elif self.dialect == "mysql":
            checks.append(
                "Primary key and secondary index sizes per table: "
                + code(
                    "SELECT table_name, index_length, data_length FROM information_schema.tables "
                    "WHERE table_schema = DATABASE();"
                )
            )
        else:
            checks.append("Index sizes per table grow in proportion to their rows.")
        if strategy == "uuid_v7":
            checks.append(
                "Ids are made by the application's UUIDv7 generator everywhere, never by a "
                "random (version 4) one: review the code paths that insert rows."
            )
        else:
            checks.append(
                "No code path inserts explicit ids (they would collide with the identity's "
                "next values)."
            )
        return tuple(checks)

    def enum_representation(self) -> Decision | None:
        enums = [
            (entity_index, attribute_index, entity, attribute)
            for entity_index, entity in enumerate(self.requirements.entities)
            for attribute_index, attribute in enumerate(entity.attributes)
            if attribute.type == "enum"
        ]
        if not enums:
            return None
        styles = {name: dialect(name).enum for name in DIALECTS}
        outcome = "; ".join(f"{name}={style}" for name, style in styles.items())
        native = [name for name, style in styles.items() if style == "create_type"]
        inline = [name for name, style in styles.items() if style == "inline"]
        checked = [name for name, style in styles.items() if style == "check"]
        labels = {
            "postgresql": "PostgreSQL",
            "mysql": "MySQL",
            "sqlite": "SQLite",
            "sqlserver": "SQL Server",
            "oracle": "Oracle",
        }
        parts = []
        if native:
            parts.append(f"{listing([labels.get(n, n) for n in native])} enum types")
        if inline:
            parts.append(f"{listing([labels.get(n, n) for n in inline])} ENUM columns")
        if checked:
            parts.append("CHECK constraints elsewhere")
        inputs = (
            *(f"entities[{e}].attributes[{a}]" for e, a, _, _ in enums),
            "workload.schema_stability",
        )
        described = [
            f"{escape(entity.name)}.{escape(attribute.name)} "
            f"({', '.join(escape(value) for value in attribute.values)})"
            for _, _, entity, attribute in enums
        ]
        evolving = self.requirements.workload.schema_stability == "evolving"
        bad = [
            "adding a value is a schema change: `ALTER TYPE ... ADD VALUE` in PostgreSQL "
            "(values cannot be removed), `ALTER TABLE ... MODIFY` in MySQL, a new CHECK "
            "elsewhere",
        ]
        if evolving:
            bad.append(
                "the schema is declared evolving: a lookup table would take new values "
                "without a migration"
            )
        confirmation = []
        if self.dialect == "postgresql":
            confirmation.append(
                "The enum types hold the values the requirements list: "
                + code(
                    "SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM "
                    "pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname;"
                )
            )
        elif self.dialect == "mysql":
            confirmation.append(
                "The ENUM columns hold the values the requirements list: "
                + code(
                    "SELECT table_name, column_name, column_type FROM information_schema.columns "
                    "WHERE data_type = 'enum';"
                )
            )
        confirmation.append(
            "Writes with a value outside the list fail in the database, not only in the "
            "application: a test inserts one and expects an error."
        )
        return Decision(
            key="enum-representation",
            title=f"Store enumerations as {_sentence_list(parts)}",
            outcome=outcome,
            context=(
                f"{len(enums)} attribute{'s' if len(enums) != 1 else ''} "
                f"{'take' if len(enums) != 1 else 'takes'} one of a fixed list of values: "
                f"{'; '.join(described)}. How should the schema hold them so that no other "
                "value gets in?"
            ),
            drivers=self._drivers(inputs),
            options=(
                Option(
                    "The dialect's enum type, else a CHECK constraint",
                    None,
                    "Chosen. A named enum type (PostgreSQL), an ENUM column (MySQL), or a "
                    "text column with CHECK (value IN (...)).",
                    (
                        "the database rejects any other value",
                        "PostgreSQL and MySQL store the value in 1 to 4 bytes",
                    ),
                    ("changing the list is a schema change",),
                ),
                Option(
                    "A lookup table with a foreign key",
                    None,
                    "One row per value, referenced by id or by code.",
                    ("values are added and renamed as data, and can carry labels",),
                    ("a join or a cached map to read the label", "one more table per list"),
                ),
                Option(
                    "Unchecked text",
                    None,
                    "A plain string column; the application checks the values.",
                    ("no schema change ever",),
                    ("any typo or old client writes values nothing else understands",),
                ),
            ),
            justification=(
                "The values are few and named in the requirements, so the schema can state "
                "them and the database enforce them.",
                "Each generated DDL uses what its dialect has: "
                + "; ".join(
                    f"{labels.get(n, n)}: {ENUM_STYLES.get(s, s)}" for n, s in styles.items()
                )
                + ".",
            ),
            good=(
                "no other value can be written, whichever client writes",
                "the values are documented in the schema itself",
            ),
            bad=tuple(bad),
            confirmation=tuple(confirmation),
            more_information=(
                "PostgreSQL: <https://www.postgresql.org/docs/current/datatype-enum.html>",
                "MySQL: <https://dev.mysql.com/doc/refman/8.0/en/enum.html>",
            ),
            inputs=inputs,
            because="the values are few and fixed, and the database should enforce them",
        )

    def partitioning(self) -> Decision | None:
        wanted = self.recommendation.scaling.partitioning
        partitioned = [t for t in self.schema.tables if t.partitioning is not None]
        if not wanted and not partitioned:
            return None
        outcome_parts = [f"{item.entity}:{item.by}({item.column})" for item in wanted]
        outcome_parts += [
            f"table {t.name}:{t.partitioning.column}/{t.partitioning.interval}"
            for t in partitioned
            if t.partitioning is not None
        ]
        reasons = self.recommendation_reasons("partitioning")
        inputs = tuple(
            dict.fromkeys([*_paths(reasons), "workload.retention_days", "workload.data_volume_gb"])
        )
        if wanted:
            title = "Partition " + ", ".join(
                f"{item.entity} by {item.by} on {item.column}" for item in wanted
            )
        else:
            title = "Partition " + ", ".join(
                f"{t.name} by {t.partitioning.interval} on {t.partitioning.column}"
                for t in partitioned
                if t.partitioning is not None
            )
        retention = self.requirements.workload.retention_days
        physical = [
            f"The {escape(self.dialect)} schema partitions {escape(t.name)} by "
            f"{t.partitioning.interval} on {escape(t.partitioning.column)}, starting with "
            f"{len(t.partitioning.partitions) - 1} partitions and a default one; "
            f"{escape(t.partitioning.policy)}."
            for t in partitioned
            if t.partitioning is not None
        ]
        notes = [escape(note) + "." for note in self.schema.notes]
        confirmation = []
        if self.dialect == "postgresql":
            for table in partitioned:
                name = _identifier(table.name, "postgresql")
                default = table.partitioning.partitions[-1].name if table.partitioning else ""
                confirmation += [
                    f"Partitions of {escape(table.name)} exist ahead of time: "
                    + code(
                        f"SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                        f"JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = "
                        f"'{name}'::regclass ORDER BY 1;"
                    )
                    + ".",
                    "Nothing lands in the default partition: "
                    + code(f"SELECT count(*) FROM {_identifier(default, 'postgresql')};")
                    + " returns 0.",
                ]
        confirmation.append(
            "Queries over a time window touch only the partitions of that window (EXPLAIN "
            "shows the pruned plan), and expired partitions are dropped on schedule."
        )
        return Decision(
            key="partitioning",
            title=title,
            outcome="; ".join(outcome_parts),
            context=(
                "Some entities grow by appends and are read by time windows"
                + (f", and data is kept {number(retention)} days" if retention else "")
                + f"; about {number(round(self.facts.projected_volume_gb))} GB are expected "
                "within the planning horizon. Should their tables be split by time?"
            ),
            drivers=self._drivers(inputs),
            options=(
                Option(
                    "Range partitions by time",
                    None,
                    "Chosen. One partition per month (or per day for short retention).",
                    (
                        "expired data goes by dropping a partition, without DELETE or vacuum",
                        "time-window queries read only their partitions",
                    ),
                    (
                        "unique keys must include the partition column",
                        "partitions must be created ahead of time by a job",
                    ),
                ),
                Option(
                    "One table, expired rows deleted in batches",
                    None,
                    "The simplest schema.",
                    ("no partition maintenance",),
                    ("deletes bloat the table and load vacuum; indexes keep growing",),
                ),
                Option(
                    "A time-series store",
                    None,
                    "Hypertables or retention policies handle chunks and expiry.",
                    ("chunking, compression and retention are built in",),
                    ("another store, unless it is the primary",),
                ),
            ),
            justification=(
                *(escape(reason.sentence) for reason in reasons),
                *physical,
                *notes,
            ),
            good=(
                "old data leaves by dropping whole partitions",
                "recent partitions stay in memory while old ones are rarely read",
            ),
            bad=(
                "a scheduled job (pg\\_partman or cron) must create and drop partitions",
                "primary and unique keys include the partition column",
            ),
            confirmation=tuple(confirmation),
            more_information=(
                "PostgreSQL: <https://www.postgresql.org/docs/current/ddl-partitioning.html>",
            ),
            inputs=inputs,
            because="time-window reads and expiry work on whole partitions instead of rows",
        )

    def document_modelling(self) -> Decision | None:
        """Embedding or referencing per relationship, as `advisor.stores` models the document
        store; only for a document primary store with relationships to decide."""
        if self.primary.category != "document":
            return None
        schema = store_schema(primary_request(self.facts, self.recommendation))
        if schema is None:
            return None
        choices = [
            reason
            for reason in schema.decisions
            if " embedded in " in reason.effect
            or " references " in reason.effect
            or reason.effect.endswith("_ids")
            or "_ids " in reason.effect
        ]
        if not choices:
            return None
        embedded = [r for r in choices if " embedded in " in r.effect]
        inputs = _paths(choices)
        name = escape(self.primary.name)
        return Decision(
            key="document-modelling",
            title=(
                f"Embed {len(embedded)} and reference {len(choices) - len(embedded)} "
                f"relationships in {self.primary.name}"
                if embedded
                else f"Reference related documents in {self.primary.name} rather than embed them"
            ),
            outcome="; ".join(sorted(reason.effect for reason in choices)),
            context=(
                f"{name} stores documents: each relationship between entities is either "
                "embedded (the child lives inside its parent's document) or referenced (the "
                "child holds the parent's id). Which, for each relationship?"
            ),
            drivers=self._drivers(inputs),
            options=(
                Option(
                    "Embed what is owned and read together, reference the rest",
                    None,
                    "Chosen. The rules of thumb of MongoDB's data modelling guidance.",
                    (
                        "a parent and its owned children are read and written as one document",
                        "shared or unbounded children do not bloat or duplicate documents",
                    ),
                    ("referenced children need a second query or $lookup",),
                ),
                Option(
                    "Embed everything",
                    None,
                    "One document per aggregate root.",
                    ("every read is one document",),
                    (
                        "shared data is copied and unbounded arrays approach the 16 MB "
                        "document limit",
                    ),
                ),
                Option(
                    "Reference everything",
                    None,
                    "One collection per entity, as tables.",
                    ("no duplication; each entity changes on its own",),
                    ("reads of a parent with its children need $lookup or several queries",),
                ),
            ),
            justification=tuple(escape(reason.sentence) for reason in choices),
            good=(
                "documents match how the access patterns read the data",
                "no document grows without bound",
            ),
            bad=(
                "changing an embedding later rewrites every document of the collection",
                "references are not enforced by the database: the application keeps them valid",
            ),
            confirmation=(
                "Document sizes stay far below the 16 MB limit: "
                + code(
                    'db.collection.aggregate([{$project: {size: {$bsonSize: "$$ROOT"}}}, '
                    "{$sort: {size: -1}}, {$limit: 5}])"
                ),
                "Reads of referenced data use indexes: "
                + code("db.collection.find({...}).explain('executionStats')")
                + " shows IXSCAN, not COLLSCAN",
            ),
            more_information=(
                "MongoDB: <https://www.mongodb.com/docs/manual/data-modeling/>",
                f"The generated script: {code('schema/' + schema.filename)}.",
            ),
            inputs=inputs,
            because="embedding follows ownership and reading together, references the rest",
        )

    # Shared helpers ---------------------------------------------------------------------

    def recommendation_reasons(self, rule: str) -> list[Reason]:
        return [reason for reason in self.recommendation.trace if reason.rule == rule]

    def _reasons_before(self, rule: str, *, effective: bool) -> list[Reason]:
        found = []
        for reason in self.recommendation.trace:
            if reason.rule == rule:
                break
            if not effective or reason.effect != "none":
                found.append(reason)
        return found

    def _checks(self, technology: str, *topics: str) -> tuple[Check, ...]:
        operations = operations_for(technology)
        return operations.topic(*topics) if topics else operations.checks

    def _drivers(self, inputs: Iterable[str]) -> tuple[str, ...]:
        return tuple(
            dict.fromkeys(
                text for path in inputs if (text := driver(self.requirements, self.facts, path))
            )
        )


def driver(requirements: Requirements, facts: Facts, path: str) -> str | None:
    """A requirement input as a decision driver, with its figure (Markdown)."""
    workload = requirements.workload
    team = requirements.team
    fixed: dict[str, Callable[[], str]] = {
        "workload.reads_per_second": lambda: f"{number(facts.reads_per_second)} reads/s at peak",
        "workload.writes_per_second": lambda: f"{number(facts.writes_per_second)} writes/s at peak",
        "workload.data_volume_gb": lambda: f"{number(workload.data_volume_gb)} GB of data today",
        "workload.growth_gb_per_month": lambda: (
            f"growing {number(workload.growth_gb_per_month)} GB a month (about "
            f"{number(round(facts.projected_volume_gb))} GB within the planning horizon)"
        ),
        "workload.retention_days": lambda: (
            f"data kept {number(workload.retention_days)} days"
            if workload.retention_days is not None
            else "data kept forever"
        ),
        "workload.consistency": lambda: f"{workload.consistency} consistency",
        "workload.transactions": lambda: _transactions_clause(requirements),
        "workload.schema_stability": lambda: f"a {workload.schema_stability} schema",
        "workload.regions": lambda: (
            f"writes in {number(workload.regions)} region{'s' if workload.regions != 1 else ''}"
        ),
        "workload.availability_percent": lambda: (
            f"{number(workload.availability_percent)}% availability"
        ),
        "workload.latency_p99_ms": lambda: (
            f"p99 latency target {number(workload.latency_p99_ms)} ms"
        ),
        "team.managed_service": lambda: f"managed service {team.managed_service}",
        "team.budget": lambda: f"a {team.budget} budget",
        "relationships": lambda: (
            f"{len(requirements.entities)} entities with {len(requirements.relationships)} "
            "relationships"
        ),
        "entities": lambda: (
            f"{len(requirements.entities)} entities with {len(requirements.relationships)} "
            "relationships"
        ),
        "access_patterns": lambda: f"{len(requirements.access_patterns)} access patterns",
    }
    if path in fixed:
        return fixed[path]()
    if path.startswith("team.expertise"):
        return f"the team runs {listing([escape(name) for name in team.expertise])}"
    if path.startswith("access_patterns["):
        index = int(path[len("access_patterns[") :].split("]")[0])
        if index >= len(facts.patterns):
            return None
        p = facts.patterns[index]
        pattern = p.pattern
        what = f"{pattern.operation} {escape(pattern.entity)}"
        if pattern.filter:
            what += f" by {', '.join(escape(name) for name in pattern.filter)}"
        what += f" ({pattern.kind.replace('_', ' ')})"
        consistency = f", {pattern.consistency} consistency" if pattern.consistency else ""
        return (
            f"{quoted(pattern.name)}: {what}, {number(p.rate)}/s, p99 {number(p.latency_ms)} ms"
            f"{consistency}"
        )
    if path.startswith("relationships["):
        index = int(path[len("relationships[") :].split("]")[0])
        if index >= len(requirements.relationships):
            return None
        relationship = requirements.relationships[index]
        details = [relationship.cardinality]
        if relationship.required:
            details.append("required")
        if relationship.on_delete:
            details.append(f"on delete {relationship.on_delete.replace('_', ' ')}")
        return (
            f"{escape(relationship.source)} → {escape(relationship.target)} ({', '.join(details)})"
        )
    if path.startswith("entities[") and path.endswith(".context"):
        contexts = sorted({e.context for e in requirements.entities if e.context})
        return f"entities in {len(contexts)} contexts ({listing([escape(c) for c in contexts])})"
    if path.startswith("entities[") and ".attributes[" in path:
        entity_index = int(path[len("entities[") :].split("]")[0])
        attribute_index = int(path.split(".attributes[")[1].split("]")[0])
        entity = requirements.entities[entity_index]
        attribute = entity.attributes[attribute_index]
        if attribute.type == "enum":
            values = len(attribute.values)
            return f"{escape(entity.name)}.{escape(attribute.name)}: one of {values} values"
        return f"{escape(entity.name)}.{escape(attribute.name)} ({attribute.type})"
    if path.startswith("entities[") and path.endswith(".attributes"):
        entity = requirements.entities[int(path[len("entities[") :].split("]")[0])]
        return f"{escape(entity.name)} declares its own id"
    return None


def score_gap(chosen: float | None, score: float | None) -> str:
    if chosen is None or score is None:
        return ""
    return f"{chosen - score:.1f} points"


def _checks(checks: Iterable[Check]) -> tuple[str, ...]:
    return tuple(
        f"{sentence_case(check.what)}: {code(check.how)}"
        if check.how
        else f"{sentence_case(check.what)}."
        for check in checks
    )


def _paths(reasons: Iterable[Reason]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(path for reason in reasons for path in reason.inputs))


def _role_capabilities(role: str) -> tuple[str, ...]:
    return {
        "cache": ("low_latency", "point_lookup"),
        "search_index": ("full_text",),
        "graph_store": ("traversal",),
        "time_series_store": ("time_buckets",),
        "analytics": ("aggregation",),
    }.get(role, ())


def _transactions_clause(requirements: Requirements) -> str:
    return {
        "multi_entity": "transactions across several entities",
        "single_entity": "transactions within one entity",
        "none": "no transactions",
    }.get(requirements.workload.transactions, requirements.workload.transactions)


def _sentence_list(parts: list[str]) -> str:
    return listing(parts, len(parts))


def _lower_first(text: str) -> str:
    """Lower-case the first letter, to follow "because", unless the first word is a name.

    >>> _lower_first("The entities belong"), _lower_first("Redis is"), _lower_first("UUID keys")
    ('the entities belong', 'Redis is', 'UUID keys')
    """
    first = text.split(" ", 1)[0]
    names = {name.split(" ")[0] for name in (t.name for t in DEFAULT_MATRIX.technologies.values())}
    if first in names or first[1:].lower() != first[1:] or not first[:1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _identifier(name: str, dialect_name: str) -> str:
    if needs_quotes(name, dialect(dialect_name)):
        return '"' + name.replace('"', '""') + '"'
    return name
