from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from advisor.erd import MODES, DiagramError, Erd, erd_dot, erd_dots, erd_model, render
from advisor.requirements import Entity, Requirements
from advisor.schema import Column, ColumnType, ForeignKey, Key, Schema, Table, build_schema

HOSTILE_NAMES = (
    'a" URL="javascript:alert(1)" x="',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "Tom & Jerry's {table} | x",
    "back\\slash \\N \\G \\L",
    "line\nbreak",
    "客户 Ünïcødé",
    ']; evil [label="pwned"',
    "&lt;entity&gt;",
)
HOSTILE_CONTEXTS = ("</B><script>alert(2)</script>", 'ctx "q" & {x}')


def hostile_erd(
    names: tuple[str, ...] = HOSTILE_NAMES,
    contexts: tuple[str, ...] = HOSTILE_CONTEXTS,
    title: str = 'Shop <&> "x"',
) -> Erd:
    """A chain of tables, each named by one hostile name and referring to the one before."""
    tables = []
    for position, name in enumerate(names):
        columns = [
            Column("id", ColumnType("bigint"), nullable=False, identity=True),
            Column(names[-1 - position], ColumnType("string", length=10)),
        ]
        keys = []
        if position:
            columns.append(Column(f"ref {names[position - 1]}", ColumnType("bigint")))
            keys.append(ForeignKey(f"fk {name}", (columns[2].name,), names[position - 1], ("id",)))
        tables.append(
            Table(
                name,
                tuple(columns),
                primary_key=Key(f"pk {name}", ("id",)),
                foreign_keys=tuple(keys),
                source=f"entities[{position}]",
            )
        )
    requirements = Requirements(
        title,
        entities=tuple(
            Entity(name, context=contexts[position % len(contexts)])
            for position, name in enumerate(names)
        ),
    )
    return erd_model(Schema("postgresql", tuple(tables)), requirements)


def svg_tree(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)


def svg_text(root: ET.Element) -> str:
    return "\n".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("}text"))


def unsafe_parts(root: ET.Element) -> list[str]:
    found = []
    for element in root.iter():
        if element.tag.split("}")[-1] in ("script", "a", "foreignObject", "iframe"):
            found.append(element.tag)
        for name, value in element.attrib.items():
            local = name.split("}")[-1].lower()
            if local.startswith("on") or "javascript:" in value.lower() or local == "href":
                found.append(f"{element.tag} {name}={value!r}")
    return found


@pytest.mark.parametrize("mode", ["full", "compact", "overview"])
def test_hostile_names_render_as_text_and_inject_nothing(mode: str) -> None:
    erd = hostile_erd()
    root = svg_tree(render(erd_dot(erd, mode=mode), format="svg", engine="dot", timeout_s=30))
    assert unsafe_parts(root) == []
    text = svg_text(root)
    for name in (*HOSTILE_NAMES, *HOSTILE_CONTEXTS):
        for line in name.split("\n"):
            assert line in text, line
    if mode == "full":
        assert "ref " + HOSTILE_NAMES[0] in text


def without_html_labels(dot: str) -> str:
    """The DOT text with every `<...>` label (nested angle brackets included) cut out."""
    kept, depth = [], 0
    for character in dot:
        if character == "<":
            depth += 1
        elif character == ">" and depth:
            depth -= 1
        elif not depth:
            kept.append(character)
    return "".join(kept)


def test_names_reach_the_dot_text_only_inside_html_labels() -> None:
    dot = erd_dot(hostile_erd())
    outside = without_html_labels(dot)
    for word in ("javascript", "script", "onerror", "Tom", "evil", "pwned", "客户", "slash"):
        assert word not in outside
    ids = re.findall(r"^\s*(\S+) \[label=", dot, flags=re.MULTILINE)
    assert ids and all(re.fullmatch(r"graph|t\d+|legend(_from|_to)?", i) for i in ids)
    edges = re.findall(r"^\s*(\S+) -> (\S+) \[", dot, flags=re.MULTILINE)
    assert edges and all(
        re.fullmatch(r"t\d+(:c\d+[lr])?(:w)?|legend(_from|_to)?(:p\d:[ew])?", e)
        for e in sum(edges, ())
    )


def test_the_demo_draws_crows_feet_from_nullability(demo: Requirements) -> None:
    dot = erd_dot(erd_model(build_schema(demo, "postgresql"), demo))
    customer, order, category = "t0", "t4", "t2"
    assert f'{customer}:c0r -> {order}:c4l [arrowtail="teetee", arrowhead="crowodot"]' in dot
    assert (
        f'{category}:c0l:w -> {category}:c3l:w [arrowtail="teeodot", arrowhead="crowodot"]' in dot
    )


def test_compact_hides_types_and_overview_hides_columns(demo: Requirements) -> None:
    erd = erd_model(build_schema(demo, "postgresql"), demo)
    full, compact, overview = (erd_dot(erd, mode=m) for m in ("full", "compact", "overview"))
    assert "timestamptz" in full and "timestamptz" not in compact
    assert "customer_id" in compact and "customer_id" not in overview
    assert "t0 -> t4 [" in overview


def test_contexts_are_clusters_with_the_same_colour_in_every_diagram(demo: Requirements) -> None:
    erd = erd_model(build_schema(demo, "postgresql"), demo)
    whole = erd_dot(erd)
    sales = erd_dot(erd, contexts=frozenset({"sales"}))
    colour = re.search(r"<B>sales</B>>, style=\"filled,rounded\", fillcolor=\"(#\w+)\"", whole)
    assert colour is not None and f'fillcolor="{colour.group(1)}"' in sales
    assert whole.count("subgraph cluster_") == 3  # two contexts and the legend


def test_a_context_diagram_greys_the_tables_it_refers_to(demo: Requirements) -> None:
    erd = erd_model(build_schema(demo, "postgresql"), demo)
    dot = erd_dot(erd, contexts=frozenset({"sales"}))
    root = svg_tree(render(dot, format="svg"))
    text = svg_text(root)
    assert "order_item" in text and "product" in text  # product: referenced by order_item
    assert "category" not in text and "sku" not in text
    assert "referenced from another context" in text


def test_every_view_drawn_at_once_is_the_view_drawn_alone() -> None:
    erd = hostile_erd()
    views = [
        (mode, contexts)
        for contexts in (None, *(frozenset({c}) for c in erd.contexts), frozenset(erd.contexts))
        for mode in MODES
    ]
    alone = [erd_dot(erd, mode=mode, contexts=contexts) for mode, contexts in views]
    assert erd_dots(erd, views) == alone


def test_an_unknown_context_is_an_error_that_lists_the_known_ones(demo: Requirements) -> None:
    erd = erd_model(build_schema(demo, "postgresql"), demo)
    with pytest.raises(DiagramError, match=r"'billing'.*catalogue, sales"):
        erd_dot(erd, contexts=frozenset({"billing"}))


def test_the_demo_renders_as_png_and_pdf(demo: Requirements) -> None:
    dot = erd_dot(erd_model(build_schema(demo, "postgresql"), demo))
    assert render(dot, format="png").startswith(b"\x89PNG")
    assert render(dot, format="pdf").startswith(b"%PDF")


SVG = "{http://www.w3.org/2000/svg}"


def drawn_parts(dot: str) -> list[tuple[str, list[tuple[float, float]]]]:
    """The title of each node, edge and cluster of the SVG, with the points it is drawn with
    (an edge: its line)."""
    parts = []
    for group in svg_tree(render(dot, format="svg")).iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if title is None or group.get("class") not in ("node", "edge", "cluster"):
            continue
        numbers = []
        # An edge by its line alone, without its arrowheads.
        kept = (f"{SVG}path",) if group.get("class") == "edge" else (f"{SVG}polygon", f"{SVG}path")
        for shape in group:
            if shape.tag in kept:
                numbers += re.findall(r"-?\d+(?:\.\d+)?", shape.get("points") or shape.get("d", ""))
        values = [float(n) for n in numbers]
        name = re.sub(r":[ew]\b", "", title.text or "")  # without compass points
        parts.append((name, list(zip(values[::2], values[1::2], strict=False))))
    return parts


@pytest.mark.parametrize("mode", ["full", "compact"])
def test_a_self_reference_loops_beside_its_table_not_across_its_header(
    demo: Requirements, mode: str
) -> None:
    erd = erd_model(build_schema(demo, "postgresql"), demo)
    node = f"t{[table.name for table in erd.tables].index('category')}"
    parts = drawn_parts(erd_dot(erd, mode=mode))
    loop = next(points for title, points in parts if title == f"{node}->{node}")
    left = min(x for title, points in parts if title == node for x, _ in points)
    assert max(x for x, _ in loop) <= left + 1  # the whole loop is west of the table


def test_the_legend_is_compact_and_its_sample_lines_are_level(demo: Requirements) -> None:
    erd = erd_model(build_schema(demo, "postgresql"), demo)
    parts = drawn_parts(erd_dot(erd, mode="overview"))
    samples = [points for title, points in parts if title == "legend_from->legend_to"]
    assert len(samples) == 4
    for points in samples:
        ys = [y for _, y in points]
        assert max(ys) - min(ys) < 1, points  # straight and level
    legend = next(points for title, points in parts if title == "cluster_legend")
    tables = [point for title, points in parts if re.fullmatch(r"t\d+", title) for point in points]

    def area(points: list[tuple[float, float]]) -> float:
        xs, ys = [x for x, _ in points], [y for _, y in points]
        return (max(xs) - min(xs)) * (max(ys) - min(ys))

    assert area(legend) < area(tables) / 2  # it was nearly as large as the tables
