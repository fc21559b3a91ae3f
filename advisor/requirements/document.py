"""Reading requirements text (YAML or JSON) and writing the canonical document back.

The canonical document has a fixed key order (format, project, description, workload, team,
entities, relationships, access_patterns, lint; inside each item the order of the format's
reference), so two equal `Requirements` always give the same text. Workload and team are
written in full (only `retention_days` is left out when data is kept forever): they are the
assumptions the recommendation rests on, and a stored version must keep meaning the same if a
default changes.
In entities, relationships and access patterns an optional key is written only when it is set
to something other than its default (`required: false`, `unique: false` are left out).
"""

from __future__ import annotations

import dataclasses
import gc
from typing import Any

import yaml

from advisor.collector import collector_paused
from advisor.errors import UnreadableDocument
from advisor.requirements.fields import MAX_DOCUMENT_BYTES, MAX_NESTING, MAX_NODES
from advisor.requirements.model import (
    FORMAT,
    AccessPattern,
    Attribute,
    Entity,
    LintIgnore,
    Relationship,
    Requirements,
    Team,
    Workload,
)
from advisor.requirements.yaml_loader import EXPONENT_FLOAT, SafeLoader, load_yaml


@collector_paused(lasting=True)
def load_document(text: str, *, source: str = "<input>") -> dict[str, Any]:
    """Parse YAML or JSON text (JSON is YAML) into a document, without validating its content.

    >>> load_document('{"format": "advisor/v1", "project": "Shop"}')
    {'format': 'advisor/v1', 'project': 'Shop'}
    >>> load_document("project: [Shop", source="shop.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    advisor.errors.UnreadableDocument: shop.yaml:1:15: not valid YAML or JSON: expected ',' or...
    >>> load_document("a: &x [1]\\nb: *x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    advisor.errors.UnreadableDocument: <input>:1:4: not valid YAML or JSON: anchors and aliases...
    """
    size = _bytes(text)
    if size > MAX_DOCUMENT_BYTES:
        raise UnreadableDocument(
            f"is {size:,} bytes; a requirements document is at most {MAX_DOCUMENT_BYTES:,}",
            location=source,
        )
    document = _json_document(text, source) if text.lstrip().startswith("{") else None
    try:
        if document is None:
            document = load_yaml(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        problem = error.problem or error.context or "unreadable"
        raise UnreadableDocument(f"not valid YAML or JSON: {problem}", location=location) from None
    except yaml.YAMLError as error:
        raise UnreadableDocument(f"not valid YAML or JSON: {error}", location=source) from None
    if document is None:
        raise UnreadableDocument(
            f"the document is empty; it must be a mapping that starts with format: {FORMAT}",
            location=source,
        )
    if not isinstance(document, dict):
        kind = "a list" if isinstance(document, list) else f"a single {type(document).__name__}"
        raise UnreadableDocument(
            f"the document is {kind}; it must be a mapping that starts with format: {FORMAT}",
            location=source,
        )
    return document


def _json_document(text: str, source: str) -> dict[str, Any] | None:
    """A JSON document read by the JSON parser, tens of times faster than YAML's, with the
    same limits as the YAML loader; None when the text is not JSON (YAML's flow style also
    starts with a brace), so that the YAML loader reads it."""
    document = _parsed_json(text)  # None: not JSON, or a problem the exact reading names
    if document is None or not _plainly_within_limits(document, text):
        document = _exact_json_document(text, source)
    return document if isinstance(document, dict) else None


def plain_json_document(text: str) -> dict[str, Any] | None:
    """The document of a JSON text of at most `MAX_DOCUMENT_BYTES`, as the JSON parser reads
    it, for a reader that rules out itself what `load_document` walks the document for: a key
    given twice (the parser keeps the last), nesting and the count of values; None when the
    text is not a JSON mapping.

    Such a reader is `read_well_formed`'s: it accepts only the format's shapes, nested six
    levels at most, and counts what it reads. Walking a document took a tenth of reading it.

    >>> plain_json_document('{"project": "Shop", "project": "Mine"}')
    {'project': 'Mine'}
    >>> print(plain_json_document("project: Shop"))
    None
    """
    if not text.lstrip().startswith("{") or _bytes(text) > MAX_DOCUMENT_BYTES:
        return None
    document = _parsed_json(text)
    return document if type(document) is dict else None


def _parsed_json(text: str) -> Any:
    """What the JSON parser reads from `text`; None when it cannot read it."""
    import json  # here: a command reading a YAML document, as most do, need not load it

    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _bytes(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _plainly_within_limits(document: Any, text: str) -> bool:
    """Whether a document the JSON parser read from `text` has no duplicate key (the parser
    keeps the last), is nested at most `MAX_NESTING` levels and holds at most `MAX_NODES`
    values; False when in doubt.

    The values one level down are the referents of those of a level (`gc.get_referents`: a
    dict's values, a list's items; a string or a number has none), gathered by C code, so
    Python looks at each value once, for the keys of the dicts. Every key is followed by a
    colon outside strings, so a text with no more colons than the document has keys has no
    key twice.
    """
    keys = 0
    nodes = 1
    level = [document]  # the values at one depth
    for depth in range(1, MAX_NESTING + 1):
        keys += sum([len(value) for value in level if type(value) is dict])
        inside = gc.get_referents(*level)
        nodes += len(inside)
        if not inside:
            return nodes + keys <= MAX_NODES and text.count(":") == keys
        if depth == MAX_NESTING:
            return False  # a value below the deepest level allowed
        level = inside
    return False


def _exact_json_document(text: str, source: str) -> Any:
    """The JSON parser's reading with each limit checked as it is met, for the message."""
    import json

    try:
        document = json.loads(text, object_pairs_hook=_unique_keys, parse_int=_json_int)
    except json.JSONDecodeError:
        return None
    except RecursionError:
        raise UnreadableDocument(
            f"not valid YAML or JSON: nested more than {MAX_NESTING} levels deep; a requirements "
            "document needs far fewer",
            location=source,
        ) from None
    except _JsonProblem as problem:
        raise UnreadableDocument(f"not valid YAML or JSON: {problem}", location=source) from None
    nodes = 0
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        nodes += 1
        if depth > MAX_NESTING:
            raise UnreadableDocument(
                f"not valid YAML or JSON: nested more than {MAX_NESTING} levels deep; a "
                "requirements document needs far fewer",
                location=source,
            )
        if nodes > MAX_NODES:
            raise UnreadableDocument(
                f"not valid YAML or JSON: holds more than {MAX_NODES:,} values; see the limits "
                "of the format",
                location=source,
            )
        if isinstance(value, dict):
            nodes += len(value)  # the keys
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return document


class _JsonProblem(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _JsonProblem(f"duplicate key {key!r}")
        found[key] = value
    return found


def _json_int(digits: str) -> int:
    try:
        return int(digits)
    except ValueError:  # more digits than int() reads (sys.get_int_max_str_digits)
        raise _JsonProblem(f"a number of {len(digits):,} digits is too long") from None


def document_lines(text: str) -> dict[str, int]:
    """The line (from 1) where each path of the document starts, for pointing a person (or a
    CI annotation) at it; empty when the text is not YAML or JSON.

    >>> lines = document_lines("format: advisor/v1\\nentities:\\n  - name: a\\n  - name: b\\n")
    >>> lines["entities"], lines["entities[1]"], lines["entities[1].name"]
    (2, 4, 4)
    """
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[str, int] = {}
    seen: set[int] = set()  # an alias is the node it names: walk it once
    pending: list[tuple[str, yaml.Node]] = [("", root)] if root is not None else []
    while pending:
        path, node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    at = f"{path}.{key.value}" if path else str(key.value)
                    lines.setdefault(at, key.start_mark.line + 1)
                    pending.append((at, value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines.setdefault(f"{path}[{index}]", item.start_mark.line + 1)
                pending.append((f"{path}[{index}]", item))
    return lines


def requirements_to_document(requirements: Requirements) -> dict[str, Any]:
    """The canonical document of `requirements` (see the module's docstring for its rules).

    >>> from advisor.requirements.model import Entity
    >>> document = requirements_to_document(Requirements("Shop", entities=(Entity("customer"),)))
    >>> list(document)
    ['format', 'project', 'workload', 'team', 'entities']
    >>> document["team"], document["entities"]
    ({'expertise': [], 'managed_service': 'preferred', 'budget': 'medium'}, [{'name': 'customer'}])
    """
    document: dict[str, Any] = {"format": FORMAT, "project": requirements.project}
    if requirements.description:
        document["description"] = requirements.description
    sections: list[tuple[str, Any]] = [
        ("workload", _in_full(requirements.workload)),
        ("team", _in_full(requirements.team)),
        ("entities", [_entity(entity) for entity in requirements.entities]),
        ("relationships", [_relationship(item) for item in requirements.relationships]),
        ("access_patterns", [_pattern(pattern) for pattern in requirements.access_patterns]),
        ("lint", _lint(requirements.lint.ignore)),
    ]
    document.update((key, value) for key, value in sections if value)
    return document


def _in_full(item: Workload | Team) -> dict[str, Any]:
    return {
        field.name: _plain(getattr(item, field.name))
        for field in dataclasses.fields(item)
        if getattr(item, field.name) is not None
    }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _set_fields(
    item: Attribute | AccessPattern | LintIgnore, always: tuple[str, ...]
) -> dict[str, Any]:
    """The fields of `item` that are always written or differ from the dataclass default."""
    result: dict[str, Any] = {}
    for field in dataclasses.fields(item):
        value = getattr(item, field.name)
        if field.name in always or value != field.default:
            result[field.name] = _plain(value)
    return result


def _entity(entity: Entity) -> dict[str, Any]:
    result: dict[str, Any] = {"name": entity.name}
    if entity.renamed_from is not None:
        result["renamed_from"] = entity.renamed_from
    if entity.context is not None:
        result["context"] = entity.context
    if entity.derived:
        result["derived"] = True
    if entity.tenant:
        result["tenant"] = True
    if entity.append_only:
        result["append_only"] = True
    if entity.rows is not None:
        result["rows"] = entity.rows
    if entity.row_bytes is not None:
        result["row_bytes"] = entity.row_bytes
    if entity.unique:
        result["unique"] = [list(key) for key in entity.unique]
    if entity.attributes:
        result["attributes"] = [
            _set_fields(attribute, ("name", "type")) for attribute in entity.attributes
        ]
    return result


def _relationship(relationship: Relationship) -> dict[str, Any]:
    result: dict[str, Any] = {
        "from": relationship.source,
        "to": relationship.target,
        "cardinality": relationship.cardinality,
    }
    if relationship.name is not None:
        result["name"] = relationship.name
    if relationship.required:
        result["required"] = True
    if relationship.on_delete is not None:
        result["on_delete"] = relationship.on_delete
    return result


def _pattern(pattern: AccessPattern) -> dict[str, Any]:
    return _set_fields(pattern, ("name", "entity", "operation", "kind"))


def _lint(ignore: tuple[LintIgnore, ...]) -> dict[str, Any]:
    return {"ignore": [_set_fields(item, ("rule",)) for item in ignore]} if ignore else {}


class _Flow(dict[str, Any]):
    """A mapping written on one line, the way the format's examples write attributes."""


class _Dumper(yaml.SafeDumper):
    pass


# The dumper quotes a string the loader would read as a number (a name such as `0E0`).
_Dumper.add_implicit_resolver("tag:yaml.org,2002:float", EXPONENT_FLOAT, list("-+0123456789"))


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.SequenceNode:
    scalars = all(not isinstance(item, dict | list) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=scalars)


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(list, _represent_list)


def dump_yaml(document: dict[str, Any]) -> str:
    """A document as YAML: block style, with attributes and relationships on one line each.

    >>> print(dump_yaml({"format": "advisor/v1", "project": "Shop",
    ...     "team": {"expertise": ["postgresql"]}}), end="")
    format: advisor/v1
    project: Shop
    team:
      expertise: [postgresql]
    """
    # Here, not at the top: reading a document does not need the writer, whose patterns take
    # about 5 ms to compile.
    from advisor.requirements.yaml_writer import BlockWriter

    flowed = _flowed(document)
    written = BlockWriter(
        flow=_Flow, resolvers=_Dumper.yaml_implicit_resolvers, width=_WIDTH
    ).document(flowed)
    return written if written is not None else _pyyaml_dump(flowed)


_WIDTH = 4096  # one line per attribute, however long


def _pyyaml_dump(document: dict[str, Any]) -> str:
    """What `dump_yaml` writes, by PyYAML's dumper alone (the reference `BlockWriter` matches)."""
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_WIDTH)


def _flowed(document: dict[str, Any]) -> dict[str, Any]:
    result = dict(document)
    if isinstance(result.get("relationships"), list):
        result["relationships"] = [_flow(item) for item in result["relationships"]]
    if isinstance(result.get("entities"), list):
        result["entities"] = [
            {**entity, "attributes": [_flow(item) for item in entity["attributes"]]}
            if isinstance(entity, dict) and isinstance(entity.get("attributes"), list)
            else entity
            for entity in result["entities"]
        ]
    return result


def _flow(item: Any) -> Any:
    return _Flow(item) if isinstance(item, dict) else item


def dump_json(document: dict[str, Any]) -> str:
    """A document as JSON, indented, non-ASCII kept as is.

    >>> print(dump_json({"format": "advisor/v1", "project": "Café"}), end="")
    {
      "format": "advisor/v1",
      "project": "Café"
    }
    """
    import json

    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
