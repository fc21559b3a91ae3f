"""Validating a requirements document: every problem is collected, then all are raised at once."""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from advisor.errors import InvalidRequirements, Problem
from advisor.requirements.model import (
    ATTRIBUTE_TYPES,
    BUDGET,
    CARDINALITIES,
    CONSISTENCY,
    FORMAT,
    FORMATS,
    IMPLICIT_ATTRIBUTES,
    KINDS,
    MANAGED_SERVICE,
    MIRRORED_CARDINALITIES,
    NAME_MAX_LENGTH,
    NUMERIC_TYPES,
    ON_DELETE,
    OPERATIONS,
    SCHEMA_STABILITY,
    TEXT_TYPES,
    TRANSACTIONS,
    AccessPattern,
    Attribute,
    Entity,
    Relationship,
    Requirements,
    Scalar,
    Team,
    Workload,
)

T = TypeVar("T")

TOP_KEYS = (
    "format",
    "project",
    "description",
    "workload",
    "team",
    "entities",
    "relationships",
    "access_patterns",
)
WORKLOAD_KEYS = (
    "reads_per_second",
    "writes_per_second",
    "data_volume_gb",
    "growth_gb_per_month",
    "retention_days",
    "consistency",
    "transactions",
    "schema_stability",
    "regions",
    "availability_percent",
    "latency_p99_ms",
)
TEAM_KEYS = ("expertise", "managed_service", "budget")
ENTITY_KEYS = ("name", "context", "attributes")
ATTRIBUTE_KEYS = (
    "name",
    "type",
    "length",
    "precision",
    "scale",
    "values",
    "required",
    "unique",
    "default",
    "min",
    "max",
    "format",
)
RELATIONSHIP_KEYS = ("from", "to", "cardinality", "name", "required", "on_delete")
PATTERN_KEYS = (
    "name",
    "entity",
    "operation",
    "kind",
    "filter",
    "sort",
    "per_second",
    "latency_ms",
    "consistency",
    "depth",
)

# Upper bounds keep the arithmetic of the engine meaningful; they are far above any real system.
MAX_RATE = 1_000_000_000
MAX_VOLUME_GB = 1_000_000_000
MAX_REGIONS = 50
MAX_LATENCY_MS = 3_600_000
MAX_RETENTION_DAYS = 365_000
MAX_DEPTH = 100
MAX_LENGTH = (
    10_485_760  # PostgreSQL's limit for varchar(n), the largest of the dialects we generate
)
MAX_PRECISION = 1000  # PostgreSQL's limit for numeric(p, s)
PROJECT_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 10_000
EXPERTISE_MAX_LENGTH = 64


def parse_requirements(document: Mapping[str, object]) -> Requirements:
    """Validate a document of format `advisor/v1` and return its `Requirements`.

    Every problem is collected before `InvalidRequirements` is raised with all of them.

    >>> requirements = parse_requirements({"format": "advisor/v1", "project": "Shop",
    ...     "entities": [{"name": "customer"}]})
    >>> requirements.entities[0].attribute_names()
    ('id', 'created_at', 'updated_at')
    >>> parse_requirements({"format": "advisor/v1", "projet": "Shop"})
    Traceback (most recent call last):
    ...
    advisor.errors.InvalidRequirements: the requirements document has 2 problems:
    projet: unknown key (did you mean 'project'?)
    project: is required
    """
    reader = _Reader()
    requirements = reader.requirements(document)
    if reader.problems or requirements is None:
        raise InvalidRequirements(reader.problems)
    return requirements


def describe(value: object) -> str:
    """A value as a message shows it: its kind, and itself when short.

    >>> describe(True), describe(3), describe("x"), describe([1]), describe(None)
    ('boolean true', 'integer 3', "string 'x'", 'a list', 'null')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value:g}"
    if isinstance(value, str):
        return f"string {_short(value)!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence | set):
        return "a list"
    return f"a {type(value).__name__}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to `word`, else ''.

    >>> did_you_mean("strng", ["string", "text"])
    " (did you mean 'string'?)"
    """
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _index(path: str, index: int) -> str:
    return f"{path}[{index}]"


def _one_of(value: str, choices: Sequence[str]) -> str:
    return f"{_short(value)!r} is not one of {', '.join(choices)}{did_you_mean(value, choices)}"


class _Reader:
    """Reads a document field by field, noting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # Shapes -------------------------------------------------------------------------------

    def mapping(self, value: object, path: str, keys: Sequence[str]) -> dict[str, object] | None:
        if not isinstance(value, Mapping):
            self.add(path, f"expected a mapping, got {describe(value)}")
            return None
        fields: dict[str, object] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                self.add(path, f"key {key!r} is not a string")
            elif key not in keys:
                self.add(_at(path, key), f"unknown key{did_you_mean(key, keys)}")
            elif item is not None:  # null means "not given"
                fields[key] = item
        return fields

    def items(self, value: object, path: str) -> list[object]:
        if isinstance(value, list | tuple):
            return list(value)
        self.add(path, f"expected a list, got {describe(value)}")
        return []

    def required(self, fields: Mapping[str, object], key: str, path: str) -> object:
        if key not in fields:
            self.add(_at(path, key), "is required")
        return fields.get(key)

    # Scalars ------------------------------------------------------------------------------

    def string(self, value: object, path: str, max_length: int) -> str | None:
        if not isinstance(value, str):
            self.add(path, f"expected a string, got {describe(value)}")
            return None
        if len(value) > max_length:
            self.add(path, f"is {len(value)} characters long; at most {max_length} are allowed")
            return None
        return value

    def name(self, value: object, path: str) -> str | None:
        text = self.string(value, path, NAME_MAX_LENGTH)
        if text is None:
            return None
        if not text.strip():
            self.add(path, "must not be empty")
            return None
        if any(unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in text):
            self.add(path, "must not contain control characters (line breaks, tabs, ...)")
            return None
        return text

    def choice(self, value: object, path: str, choices: Sequence[str]) -> str | None:
        if not isinstance(value, str):
            self.add(path, f"expected one of {', '.join(choices)}, got {describe(value)}")
            return None
        if value not in choices:
            self.add(path, _one_of(value, choices))
            return None
        return value

    def boolean(self, value: object, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.add(path, f"expected true or false, got {describe(value)}")
            return None
        return value

    def integer(self, value: object, path: str, minimum: int, maximum: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, f"expected an integer, got {describe(value)}")
            return None
        return value if self._in_range(value, path, minimum, maximum) else None

    def number(
        self,
        value: object,
        path: str,
        minimum: float,
        maximum: float,
        *,
        exclusive_minimum: bool = False,
        exclusive_maximum: bool = False,
    ) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, f"expected a number, got {describe(value)}")
            return None
        if not math.isfinite(value):
            self.add(path, f"expected a finite number, got {describe(value)}")
            return None
        ok = self._in_range(value, path, minimum, maximum, exclusive_minimum, exclusive_maximum)
        return value if ok else None

    def _in_range(
        self,
        value: float,
        path: str,
        minimum: float,
        maximum: float,
        exclusive_minimum: bool = False,
        exclusive_maximum: bool = False,
    ) -> bool:
        if value < minimum or (exclusive_minimum and value == minimum):
            relation = "more than" if exclusive_minimum else "at least"
            self.add(path, f"{value:g} is too small; it must be {relation} {minimum:g}")
            return False
        if value > maximum or (exclusive_maximum and value == maximum):
            relation = "less than" if exclusive_maximum else "at most"
            self.add(path, f"{value:g} is too large; it must be {relation} {maximum:g}")
            return False
        return True

    def optional(
        self,
        fields: Mapping[str, object],
        key: str,
        path: str,
        read: Callable[[object, str], T | None],
        default: T,
    ) -> T:
        if key not in fields:
            return default
        value = read(fields[key], _at(path, key))
        return default if value is None else value

    def names(self, value: object, path: str) -> tuple[str, ...]:
        names: list[str] = []
        for index, item in enumerate(self.items(value, path)):
            name = self.name(item, _index(path, index))
            if name is not None:
                names.append(name)
        return tuple(names)

    # The document -------------------------------------------------------------------------

    def requirements(self, document: object) -> Requirements | None:
        fields = self.mapping(document, "", TOP_KEYS)
        if fields is None:
            return None
        format_ = self.required(fields, "format", "")
        if "format" in fields and format_ != FORMAT:
            got = repr(format_) if isinstance(format_, str) else describe(format_)
            self.add("format", f"{got} is not a supported format; expected {FORMAT!r}")
        project = self.required(fields, "project", "")
        project_name = None if project is None else self.string(project, "project", 200)
        if project_name is not None and not project_name.strip():
            self.add("project", "must not be empty")
        description = self.optional(
            fields,
            "description",
            "",
            lambda value, path: self.string(value, path, DESCRIPTION_MAX_LENGTH),
            "",
        )
        workload = self.workload(fields.get("workload", {}), "workload")
        team = self.team(fields.get("team", {}), "team")
        entities = tuple(
            entity
            for index, item in enumerate(self.items(fields.get("entities", []), "entities"))
            if (entity := self.entity(item, _index("entities", index))) is not None
        )
        self.check_unique(
            [(entity.name, f"entities[{index}].name") for index, entity in enumerate(entities)],
            "entity",
        )
        known = {entity.name: entity for entity in entities}
        relationships = self.relationships(fields.get("relationships", []), known)
        patterns = self.access_patterns(fields.get("access_patterns", []), known, relationships)
        if project_name is None or workload is None or team is None:
            return None
        return Requirements(
            project=project_name,
            description=description,
            workload=workload,
            team=team,
            entities=entities,
            relationships=tuple(relationship for relationship, _ in relationships),
            access_patterns=patterns,
        )

    def check_unique(self, named: Sequence[tuple[str, str]], what: str) -> None:
        first: dict[str, str] = {}
        for name, path in named:
            if name in first:
                self.add(path, f"duplicate {what} name {name!r} (first at {first[name]})")
            else:
                first[name] = path

    def workload(self, value: object, path: str) -> Workload | None:
        fields = self.mapping(value, path, WORKLOAD_KEYS)
        if fields is None:
            return None
        defaults = Workload()

        def rate(value: object, at: str) -> float | None:
            return self.number(value, at, 0, MAX_RATE)

        return Workload(
            reads_per_second=self.optional(
                fields, "reads_per_second", path, rate, defaults.reads_per_second
            ),
            writes_per_second=self.optional(
                fields, "writes_per_second", path, rate, defaults.writes_per_second
            ),
            data_volume_gb=self.optional(
                fields,
                "data_volume_gb",
                path,
                lambda value, at: self.number(value, at, 0, MAX_VOLUME_GB),
                defaults.data_volume_gb,
            ),
            growth_gb_per_month=self.optional(
                fields,
                "growth_gb_per_month",
                path,
                lambda value, at: self.number(value, at, 0, MAX_VOLUME_GB),
                defaults.growth_gb_per_month,
            ),
            retention_days=self.optional(
                fields,
                "retention_days",
                path,
                lambda value, at: self.integer(value, at, 1, MAX_RETENTION_DAYS),
                defaults.retention_days,
            ),
            consistency=self.optional(
                fields,
                "consistency",
                path,
                lambda value, at: self.choice(value, at, CONSISTENCY),
                defaults.consistency,
            ),
            transactions=self.optional(
                fields,
                "transactions",
                path,
                lambda value, at: self.choice(value, at, TRANSACTIONS),
                defaults.transactions,
            ),
            schema_stability=self.optional(
                fields,
                "schema_stability",
                path,
                lambda value, at: self.choice(value, at, SCHEMA_STABILITY),
                defaults.schema_stability,
            ),
            regions=self.optional(
                fields,
                "regions",
                path,
                lambda value, at: self.integer(value, at, 1, MAX_REGIONS),
                defaults.regions,
            ),
            availability_percent=self.optional(
                fields,
                "availability_percent",
                path,
                lambda value, at: self.number(value, at, 0, 100, exclusive_maximum=True),
                defaults.availability_percent,
            ),
            latency_p99_ms=self.optional(
                fields,
                "latency_p99_ms",
                path,
                lambda value, at: self.number(value, at, 0, MAX_LATENCY_MS, exclusive_minimum=True),
                defaults.latency_p99_ms,
            ),
        )

    def team(self, value: object, path: str) -> Team | None:
        fields = self.mapping(value, path, TEAM_KEYS)
        if fields is None:
            return None
        expertise: list[str] = []
        if "expertise" in fields:
            at = _at(path, "expertise")
            for index, item in enumerate(self.items(fields["expertise"], at)):
                name = self.string(item, _index(at, index), EXPERTISE_MAX_LENGTH)
                if name is None:
                    continue
                if not name.strip():
                    self.add(_index(at, index), "must not be empty")
                elif name in expertise:
                    self.add(_index(at, index), f"{name!r} is listed twice")
                else:
                    expertise.append(name)
        defaults = Team()
        return Team(
            expertise=tuple(expertise),
            managed_service=self.optional(
                fields,
                "managed_service",
                path,
                lambda value, at: self.choice(value, at, MANAGED_SERVICE),
                defaults.managed_service,
            ),
            budget=self.optional(
                fields,
                "budget",
                path,
                lambda value, at: self.choice(value, at, BUDGET),
                defaults.budget,
            ),
        )

    def entity(self, value: object, path: str) -> Entity | None:
        fields = self.mapping(value, path, ENTITY_KEYS)
        if fields is None:
            return None
        name = self.name(self.required(fields, "name", path), _at(path, "name"))
        context = self.optional(fields, "context", path, self.name, None)
        attributes_path = _at(path, "attributes")
        attributes = tuple(
            attribute
            for index, item in enumerate(self.items(fields.get("attributes", []), attributes_path))
            if (attribute := self.attribute(item, _index(attributes_path, index))) is not None
        )
        self.check_unique(
            [
                (attribute.name, f"{attributes_path}[{index}].name")
                for index, attribute in enumerate(attributes)
            ],
            "attribute",
        )
        if name is None:
            return None
        return Entity(name=name, context=context, attributes=attributes)

    def attribute(self, value: object, path: str) -> Attribute | None:
        fields = self.mapping(value, path, ATTRIBUTE_KEYS)
        if fields is None:
            return None
        name = self.name(self.required(fields, "name", path), _at(path, "name"))
        type_ = self.required(fields, "type", path)
        kind = None if type_ is None else self.choice(type_, _at(path, "type"), ATTRIBUTE_TYPES)

        def only_for(key: str, types: Sequence[str], what: str) -> bool:
            if key not in fields:
                return False
            if kind is not None and kind not in types:
                self.add(_at(path, key), f"applies only to {what}, not to type {kind}")
                return False
            return kind is not None

        length = None
        if only_for("length", ("string",), "type string"):
            length = self.integer(fields["length"], _at(path, "length"), 1, MAX_LENGTH)
        precision = scale = None
        if only_for("precision", ("decimal",), "type decimal"):
            precision = self.integer(fields["precision"], _at(path, "precision"), 1, MAX_PRECISION)
        if only_for("scale", ("decimal",), "type decimal"):
            scale = self.integer(fields["scale"], _at(path, "scale"), 0, MAX_PRECISION)
            if "precision" not in fields:
                self.add(_at(path, "scale"), "needs a precision")
            elif scale is not None and precision is not None and scale > precision:
                self.add(_at(path, "scale"), f"{scale} is greater than the precision {precision}")
        values: tuple[str, ...] = ()
        if only_for("values", ("enum",), "type enum"):
            values = self.enum_values(fields["values"], _at(path, "values"))
        elif kind == "enum" and "values" not in fields:
            self.add(_at(path, "values"), "is required for type enum")
        numeric = f"numeric types ({', '.join(NUMERIC_TYPES)})"
        bounds: dict[str, float | None] = {}
        for key in ("min", "max"):
            bounds[key] = None
            if only_for(key, NUMERIC_TYPES, numeric):
                bounds[key] = self.bound(fields[key], _at(path, key), kind)
        low, high = bounds["min"], bounds["max"]
        if low is not None and high is not None and low > high:
            self.add(_at(path, "max"), f"{high:g} is less than min {low:g}")
        format_ = None
        if only_for("format", TEXT_TYPES, "types string and text"):
            format_ = self.choice(fields["format"], _at(path, "format"), FORMATS)
        default = None
        if "default" in fields and kind is not None:
            default = self.default(fields["default"], _at(path, "default"), kind, values, length)
            if isinstance(default, int | float) and not isinstance(default, bool):
                if low is not None and default < low:
                    self.add(_at(path, "default"), f"{default:g} is less than min {low:g}")
                if high is not None and default > high:
                    self.add(_at(path, "default"), f"{default:g} is more than max {high:g}")
        required = self.optional(fields, "required", path, self.boolean, False)
        unique = self.optional(fields, "unique", path, self.boolean, False)
        if name is None or kind is None:
            return None
        return Attribute(
            name=name,
            type=kind,
            length=length,
            precision=precision,
            scale=scale,
            values=values,
            required=required,
            unique=unique,
            default=default,
            min=low,
            max=high,
            format=format_,
        )

    def enum_values(self, value: object, path: str) -> tuple[str, ...]:
        items = self.items(value, path)
        if isinstance(value, list | tuple) and not items:
            self.add(path, "must list at least one value")
        values: list[str] = []
        for index, item in enumerate(items):
            text = self.name(item, _index(path, index))
            if text is None:
                continue
            if text in values:
                self.add(_index(path, index), f"duplicate value {text!r}")
            else:
                values.append(text)
        return tuple(values)

    def bound(self, value: object, path: str, kind: str | None) -> float | None:
        if kind in ("integer", "bigint"):
            return self.integer(value, path, -(2**63), 2**63 - 1)
        return self.number(value, path, -math.inf, math.inf)

    def default(
        self, value: object, path: str, kind: str, values: Sequence[str], length: int | None
    ) -> Scalar | None:
        if kind in ("integer", "bigint"):
            return self.integer(value, path, -(2**63), 2**63 - 1)
        if kind in ("decimal", "float"):
            return self.number(value, path, -math.inf, math.inf)
        if kind == "boolean":
            return self.boolean(value, path)
        if kind == "json":
            if isinstance(value, str | int | float | bool):
                return value
            self.add(path, f"expected a string, number or boolean, got {describe(value)}")
            return None
        text = self.string(value, path, MAX_LENGTH)
        if text is None:
            return None
        if kind == "enum" and values and text not in values:
            self.add(path, _one_of(text, values))
            return None
        if length is not None and len(text) > length:
            self.add(path, f"is {len(text)} characters long; the length is {length}")
            return None
        return text

    def relationships(
        self, value: object, entities: Mapping[str, Entity]
    ) -> list[tuple[Relationship, str]]:
        """The valid relationships, each with its path; roles are checked for duplicates."""
        parsed: list[tuple[Relationship, str]] = []
        roles: dict[tuple[str, str], str] = {}
        for index, item in enumerate(self.items(value, "relationships")):
            path = _index("relationships", index)
            found = self.relationship(item, path, entities)
            if found is None:
                continue
            relationship, mirrored = found
            parsed.append((relationship, path))
            role_key = "name" if relationship.name is not None else ("from" if mirrored else "to")
            scope = (relationship.source, relationship.role)
            if scope in roles:
                self.add(
                    _at(path, role_key),
                    f"entity {relationship.source!r} already has a relationship called "
                    f"{relationship.role!r} ({roles[scope]}); give this one another name",
                )
            else:
                roles[scope] = path
        return parsed

    def relationship(
        self, value: object, path: str, entities: Mapping[str, Entity]
    ) -> tuple[Relationship, bool] | None:
        fields = self.mapping(value, path, RELATIONSHIP_KEYS)
        if fields is None:
            return None
        ends: dict[str, str | None] = {}
        for key in ("from", "to"):
            ends[key] = self.name(self.required(fields, key, path), _at(path, key))
            end = ends[key]
            if end is not None and end not in entities:
                self.add(_at(path, key), f"unknown entity {end!r}{did_you_mean(end, entities)}")
                ends[key] = None
        cardinality = self.required(fields, "cardinality", path)
        if cardinality is not None:
            choices = (*CARDINALITIES, *MIRRORED_CARDINALITIES)
            cardinality = self.choice(cardinality, _at(path, "cardinality"), choices)
        name = self.optional(fields, "name", path, self.name, None)
        required = self.optional(fields, "required", path, self.boolean, False)
        on_delete = self.optional(
            fields, "on_delete", path, lambda value, at: self.choice(value, at, ON_DELETE), None
        )
        if on_delete == "set_null" and required:
            self.add(
                _at(path, "on_delete"),
                "set_null cannot apply to a required relationship (required is true)",
            )
        source, target = ends["from"], ends["to"]
        if source is None or target is None:
            return None
        if cardinality is None:  # already a problem; keep the ends so references still resolve
            cardinality = "many-to-one"
        mirrored = cardinality in MIRRORED_CARDINALITIES
        if mirrored:
            source, target = target, source
            cardinality = MIRRORED_CARDINALITIES[cardinality]
        relationship = Relationship(
            source=source,
            target=target,
            cardinality=cardinality,
            name=name,
            required=required,
            on_delete=on_delete,
        )
        return relationship, mirrored

    def access_patterns(
        self,
        value: object,
        entities: Mapping[str, Entity],
        relationships: Sequence[tuple[Relationship, str]],
    ) -> tuple[AccessPattern, ...]:
        referable = _referable_names(entities, [relationship for relationship, _ in relationships])
        patterns: list[AccessPattern] = []
        names: list[tuple[str, str]] = []
        for index, item in enumerate(self.items(value, "access_patterns")):
            path = _index("access_patterns", index)
            pattern = self.access_pattern(item, path, entities, referable)
            if pattern is not None:
                patterns.append(pattern)
                names.append((pattern.name, _at(path, "name")))
        self.check_unique(names, "access pattern")
        return tuple(patterns)

    def access_pattern(
        self,
        value: object,
        path: str,
        entities: Mapping[str, Entity],
        referable: Mapping[str, tuple[str, ...]],
    ) -> AccessPattern | None:
        fields = self.mapping(value, path, PATTERN_KEYS)
        if fields is None:
            return None
        name = self.name(self.required(fields, "name", path), _at(path, "name"))
        entity = self.name(self.required(fields, "entity", path), _at(path, "entity"))
        if entity is not None and entity not in entities:
            self.add(
                _at(path, "entity"), f"unknown entity {entity!r}{did_you_mean(entity, entities)}"
            )
            entity = None
        operation = self.required(fields, "operation", path)
        if operation is not None:
            operation = self.choice(operation, _at(path, "operation"), OPERATIONS)
        kind = self.required(fields, "kind", path)
        if kind is not None:
            kind = self.choice(kind, _at(path, "kind"), KINDS)
        filter_ = self.references(fields, "filter", path, entity, referable)
        sort = self.references(fields, "sort", path, entity, referable)
        per_second = self.optional(
            fields,
            "per_second",
            path,
            lambda value, at: self.number(value, at, 0, MAX_RATE),
            None,
        )
        latency_ms = self.optional(
            fields,
            "latency_ms",
            path,
            lambda value, at: self.number(value, at, 0, MAX_LATENCY_MS, exclusive_minimum=True),
            None,
        )
        consistency = self.optional(
            fields,
            "consistency",
            path,
            lambda value, at: self.choice(value, at, CONSISTENCY),
            None,
        )
        depth = None
        if "depth" in fields:
            if kind is not None and kind != "traversal":
                self.add(_at(path, "depth"), f"applies only to kind traversal, not to kind {kind}")
            else:
                depth = self.integer(fields["depth"], _at(path, "depth"), 1, MAX_DEPTH)
        if name is None or entity is None or operation is None or kind is None:
            return None
        return AccessPattern(
            name=name,
            entity=entity,
            operation=operation,
            kind=kind,
            filter=filter_,
            sort=sort,
            per_second=per_second,
            latency_ms=latency_ms,
            consistency=consistency,
            depth=depth,
        )

    def references(
        self,
        fields: Mapping[str, object],
        key: str,
        path: str,
        entity: str | None,
        referable: Mapping[str, tuple[str, ...]],
    ) -> tuple[str, ...]:
        if key not in fields:
            return ()
        at = _at(path, key)
        names = self.names(fields[key], at)
        if entity is None:
            return names
        known = referable[entity]
        for index, name in enumerate(names):
            bare = name[1:] if key == "sort" and name.startswith("-") and len(name) > 1 else name
            if bare not in known:
                self.add(
                    _index(at, index),
                    f"{bare!r} is not an attribute or relationship of {entity!r}"
                    f"{did_you_mean(bare, known)}",
                )
        return names


def _referable_names(
    entities: Mapping[str, Entity], relationships: Sequence[Relationship]
) -> dict[str, tuple[str, ...]]:
    """For each entity, the names a filter or sort may use."""
    names: dict[str, list[str]] = {name: list(e.attribute_names()) for name, e in entities.items()}
    for relationship in relationships:
        names[relationship.source] += [relationship.role, relationship.target]
        names[relationship.target] += [relationship.inverse_role, relationship.source]
    return {name: tuple(dict.fromkeys(found)) for name, found in names.items()}


__all__ = ["IMPLICIT_ATTRIBUTES", "describe", "did_you_mean", "parse_requirements"]
