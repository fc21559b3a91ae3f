"""Why a store lost: the scoring criteria on which it falls furthest behind the primary store."""

from __future__ import annotations

from advisor.draft import Draft
from advisor.recommendation import Shortfall

SHOWN = 3  # a person reads the main reasons, not every criterion
NEGLIGIBLE_POINTS = 0.05


def shortfalls(draft: Draft, technology: str, primary: str) -> tuple[Shortfall, ...]:
    """The criteria on which `technology` loses the most points of 100 to `primary`, each with
    those points: its fit below the primary's, times the criterion's share of the weight."""
    total = sum(criterion.weight for criterion in draft.criteria)
    ids = [item.id for item in draft.facts.technologies]
    if total == 0 or technology == primary:
        return ()
    mine, theirs = ids.index(technology), ids.index(primary)
    lost: dict[str, float] = {}
    for criterion in draft.criteria:
        gap = criterion.fits[theirs] - criterion.fits[mine]
        lost[criterion.rule] = lost.get(criterion.rule, 0) + 100 * criterion.weight * gap / total
    worst = sorted(
        (item for item in lost.items() if item[1] >= NEGLIGIBLE_POINTS), key=lambda item: -item[1]
    )
    return tuple(Shortfall(rule, criterion_label(rule), points) for rule, points in worst[:SHOWN])


def criterion_label(rule: str) -> str:
    """A criterion as a person names it.

    >>> criterion_label("access_pattern_needs:point_lookup"), criterion_label("start_simple")
    ('point lookup', 'start simple')
    """
    return rule.rpartition(":")[2].replace("_", " ")
