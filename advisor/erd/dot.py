"""The ERD as Graphviz DOT text: crow's-foot edges, HTML-like table labels, context clusters.

Safety: no name ever reaches the DOT text except as escaped text inside an HTML-like label
(`html_text`); node, port and cluster ids are made from positions (`t3`, `c0l`, `cluster_1`),
so a table called `a" URL="javascript:..."` stays text and cannot add an attribute, a label
element or a link to the SVG.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from advisor.erd.layout import Layout, Mode, layout_for, palette
from advisor.erd.model import END_WORDS, RIGHT_GLYPHS, End, Erd, ErdTable, Link
from advisor.errors import AdvisorError

# Graphviz arrow shapes, the first drawn next to the node: `crowodot` is a crow's foot
# with a circle outside it, zero or more. https://graphviz.org/doc/info/arrows.html
ARROWS: dict[End, str] = {
    "one": "teetee",
    "zero_or_one": "teeodot",
    "many": "crowodot",
    "one_or_many": "crowtee",
}
GREY = ("#e8e8e8", "#f6f6f6", "#7a7a7a")  # header, background, text of referenced tables
FONT = "Helvetica"
MARKERS = ("PK primary key", "FK foreign key", "UK unique", "NN not null")
_SAMPLE_ROW = 14  # points: the rows of both ends of the legend's sample edges
_SAMPLE_TABLE = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'


class DiagramError(AdvisorError):
    """A diagram that cannot be drawn as asked (e.g. a context no table belongs to)."""


_CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20) if code != ord("\n")} | {
    0x7F: ord("␡")
}


# Text that html_text leaves as it is: most names.
_PLAIN_TEXT = re.compile(r'[^&<>"\'\[\]\\\x00-\x1f\x7f]*')


def html_text(text: str) -> str:
    r"""`text` as Graphviz HTML-like label content: entities escaped, newlines as line breaks.

    Control characters, which XML (and so SVG) cannot hold, are shown as their Unicode
    control pictures.

    >>> html_text('a<b>&"c"\nd\x00\\N')
    'a&lt;b&gt;&amp;&quot;c&quot;<BR/>d␀\\\\N'
    >>> html_text("]]>")
    '&#93;&#93;&gt;'
    """
    if _PLAIN_TEXT.fullmatch(text):
        return text
    from html import escape  # most names are plain: html's table of entities takes 1 ms to load

    shown = text.translate(_CONTROL_PICTURES)
    # Graphviz expands \N, \G, \L ... even in HTML-like labels, after decoding entities;
    # a doubled backslash is its escape for one backslash.
    # A bare `]` is a syntax error to Graphviz's HTML-like label lexer (seen with 2.43 and
    # 12); a character reference is read as text.
    escaped = escape(shown, quote=True).replace("[", "&#91;").replace("]", "&#93;")
    return escaped.replace("\\", "\\\\").replace("\n", "<BR/>")


def context_colours(context: str) -> tuple[str, str]:
    """The (header, background) colours of a context: fixed by its name, whatever else is drawn.

    >>> context_colours("sales") == context_colours("sales")
    True
    """
    colours = palette()
    digest = hashlib.sha256(context.encode()).digest()
    return colours[int.from_bytes(digest[:4], "big") % len(colours)]


def _attributes(values: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f'{name}="{value}"' for name, value in values)


@dataclass(frozen=True)
class _Selection:
    drawn: list[ErdTable]  # in colour
    greyed: list[ErdTable]  # referenced from the drawn tables' contexts
    shown: dict[str, ErdTable]  # the drawn tables by name
    links: list[Link]  # from a drawn table to a drawn or greyed one


class _Drawing:
    """What every view of one diagram shares: the node ids, each table's label in each mode,
    and the tables and edges of each selection of contexts, written once however many views
    draw them.

    Tables are known by identity (the drawing holds them through its `erd`): an imported
    schema may have two tables of one name.
    """

    def __init__(self, erd: Erd) -> None:
        self.erd = erd
        self.ids = {table.name: f"t{position}" for position, table in enumerate(erd.tables)}
        self.contexts = erd.contexts
        self._labels: dict[tuple[int, Mode, bool], str] = {}
        self._cells: dict[int, list[tuple[str, str, str]]] = {}
        self._positions: dict[int, dict[str, int]] = {}
        self._headers: dict[str, str] = {}
        self._selections: dict[frozenset[str] | None, _Selection] = {}
        self._edges: dict[tuple[frozenset[str] | None, bool], list[str]] = {}

    def selection(self, contexts: frozenset[str] | None) -> _Selection:
        """The tables the views of `contexts` draw, and the links between them."""
        found = self._selections.get(contexts)
        if found is None:
            drawn, greyed = _selection(self.erd, self.contexts, contexts)
            shown = {table.name: table for table in drawn}
            faded = {table.name for table in greyed}
            links = [
                link
                for link in self.erd.links
                if link.child in shown and (link.parent in shown or link.parent in faded)
            ]
            found = self._selections[contexts] = _Selection(drawn, greyed, shown, links)
        return found

    def edges(self, contexts: frozenset[str] | None, mode: Mode) -> list[str]:
        """The edge lines of the views of `contexts`: the same in both modes that draw
        columns (their edges end at the same rows), others in the overview."""
        key = (contexts, mode == "overview")
        found = self._edges.get(key)
        if found is None:
            chosen = self.selection(contexts)
            found = self._edges[key] = [
                "  " + _edge(link, self, chosen.shown, mode) for link in chosen.links
            ]
        return found

    def label(self, table: ErdTable, mode: Mode, *, greyed: bool) -> str:
        key = (id(table), "overview" if greyed else mode, greyed)
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = self._table_label(table, key[1], greyed=greyed)
        return label

    def _table_label(self, table: ErdTable, mode: Mode, *, greyed: bool) -> str:
        header = GREY[0] if greyed else self._header_colour(table.context)
        name = f"<B>{html_text(table.name)}</B>"
        if greyed:
            name = f'<FONT COLOR="{GREY[2]}">{name}</FONT>'
        if mode == "overview" or greyed:
            return (
                '<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="6" '
                f'BGCOLOR="{header}"><TR><TD>{name}</TD></TR></TABLE>>'
            )
        cells = enumerate(self._column_cells(table))
        if mode == "full":
            rows = [f'<TR><TD COLSPAN="3" BGCOLOR="{header}">{name}</TD></TR>']
            rows += [
                f'<TR><TD PORT="c{position}l" ALIGN="LEFT">{markers}</TD>'
                f'<TD ALIGN="LEFT">{column}</TD>'
                f'<TD PORT="c{position}r" ALIGN="LEFT"><FONT COLOR="#555555">{kind}</FONT></TD>'
                "</TR>"
                for position, (markers, column, kind) in cells
            ]
        else:
            rows = [f'<TR><TD COLSPAN="2" BGCOLOR="{header}">{name}</TD></TR>']
            rows += [
                f'<TR><TD PORT="c{position}l" ALIGN="LEFT">{markers}</TD>'
                f'<TD ALIGN="LEFT" PORT="c{position}r">{column}</TD></TR>'
                for position, (markers, column, _) in cells
            ]
        return (
            '<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="white">'
            f"{''.join(rows)}</TABLE>>"
        )

    def _header_colour(self, context: str | None) -> str:
        if not context:
            return "#dde3ea"
        colour = self._headers.get(context)
        if colour is None:
            colour = self._headers[context] = context_colours(context)[0]
        return colour

    def _column_cells(self, table: ErdTable) -> list[tuple[str, str, str]]:
        """Each column's markers, name and type as label text."""
        cells = self._cells.get(id(table))
        if cells is None:
            cells = self._cells[id(table)] = [
                (_marker_text(column.markers), html_text(column.name), _type_text(column.type))
                for column in table.columns
            ]
        return cells

    def port(self, table: ErdTable, columns: tuple[str, ...], side: str) -> str:
        """The port of the row of a link's first column, on `side` (`l` or `r`)."""
        positions = self._positions.get(id(table))
        if positions is None:
            positions = self._positions[id(table)] = {}
            for position, column in enumerate(table.columns):
                positions.setdefault(column.name, position)
        row = positions.get(columns[0]) if columns else None
        return "" if row is None else f":c{row}{side}"


@cache
def _marker_text(markers: tuple[str, ...]) -> str:
    return " ".join(markers)


@lru_cache(maxsize=1024)  # a schema spells its thousands of columns' types a few ways
def _type_text(text: str) -> str:
    return html_text(text)


def _legend(contexts: Iterable[str], mode: Mode, *, greyed: bool, samples: bool) -> list[str]:
    """A compact legend: context colours, column markers and, in layered layouts, the edge ends.

    The sample edges run between two port tables of equal row heights, so each is straight and
    level. Force-directed engines ignore clusters, so there the edge ends are explained in
    words.
    """
    rows = ["<B>Legend</B>"]
    swatches = [(context_colours(context)[0], html_text(context)) for context in contexts]
    if greyed:
        swatches.append((GREY[0], "referenced from another context"))
    # A coloured square of text: a cell of colour would be stretched by the longer rows.
    rows += [f'<FONT COLOR="{colour}" POINT-SIZE="12">█</FONT> {text}' for colour, text in swatches]
    if mode != "overview":
        rows += [html_text(" · ".join(half)) for half in (MARKERS[:2], MARKERS[2:])]
    if not samples:
        rows.append(
            html_text(" · ".join(f"{RIGHT_GLYPHS[end]} {text}" for end, text in END_WORDS.items()))
        )
    cells = "".join(f'<TR><TD ALIGN="LEFT">{row}</TD></TR>' for row in rows)
    table = (
        '    legend [fontsize=8, label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" '
        f'CELLPADDING="1">{cells}</TABLE>>];'
    )
    if not samples:
        return ["  " + table.strip()]
    starts = "".join(
        f'<TR><TD PORT="p{position}" HEIGHT="{_SAMPLE_ROW}" WIDTH="2"></TD></TR>'
        for position in range(len(ARROWS))
    )
    ends = "".join(
        f'<TR><TD PORT="p{position}" HEIGHT="{_SAMPLE_ROW}" ALIGN="LEFT"> '
        f"{html_text(END_WORDS[end])}</TD></TR>"
        for position, end in enumerate(ARROWS)
    )
    lines = [
        "  subgraph cluster_legend {",
        '    graph [label="", style="rounded", color="#bbbbbb", margin=4];',
        table,
        f"    legend_from [label=<{_SAMPLE_TABLE}{starts}</TABLE>>];",
        f"    legend_to [fontsize=8, label=<{_SAMPLE_TABLE}{ends}</TABLE>>];",
        "    legend -> legend_from [style=invis];",
    ]
    lines += [
        f"    legend_from:p{position}:e -> legend_to:p{position}:w "
        f'[dir=forward, arrowhead="{arrow}", arrowtail="none"];'
        for position, arrow in enumerate(ARROWS.values())
    ]
    lines.append("  }")
    return lines


def erd_dot(
    erd: Erd,
    *,
    mode: Mode = "full",
    contexts: frozenset[str] | None = None,
    layout: Layout | None = None,
    legend: bool = True,
) -> str:
    """The diagram as DOT text for Graphviz, with its layout engine and options inside it.

    `mode`: `full` (columns with types), `compact` (columns without types) or `overview`
    (table names only). `contexts`: draw only the tables of these bounded contexts, plus,
    greyed, the tables they refer to. `layout`: default `layout_for(tables drawn, mode)`.

    >>> from advisor.erd.model import ErdColumn, ErdTable
    >>> table = ErdTable("<b>", "sales", (ErdColumn("id", "bigint", nullable=False),))
    >>> dot = erd_dot(Erd("Shop", "postgresql", (table,), ()), legend=False)
    >>> "&lt;b&gt;" in dot and "<b>" not in dot
    True
    """
    return _dot(_Drawing(erd), mode, contexts, layout, legend=legend)


def erd_dots(erd: Erd, views: Iterable[tuple[Mode, frozenset[str] | None]]) -> list[str]:
    """The DOT text of each view (mode, contexts) of one diagram, the same as `erd_dot(erd,
    mode=mode, contexts=contexts)`; the views share the work of drawing a table, done once
    per mode however many views show it.

    >>> from advisor.erd.model import ErdColumn, ErdTable
    >>> erd = Erd("Shop", "postgresql", (ErdTable("a", "sales", (ErdColumn("id", "int"),)),), ())
    >>> erd_dots(erd, [("full", None), ("overview", frozenset({"sales"}))]) == [
    ...     erd_dot(erd), erd_dot(erd, mode="overview", contexts=frozenset({"sales"}))]
    True
    """
    drawing = _Drawing(erd)
    return [_dot(drawing, mode, contexts) for mode, contexts in views]


def _dot(
    drawing: _Drawing,
    mode: Mode,
    contexts: frozenset[str] | None,
    layout: Layout | None = None,
    *,
    legend: bool = True,
) -> str:
    erd = drawing.erd
    chosen = drawing.selection(contexts)
    drawn, greyed = chosen.drawn, chosen.greyed
    if layout is None:
        layout = layout_for(len(drawn) + len(greyed), mode)
    ids = drawing.ids
    lines = [
        "digraph erd {",
        f'  graph [{_attributes(layout.graph_attributes)}, fontname="{FONT}"];',
        f'  node [shape=plain, fontname="{FONT}", fontsize=10];',
        # Declaring arrowhead and arrowtail here keeps Graphviz 2.43 from reading another
        # attribute as an arrow type ("Arrow type "Helvetica" unknown") in large graphs.
        '  edge [dir=both, arrowhead="none", arrowtail="none", color="#555555", arrowsize=0.8, '
        f'fontname="{FONT}"];',
    ]
    if erd.title:
        lines.append(f'  graph [label=<<B>{html_text(erd.title)}</B>>, labelloc="t"];')
    by_context: dict[str | None, list[ErdTable]] = {}
    for table in drawn:
        by_context.setdefault(table.context, []).append(table)
    cluster = 0
    for context, tables in sorted(by_context.items(), key=lambda item: item[0] or ""):
        indent = "  "
        if context is not None and layout.clusters:
            _, background = context_colours(context)
            lines.append(f"  subgraph cluster_{cluster} {{")
            lines.append(
                f'    graph [label=<<B>{html_text(context)}</B>>, style="filled,rounded", '
                f'fillcolor="{background}", color="{background}"];'
            )
            indent = "    "
            cluster += 1
        for table in tables:
            label = drawing.label(table, mode, greyed=False)
            lines.append(f"{indent}{ids[table.name]} [label={label}];")
        if indent == "    ":
            lines.append("  }")
    for table in greyed:
        lines.append(f"  {ids[table.name]} [label={drawing.label(table, mode, greyed=True)}];")
    lines += drawing.edges(contexts, mode)
    if legend:
        drawn_contexts = sorted({table.context for table in drawn if table.context})
        lines += _legend(drawn_contexts, mode, greyed=bool(greyed), samples=layout.clusters)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _edge(link: Link, drawing: _Drawing, shown: dict[str, ErdTable], mode: Mode) -> str:
    parent = drawing.ids[link.parent]
    child = drawing.ids[link.child]
    if mode != "overview" and link.parent == link.child:
        # Both ends on the west side of their rows: the loop stays beside the table instead
        # of crossing its header.
        table = shown[link.child]
        parent += drawing.port(table, link.parent_columns, "l") + ":w"
        child += drawing.port(table, link.child_columns, "l") + ":w"
    elif mode != "overview":
        if link.parent in shown:
            parent += drawing.port(shown[link.parent], link.parent_columns, "r")
        child += drawing.port(shown[link.child], link.child_columns, "l")
    return (
        f'{parent} -> {child} [arrowtail="{ARROWS[link.parent_end]}", '
        f'arrowhead="{ARROWS[link.child_end]}"];'
    )


def _selection(
    erd: Erd, known_contexts: tuple[str, ...], contexts: frozenset[str] | None
) -> tuple[list[ErdTable], list[ErdTable]]:
    """The tables drawn in colour, and the ones drawn greyed because the others refer to them."""
    if contexts is None:
        return list(erd.tables), []
    unknown = sorted(contexts - set(known_contexts))
    if unknown:
        known = ", ".join(known_contexts) or "none"
        raise DiagramError(
            f"no table is in the context {', '.join(map(repr, unknown))}; "
            f"the contexts are: {known}",
            location="contexts",
        )
    drawn = [table for table in erd.tables if table.context in contexts]
    names = {table.name for table in drawn}
    referenced = {link.parent for link in erd.links if link.child in names} - names
    return drawn, [table for table in erd.tables if table.name in referenced]


def drawn_tables(dot: str) -> tuple[int, int]:
    """How many tables a DOT text of `erd_dot` draws: in colour, and greyed (referenced from
    another context).

    >>> from advisor.erd.model import ErdColumn, ErdTable
    >>> table = ErdTable("a", "sales", (ErdColumn("id", "bigint"),))
    >>> drawn_tables(erd_dot(Erd("Shop", "postgresql", (table,), ())))
    (1, 0)
    """
    labels = re.findall(r"^\s*t\d+ \[label=(.*)\];$", dot, flags=re.MULTILINE)
    greyed = sum(f'BGCOLOR="{GREY[0]}"' in label for label in labels)
    return len(labels) - greyed, greyed
