"""The technology selection matrix: what the engine knows about databases, read from data.

The knowledge itself is in `advisor/data/matrix.yaml`, one readable file with the source of every
threshold; this module only loads and checks it. A caller may load another file with
`load_matrix` or change thresholds with `Matrix.with_thresholds`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from advisor.data_files import data_document
from advisor.errors import InvalidMatrix

CAPABILITIES = (
    "point_lookup",
    "range_scan",
    "secondary_indexes",
    "joins",
    "aggregation",
    "full_text",
    "traversal",
    "time_buckets",
    "append",
    "schema_flexibility",
    "low_latency",
    "expiry",
    "large_volume",
    "durability",
    "increments",
    "large_scans",
    "geo",
    "vector",
)
# Capabilities whose levels come from `sourced_capabilities`, each with its source.
SOURCED_CAPABILITIES = ("geo", "vector")
CONSISTENCY_MODELS = ("strong", "tunable", "eventual")
TRANSACTION_MODELS = ("none", "single_entity", "multi_entity")
SCALING_MODELS = ("embedded", "single_primary", "sharded", "distributed")
MULTI_REGION_MODELS = ("none", "conflict_resolution", "consensus")
OPERATIONS = ("low", "medium", "high")
MAX_LEVEL = 3


@dataclass(frozen=True)
class Threshold:
    """A number the rules compare with (`thresholds` in the matrix), its unit and source."""

    name: str
    value: float
    unit: str
    source: str


@dataclass(frozen=True)
class Category:
    """A category of stores (relational, document, ...) and the workloads it is made for."""

    id: str
    description: str
    canonical_workloads: tuple[str, ...]


@dataclass(frozen=True)
class Technology:
    """A store of the matrix: its category, consistency, transactions, scaling and regions,
    its level (0-3) in each capability, and how it is run and paid for."""

    id: str
    name: str
    category: str
    aliases: tuple[str, ...]
    compatible_with: tuple[str, ...]
    consistency: str
    transactions: str
    scaling: str
    multi_region: str
    change_stream: bool
    capabilities: Mapping[str, int]
    managed: tuple[str, ...]
    self_hosted: bool
    licence: str
    operations: str
    cost: str
    pricing: str
    concurrency: str
    # False for stores that hold copies, not the record: a search index, an in-memory cache.
    system_of_record: bool = True
    # How many times smaller than in an uncompressed row store the data is on disk
    # (`compression` in the matrix, each ratio with its source).
    compression: float = 1.0
    # What the ratio applies to: all the data, or only time-stamped appends (time_series).
    compression_scope: str = "all"

    def level(self, capability: str) -> float:
        """The capability as a fit between 0 and 1."""
        return self.capabilities[capability] / MAX_LEVEL


@dataclass(frozen=True)
class Matrix:
    """Categories, technologies, thresholds, weights and fits, as in `data/matrix.yaml`."""

    thresholds: Mapping[str, Threshold]
    weights: Mapping[str, float]
    pattern_needs: Mapping[str, Mapping[str, float]]
    fits: Mapping[str, Mapping[str, float]]
    categories: Mapping[str, Category]
    technologies: Mapping[str, Technology]

    def threshold(self, name: str) -> float:
        return self.thresholds[name].value

    def with_thresholds(self, overrides: Mapping[str, float]) -> Matrix:
        """A copy with some thresholds replaced; unknown names are an error.

        >>> DEFAULT_MATRIX.with_thresholds({"single_node_writes_per_second": 20000}).threshold(
        ...     "single_node_writes_per_second")
        20000
        >>> DEFAULT_MATRIX.with_thresholds({"writes": 1})
        Traceback (most recent call last):
        ...
        advisor.errors.InvalidMatrix: thresholds.writes: unknown threshold
        """
        thresholds = dict(self.thresholds)
        for name, value in overrides.items():
            if name not in thresholds:
                raise InvalidMatrix("unknown threshold", location=f"thresholds.{name}")
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise InvalidMatrix("must be a number, 0 or more", location=f"thresholds.{name}")
            thresholds[name] = dataclasses.replace(
                thresholds[name], value=value, source="overridden by the caller"
            )
        return dataclasses.replace(self, thresholds=MappingProxyType(thresholds))

    def technology_for(self, name: str) -> Technology | None:
        """The technology a person means by `name`: its id, display name or an alias.

        >>> DEFAULT_MATRIX.technology_for("Postgres").id
        'postgresql'
        """
        wanted = name.strip().lower().replace(" ", "_").replace("-", "_")
        for technology in self.technologies.values():
            names = (technology.id, technology.name.lower().replace(" ", "_"), *technology.aliases)
            if wanted in names:
                return technology
        return None


def load_matrix(text: str, *, source: str = "matrix.yaml") -> Matrix:
    """Read a matrix from YAML text and check that it is complete and consistent."""
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise InvalidMatrix(
            f"incomplete or inconsistent matrix: {error!r}", location=source
        ) from None
    return matrix_of(data, source=source)


def matrix_of(data: Any, *, source: str = "matrix.yaml") -> Matrix:
    """The matrix of the values of a matrix file, checked to be complete and consistent."""
    try:
        return _build(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise InvalidMatrix(
            f"incomplete or inconsistent matrix: {error!r}", location=source
        ) from None


def _build(data: Mapping[str, Any]) -> Matrix:
    thresholds = {name: _threshold(name, item) for name, item in data["thresholds"].items()}
    weights = {name: float(value) for name, value in data["weights"].items()}
    needs = {
        kind: MappingProxyType({capability: float(share) for capability, share in items.items()})
        for kind, items in data["pattern_needs"].items()
    }
    for kind, shares in needs.items():
        _check(all(name in CAPABILITIES for name in shares), f"pattern_needs.{kind}")
        _check(abs(sum(shares.values()) - 1) < 1e-9, f"pattern_needs.{kind} must add up to 1")
    fits = {
        name: MappingProxyType({key: float(value) for key, value in items.items()})
        for name, items in data["fits"].items()
    }
    categories = {
        name: Category(name, str(item["description"]), tuple(item["canonical_workloads"]))
        for name, item in data["categories"].items()
    }
    levels = _capability_levels(data.get("capability_levels") or {}, data["technologies"])
    sourced = _sourced(data["sourced_capabilities"], data["technologies"])
    compression = _compression(data["compression"], data["technologies"])
    technologies = {
        name: _technology(
            name,
            {**item, "capabilities": {**item["capabilities"], **levels[name], **sourced[name]}},
            compression[name],
        )
        for name, item in data["technologies"].items()
    }
    for technology in technologies.values():
        _check(technology.category in categories, f"technologies.{technology.id}.category")
        _check(
            all(other in technologies for other in technology.compatible_with),
            f"technologies.{technology.id}.compatible_with",
        )
    for category in categories:
        _check(
            any(technology.category == category for technology in technologies.values()),
            f"categories.{category} has no technology",
        )
    return Matrix(
        thresholds=MappingProxyType(thresholds),
        weights=MappingProxyType(weights),
        pattern_needs=MappingProxyType(needs),
        fits=MappingProxyType(fits),
        categories=MappingProxyType(categories),
        technologies=MappingProxyType(technologies),
    )


def _capability_levels(
    data: Mapping[str, Mapping[str, Any]], technologies: Mapping[str, Any]
) -> dict[str, dict[str, int]]:
    """The levels of the `capability_levels` block by technology; each one names every
    technology and gives its level with a source."""
    levels: dict[str, dict[str, int]] = {name: {} for name in technologies}
    for capability, by_technology in data.items():
        where = f"capability_levels.{capability}"
        _check(capability in CAPABILITIES, where)
        _check(set(by_technology) == set(technologies), f"{where} must name every technology")
        for name, item in by_technology.items():
            _check(bool(str(item["source"]).strip()), f"{where}.{name}.source")
            levels[name][capability] = int(item["level"])
    return levels


def _compression(
    rows: Mapping[str, Mapping[str, Any]], technologies: Mapping[str, Any]
) -> dict[str, tuple[float, str]]:
    """The compression ratio and its scope of every technology; each needs a ratio of 1 or
    more and a source."""
    _check(set(rows) == set(technologies), "compression must list every technology")
    found = {}
    for name, row in rows.items():
        _check(bool(str(row["source"]).strip()), f"compression.{name}.source")
        ratio = float(row["ratio"])
        scope = str(row.get("applies_to", "all"))
        _check(ratio >= 1, f"compression.{name}.ratio must be 1 or more")
        _check(scope in ("all", "time_series"), f"compression.{name}.applies_to")
        found[name] = (ratio, scope)
    return found


def _threshold(name: str, item: Mapping[str, Any]) -> Threshold:
    value = item["value"]
    _check(isinstance(value, int | float) and not isinstance(value, bool), f"thresholds.{name}")
    return Threshold(name, value, str(item["unit"]), " ".join(str(item["source"]).split()))


def _sourced(
    sourced: Mapping[str, Mapping[str, Any]], technologies: Mapping[str, Any]
) -> dict[str, dict[str, int]]:
    """The levels of `sourced_capabilities` by technology; each needs a level and a source."""
    _check(set(sourced) == set(SOURCED_CAPABILITIES), "sourced_capabilities")
    levels: dict[str, dict[str, int]] = {name: {} for name in technologies}
    for capability, rows in sourced.items():
        where = f"sourced_capabilities.{capability}"
        _check(set(rows) == set(technologies), f"{where} must list every technology")
        for name, row in rows.items():
            _check(bool(str(row["source"]).strip()), f"{where}.{name}.source")
            levels[name][capability] = int(row["level"])
    return levels


def _technology(
    identifier: str, item: Mapping[str, Any], compression: tuple[float, str]
) -> Technology:
    capabilities = {name: int(item["capabilities"][name]) for name in CAPABILITIES}
    where = f"technologies.{identifier}"
    _check(set(item["capabilities"]) == set(CAPABILITIES), f"{where}.capabilities")
    _check(all(0 <= level <= MAX_LEVEL for level in capabilities.values()), f"{where}.capabilities")
    technology = Technology(
        id=identifier,
        name=str(item["name"]),
        category=str(item["category"]),
        aliases=tuple(item.get("aliases") or ()),
        compatible_with=tuple(item.get("compatible_with") or ()),
        consistency=str(item["consistency"]),
        transactions=str(item["transactions"]),
        scaling=str(item["scaling"]),
        multi_region=str(item["multi_region"]),
        change_stream=bool(item["change_stream"]),
        capabilities=MappingProxyType(capabilities),
        managed=tuple(item["managed"]),
        self_hosted=bool(item["self_hosted"]),
        licence=str(item["licence"]),
        operations=str(item["operations"]),
        cost=str(item["cost"]),
        pricing=str(item.get("pricing", "per_node")),
        concurrency=str(item.get("concurrency", "high")),
        system_of_record=bool(item.get("system_of_record", True)),
        compression=compression[0],
        compression_scope=compression[1],
    )
    _check(technology.consistency in CONSISTENCY_MODELS, f"{where}.consistency")
    _check(technology.transactions in TRANSACTION_MODELS, f"{where}.transactions")
    _check(technology.scaling in SCALING_MODELS, f"{where}.scaling")
    _check(technology.multi_region in MULTI_REGION_MODELS, f"{where}.multi_region")
    _check(technology.operations in OPERATIONS, f"{where}.operations")
    _check(technology.cost in OPERATIONS, f"{where}.cost")
    _check(technology.pricing in ("per_node", "per_request"), f"{where}.pricing")
    _check(technology.concurrency in ("low", "high"), f"{where}.concurrency")
    return technology


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(what)


def _default_matrix() -> Matrix:
    return matrix_of(data_document("matrix.yaml"))


DEFAULT_MATRIX = _default_matrix()
