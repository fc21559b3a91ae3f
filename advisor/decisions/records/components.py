"""A store added beside the primary (cache, search index, ...) and how it is kept in sync.

One builder per role, so that each runs alone and the records keep the engine's order."""

from __future__ import annotations

from advisor.decisions.common import (
    check_lines,
    drivers,
    input_paths,
    operation_checks,
    reasons_of,
    role_capabilities,
)
from advisor.decisions.context import RecordContext
from advisor.decisions.markdown import code, escape, quoted
from advisor.decisions.model import Decision, Option
from advisor.decisions.operations import operations_for
from advisor.decisions.wording import (
    CAPABILITY_NAMES,
    ENGINE_DOCS,
    LEVELS,
    PROPERTY_CLAUSES,
    ROLE_NAMES,
    SYNC_NAMES,
)
from advisor.facts import PatternFacts
from advisor.matrix import Technology
from advisor.recommendation import Component
from advisor.rules.common import listing, number


def cache(context: RecordContext) -> Decision | None:
    return _component_record(context, "cache")


def search_index(context: RecordContext) -> Decision | None:
    return _component_record(context, "search_index")


def graph_store(context: RecordContext) -> Decision | None:
    return _component_record(context, "graph_store")


def time_series_store(context: RecordContext) -> Decision | None:
    return _component_record(context, "time_series_store")


def analytics(context: RecordContext) -> Decision | None:
    return _component_record(context, "analytics")


def counter_store(context: RecordContext) -> Decision | None:
    return _component_record(context, "counter_store")


def _component_record(context: RecordContext, role: str) -> Decision | None:
    component = next((c for c in context.recommendation.components if c.role == role), None)
    if component is None:
        return None
    primary = context.primary
    role_name = ROLE_NAMES.get(role, role.replace("_", " "))
    sync = SYNC_NAMES.get(component.sync, component.sync.replace("_", " "))
    read = set(component.inputs)
    patterns = [p for p in context.facts.patterns if p.path in read]
    served = listing([f"{quoted(p.pattern.name)} ({number(p.rate)}/s)" for p in patterns], 6)
    problem = (
        f"{served} {'need' if len(patterns) != 1 else 'needs'} what {escape(primary.name)} "
        f"does not do best. Should a {role_name} serve "
        f"{'them' if len(patterns) != 1 else 'it'} beside the primary store, which one, "
        f"and how is it kept in step with {escape(primary.name)}?"
    )
    alternatives = next(
        (a for a in context.recommendation.alternatives if a.category == component.category),
        None,
    )
    technologies = [component.technology] + [
        t.technology
        for t in (alternatives.technologies if alternatives else ())
        if t.technology != component.technology
    ]
    options = [
        _component_option(context, context.matrix.technologies[item], component)
        for item in technologies
    ]
    options.append(
        Option(
            f"No {role_name}: serve from {primary.name}",
            None,
            f"One store less to run and keep in sync; {escape(primary.name)} serves the "
            "patterns with its own indexes.",
            ("there is one store less to run and nothing to keep in sync",),
            ("the patterns stay on a store that does not serve them best",),
        )
    )
    good, bad = _component_consequences(context, component, patterns)
    reasons = reasons_of(context, f"{component.role}_component")
    if component.role == "cache":
        reasons += reasons_of(context, "cache")
    operations = operations_for(component.technology)
    sync_checks = _sync_checks(context, component)
    inputs = tuple(dict.fromkeys([*component.inputs, *input_paths(reasons)]))
    return Decision(
        key=f"component:{component.role}",
        title=f"Add {component.name} as the {role_name}, kept in sync by {sync}",
        outcome=f"{component.technology}; sync={component.sync}",
        context=problem,
        drivers=drivers(context, inputs),
        options=tuple(options),
        justification=tuple(dict.fromkeys(escape(r.sentence) for r in reasons))
        or (escape(component.reason),),
        good=good,
        bad=bad,
        confirmation=(
            *sync_checks,
            *check_lines(
                check
                for check in operations.checks
                if not (component.sync == "cache_aside" and check.topic == "cache")
            ),
        ),
        more_information=(
            *((f"Monitoring reference: <{operations.reference}>",) if operations.reference else ()),
            ENGINE_DOCS,
        ),
        inputs=inputs,
        because=f"it serves {served} best of its kind, {sync} keeping it in step",
    )


def _component_option(
    context: RecordContext, technology: Technology, component: Component
) -> Option:
    name = f"{technology.name} ({technology.category.replace('_', ' ')})"
    score = context.scores.get(technology.id)
    capabilities = role_capabilities(component.role)
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
    chosen = context.matrix.technologies[component.technology]
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
    context: RecordContext, component: Component, patterns: list[PatternFacts]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the component brings and costs; `patterns` are those it serves."""
    primary = escape(context.primary.name)
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
    strong = [p for p in patterns if p.consistency == "strong"]
    if strong and component.sync != "cache_aside":
        bad.append(
            f"{listing([quoted(p.pattern.name) for p in strong])} asked for strong "
            f"consistency, which a store fed after the commit does not give"
        )
    return tuple(good), tuple(bad)


def _sync_checks(context: RecordContext, component: Component) -> tuple[str, ...]:
    if component.sync == "cache_aside":
        return (
            f"The cache hit ratio stays high (above 80%) and evictions low: "
            f"{code('INFO stats')} (keyspace\\_hits, keyspace\\_misses, evicted\\_keys).",
        )
    if component.sync == "change_data_capture":
        checks = operation_checks(context.primary.id, "sync")
        return (
            f"The change data capture pipeline keeps {escape(component.name)} within "
            "seconds of the primary store: alert on its lag.",
            *check_lines(checks),
        )
    if component.sync == "periodic_flush":
        return (
            "The flush job runs on time: the number of counters waiting to be flushed and the "
            "age of the oldest stay near zero and below the flush interval.",
        )
    if component.sync == "write_through":
        return (
            f"Every write that changes a cached item also writes its new state to "
            f"{escape(component.name)}: compare a sample of keys with the primary store.",
        )
    if component.sync == "transactional_outbox":
        return (
            f"The outbox is drained: {code('SELECT count(*), min(created_at) FROM outbox')} "
            "stays near zero and recent.",
        )
    return (
        f"A reconciliation job compares {escape(component.name)} with "
        f"{escape(context.primary.name)} and reports the items that differ.",
    )
