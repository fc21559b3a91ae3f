"""Rules on the shape of the system: primary keys and the architecture pattern."""

from __future__ import annotations

from advisor.draft import Draft
from advisor.facts import share
from advisor.recommendation import ArchitecturePattern, EntityKey, Keys, PatternWarning, Reason
from advisor.rules.common import listing, number, percent

READ_MODEL_ROLES = ("search_index", "graph_store", "time_series_store", "analytics")


def primary_keys(draft: Draft) -> Draft:
    """bigint identity by default (small, ordered, cheap to index); UUIDs (version 7, time
    ordered, so indexes stay compact) when ids are created in several places at once."""
    facts = draft.facts
    workload = facts.requirements.workload
    sharded = draft.sharding is not None and draft.sharding.needed
    distributed = draft.primary.scaling == "distributed"
    causes = []
    inputs: list[str] = []
    if workload.regions > 1:
        causes.append(f"{workload.regions} regions create ids without asking each other")
        inputs.append("workload.regions")
    if sharded:
        causes.append("shards create ids independently")
        inputs.append("workload.writes_per_second")
    if distributed:
        causes.append(
            f"{draft.primary.name} has no cheap global sequence, and sequential keys would "
            f"send every insert to the same range"
        )
    declared = tuple(
        EntityKey(entity.name, attribute.type, "declared in the requirements")
        for entity in facts.requirements.entities
        if (attribute := entity.attribute("id")) is not None
    )
    inputs += [
        f"entities[{index}].attributes"
        for index, entity in enumerate(facts.requirements.entities)
        if entity.attribute("id") is not None
    ]
    if causes:
        strategy = "uuid_v7"
        sentence = (
            f"UUID keys (version 7, time-ordered): {'; '.join(causes)}. A UUID is unique "
            f"wherever it is made, and its time prefix keeps indexes compact."
        )
    else:
        strategy = "bigint_identity"
        sentence = (
            "bigint identity keys: one primary creates every id, and small ordered keys make "
            "the smallest, fastest indexes and foreign keys."
        )
    keys = Keys(strategy, sentence, tuple(inputs), declared)
    return draft.explain(Reason("primary_keys", tuple(inputs), strategy, sentence), keys=keys)


def architecture_pattern(draft: Draft) -> Draft:
    facts = draft.facts
    requirements = facts.requirements
    reasons: list[str] = []
    inputs: list[str] = []
    contexts = list(dict.fromkeys(e.context for e in requirements.entities if e.context))
    context_of = {e.name: e.context for e in requirements.entities}
    warnings = []
    crossing = [
        (index, relationship)
        for index, relationship in enumerate(requirements.relationships)
        if context_of.get(relationship.source)
        and context_of.get(relationship.target)
        and context_of[relationship.source] != context_of[relationship.target]
    ]
    spanning = _writes_across_contexts(draft, context_of)
    # A transaction across contexts needs one database to stay one transaction; split into
    # services' databases it becomes a saga, which the requirements did not ask for.
    shared = (
        len(contexts) > 1
        and requirements.workload.transactions == "multi_entity"
        and bool(crossing or spanning)
    )
    if shared:
        inputs += [
            f"entities[{i}].context" for i, e in enumerate(requirements.entities) if e.context
        ]
        inputs += ["workload.transactions", *(f"relationships[{i}]" for i, _ in crossing)]
        inputs += [f"access_patterns[{i}]" for i in spanning]
        across = listing(
            [f"{r.source} → {r.target}" for _, r in crossing]
            + [repr(facts.patterns[i].pattern.name) for i in spanning]
        )
        reasons.append(
            f"The entities belong to {len(contexts)} contexts ({listing(contexts)}), but "
            f"multi-entity transactions cross them ({across}): keep one database with a "
            f"schema per context, so those transactions stay atomic and the foreign keys "
            f"between contexts are enforced; split a context into its own database only once "
            f"no transaction crosses its boundary."
        )
    elif len(contexts) > 1:
        inputs += [
            f"entities[{i}].context" for i, e in enumerate(requirements.entities) if e.context
        ]
        reasons.append(
            f"The entities belong to {len(contexts)} contexts ({listing(contexts)}): each service "
            f"owns its data in its own database (or schema), so services deploy and scale apart."
        )
        if crossing:
            described = listing(
                f"{r.source} ({context_of[r.source]}) → {r.target} ({context_of[r.target]})"
                for _, r in crossing
            )
            warnings.append(
                PatternWarning(
                    "shared_database",
                    tuple(f"relationships[{i}]" for i, _ in crossing),
                    f"{described} cross service boundaries: a foreign key between services' "
                    f"tables is the shared-database anti-pattern. Keep the id only, and copy the "
                    f"fields you need through events.",
                )
            )
            if requirements.workload.transactions == "multi_entity":
                reasons.append(
                    "Transactions that span contexts become sagas: a sequence of local "
                    "transactions with compensating steps."
                )
    read_models = [c for c in draft.components if c.role in READ_MODEL_ROLES]
    served = {path for c in read_models for path in c.inputs}
    reads = [p for p in facts.patterns if not p.writes]
    model_share = share(sum(p.rate for p in reads if p.path in served), sum(p.rate for p in reads))
    cqrs = model_share > facts.threshold("cqrs_read_model_share")
    if read_models:
        inputs += sorted(served)
        reasons.append(
            f"{percent(model_share)} of the reads are served by read models "
            f"({listing(c.name for c in read_models)}) fed from the primary store"
            + (
                ": reads and writes have separate models (CQRS)."
                if cqrs
                else "; the primary store still serves most reads, so this is not full CQRS."
            )
        )
    ledger = _event_sourced_entities(draft)
    if ledger:
        in_ledger = set(ledger)
        inputs += [p.path for p in facts.patterns if p.pattern.entity in in_ledger]
        inputs += [
            f"entities[{i}].append_only"
            for i, e in enumerate(requirements.entities)
            if e.append_only and e.name in in_ledger
        ]
        reasons.append(
            f"{listing(ledger)} only ever grow by appends and are read as aggregates: storing the "
            f"events and deriving state from them (event sourcing) gives a full audit trail."
        )
    if ledger:
        name = "event_sourcing"
    elif cqrs:
        name = "cqrs"
    elif len(contexts) > 1 and not shared:
        name = "database_per_service"
    elif shared:
        name = "single_database"
    else:
        name = "single_database"
        reasons.insert(
            0,
            "One bounded context: a single database keeps transactions and joins simple.",
        )
    # Services own their data whenever there are contexts, whatever serves the reads.
    # (unless they share one database, a schema per context).
    owned = len(contexts) > 1 and not shared
    cross_service = tuple(f"relationships[{i}]" for i, _ in crossing) if owned else ()
    pattern = ArchitecturePattern(
        name, tuple(reasons), tuple(warnings), cross_service, schema_per_context=shared
    )
    sentence = " ".join(reasons)
    for warning in warnings:
        sentence += f" Warning: {warning.sentence}"
        inputs += warning.inputs
    reason = Reason("architecture_pattern", tuple(dict.fromkeys(inputs)), name, sentence)
    return draft.explain(reason, pattern=pattern)


def _writes_across_contexts(draft: Draft, context_of: dict[str, str | None]) -> list[int]:
    """Write patterns whose filter names an entity of another context (by its name or the
    role of a relationship to it): one write that touches two contexts."""
    facts = draft.facts
    # For each entity and each label of it (a related entity's name, a relationship's role):
    # whether the label names an entity of another context.
    across: dict[str, dict[str, bool]] = {}
    for r in facts.requirements.relationships:
        for near, far, role in ((r.source, r.target, r.role), (r.target, r.source, r.inverse_role)):
            far_context = context_of.get(far)
            other = bool(far_context) and far_context != context_of.get(near)
            labels = across.get(near)
            if labels is None:
                labels = across[near] = {}
            labels[far] = labels.get(far, False) or other
            labels[role] = labels.get(role, False) or other
    found = []
    for p in facts.patterns:
        own = context_of.get(p.pattern.entity)
        if not p.writes or not own:
            continue
        labels = across.get(p.pattern.entity, {})
        for name in p.pattern.filter:
            named = context_of.get(name)
            if labels.get(name, False) or (named and named != own):
                found.append(p.index)
                break
    return found


def _event_sourced_entities(draft: Draft) -> list[str]:
    """Entities written only by appends (never updated or deleted) and read by aggregates,
    when the workload needs strong, transactional guarantees: ledgers and account histories.
    An entity declared `append_only` grows by appends whatever its write patterns say."""
    facts = draft.facts
    workload = facts.requirements.workload
    if workload.consistency != "strong" or workload.transactions == "none":
        return []
    declared = {entity.name for entity in facts.requirements.entities if entity.append_only}
    found = []
    for entity in facts.entities:
        appends, changes, aggregates = entity in declared, False, False
        for p in facts.patterns_by_entity.get(entity, ()):
            kind, operation = p.pattern.kind, p.pattern.operation
            appends = appends or kind == "append"
            changes = changes or operation in ("update", "delete")
            aggregates = aggregates or (
                kind in ("aggregate", "time_window") and operation == "read"
            )
        if appends and aggregates and not changes:
            found.append(entity)
    return found


__all__ = ["architecture_pattern", "number", "primary_keys"]
