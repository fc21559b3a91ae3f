"""The ERD as PlantUML, in its Information Engineering (crow's-foot) entity syntax.

Every name is written as text: ASCII punctuation and control characters become PlantUML's
`<U+XXXX>` code points, so no name can open a creole or HTML-like markup, end a string or
start a statement; entities are declared under aliases made from positions (`t3`).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from advisor.erd.dot import context_colours
from advisor.erd.model import LEFT_GLYPHS, RIGHT_GLYPHS, Erd, ErdColumn, ErdTable

_PLAIN_PUNCTUATION = " .,()"
_PLAIN_ASCII = re.compile(r"[A-Za-z0-9 .,()_]*")


def plantuml_text(text: str) -> str:
    """`text` for a PlantUML label: letters, digits, spaces and `.,()` as they are.

    >>> plantuml_text('a"b <i>')
    'a<U+0022>b <U+003C>i<U+003E>'
    >>> plantuml_text("order__item")
    'order_<U+005F>item'
    """
    if _PLAIN_ASCII.fullmatch(text) and "__" not in text:
        return text
    shown = []
    for position, c in enumerate(text):
        doubled = c == "_" and position > 0 and text[position - 1] == "_"
        if (c.isalnum() or c in _PLAIN_PUNCTUATION or c == "_") and not doubled:
            shown.append(c)
        else:
            shown.append(f"<U+{ord(c):04X}>")
    return "".join(shown)


@lru_cache(maxsize=1024)  # a schema spells its thousands of columns' types a few ways
def _type_text(text: str) -> str:
    return plantuml_text(text)


@cache
def _keys(markers: tuple[str, ...]) -> str:
    return " ".join(f"<<{m}>>" for m in markers if m != "NN")


def _column(column: ErdColumn) -> str:
    mandatory = "* " if not column.nullable else "  "
    keys = _keys(column.markers)
    line = f"{mandatory}{plantuml_text(column.name)} : {_type_text(column.type)}"
    return f"{line} {keys}" if keys else line


def _entity(table: ErdTable, alias: str, indent: str) -> list[str]:
    lines = [f'{indent}entity "{plantuml_text(table.name)}" as {alias} {{']
    keyed = [c for c in table.columns if c.primary_key]
    others = [c for c in table.columns if not c.primary_key]
    lines += [f"{indent}  {_column(c)}" for c in keyed]
    if keyed and others:
        lines.append(f"{indent}  --")
    lines += [f"{indent}  {_column(c)}" for c in others]
    lines.append(f"{indent}}}")
    return lines


def erd_plantuml(erd: Erd) -> str:
    """The diagram as PlantUML text, bounded contexts as packages.

    >>> from advisor.erd.model import ErdColumn, ErdTable, Link
    >>> tables = (
    ...     ErdTable("customer", None, (ErdColumn("id", "bigint", False, primary_key=True),)),
    ...     ErdTable("order", None, (ErdColumn("customer_id", "bigint", False, foreign_key=True),)),
    ... )
    >>> link = Link("fk", "order", ("customer_id",), "customer", ("id",), "many", "one")
    >>> print(erd_plantuml(Erd("", "postgresql", tables, (link,))))
    @startuml
    hide circle
    skinparam linetype ortho
    <BLANKLINE>
    entity "customer" as t0 {
      * id : bigint <<PK>>
    }
    entity "order" as t1 {
      * customer_id : bigint <<FK>>
    }
    <BLANKLINE>
    t0 ||..o{ t1 : customer_id
    @enduml
    <BLANKLINE>
    """
    lines = ["@startuml", "hide circle", "skinparam linetype ortho"]
    if erd.title:
        lines.append(f"title {plantuml_text(erd.title)}")
    lines.append("")
    aliases = {table.name: f"t{position}" for position, table in enumerate(erd.tables)}
    for context in [*erd.contexts, None]:
        tables = [table for table in erd.tables if table.context == context]
        if not tables:
            continue
        indent = ""
        if context is not None:
            _, background = context_colours(context)
            lines.append(f'package "{plantuml_text(context)}" {background} {{')
            indent = "  "
        for table in tables:
            lines += _entity(table, aliases[table.name], indent)
        if context is not None:
            lines.append("}")
    lines.append("")
    for link in erd.links:
        ends = LEFT_GLYPHS[link.parent_end] + ("--" if link.identifying else "..")
        ends += RIGHT_GLYPHS[link.child_end]
        label = plantuml_text(", ".join(link.child_columns))
        lines.append(f"{aliases[link.parent]} {ends} {aliases[link.child]} : {label}")
    lines.append("@enduml")
    return "\n".join(lines) + "\n"
