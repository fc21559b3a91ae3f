"""Small helpers the rules share for wording their reasons."""

from __future__ import annotations

from collections.abc import Iterable

from advisor.draft import Fit
from advisor.facts import Facts


def number(value: float) -> str:
    """A rate or size as people write it.

    >>> number(200000), number(99.9), number(0.5)
    ('200,000', '99.9', '0.5')
    """
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def percent(value: float) -> str:
    """A share as a whole percentage.

    >>> percent(0.4567)
    '46%'
    """
    return f"{round(100 * value)}%"


def listing(items: Iterable[str], limit: int = 4) -> str:
    """Items as a sentence lists them, the tail counted.

    >>> listing(["a", "b", "c"]), listing("abcdef")
    ('a, b and c', 'a, b, c, d and 2 more')
    """
    items = list(items)
    if len(items) > limit:
        items = [*items[:limit], f"{len(items) - limit} more"]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def leaders(facts: Facts, fit: Fit, limit: int = 3) -> str:
    """The technologies that fit best, in matrix order among equals."""
    technologies = facts.technologies
    fits = fit if isinstance(fit, tuple) else tuple(fit(t) for t in technologies)
    best = max(fits, default=0)
    names = [
        t.name for t, found in zip(technologies, fits, strict=True) if found == best and best > 0
    ]
    return listing(names, limit)


def paths(items: Iterable[int], prefix: str = "access_patterns") -> tuple[str, ...]:
    return tuple(f"{prefix}[{index}]" for index in items)


# Which continent a cloud region name is on, by its prefix (AWS, Google Cloud, Azure spellings).
CONTINENT_PREFIXES = (
    ("europe", ("eu-", "europe", "westeurope", "northeurope", "uk", "france", "germany")),
    ("south_america", ("sa-", "southamerica", "brazil")),
    (
        "asia_pacific",
        ("ap-", "asia", "australia", "japan", "korea", "india", "southeastasia", "eastasia"),
    ),
    ("north_america", ("us-", "us", "ca-", "northamerica", "canada", "east", "west", "central")),
)


def continent(region: str) -> str | None:
    """The continent of a region name, or None when the name says nothing.

    >>> continent("eu-west-1"), continent("ap-southeast-1"), continent("us-central1")
    ('europe', 'asia_pacific', 'north_america')
    """
    name = region.strip().lower()
    for found, prefixes in CONTINENT_PREFIXES:
        if name == found or any(name.startswith(prefix) for prefix in prefixes):
            return found
    return None


def region_round_trip(facts: Facts) -> tuple[float, str, tuple[str, ...]]:
    """The longest round trip between two write regions (the one a commit by consensus can
    pay), what it is, and the inputs it read: per continent pair from the matrix when
    `workload.region_names` spreads the regions over continents, else one continent's figure.

    >>> from advisor.facts import build_facts
    >>> from advisor.matrix import DEFAULT_MATRIX
    >>> from advisor.requirements import read_requirements
    >>> doc = "format: advisor/v1\\nproject: P\\nworkload: {regions: 2, region_names: [%s]}\\n"
    >>> facts = build_facts(read_requirements(doc % "eu-west-1, ap-southeast-1"), DEFAULT_MATRIX)
    >>> region_round_trip(facts)[:2]
    (200.0, 'between europe and asia_pacific')
    """
    within = facts.threshold("cross_region_rtt_ms")
    names = facts.requirements.workload.region_names
    continents = sorted({c for c in map(continent, names) if c is not None})
    worst = (within, "within one continent")
    for index, first in enumerate(continents):
        for second in continents[index + 1 :]:
            for a, b in ((first, second), (second, first)):
                name = f"rtt_{a}_{b}_ms"
                if name in facts.matrix.thresholds and facts.threshold(name) > worst[0]:
                    worst = (facts.threshold(name), f"between {a} and {b}")
    return float(worst[0]), worst[1], ("workload.region_names",) if names else ()
