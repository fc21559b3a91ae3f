"""Rules on the team and operations: expertise, managed services, budget."""

from __future__ import annotations

from types import MappingProxyType

from advisor.draft import Draft
from advisor.matrix import Technology
from advisor.recommendation import Reason
from advisor.rules.common import listing, number
from advisor.rules.reads import reads


@reads()
def team_expertise(draft: Draft) -> Draft:
    """What the team already runs: 1 for a technology it runs, 0.7 for one that speaks its
    protocol (`compatible_with`). Familiarity is not a score: `choose_primary` lets it break
    ties and shift close calls (within `familiarity_margin_points`), never overturn a clear
    answer."""
    facts = draft.facts
    expertise = facts.requirements.team.expertise
    if not expertise:
        return draft
    known: list[Technology] = []
    unknown: list[str] = []
    for name in expertise:
        technology = facts.matrix.technology_for(name)
        if technology is None:
            unknown.append(name)
        elif technology not in known:
            known.append(technology)
    inputs = tuple(f"team.expertise[{index}]" for index in range(len(expertise)))
    if unknown:
        draft = draft.explain(
            Reason(
                "team_expertise",
                inputs,
                "none",
                f"{listing(repr(name) for name in unknown)} matches no technology in the matrix "
                f"and is not counted; use ids such as postgresql, mongodb or cassandra.",
            )
        )
    if not known:
        return draft
    ids = {technology.id for technology in known}

    def fit(technology: Technology) -> float:
        if technology.id in ids:
            return 1.0
        if ids & set(technology.compatible_with) or any(
            technology.id in other.compatible_with for other in known
        ):
            return 0.7
        return 0.0

    familiar = {t.id: fit(t) for t in facts.technologies if fit(t) > 0}
    compatible = [t.name for t in facts.technologies if familiar.get(t.id) == 0.7]
    margin = facts.threshold("familiarity_margin_points")
    sentence = (
        f"The team already runs {listing(t.name for t in known)}"
        + (f", and {listing(compatible)} speak the same protocol" if compatible else "")
        + f": within {number(margin)} points of the best score, a store it knows wins the "
        "close call; further behind, familiarity does not overturn the answer."
    )
    return draft.explain(
        Reason("team_expertise", inputs, f"familiar: {', '.join(familiar)}", sentence),
        familiar=MappingProxyType(familiar),
    )


@reads()
def managed_service(draft: Draft) -> Draft:
    facts = draft.facts
    wish = facts.requirements.team.managed_service
    inputs = ("team.managed_service",)
    weight = facts.weight(f"managed_service_{wish}")
    if wish == "avoid":
        sentence = (
            "The team wants to run the database itself, so managed-only services (DynamoDB, "
            "Spanner, Timestream, ...) are held back."
        )
        return draft.score(
            "managed_service",
            weight,
            lambda technology: 1.0 if technology.self_hosted else 0.0,
            Reason("managed_service", inputs, f"self_hosted +{weight:.2f}", sentence),
        )
    required = wish == "required"
    sentence = "A managed service is " + (
        "required: technologies nobody offers as a service are ruled out in practice."
        if required
        else "preferred: technologies with a managed offering get a small lead."
    )
    return draft.score(
        "managed_service",
        weight,
        lambda technology: 1.0 if technology.managed else (0.0 if required else 0.5),
        Reason("managed_service", inputs, f"managed +{weight:.2f}", sentence),
    )


@reads()
def budget(draft: Draft) -> Draft:
    facts = draft.facts
    level = facts.requirements.team.budget
    if level == "high":
        return draft
    weight = facts.weight(f"budget_{level}") / 2
    fits = facts.matrix.fits["operations"]
    cost = facts.matrix.fits["cost"]
    managed = facts.requirements.team.managed_service != "avoid"

    def operations(technology: Technology) -> float:
        # A managed offering moves the operational weight to the provider.
        return fits["low"] if managed and technology.managed else fits[technology.operations]

    sentence = (
        f"With a {level} budget, licences, the smallest sensible deployment and the operational "
        f"weight count: a single open-source node or a small managed service beats a premium "
        f"service or a cluster that needs specialists."
    )
    return draft.weigh(
        Reason(
            "budget", ("team.budget",), f"operations +{weight:.2f}, cost +{weight:.2f}", sentence
        ),
        ("budget:operations", weight, operations),
        ("budget:cost", weight, lambda technology: cost[technology.cost]),
    )
