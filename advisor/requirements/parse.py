"""Validating a requirements document: every problem is collected, then all are raised at once."""

from __future__ import annotations

import functools
import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain, compress, islice, product, repeat
from operator import attrgetter, le
from typing import Any, TypeVar

from advisor.collector import collector_paused
from advisor.errors import InvalidRequirements, Problem
from advisor.requirements.document import plain_json_document
from advisor.requirements.fields import (
    BIGINT_MAX,
    BIGINT_MIN,
    FIELDS,
    MAX_ATTRIBUTES,
    MAX_LENGTH,
    MAX_NODES,
    VALUE_KINDS,
    Field,
    attribute_of,
    fields_of,
    keys_of,
)
from advisor.requirements.model import (
    IMPLICIT_ATTRIBUTES,
    MIRRORED_CARDINALITIES,
    NAME_MAX_LENGTH,
    SPATIAL_TYPES,
    VECTOR_TYPES,
    AccessPattern,
    Attribute,
    Entity,
    Lint,
    LintIgnore,
    Relationship,
    Requirements,
    Team,
    Workload,
)
from advisor.requirements.well_formed import (
    Table,
    instances,
    items_held,
    well_formed_mapping,
    well_formed_rows,
)

T = TypeVar("T")
_NAME = attrgetter("name")
_SOURCE, _TARGET = attrgetter("source"), attrgetter("target")
_ROLE, _INVERSE_ROLE = attrgetter("role"), attrgetter("inverse_role")
# The mappings at the root: what is not read as a table (`_Reader.rows`).
_SECTIONS = tuple(
    field for field in FIELDS.values() if field.parent == "" and field.kind == "section"
)
# The fields of an attribute that the reader relates to others (a default within min and max).
_BOUNDS = frozenset({"default", "min", "max"})
# The attribute type a pattern of these kinds must name in its filter: what it searches by.
SEARCHED_BY = {"nearby": SPATIAL_TYPES, "similarity": VECTOR_TYPES}


@collector_paused(lasting=True)
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
    too_many = size_problems(document)
    if too_many:  # before reading any item: a huge document must cost nothing more
        raise InvalidRequirements(too_many)
    plain = _Reader().well_formed(document)
    if plain is not None:
        return plain
    reader = _Reader()
    requirements = reader.requirements(document)
    if reader.problems or requirements is None:
        raise InvalidRequirements(reader.problems)
    return requirements


@collector_paused(lasting=True)
def read_well_formed(text: str) -> Requirements | None:
    """The requirements of a JSON text with no problem, read without first walking the
    document for the limits `load_document` checks (see `plain_json_document`); None when
    anything is not plainly so, and `parse_requirements(load_document(text))` then reads it
    and says what is wrong.

    The reader of well-formed documents reads only the format's shapes, nested six levels at
    most, and counts what it reads: no key was given twice when the keys are as many as the
    text's colons (one follows every key; a string may hold more), and the values, keys and
    items must be at most `MAX_NODES`, as when walked.

    >>> read_well_formed('{"format": "advisor/v1", "project": "Shop"}').project
    'Shop'
    >>> print(read_well_formed('{"format": "advisor/v1", "project": "A", "project": "B"}'))
    None
    """
    document = plain_json_document(text)
    if document is None or size_problems(document):
        return None
    reader = _Reader()
    requirements = reader.well_formed(document)
    if requirements is None or reader.keys_read != text.count(":"):
        return None
    return requirements if 1 + reader.nodes_read <= MAX_NODES else None


def _counted(value: object) -> tuple[int, int]:
    """The keys of the mappings in a value the reader accepted (a section: a few levels), and
    the keys, values and items below it."""
    if type(value) is dict:
        inside = [_counted(item) for item in value.values()]
        return len(value) + sum(k for k, _ in inside), 2 * len(value) + sum(n for _, n in inside)
    if type(value) is list:
        inside = [_counted(item) for item in value]
        return sum(k for k, _ in inside), len(value) + sum(n for _, n in inside)
    return 0, 0


def size_problems(document: Mapping[str, object]) -> list[Problem]:
    """A problem for each list longer than the format allows (see Limits in
    docs/requirements.md), and for more attributes in all than it allows.

    >>> print(*size_problems({"entities": [{"attributes": [{}] * 60_000}] * 2}))
    entities: the entities have 120,000 attributes in all; at most 100,000 are allowed
    """
    problems: list[Problem] = []
    if not isinstance(document, Mapping):
        return problems
    for field in FIELDS.values():
        given = document.get(field.path) if field.parent == "" else None
        if field.max_items is not None and isinstance(given, list) and len(given) > field.max_items:
            problems.append(
                Problem(
                    field.path,
                    f"lists {len(given):,} {field.label.lower()}; at most {field.max_items:,} "
                    "are allowed",
                )
            )
    entities = document.get("entities")
    items = entities if isinstance(entities, list) else []
    lists: list[Any]
    if set(map(type, items)) <= {dict}:  # as a document read from text has them: C code counts
        lists = list(map(dict.get, items, repeat("attributes")))
    else:
        lists = [entity.get("attributes") for entity in items if isinstance(entity, Mapping)]
    attributes = sum(map(len, compress(lists, map(isinstance, lists, repeat(list)))))
    if attributes > MAX_ATTRIBUTES:
        problems.append(
            Problem(
                "entities",
                f"the entities have {attributes:,} attributes in all; at most "
                f"{MAX_ATTRIBUTES:,} are allowed",
            )
        )
    return problems


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
        digits = len(str(abs(value))) if abs(value) < 10**100 else None
        return f"integer {value}" if digits is not None and digits <= 40 else "a long integer"
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
    import difflib  # only a document with a mistake needs it

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


# What no database stores as text: NUL (PostgreSQL refuses it) and a lone UTF-16 surrogate,
# which is not a character and cannot be written as UTF-8.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


# Unicode's control characters (category Cc) and its line and paragraph separators (Zl, Zp).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def unstorable(text: str) -> str:
    r"""Why `text` cannot be stored, or ''.

    >>> unstorable("café")
    ''
    >>> unstorable("a\x00b")
    'contains a NUL character (\\x00), which databases do not store'
    >>> unstorable("\ud800")
    'contains a lone surrogate (\\ud800), which is not a character'
    """
    found = _UNSTORABLE.search(text)
    if found is None:
        return ""
    if found[0] == "\x00":
        return "contains a NUL character (\\x00), which databases do not store"
    return f"contains a lone surrogate ({ascii(found[0])[1:-1]}), which is not a character"


def _interned(name: str) -> str:
    """The one copy of a name: a large document names each entity and attribute many times,
    and every lookup by an interned name compares pointers, in memory that stays in the cache
    (the engine on a 5,000-entity document read from JSON: a third faster)."""
    return sys.intern(name if type(name) is str else str.__str__(name))


def _printable(key: str) -> str:
    return ascii(key)[1:-1] if _UNSTORABLE.search(key) else key


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _index(path: str, index: int) -> str:
    return f"{path}[{index}]"


def _one_of(value: str, choices: Sequence[str]) -> str:
    return f"{_short(value)!r} is not one of {', '.join(choices)}{did_you_mean(value, choices)}"


class _Reader:
    """Reads a document field by field, noting problems instead of stopping at the first.

    Each mapping's keys, and each key's kind, limits and choices, come from the field table;
    the methods below add what relates one field to another.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        # By `well_formed`: the keys of every mapping of the document, and every key, value
        # and item below its root (what `MAX_NODES` counts, with the root).
        self.keys_read = 0
        self.nodes_read = 0

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # Shapes -------------------------------------------------------------------------------

    def mapping(self, value: object, path: str, parent: str) -> dict[str, object] | None:
        """The given keys of the mapping at `path`, whose fields the table lists at `parent`."""
        if not isinstance(value, Mapping):
            self.add(path, f"expected a mapping, got {describe(value)}")
            return None
        keys = keys_of(parent)
        fields: dict[str, object] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                self.add(path, f"key {key!r} is not a string")
            elif key not in keys:
                self.add(_at(path, _printable(key)), f"unknown key{did_you_mean(key, keys)}")
            elif item is not None:  # null means "not given"
                fields[key] = item
        return fields

    def items(self, value: object, path: str) -> list[object]:
        if isinstance(value, list | tuple):
            return list(value)
        self.add(path, f"expected a list, got {describe(value)}")
        return []

    def fields(self, given: Mapping[str, object], path: str, parent: str) -> dict[str, Any]:
        """The valid values of the table's fields at `parent` that hold no mapping or list of
        mappings, by key; absent and invalid ones are left out (a problem notes the invalid)."""
        values: dict[str, Any] = {}
        for field in _value_fields(parent):
            only = field.only
            if field.key not in given:
                if field.required:
                    self.add(_at(path, field.key), "is required")
                elif (
                    field.required_when_it_applies and only and values.get(only.key) in only.values
                ):
                    self.add(_at(path, field.key), f"is required for {only}")
                continue
            at = _at(path, field.key)
            if only is not None:
                condition = values.get(only.key)
                if condition is None:  # missing or invalid, and already a problem
                    continue
                if condition not in only.values:
                    self.add(at, f"applies only to {only}, not to {only.key} {condition}")
                    continue
            value = self.value(field, given[field.key], at, values.get(field.typed_by))
            if value is not None:
                values[field.key] = value
            if field.needs and field.needs not in given:
                self.add(at, f"needs a {field.needs}")
        return values

    # Values -------------------------------------------------------------------------------

    def value(self, field: Field, value: object, path: str, type_: str | None = None) -> Any:
        """`value` read as `field` says, or None after noting why it is not one."""
        kind = field.kind
        if kind == "value":
            if type_ is None:
                return None
            kind = VALUE_KINDS[type_]
        if kind == "const":
            if value != field.choices[0]:
                got = repr(value) if isinstance(value, str) else describe(value)
                self.add(
                    path, f"{got} is not a supported {field.key}; expected {field.choices[0]!r}"
                )
                return None
            return value
        if kind == "text":
            return self.text(value, path, field.min_length, field.max_length or MAX_LENGTH)
        if kind == "name":
            return self.name(value, path)
        if kind == "choice":
            return self.choice(value, path, field.choices)
        if kind == "boolean":
            return self.boolean(value, path)
        if kind == "integer":
            low = BIGINT_MIN if field.minimum is None else int(field.minimum)
            high = BIGINT_MAX if field.maximum is None else int(field.maximum)
            return self.integer(value, path, low, high)
        if kind == "number":
            return self.number(
                value,
                path,
                -math.inf if field.minimum is None else field.minimum,
                math.inf if field.maximum is None else field.maximum,
                exclusive_minimum=field.exclusive_minimum,
                exclusive_maximum=field.exclusive_maximum,
            )
        if kind == "scalar":
            if isinstance(value, str):
                return self.string(value, path, MAX_LENGTH)
            if isinstance(value, bool):
                return value
            if isinstance(value, int | float):
                return self.number(value, path, -math.inf, math.inf)
            self.add(path, f"expected a string, number or boolean, got {describe(value)}")
            return None
        if kind == "list":
            return self.listing(field, value, path)
        if kind == "keys":
            return self.keys(value, path)
        raise AssertionError(f"{field.path}: kind {kind} is read by its own method")

    def text(self, value: object, path: str, min_length: int, max_length: int) -> str | None:
        text = self.string(value, path, max_length)
        if text is not None and min_length and not text.strip():
            self.add(path, "must not be empty")
            return None
        return text

    def string(self, value: object, path: str, max_length: int) -> str | None:
        if not isinstance(value, str):
            self.add(path, f"expected a string, got {describe(value)}")
            return None
        if len(value) > max_length:
            self.add(path, f"is {len(value)} characters long; at most {max_length} are allowed")
            return None
        if problem := unstorable(value):
            self.add(path, problem)
            return None
        return value

    def name(self, value: object, path: str) -> str | None:
        text = self.string(value, path, NAME_MAX_LENGTH)
        if text is None:
            return None
        if not text.strip():
            self.add(path, "must not be empty")
            return None
        if _CONTROL.search(text):
            self.add(path, "must not contain control characters (line breaks, tabs, ...)")
            return None
        return _interned(text)

    def choice(self, value: object, path: str, choices: Sequence[str]) -> str | None:
        if not isinstance(value, str):
            self.add(path, f"expected one of {', '.join(choices)}, got {describe(value)}")
            return None
        if value not in choices:
            self.add(path, _one_of(value, choices))
            return None
        return _interned(value)

    def boolean(self, value: object, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.add(path, f"expected true or false, got {describe(value)}")
            return None
        return value

    def integer(self, value: object, path: str, minimum: int, maximum: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, f"expected an integer, got {describe(value)}")
            return None
        if self._too_long(value, path, maximum):
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
        if isinstance(value, int) and self._too_long(value, path, maximum):
            return None
        if not math.isfinite(value):
            self.add(path, f"expected a finite number, got {describe(value)}")
            return None
        ok = self._in_range(value, path, minimum, maximum, exclusive_minimum, exclusive_maximum)
        return value if ok else None

    def _too_long(self, value: int, path: str, maximum: float) -> bool:
        """Whether an integer is beyond any float (so beyond every limit), noting it."""
        if abs(value) <= sys.float_info.max:
            return False
        sign = "-" if value < 0 else ""
        limit = f"; it must be at most {maximum:g}" if math.isfinite(maximum) else ""
        self.add(path, f"{sign}a number of {len(str(abs(value))):,} digits is too large{limit}")
        return True

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

    def listing(self, field: Field, value: object, path: str) -> tuple[str, ...]:
        items = self.items(value, path)
        if field.min_items and isinstance(value, list | tuple) and len(items) < field.min_items:
            self.add(path, "must list at least one value")
        found: list[str] = []
        for index, item in enumerate(items):
            at = _index(path, index)
            if field.items == "name":
                text = self.name(item, at)
            else:
                text = self.text(item, at, field.min_length, field.max_length or MAX_LENGTH)
            if text is None:
                continue
            if field.unique_items and text in found:
                # A list of names with unique items is an enum's values; of texts, technologies.
                duplicate = (
                    "duplicate value {!r}" if field.items == "name" else "{!r} is listed twice"
                )
                self.add(at, duplicate.format(text))
            else:
                found.append(text)
        return tuple(found)

    def keys(self, value: object, path: str) -> tuple[tuple[str, ...], ...]:
        """A list of keys, each a list of distinct names; a key listed twice is a problem."""
        found: list[tuple[str, ...]] = []
        for index, item in enumerate(self.items(value, path)):
            at = _index(path, index)
            if not isinstance(item, list | tuple):
                self.add(at, f"expected a list of names, got {describe(item)}")
                continue
            if not item:
                self.add(at, "must list at least one name")
                continue
            names: list[str] = []
            for position, name in enumerate(item):
                text = self.name(name, _index(at, position))
                if text is not None and text in names:
                    self.add(_index(at, position), f"{text!r} is listed twice in this key")
                elif text is not None:
                    names.append(text)
            key = tuple(names)
            if len(names) != len(item):
                continue
            if any(set(key) == set(other) for other in found):
                self.add(at, f"the key ({', '.join(key)}) is listed twice")
            else:
                found.append(key)
        return tuple(found)

    def check_unique_keys(
        self, entities: Sequence[Entity], relationships: Sequence[tuple[Relationship, str]]
    ) -> None:
        """Each name of a unique key is an attribute of the entity or the role of a reference
        it holds (a many-to-many relationship holds none: its links live in their own table)."""
        held: dict[str, list[str]] = {}
        for relationship, _ in relationships:
            if relationship.cardinality != "many-to-many":
                held.setdefault(relationship.source, []).extend(
                    (relationship.role, relationship.target)
                )
        for index, entity in enumerate(entities):
            if not entity.unique:
                continue
            known = [*entity.attribute_names(), *held.get(entity.name, ())]
            for position, key in enumerate(entity.unique):
                for place, name in enumerate(key):
                    if name not in known:
                        self.add(
                            f"entities[{index}].unique[{position}][{place}]",
                            f"{name!r} is not an attribute of {entity.name!r} or a relationship "
                            f"it holds{did_you_mean(name, known)}",
                        )

    def check_tenant(self, entities: Sequence[Entity], workload: Workload) -> None:
        """One entity holds the tenants when the workload has tenancy, and none otherwise."""
        tenants = [index for index, entity in enumerate(entities) if entity.tenant]
        if workload.tenancy == "none":
            for index in tenants:
                self.add(
                    f"entities[{index}].tenant",
                    "applies only with a workload.tenancy other than none",
                )
        elif not tenants:
            self.add(
                "workload.tenancy",
                f"{workload.tenancy} needs the entity whose items are the tenants: give it "
                "tenant: true",
            )
        for index in tenants[1:] if workload.tenancy != "none" else ():
            self.add(
                f"entities[{index}].tenant",
                f"only one entity holds the tenants; {entities[tenants[0]].name!r} already does",
            )

    # The document, when it has no problem ------------------------------------------------

    def well_formed(self, document: object) -> Requirements | None:
        """The requirements of a document with no problem, read list by list (see
        `well_formed_rows`); None when anything is not plainly valid, and the document is then
        read item by item by `requirements`, which says what is wrong. The rules that relate
        one item to others are checked here with this reader's methods, or as they state them."""
        if not well_formed_mapping(document, ""):
            return None
        given: Mapping[str, Any] = document  # type: ignore[assignment]
        values = self.fields(given, "", "")
        workload = self.section(given.get("workload", {}), "workload", Workload)
        team = self.section(given.get("team", {}), "team", Team)
        lint = self.lint(given.get("lint", {}))
        read = self.well_formed_entities(given.get("entities", []))
        if read is None or workload is None or team is None or lint is None:
            return None
        entities, declared = read
        known = {entity.name: entity for entity in entities}
        if len(known) != len(entities):
            return None
        relationships = self.well_formed_relationships(given.get("relationships", []), known)
        if relationships is None:
            return None
        if any(entity.unique for entity in entities):
            self.check_unique_keys(entities, [(relationship, "") for relationship in relationships])
        self.check_tenant(entities, workload)
        referable = _referable_pairs(known, declared, relationships)
        patterns = self.well_formed_patterns(given.get("access_patterns", []), known, referable)
        if patterns is None or self.problems or "project" not in values:
            return None
        # The root's keys and those of its sections; the tables counted their rows'.
        counted = [_counted(given.get(field.key)) for field in _SECTIONS]
        self.keys_read += len(given) + sum(keys for keys, _ in counted)
        self.nodes_read += 2 * len(given) + sum(nodes for _, nodes in counted)
        return Requirements(
            project=values["project"],
            description=values.get("description", ""),
            workload=workload,
            team=team,
            entities=tuple(entities),
            relationships=tuple(relationships),
            access_patterns=tuple(patterns),
            lint=lint,
        )

    def rows(self, value: object, parent: str) -> Table | None:
        """The items of a list of mappings at `parent` as a `Table`, their keys counted, when
        they are plainly valid (see `well_formed_rows`); else None."""
        table = well_formed_rows(value, parent) if type(value) is list else None
        if table is not None:
            self.keys_read += table.key_count
            # Its rows are the list's items, their keys and values, and their lists' items.
            self.nodes_read += table.size + 2 * table.key_count + items_held(table, parent)
        return table

    def well_formed_entities(
        self, value: object
    ) -> tuple[list[Entity], set[tuple[str, str]]] | None:
        """The entities, and (entity, attribute) for each attribute they declare."""
        rows = value if type(value) is list else []
        table = self.rows(value, "entities[]")
        if table is None:
            return None
        if table.given("renamed_from"):
            self.check_renames(
                [(entity["name"], entity.get("renamed_from")) for entity in rows],
                "entities[{}]",
                "entity",
            )
        lists = list(map(dict.get, rows, repeat("attributes"), repeat(())))
        if not {list, tuple}.issuperset(map(type, lists)):
            return None
        attribute_rows = list(chain.from_iterable(lists))
        read = self.well_formed_attributes(attribute_rows)
        if read is None:
            return None
        attributes, given = read
        counts = list(map(len, lists))
        owners = chain.from_iterable(
            map(repeat, map(dict.__getitem__, rows, repeat("name")), counts)
        )
        declared = set(zip(owners, map(_NAME, attributes), strict=True))
        if len(declared) != len(attributes):
            return None  # an entity names two attributes alike
        remaining = iter(attributes)
        owned = list(map(tuple, map(islice, repeat(remaining), counts)))  # each entity's own
        if "renamed_from" in given or "signed_by" in given:
            for index, own in enumerate(owned):
                path = f"entities[{index}].attributes"
                if "renamed_from" in given:
                    named = [(attribute.name, attribute.renamed_from) for attribute in own]
                    self.check_renames(named, f"{path}[{{}}]", "attribute")
                if "signed_by" in given:
                    self.check_signed_by(own, path)
        return instances(Entity, "entities[]", table, {"attributes": owned}), declared

    def well_formed_attributes(self, rows: list[Any]) -> tuple[list[Attribute], set[str]] | None:
        """The attributes of all the entities, and the keys any of them gives."""
        table = self.rows(rows, "entities[].attributes[]")
        if table is None:
            return None
        for group in table.groups:
            columns = group.columns
            if "scale" in columns and not all(map(le, columns["scale"], columns["precision"])):
                return None
            if not _BOUNDS.isdisjoint(columns):
                # What relates a default, a min and a max to the rest: as the reader checks it.
                for position in group.positions:
                    if self.attribute(rows[position], "") is None:
                        return None
        given = set(chain.from_iterable(group.columns for group in table.groups))
        return instances(Attribute, "entities[].attributes[]", table), given

    def well_formed_relationships(
        self, value: object, entities: Mapping[str, Entity]
    ) -> list[Relationship] | None:
        table = self.rows(value, "relationships[]")
        if table is None:
            return None
        sources, targets = table.column("from"), table.column("to")
        cardinalities = table.column("cardinality")
        if not entities.keys() >= {*sources, *targets}:
            return None
        on_delete = table.column("on_delete")
        required = table.column("required", False)
        if ("set_null", True) in zip(on_delete, required, strict=True):
            return None
        if not MIRRORED_CARDINALITIES.keys().isdisjoint(cardinalities):
            mirrored = list(map(MIRRORED_CARDINALITIES.__contains__, cardinalities))
            sources, targets = (
                [target if mirror else source for source, target, mirror in ends]
                for ends in (
                    zip(sources, targets, mirrored, strict=True),
                    zip(targets, sources, mirrored, strict=True),
                )
            )
            cardinalities = [MIRRORED_CARDINALITIES.get(item, item) for item in cardinalities]
        if any(entity.append_only for entity in entities.values()):
            # The source holds the reference; an append-only one is never cleared or deleted.
            for source, action, cardinality in zip(sources, on_delete, cardinalities, strict=True):
                cleared = action in ("cascade", "set_null") and cardinality != "many-to-many"
                if cleared and entities[source].append_only:
                    return None
        names = table.column("name")
        called = [
            target if name is None else name for name, target in zip(names, targets, strict=True)
        ]
        roles = list(zip(sources, called, strict=True))
        if len(set(roles)) != len(roles):
            return None  # an entity calls two relationships alike
        ends = {"from": sources, "to": targets, "cardinality": cardinalities}
        return instances(Relationship, "relationships[]", table.replaced(ends))

    def well_formed_patterns(
        self,
        value: object,
        entities: Mapping[str, Entity],
        referable: set[tuple[str, str]],
    ) -> list[AccessPattern] | None:
        found = value if type(value) is list else []
        table = self.rows(value, "access_patterns[]")
        if table is None:
            return None
        names, owners = table.column("name"), table.column("entity")
        if len(set(names)) != len(names) or not entities.keys() >= set(owners):
            return None
        for key in ("filter", "sort"):
            lists = table.column(key, ())
            referred = chain.from_iterable(lists)
            named = zip(
                chain.from_iterable(map(repeat, owners, map(len, lists))),
                referred if key == "filter" else map(_sorted_by, referred),
                strict=True,
            )
            if not referable.issuperset(named):
                return None
        if not SEARCHED_BY.keys().isdisjoint(table.given("kind")):
            for index, values in enumerate(found):
                if values["kind"] in SEARCHED_BY:
                    path = _index("access_patterns", index)
                    self.check_searched_by(values, path, entities[values["entity"]])
        return instances(AccessPattern, "access_patterns[]", table)

    # The document -------------------------------------------------------------------------

    def requirements(self, document: object) -> Requirements | None:
        given = self.mapping(document, "", "")
        if given is None:
            return None
        values = self.fields(given, "", "")
        workload = self.section(given.get("workload", {}), "workload", Workload)
        team = self.section(given.get("team", {}), "team", Team)
        entities = tuple(
            entity
            for index, item in enumerate(self.items(given.get("entities", []), "entities"))
            if (entity := self.entity(item, _index("entities", index))) is not None
        )
        self.check_unique(
            [(entity.name, f"entities[{index}].name") for index, entity in enumerate(entities)],
            "entity",
        )
        self.check_renames(
            [(entity.name, entity.renamed_from) for entity in entities], "entities[{}]", "entity"
        )
        known = {entity.name: entity for entity in entities}
        relationships = self.relationships(given.get("relationships", []), known)
        self.check_unique_keys(entities, relationships)
        if workload is not None:
            self.check_tenant(entities, workload)
        patterns = self.access_patterns(given.get("access_patterns", []), known, relationships)
        lint = self.lint(given.get("lint", {}))
        if "project" not in values or workload is None or team is None or lint is None:
            return None
        return Requirements(
            project=values["project"],
            description=values.get("description", ""),
            workload=workload,
            team=team,
            entities=entities,
            relationships=tuple(relationship for relationship, _ in relationships),
            access_patterns=patterns,
            lint=lint,
        )

    def section(self, value: object, path: str, model: Callable[..., T]) -> T | None:
        """A mapping whose fields are all in the table, such as the workload."""
        given = self.mapping(value, path, path)
        if given is None:
            return None
        return model(**_attributes(path, self.fields(given, path, path)))

    def lint(self, value: object) -> Lint | None:
        """The findings accepted on purpose; which rules exist is the linter's to say."""
        given = self.mapping(value, "lint", "lint")
        if given is None:
            return None
        ignore = tuple(
            found
            for index, item in enumerate(self.items(given.get("ignore", []), "lint.ignore"))
            if (found := self.item(item, _index("lint.ignore", index), "lint.ignore[]", LintIgnore))
            is not None
        )
        return Lint(ignore=ignore)

    def item(self, value: object, path: str, parent: str, model: Callable[..., T]) -> T | None:
        """A list item whose fields are all in the table and need nothing from one another."""
        given = self.mapping(value, path, parent)
        if given is None:
            return None
        values = self.fields(given, path, parent)
        if any(field.required and field.key not in values for field in fields_of(parent)):
            return None
        return model(**_attributes(parent, values))

    def check_unique(self, named: Sequence[tuple[str, str]], what: str) -> None:
        first: dict[str, str] = {}
        for name, path in named:
            if name in first:
                self.add(path, f"duplicate {what} name {name!r} (first at {first[name]})")
            else:
                first[name] = path

    def check_renames(self, named: Sequence[tuple[str, str | None]], path: str, what: str) -> None:
        """A `renamed_from` names what is gone from this version, once: not the item itself,
        not another item of this version, not what another item is renamed from."""
        names = {name for name, _ in named}
        first: dict[str, int] = {}
        for index, (name, previous) in enumerate(named):
            where = f"{path.format(index)}.renamed_from"
            if previous is None:
                continue
            if previous == name:
                self.add(where, f"is the {what}'s own name; leave it out unless the name changes")
            elif previous in names:
                self.add(
                    where,
                    f"{previous!r} is still the name of an {what} of this version; a rename "
                    "names one that is gone",
                )
            elif previous in first:
                earlier = path.format(first[previous])
                self.add(where, f"{earlier} is already renamed from {previous!r}")
            else:
                first[previous] = index

    def entity(self, value: object, path: str) -> Entity | None:
        given = self.mapping(value, path, "entities[]")
        if given is None:
            return None
        values = self.fields(given, path, "entities[]")
        attributes_path = _at(path, "attributes")
        attributes = tuple(
            attribute
            for index, item in enumerate(self.items(given.get("attributes", []), attributes_path))
            if (attribute := self.attribute(item, _index(attributes_path, index))) is not None
        )
        self.check_unique(
            [
                (attribute.name, f"{attributes_path}[{index}].name")
                for index, attribute in enumerate(attributes)
            ],
            "attribute",
        )
        self.check_renames(
            [(attribute.name, attribute.renamed_from) for attribute in attributes],
            f"{attributes_path}[{{}}]",
            "attribute",
        )
        self.check_signed_by(attributes, attributes_path)
        if "name" not in values:
            return None
        return Entity(**_attributes("entities[]", values), attributes=attributes)

    def check_signed_by(self, attributes: Sequence[Attribute], path: str) -> None:
        """An amount is signed by an enum of the same entity, whose values are its directions."""
        enums = [a.name for a in attributes if a.type == "enum"]
        for index, attribute in enumerate(attributes):
            if attribute.signed_by is not None and attribute.signed_by not in enums:
                self.add(
                    f"{path}[{index}].signed_by",
                    f"{attribute.signed_by!r} is not an enum attribute of this entity"
                    f"{did_you_mean(attribute.signed_by, enums)}",
                )

    def attribute(self, value: object, path: str) -> Attribute | None:
        parent = "entities[].attributes[]"
        given = self.mapping(value, path, parent)
        if given is None:
            return None
        values = self.fields(given, path, parent)
        precision, scale = values.get("precision"), values.get("scale")
        if scale is not None and precision is not None and scale > precision:
            self.add(_at(path, "scale"), f"{scale} is greater than the precision {precision}")
        low, high = values.get("min"), values.get("max")
        if low is not None and high is not None and low > high:
            self.add(_at(path, "max"), f"{high:g} is less than min {low:g}")
        if "default" in values and values.get("type") in (*SPATIAL_TYPES, *VECTOR_TYPES):
            self.add(_at(path, "default"), f"a {values['type']} takes no default")
            del values["default"]
        if "default" in values and not self.default_fits(values, _at(path, "default")):
            del values["default"]
        if "name" not in values or "type" not in values:
            return None
        return Attribute(**_attributes(parent, values))

    def default_fits(self, values: Mapping[str, Any], path: str) -> bool:
        """Whether an attribute's default, already of the attribute's type, fits the rest."""
        default = values["default"]
        low, high = values.get("min"), values.get("max")
        if isinstance(default, int | float) and not isinstance(default, bool):
            if low is not None and default < low:
                self.add(path, f"{default:g} is less than min {low:g}")
            if high is not None and default > high:
                self.add(path, f"{default:g} is more than max {high:g}")
            return True
        if not isinstance(default, str) or VALUE_KINDS[values["type"]] != "text":
            return True
        choices = values.get("values", ())
        if values["type"] == "enum" and choices and default not in choices:
            self.add(path, _one_of(default, choices))
            return False
        length = values.get("length")
        if length is not None and len(default) > length:
            self.add(path, f"is {len(default)} characters long; the length is {length}")
            return False
        return True

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
        parent = "relationships[]"
        given = self.mapping(value, path, parent)
        if given is None:
            return None
        values = self.fields(given, path, parent)
        for key in ("from", "to"):
            end = values.get(key)
            if end is not None and end not in entities:
                self.add(_at(path, key), f"unknown entity {end!r}{did_you_mean(end, entities)}")
                del values[key]
        if values.get("on_delete") == "set_null" and values.get("required"):
            self.add(
                _at(path, "on_delete"),
                "set_null cannot apply to a required relationship (required is true)",
            )
            del values["on_delete"]
        holder = "to" if values.get("cardinality") in MIRRORED_CARDINALITIES else "from"
        source = entities.get(values.get(holder, ""))
        if (
            source is not None
            and source.append_only
            and values.get("on_delete") in ("cascade", "set_null")
            and values.get("cardinality") != "many-to-many"
        ):
            self.add(
                _at(path, "on_delete"),
                f"{source.name!r} is append-only: its rows are never deleted or changed, so "
                "deleting the item it refers to cannot cascade into it or clear it; use restrict",
            )
            del values["on_delete"]
        if "from" not in values or "to" not in values:
            return None
        # A missing cardinality is already a problem; keep the ends so references still resolve.
        cardinality = values.setdefault("cardinality", "many-to-one")
        mirrored = cardinality in MIRRORED_CARDINALITIES
        if mirrored:
            values["from"], values["to"] = values["to"], values["from"]
            values["cardinality"] = MIRRORED_CARDINALITIES[cardinality]
        return Relationship(**_attributes(parent, values)), mirrored

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
        parent = "access_patterns[]"
        given = self.mapping(value, path, parent)
        if given is None:
            return None
        values = self.fields(given, path, parent)
        entity = values.get("entity")
        if entity is not None and entity not in entities:
            self.add(
                _at(path, "entity"), f"unknown entity {entity!r}{did_you_mean(entity, entities)}"
            )
            del values["entity"]
        elif entity is not None:
            for key in ("filter", "sort"):
                self.check_references(values.get(key, ()), _at(path, key), entity, referable)
            self.check_searched_by(values, path, entities[entity])
        if any(key not in values for key in ("name", "entity", "operation", "kind")):
            return None
        return AccessPattern(**_attributes(parent, values))

    def check_searched_by(self, values: Mapping[str, Any], path: str, entity: Entity) -> None:
        """A nearby pattern names a point of the entity in its filter, a similarity pattern
        a vector: the attribute it searches by."""
        types = SEARCHED_BY.get(values.get("kind", ""))
        if types is None:
            return
        names = values.get("filter", ())
        if not any((a := entity.attribute(n)) is not None and a.type in types for n in names):
            wanted = " or ".join(types)
            self.add(
                _at(path, "filter"),
                f"a {values['kind']} pattern names a {wanted} attribute of {entity.name!r} "
                "to search by",
            )

    def check_references(
        self,
        names: Sequence[str],
        path: str,
        entity: str,
        referable: Mapping[str, tuple[str, ...]],
    ) -> None:
        known = referable[entity]
        for index, name in enumerate(names):
            descending = path.endswith(".sort") and name.startswith("-") and len(name) > 1
            bare = name[1:] if descending else name
            if bare not in known:
                self.add(
                    _index(path, index),
                    f"{bare!r} is not an attribute or relationship of {entity!r}"
                    f"{did_you_mean(bare, known)}",
                )


def _attributes(parent: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` by key, renamed to the attributes of the model that holds them."""
    renamed = _renamed(parent)
    return {renamed[key]: value for key, value in values.items()}


@functools.cache
def _value_fields(parent: str) -> tuple[Field, ...]:
    """The fields at `parent` that hold no mapping or list of mappings."""
    return tuple(field for field in fields_of(parent) if field.kind not in ("section", "items"))


@functools.cache
def _renamed(parent: str) -> dict[str, str]:
    return {field.key: attribute_of(field) for field in fields_of(parent)}


def _sorted_by(name: str) -> str:
    """The name a sort key names (`-created_at`: `created_at`, descending)."""
    return name[1:] if name.startswith("-") and len(name) > 1 else name


def _referable_names(
    entities: Mapping[str, Entity], relationships: Sequence[Relationship]
) -> dict[str, tuple[str, ...]]:
    """For each entity, the names a filter or sort may use."""
    names: dict[str, list[str]] = {name: list(e.attribute_names()) for name, e in entities.items()}
    for relationship in relationships:
        names[relationship.source] += [relationship.role, relationship.target]
        names[relationship.target] += [relationship.inverse_role, relationship.source]
    return {name: tuple(dict.fromkeys(found)) for name, found in names.items()}


def _referable_pairs(
    entities: Mapping[str, Entity],
    declared: Iterable[tuple[str, str]],
    relationships: Sequence[Relationship],
) -> set[tuple[str, str]]:
    """(entity, name) for each name a filter or sort of the entity may use, as
    `_referable_names` finds them, given the attributes the entities declare."""
    found = set(declared)
    # The names an entity has without declaring them depend only on whether it is append-only.
    append_only = {name for name, entity in entities.items() if entity.append_only}
    found.update(product(entities.keys() - append_only, Entity("").attribute_names()))
    found.update(product(append_only, Entity("", append_only=True).attribute_names()))
    found.update(zip(map(_SOURCE, relationships), map(_ROLE, relationships), strict=True))
    found.update(zip(map(_SOURCE, relationships), map(_TARGET, relationships), strict=True))
    found.update(zip(map(_TARGET, relationships), map(_INVERSE_ROLE, relationships), strict=True))
    found.update(zip(map(_TARGET, relationships), map(_SOURCE, relationships), strict=True))
    return found


__all__ = ["IMPLICIT_ATTRIBUTES", "describe", "did_you_mean", "parse_requirements"]
