"""The ERD as a Mermaid `erDiagram` (renders on GitHub, GitLab and in Markdown editors).

Mermaid's grammar (erDiagram.jison) limits what a name can hold: entity names are written in
double quotes, which take anything but `"`, `%`, `\\` and line breaks; an attribute type or name
is a word of letters, digits, `_`, `-`, `(`, `)`, `[` and `]`. A table whose name does not fit
is drawn under a safe alias with its name as the label (`t3["..."]`), a column under a safe
alias with its real name as the comment; what even labels cannot hold is replaced by look-alikes.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from advisor.erd.model import LEFT_GLYPHS, RIGHT_GLYPHS, Erd, ErdColumn

_KEYWORDS = {"pk", "fk", "uk"}
# What a quoted name or comment cannot hold, and the look-alike drawn instead.
_LOOK_ALIKES = str.maketrans(
    {'"': "″", "%": "％", "\\": "＼", "\n": " ", "\r": " ", "\v": " ", "\b": " "}
)


_UNSAFE = re.compile("[" + re.escape("".join(map(chr, _LOOK_ALIKES))) + "]")


def _label(text: str) -> str:
    # Most text holds none of them: searching for one costs less than translating.
    return text.translate(_LOOK_ALIKES) if _UNSAFE.search(text) else text


@cache
def _word_pattern() -> re.Pattern[str]:
    # Compiled when first used: its wide ranges take tens of milliseconds to compile, which
    # a process drawing only an SVG should not pay.
    return re.compile(r"[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\-\[\]()\u00C0-\uFFFF]*")


def _word(text: str) -> str | None:
    """`text` as a Mermaid attribute word, or None when it cannot be one."""
    if _word_pattern().fullmatch(text) and text.casefold() not in _KEYWORDS:
        return text
    return None


@lru_cache(maxsize=1024)  # a schema spells its thousands of columns' types a few ways
def _type_word(text: str) -> str:
    """A type as a Mermaid word: `numeric(10, 2)` becomes `numeric(10_2)`."""
    return _word(text.replace(", ", "_").replace(",", "_").replace(" ", "_")) or "unknown"


@cache
def _keys(markers: tuple[str, ...]) -> str:
    return ", ".join(marker for marker in markers if marker != "NN")


def _entity(name: str, alias: str) -> tuple[str, str]:
    """(how relationships name the table, how its block starts)."""
    if _label(name) == name:
        return f'"{name}"', f'"{name}"'
    return alias, f'{alias}["{_label(name)}"]'


def _attribute(column: ErdColumn, position: int) -> str:
    type_word = _type_word(column.type)
    name = _word(column.name)
    comment = column.comment
    if name is None:
        name = f"column_{position}"
        comment = f"{column.name}{': ' + comment if comment else ''}"
    keys = _keys(column.markers)
    line = f"{type_word} {name}"
    if keys:
        line += f" {keys}"
    if not column.nullable and not column.primary_key:
        comment = f"not null{'; ' + comment if comment else ''}"
    if comment:
        line += f' "{_label(comment)}"'
    return line


def erd_mermaid(erd: Erd) -> str:
    """The diagram as a Mermaid `erDiagram`.

    >>> from advisor.erd.model import ErdColumn, ErdTable, Link
    >>> tables = (
    ...     ErdTable("customer", None, (ErdColumn("id", "bigint", False, primary_key=True),)),
    ...     ErdTable("order", None, (ErdColumn("customer_id", "bigint", False, foreign_key=True),)),
    ... )
    >>> link = Link("fk", "order", ("customer_id",), "customer", ("id",), "many", "one")
    >>> print(erd_mermaid(Erd("Shop", "postgresql", tables, (link,))))
    erDiagram
        "customer" {
            bigint id PK
        }
        "order" {
            bigint customer_id FK "not null"
        }
        "customer" ||..o{ "order" : "customer_id"
    <BLANKLINE>
    """
    taken = {table.name for table in erd.tables}
    refs: dict[str, str] = {}
    lines = ["erDiagram"]
    for position, table in enumerate(erd.tables):
        alias = f"t{position}"
        while alias in taken:
            alias += "_"
        ref, head = _entity(table.name, alias)
        refs[table.name] = ref
        lines.append(f"    {head} {{")
        lines += [f"        {_attribute(c, i)}" for i, c in enumerate(table.columns)]
        lines.append("    }")
    for link in erd.links:
        ends = LEFT_GLYPHS[link.parent_end] + ("--" if link.identifying else "..")
        ends += RIGHT_GLYPHS[link.child_end]
        label = _label(", ".join(link.child_columns))
        lines.append(f'    {refs[link.parent]} {ends} {refs[link.child]} : "{label}"')
    return "\n".join(lines) + "\n"
