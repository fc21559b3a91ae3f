from __future__ import annotations

import os
import shutil
import threading
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from advisor.erd import (
    PNG_DPI,
    Erd,
    Layout,
    RenderCancelled,
    RenderError,
    RenderHandle,
    RenderTimeout,
    engine_of,
    erd_dot,
    erd_model,
    render,
    render_formats,
    start_render,
    synthetic_requirements,
)
from advisor.errors import AdvisorError
from advisor.requirements import parse_requirements, read_requirements
from advisor.schema import build_schema


def slow_dot() -> str:
    """Spline routing around 500 tables: about 50 s of sfdp, far beyond any test's deadline."""
    requirements = synthetic_requirements(500)
    erd = erd_model(build_schema(requirements, "postgresql"), requirements)
    layout = Layout("sfdp", (("overlap", "prism"), ("splines", "true")), clusters=False)
    return erd_dot(erd, mode="overview", layout=layout)


def demo_erd() -> Erd:
    path = Path(__file__).resolve().parents[2] / "docs" / "examples" / "online-shop.yaml"
    requirements = read_requirements(path.read_text())
    return erd_model(build_schema(requirements, "postgresql"), requirements)


def group_is_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_timeout_stops_graphviz_and_leaves_no_process_behind() -> None:
    handles: list[RenderHandle] = []
    started = time.perf_counter()
    with pytest.raises(RenderTimeout, match=r"longer than 0\.5 s"):
        render(slow_dot(), engine="sfdp", timeout_s=0.5, on_start=handles.append)
    assert time.perf_counter() - started < 10
    assert len(handles) == 1 and group_is_gone(handles[0].pgid)


def test_a_caller_can_cancel_a_running_render() -> None:
    handles: list[RenderHandle] = []
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            render(slow_dot(), engine="sfdp", timeout_s=60, on_start=handles.append)
        except AdvisorError as error:
            outcome.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 10
    while not handles and time.monotonic() < deadline:
        time.sleep(0.01)
    handles[0].cancel()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], RenderCancelled)
    assert group_is_gone(handles[0].pgid)


def test_graphviz_errors_come_back_as_a_render_error_with_its_message() -> None:
    with pytest.raises(RenderError, match="syntax error"):
        render("digraph { a -> }", timeout_s=10)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"format": "gif"}, "'gif' is not a diagram format"),
        ({"engine": "rm -rf"}, "'rm -rf' is not a Graphviz engine"),
        ({"executable": "no-such-graphviz"}, "is not installed"),
    ],
)
def test_bad_arguments_are_refused_before_anything_runs(
    arguments: dict[str, str], message: str
) -> None:
    with pytest.raises(RenderError, match=message):
        render("digraph { a }", **arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["]", "[", "]]>", "a]b", "<![CDATA[x]]>", "R&D"])
@pytest.mark.parametrize("mode", ["full", "overview"])
def test_a_table_or_context_with_brackets_in_its_name_draws(name: str, mode: str) -> None:
    document = {
        "format": "advisor/v1",
        "project": name,
        "entities": [{"name": name, "context": name}, {"name": "b", "context": "other"}],
        "relationships": [{"from": "b", "to": name, "cardinality": "many-to-one"}],
    }
    requirements = parse_requirements(document)
    erd = erd_model(build_schema(requirements, "postgresql"), requirements)
    for contexts in (None, frozenset({name})):
        svg = render(erd_dot(erd, mode=mode, contexts=contexts), format="svg").decode()
        assert "<svg" in svg


def graphviz_that_logs(folder: Path) -> tuple[str, Path]:
    """A `dot` that writes each command line it is run with to a log, then runs the real one."""
    log = folder / "runs.log"
    script = folder / "dot"
    script.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {shutil.which("dot")} "$@"\n')
    script.chmod(0o755)
    return str(script), log


def svg_size_pt(svg: bytes) -> tuple[float, float]:
    root = ElementTree.fromstring(svg)
    return float(root.attrib["width"].removesuffix("pt")), float(
        root.attrib["height"].removesuffix("pt")
    )


def png_size_px(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_every_format_comes_from_one_layout(tmp_path: Path) -> None:
    executable, log = graphviz_that_logs(tmp_path)
    dot = erd_dot(demo_erd(), mode="full")
    drawn = render_formats(dot, ("svg", "pdf", "png"), executable=executable)
    runs = log.read_text().splitlines()
    layouts = [run for run in runs if "-n2" not in run]
    assert len(layouts) == 1, runs
    assert "-Tsvg" in layouts[0] and "-Tpdf" in layouts[0] and "-Tpng" not in layouts[0]
    assert len(runs) == 2 and "-Tpng" in runs[1]  # drawn from the layout, not laid out again
    assert drawn["svg"].startswith(b"<?xml") and drawn["pdf"].startswith(b"%PDF")
    assert png_size_px(drawn["png"]) == png_size_px(render(dot, format="png"))


def test_a_png_is_drawn_at_high_dpi_and_the_svg_keeps_its_size() -> None:
    drawn = render_formats(erd_dot(demo_erd(), mode="overview"), ("svg", "png"))
    width_pt, height_pt = svg_size_pt(drawn["svg"])
    width_px, height_px = png_size_px(drawn["png"])
    assert PNG_DPI >= 192
    assert abs(width_px - width_pt * PNG_DPI / 72) <= 3
    assert abs(height_px - height_pt * PNG_DPI / 72) <= 3
    assert 'transform="scale(1 1)' in drawn["svg"].decode()


def test_one_format_alone_is_one_run(tmp_path: Path) -> None:
    executable, log = graphviz_that_logs(tmp_path)
    for format in ("svg", "png"):
        render(erd_dot(demo_erd(), mode="compact"), format=format, executable=executable)
    assert len(log.read_text().splitlines()) == 2


def test_graphviz_started_before_its_text_draws_what_render_draws() -> None:
    dot = erd_dot(demo_erd(), mode="overview")
    with start_render("svg") as graphviz:
        drawn = graphviz.draw(dot)
    assert drawn == render(dot, format="svg", engine=engine_of(dot))


def test_graphviz_started_for_nothing_is_stopped() -> None:
    with pytest.raises(RuntimeError), start_render("svg") as graphviz:
        pgid = graphviz.pgid
        raise RuntimeError("the text could not be made")
    assert group_is_gone(pgid)
