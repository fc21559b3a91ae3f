"""Reading YAML safely and fast: libyaml's events turned into a document, with PyYAML's own
pure-Python loader as the reference for anything the fast path does not take on.

Both paths refuse the same things with the same message at the same line and column: anchors
and aliases, nesting deeper than `MAX_NESTING`, more than `MAX_NODES` values (counted while
reading, before anything is built), duplicate keys, integers Python refuses to read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from typing import Any

import yaml

from advisor.requirements.fields import MAX_NESTING, MAX_NODES

# JSON and YAML 1.2 read `1e3` as a number; PyYAML's YAML 1.1 wants a dot (`1.0e3`) and would
# read a string. JSON documents may be loaded as YAML, so both spellings are numbers.
EXPONENT_FLOAT = re.compile(r"^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")

ALIASES = "anchors and aliases (&name, *name) are not accepted; write each value out"
TOO_DEEP = f"nested more than {MAX_NESTING} levels deep; a requirements document needs far fewer"
TOO_MANY = f"holds more than {MAX_NODES:,} values; see the limits of the format"


def _refused(problem: str, mark: Any) -> yaml.composer.ComposerError:
    return yaml.composer.ComposerError(None, None, problem, mark)


class SafeLoader(yaml.SafeLoader):
    """Safe YAML without timestamps (dates stay strings, so documents stay JSON), without
    silently dropped duplicate keys, and without what lets a small text become a huge or
    endless document: anchors and aliases (a few lines of `*name` expand to millions of
    nodes), deep nesting, too many values, integers Python refuses to read."""

    _depth = 0
    _nodes = 0

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            if isinstance(key, Hashable):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _refused(ALIASES, event.start_mark)
        if self._depth >= MAX_NESTING:
            raise _refused(TOO_DEEP, event.start_mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _refused(TOO_MANY, event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than int() reads (sys.get_int_max_str_digits)
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of {len(node.value):,} digits is too long", node.start_mark
            ) from None


SafeLoader.add_constructor("tag:yaml.org,2002:int", SafeLoader.construct_yaml_int)
SafeLoader.add_implicit_resolver("tag:yaml.org,2002:float", EXPONENT_FLOAT, list("-+0123456789"))


def load_yaml(text: str) -> Any:
    """The value of a YAML text; raises `yaml.YAMLError` (marked where it can be) as
    `SafeLoader` does.

    >>> load_yaml("a: [1, 2e3, yes, null, '7', 2024-01-01]")
    {'a': [1, 2000.0, True, None, '7', '2024-01-01']}
    >>> load_yaml("a: &x [1]")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    yaml.composer.ComposerError: anchors and aliases (&name, *name) are not accepted; ...
    """
    found = _events_document(text) if yaml.__with_libyaml__ else _UNSUPPORTED
    if found is _UNSUPPORTED:
        return yaml.load(text, Loader=SafeLoader)  # a SafeLoader
    return found


_UNSUPPORTED: Any = object()
_NOT_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset(
    {
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
    }
)


def _events_document(text: str) -> Any:
    """The document libyaml reads from `text`, built here from its events; `_UNSUPPORTED`
    when the text holds what only the reference loader reports or builds exactly (a syntax
    error, a character it refuses, an explicit tag, a merge key, a complex key, several
    documents)."""
    if _NOT_PRINTABLE.search(text):
        return _UNSUPPORTED
    reader = SafeLoader("")  # its resolver and scalar constructors, so values match exactly
    parser = yaml.CSafeLoader(text)
    try:
        return _build(parser, reader)
    except yaml.YAMLError as error:
        if isinstance(error, yaml.composer.ComposerError) and error.problem in _LIMITS:
            raise
        return _UNSUPPORTED
    except _ComplexKey:
        return _UNSUPPORTED
    finally:
        parser.dispose()


_LIMITS = (ALIASES, TOO_DEEP, TOO_MANY)
_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_SCALAR = yaml.ScalarEvent
_MAPPING_END = yaml.MappingEndEvent
_SEQUENCE_END = yaml.SequenceEndEvent


def _build(parser: Any, reader: SafeLoader) -> Any:
    """The values of the events of `parser`, with the limits checked before each node."""
    next_event = parser.get_event
    resolve: Callable[[type, str, tuple[bool, bool]], str] = reader.resolve
    plain: dict[str, Any] = {}  # a plain scalar's value by its text: documents repeat their keys
    root: list[Any] = []
    stack: list[Any] = [root]  # open lists and dicts
    keys: list[Any] = []  # each open dict's pending key
    seen_keys: list[set[Hashable]] = []
    late: yaml.YAMLError | None = None  # a construction problem, raised once reading is done
    nodes = 0
    while True:
        event = next_event()
        kind = type(event)
        if kind is _SCALAR:
            pass
        elif kind is _MAPPING_END or kind is _SEQUENCE_END:
            value = stack.pop()
            if kind is _MAPPING_END:
                seen_keys.pop()
                keys.pop()
            _add(stack, keys, seen_keys, value, None)
            continue
        elif kind is yaml.StreamEndEvent:
            break
        elif kind is yaml.DocumentStartEvent and root:
            return _UNSUPPORTED  # a second document: the reference loader says so
        elif kind not in _OPENING and kind is not yaml.AliasEvent:
            continue  # the stream's and documents' starts and ends
        if kind is yaml.AliasEvent or event.anchor is not None:
            raise _refused(ALIASES, event.start_mark)
        if len(stack) > MAX_NESTING:
            raise _refused(TOO_DEEP, event.start_mark)
        nodes += 1
        if nodes > MAX_NODES:
            raise _refused(TOO_MANY, event.start_mark)
        if kind is not _SCALAR:
            if event.tag is not None and not event.implicit:
                return _UNSUPPORTED
            if kind is yaml.MappingStartEvent:
                stack.append({})
                seen_keys.append(set())
                keys.append(_UNSUPPORTED)
            else:
                stack.append([])
            continue
        if event.tag is not None:
            return _UNSUPPORTED
        value = event.value
        if event.implicit[0]:  # plain, not quoted: its text may be a null, a boolean, a number
            text = value
            value = plain.get(text, _UNSUPPORTED)
            if value is _UNSUPPORTED:
                tag = resolve(yaml.ScalarNode, text, (True, False))
                if tag == _STR:
                    value = plain[text] = text
                elif tag in _SCALAR_TAGS:
                    node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark)
                    try:
                        value = plain[text] = reader.yaml_constructors[tag](reader, node)
                    except yaml.YAMLError as problem:
                        late, value = late or problem, None
                else:
                    return _UNSUPPORTED
        # `_add` written out for a scalar, the most frequent value: a call for each costs a
        # tenth of reading a large document.
        into = stack[-1]
        if type(into) is dict and keys[-1] is not _UNSUPPORTED:  # the pending key's value
            into[keys[-1]] = value
            keys[-1] = _UNSUPPORTED
        elif late is not None:
            pass  # the document is refused: what follows need not be built
        elif type(into) is list:
            into.append(value)
        else:  # a key
            keys[-1] = value
            if value in seen_keys[-1]:
                late = _duplicate(value, event.start_mark)
            else:
                seen_keys[-1].add(value)
    if late is not None:
        raise late
    return root[0] if root else None


class _ComplexKey(Exception):
    pass


def _add(
    stack: list[Any],
    keys: list[Any],
    seen_keys: list[set[Hashable]],
    value: Any,
    mark: Any,
) -> yaml.YAMLError | None:
    """Put `value` in the innermost open list or dict (as a key or as the pending key's
    value); the duplicate key it is, if it is one."""
    into = stack[-1]
    if isinstance(into, list):
        into.append(value)
        return None
    pending = keys[-1]
    if pending is not _UNSUPPORTED:
        into[pending] = value
        keys[-1] = _UNSUPPORTED
        return None
    if mark is None:  # a list or a mapping as a key
        raise _ComplexKey
    keys[-1] = value
    if value in seen_keys[-1]:
        return _duplicate(value, mark)
    seen_keys[-1].add(value)
    return None


def _duplicate(key: Any, mark: Any) -> yaml.YAMLError:
    return yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", mark)
