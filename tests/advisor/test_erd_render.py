from __future__ import annotations

import os
import threading
import time

import pytest

from advisor.erd import (
    Layout,
    RenderCancelled,
    RenderError,
    RenderHandle,
    RenderTimeout,
    erd_dot,
    erd_model,
    render,
    synthetic_requirements,
)
from advisor.errors import AdvisorError
from advisor.requirements import parse_requirements
from advisor.schema import build_schema


def slow_dot() -> str:
    """Spline routing around 500 tables: about 50 s of sfdp, far beyond any test's deadline."""
    requirements = synthetic_requirements(500)
    erd = erd_model(build_schema(requirements, "postgresql"), requirements)
    layout = Layout("sfdp", (("overlap", "prism"), ("splines", "true")), clusters=False)
    return erd_dot(erd, mode="overview", layout=layout)


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
