"""What every record builder shares: the engine's reasons for a rule, the inputs they read as
decision drivers, operational checks as confirmation lines, and small wording helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from advisor.decisions.context import RecordContext
from advisor.decisions.markdown import code, escape, quoted, sentence_case
from advisor.decisions.operations import Check, operations_for
from advisor.decisions.wording import ROLE_CAPABILITIES, TRANSACTION_CLAUSES
from advisor.facts import Facts
from advisor.matrix import DEFAULT_MATRIX
from advisor.migrate.data import DataMigration
from advisor.recommendation import Reason
from advisor.requirements.model import Requirements
from advisor.rules.common import listing, number
from advisor.schema import dialect, needs_quotes


def reasons_of(context: RecordContext, rule: str) -> list[Reason]:
    """The reasons the engine's `rule` left, in the order it left them."""
    return [reason for reason in context.recommendation.trace if reason.rule == rule]


def reasons_before(context: RecordContext, rule: str, *, effective: bool) -> list[Reason]:
    """The reasons left before `rule` ran; with `effective`, only those that changed something."""
    found = []
    for reason in context.recommendation.trace:
        if reason.rule == rule:
            break
        if not effective or reason.took_effect:
            found.append(reason)
    return found


def input_paths(found: Iterable[Reason]) -> tuple[str, ...]:
    """The requirement inputs the reasons read, each once, in order."""
    return tuple(dict.fromkeys(path for reason in found for path in reason.inputs))


def drivers(context: RecordContext, inputs: Iterable[str]) -> tuple[str, ...]:
    """The inputs as decision drivers with their figures, each once (Markdown)."""
    written = context.drivers_written

    def text(path: str) -> str | None:
        if path not in written:
            written[path] = driver(context.requirements, context.facts, path)
        return written[path]

    return tuple(dict.fromkeys(found for path in inputs if (found := text(path))))


def operation_checks(technology: str, *topics: str) -> tuple[Check, ...]:
    """The operational checks of a store, only those of `topics` when given."""
    operations = operations_for(technology)
    return operations.topic(*topics) if topics else operations.checks


def check_lines(checks: Iterable[Check]) -> tuple[str, ...]:
    """Checks as confirmation lines: what to watch, and the query that shows it."""
    return tuple(
        f"{sentence_case(check.what)}: {code(check.how)}"
        if check.how
        else f"{sentence_case(check.what)}."
        for check in checks
    )


def driver(requirements: Requirements, facts: Facts, path: str) -> str | None:
    """A requirement input as a decision driver, with its figure (Markdown)."""
    if path.startswith("team.expertise"):
        return f"the team runs {listing([escape(name) for name in requirements.team.expertise])}"
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
    if path.startswith("entities["):
        return _entity_driver(requirements, path)
    return _workload_driver(requirements, facts, path)


def _entity_driver(requirements: Requirements, path: str) -> str | None:
    """An entity's input as a driver: its context, one of its attributes, or its own id."""
    if path.endswith(".context"):
        contexts = requirements.contexts
        return f"entities in {len(contexts)} contexts ({listing([escape(c) for c in contexts])})"
    if ".attributes[" in path:
        entity_index = int(path[len("entities[") :].split("]")[0])
        attribute_index = int(path.split(".attributes[")[1].split("]")[0])
        entity = requirements.entities[entity_index]
        attribute = entity.attributes[attribute_index]
        if attribute.type == "enum":
            values = len(attribute.values)
            return f"{escape(entity.name)}.{escape(attribute.name)}: one of {values} values"
        return f"{escape(entity.name)}.{escape(attribute.name)} ({attribute.type})"
    if path.endswith(".attributes"):
        entity = requirements.entities[int(path[len("entities[") :].split("]")[0])]
        return f"{escape(entity.name)} declares its own id"
    return None


def _workload_driver(requirements: Requirements, facts: Facts, path: str) -> str | None:
    """A driver of the workload, the team or the model's size."""
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
        "workload.transactions": lambda: transactions_clause(requirements),
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
        "relationships": lambda: _model_size(requirements),
        "entities": lambda: _model_size(requirements),
        "access_patterns": lambda: f"{len(requirements.access_patterns)} access patterns",
    }
    if path in fixed:
        return fixed[path]()
    return None


def _model_size(requirements: Requirements) -> str:
    """`2 entities with 1 relationship`.

    >>> from advisor.requirements.model import Entity, Relationship
    >>> _model_size(Requirements("Shop", entities=(Entity("a"), Entity("b"))))
    '2 entities with 0 relationships'
    >>> _model_size(Requirements("Shop", entities=(Entity("a"),),
    ...     relationships=(Relationship("a", "a", "many-to-one"),)))
    '1 entity with 1 relationship'
    """
    entities, relationships = len(requirements.entities), len(requirements.relationships)
    return (
        f"{entities} entit{'y' if entities == 1 else 'ies'} with {relationships} "
        f"relationship{'' if relationships == 1 else 's'}"
    )


def score_gap(chosen: float | None, score: float | None) -> str:
    """How far `score` is from the chosen one, as "1.3 points behind" or, when familiarity
    chose a store within the close-call margin, "0.5 points ahead of".

    >>> score_gap(93.2, 93.7), score_gap(97.1, 95.8)
    ('0.5 points ahead of', '1.3 points behind')
    """
    if chosen is None or score is None:
        return ""
    gap = round(chosen - score, 1)
    return f"{-gap:.1f} points ahead of" if gap < 0 else f"{gap:.1f} points behind"


def role_capabilities(role: str) -> tuple[str, ...]:
    return ROLE_CAPABILITIES.get(role, ())


def transactions_clause(requirements: Requirements) -> str:
    transactions = requirements.workload.transactions
    return TRANSACTION_CLAUSES.get(transactions, transactions)


def sentence_list(parts: list[str]) -> str:
    return listing(parts, len(parts))


def lower_first(text: str) -> str:
    """Lower-case the first letter, to follow "because", unless the first word is a name.

    >>> lower_first("The entities belong"), lower_first("Redis is"), lower_first("UUID keys")
    ('the entities belong', 'Redis is', 'UUID keys')
    """
    first = text.split(" ", 1)[0]
    names = {name.split(" ")[0] for name in (t.name for t in DEFAULT_MATRIX.technologies.values())}
    if first in names or first[1:].lower() != first[1:] or not first[:1].isupper():
        return text
    return text[:1].lower() + text[1:]


def identifier(name: str, dialect_name: str) -> str:
    """A table or column name as SQL of the dialect, quoted where it must be."""
    if needs_quotes(name, dialect(dialect_name)):
        return '"' + name.replace('"', '""') + '"'
    return name


def data_migration_lines(plan: DataMigration) -> tuple[str, ...]:
    """The data migration of a primary store change as a numbered Markdown list, each step
    with what to verify before the next and how to roll it back: the one rendering the
    primary store's record and the architecture document share.

    >>> from advisor.migrate.data import data_migration
    >>> from advisor.recommendation import Choice
    >>> plan = data_migration(Choice("relational", "mysql", "MySQL", 80.0),
    ...                       Choice("relational", "postgresql", "PostgreSQL", 90.0))
    >>> print(*(line[:44] for line in data_migration_lines(plan)[:4]), sep="\\n")
    1. **Expand.** Provision PostgreSQL beside M
       * Verify: PostgreSQL accepts the applicat
       * Roll back: Remove PostgreSQL: nothing r
    2. **Dual write** (a deployment). Deploy the
    """
    lines: list[str] = []
    for number_, step in enumerate(plan.steps, start=1):
        title = f"**{step.title}** (a deployment)." if step.deploy else f"**{step.title}.**"
        order = (
            f" In this order: {', '.join(code(name) for name in step.tables)}."
            if step.tables
            else ""
        )
        lines += [
            f"{number_}. {title} {escape(step.action)}{order}",
            f"   * Verify: {escape(step.verifies)}",
            f"   * Roll back: {escape(step.rollback)}",
        ]
    return tuple(lines)
