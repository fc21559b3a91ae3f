"""The architecture pattern: one database, a database per service, CQRS or event sourcing."""

from __future__ import annotations

from advisor.decisions.common import (
    drivers,
    input_paths,
    lower_first,
    reasons_of,
    transactions_clause,
)
from advisor.decisions.context import RecordContext
from advisor.decisions.markdown import code, escape
from advisor.decisions.model import Decision, Option
from advisor.decisions.wording import (
    CLIENTS_QUERY,
    ENGINE_DOCS,
    FOREIGN_KEYS_QUERY,
    GRANTS_QUERY,
    PATTERN_OPTIONS,
    PATTERN_TITLES,
)
from advisor.rules.common import listing


def architecture_pattern(context: RecordContext) -> Decision:
    pattern = context.recommendation.pattern
    reasons = reasons_of(context, "architecture_pattern")
    inputs = input_paths(reasons) or ("entities",)
    contexts = context.requirements.contexts
    problem = (
        f"How should the data of {escape(context.requirements.project)} be divided between "
        "services and models? "
        + (
            f"The entities belong to {len(contexts)} contexts "
            f"({listing([escape(c) for c in contexts])}). "
            if contexts
            else "The entities declare no bounded contexts. "
        )
        + f"The workload needs {transactions_clause(context.requirements)}."
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
        context=problem,
        drivers=drivers(context, inputs),
        options=options,
        justification=(
            *(escape(reason) for reason in pattern.reasons),
            *_cross_service_ids(context),
        ),
        good=good,
        bad=(*bad, *(lower_first(w) for w in warnings)),
        confirmation=_pattern_checks(context, pattern.name, pattern.schema_per_context),
        more_information=(ENGINE_DOCS,),
        inputs=inputs,
        because=lower_first(escape(pattern.reasons[0]).rstrip(".")) if pattern.reasons else "",
    )


def _pattern_checks(
    context: RecordContext, name: str, schema_per_context: bool = False
) -> tuple[str, ...]:
    postgres = context.dialect == "postgresql" and context.primary.category == "relational"
    if schema_per_context:
        contexts = context.requirements.contexts
        return (
            f"Each context ({listing([escape(c) for c in contexts])}) keeps its tables in a "
            "schema of its own, owned by its service's role; the others get only the grants "
            "they need" + (f": {code(GRANTS_QUERY)}" if postgres else "."),
            "A context moves to a database of its own only once no transaction and no foreign "
            "key crosses its boundary.",
        )
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


def _cross_service_ids(context: RecordContext) -> tuple[str, ...]:
    """What the generated SQL does at each service boundary, as the schema was built."""
    by_path = {
        f"relationships[{index}]": relationship
        for index, relationship in enumerate(context.requirements.relationships)
    }
    crossing = [by_path[path] for path in context.recommendation.pattern.cross_service]
    if not crossing:
        return ()
    described = listing(
        [f"{escape(r.source)} → {escape(r.target)}" for r in crossing], len(crossing)
    )
    return (
        f"The generated schemas keep the id of {described} without a foreign key: each "
        "service's database holds only its own tables.",
    )
