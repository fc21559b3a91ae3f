"""The YAML of a requirements document, written directly: the bytes PyYAML's dumper writes
for it, about 25 times sooner (0.2 s instead of 5.4 s at 5,000 entities).

PyYAML's C emitter is faster too, but writes some documents differently (characters beyond the
BMP escaped, some keys made complex), so a version's file would change with the installation.
A document is made of names and one-line texts, which PyYAML writes plain or single-quoted by
rules this module follows; a document with anything else (a text on several lines or with a
character PyYAML escapes, an empty text, a long key, a line past the dumper's width, a key
that is not a string) is left to PyYAML: `BlockWriter.document` returns None.
tests/advisor/test_yaml_writer.py compares both on every example, fixture and generated
document and on tricky texts in every context.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

# Strings PyYAML writes plain (yaml/emitter.py, `analyze_scalar`): printable, on one line, no
# space first or last, not starting a document marker, no indicator first (`-`, and in block
# context `?` and `:`, only when a space or the end follows), no ` #`; in flow context no
# `,?[]{}:` at all, in block context no `: ` and no `:` last.
_ANYWHERE = (
    r" -\"$-+\--9;->@-Z\\^-z|~"
    r"\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010fffe"
)
_FLOW_PLAIN = re.compile(
    rf"(?!---|\.\.\.|-( |\Z)|[ #,\[\]{{}}&*!|>'\"%@`?:])(?:[{_ANYWHERE}]|(?<! )#)+(?<! )\Z"
)
_BLOCK_PLAIN = re.compile(
    rf"(?!---|\.\.\.|[-?:]( |\Z)|[ #,\[\]{{}}&*!|>'\"%@`])"
    rf"(?:[{_ANYWHERE},?\[\]{{}}]|:(?! |\Z)|(?<! )#)+(?<! )\Z"
)
# Any other line of printable text is single-quoted, its quotes doubled.
_ONE_LINE = re.compile(rf"[{_ANYWHERE},?:#\[\]{{}}]+\Z")
# A key this long or longer is written `? key`: yaml/emitter.py, `check_simple_key`, counts the
# key and its tag (`!!str`) against 128.
SIMPLE_KEY_LENGTH = 128 - len("!!str")


class BlockWriter:
    """Writes a document as PyYAML's `SafeDumper` does with `sort_keys=False`, `indent=2` and
    `allow_unicode=True`: block mappings, block sequences indented as values of a mapping,
    lists of scalars and `flow` mappings on one line."""

    def __init__(
        self,
        *,
        flow: type[dict[str, Any]],
        resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]],
        width: int,
    ) -> None:
        self.flow = flow
        self.resolvers = resolvers
        self.width = width
        self.styles: dict[str, tuple[str | None, str | None]] = {}  # text -> (block, flow)
        self.lines: list[str] = []

    def document(self, document: dict[str, Any]) -> str | None:
        if not document or type(document) is not dict:
            return None
        try:
            self.mapping(document, "", "")
        except _NotPlain:
            return None
        if any(len(line) > self.width for line in self.lines):
            return None  # PyYAML would fold it
        return "\n".join(self.lines) + "\n"

    # Block

    def mapping(self, mapping: dict[str, Any], first: str, indent: str) -> None:
        """`mapping` in block style, its first line after `first` (a sequence's `- `)."""
        lead = first
        for key, value in mapping.items():
            head = f"{lead}{self.key(key, flow=False)}:"
            lead = indent
            if self.is_block_mapping(value):
                self.lines.append(head)
                self.mapping(value, indent + "  ", indent + "  ")
            elif self.is_block_sequence(value):
                self.lines.append(head)
                self.sequence(value, indent)
            else:
                self.lines.append(f"{head} {self.node(value, flow=False)}")

    def sequence(self, sequence: list[Any], indent: str) -> None:
        for item in sequence:
            if self.is_block_mapping(item):
                self.mapping(item, indent + "- ", indent + "  ")
            elif self.is_block_sequence(item):
                raise _NotPlain  # a sequence in a sequence: left to PyYAML
            else:
                self.lines.append(f"{indent}- {self.node(item, flow=False)}")

    def is_block_mapping(self, value: Any) -> bool:
        return type(value) is dict and bool(value)

    def is_block_sequence(self, value: Any) -> bool:
        return type(value) is list and any(isinstance(item, dict | list) for item in value)

    # Scalars and flow collections

    def node(self, value: Any, *, flow: bool) -> str:
        """`value` on one line: a scalar, or a collection in flow style (whose items are in
        flow context)."""
        if isinstance(value, dict):
            if type(value) is not dict and type(value) is not self.flow:
                raise _NotPlain
            pairs = (
                f"{self.key(k, flow=True)}: {self.node(v, flow=True)}" for k, v in value.items()
            )
            return "{" + ", ".join(pairs) + "}"
        if type(value) is list:
            return "[" + ", ".join(self.node(item, flow=True) for item in value) + "]"
        return self.scalar(value, flow=flow)

    def key(self, key: Any, *, flow: bool) -> str:
        if type(key) is not str or len(key) >= SIMPLE_KEY_LENGTH:
            raise _NotPlain
        return self.string(key, flow=flow)

    def scalar(self, value: Any, *, flow: bool) -> str:
        kind = type(value)
        if kind is str:
            return self.string(value, flow=flow)
        if value is None:
            return "null"
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            return str(value)
        if kind is float:
            return _float(value, self.string_is_float)
        raise _NotPlain

    def string(self, text: str, *, flow: bool) -> str:
        styles = self.styles.get(text)
        if styles is None:
            styles = self.styles[text] = self.written(text)
        written = styles[flow]
        if written is None:
            raise _NotPlain
        return written

    def written(self, text: str) -> tuple[str | None, str | None]:
        """`text` as a string in block and in flow context: plain where PyYAML leaves it so,
        single-quoted where it quotes it so, None where it writes it otherwise."""
        if not _ONE_LINE.match(text):
            return None, None  # empty, a line break, a character PyYAML escapes
        quoted = "'" + text.replace("'", "''") + "'"
        if self.resolved(text):
            return quoted, quoted
        return (
            text if _BLOCK_PLAIN.match(text) else quoted,
            text if _FLOW_PLAIN.match(text) else quoted,
        )

    def resolved(self, text: str) -> bool:
        """Whether a loader would read `text` as something other than a string (yaml/resolver.py,
        `resolve`)."""
        candidates = [*self.resolvers.get(text[0], ()), *self.resolvers.get(None, ())]
        return any(pattern.match(text) for _, pattern in candidates)

    def string_is_float(self, text: str) -> bool:
        candidates = [*self.resolvers.get(text[0], ()), *self.resolvers.get(None, ())]
        for tag, pattern in candidates:
            if pattern.match(text):
                return bool(tag == "tag:yaml.org,2002:float")
        return False


class _NotPlain(Exception):
    """Something of the document this writer does not write as PyYAML would."""


def _float(value: float, is_float: Callable[[str], bool]) -> str:
    """`SafeRepresenter.represent_float`."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    if not is_float(text):
        raise _NotPlain  # PyYAML would tag it
    return text
