"""Running Graphviz: the one place in `advisor.erd` that starts a process.

The `graphviz` package's `pipe()` has no timeout, and killing Python leaves `dot` running. Here
`dot` runs in its own process group with a deadline; on timeout or cancellation the whole group
is killed (Graphviz can start helpers), so no layout outlives the request that asked for it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal

from advisor.erd.layout import engine_of
from advisor.errors import AdvisorError

Format = Literal["svg", "png", "pdf"]
FORMATS: tuple[Format, ...] = ("svg", "png", "pdf")
ENGINES = ("dot", "sfdp", "neato", "fdp", "circo", "twopi", "osage", "patchwork")
DEFAULT_TIMEOUT_S = 60.0
# PNGs are drawn at twice the 96 dpi of Graphviz's default: sharp on high-DPI screens and
# in printed documents.
PNG_DPI = 192
_STDERR_SHOWN = 2000


class RenderError(AdvisorError):
    """Graphviz could not draw the diagram: missing, failed, too slow or cancelled."""


class RenderTimeout(RenderError):
    """Graphviz ran past its deadline and was stopped."""


class RenderCancelled(RenderError):
    """The render was cancelled by its caller (e.g. a revoked task)."""


class RenderHandle:
    """A running Graphviz process: its process group id, and a way to stop it from elsewhere.

    `cancel()` is safe to call from another thread or a signal handler, any number of times.
    """

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self.pgid = process.pid  # start_new_session: the process leads its own group
        self.cancelled = False
        self._lock = threading.Lock()

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            kill_group(self.pgid, self._process)


def kill_group(pgid: int, process: subprocess.Popen[bytes]) -> None:
    """Kill every process of the group `pgid` that `process` leads, unless it was reaped.

    Once reaped, the id may belong to someone else: then nothing is sent.
    """
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def render(
    dot_text: str,
    *,
    format: Format = "svg",
    engine: str = "dot",
    timeout_s: float = DEFAULT_TIMEOUT_S,
    on_start: Callable[[RenderHandle], None] | None = None,
    executable: str = "dot",
) -> bytes:
    """The diagram drawn by Graphviz as SVG, PNG (at `PNG_DPI`) or PDF bytes.

    `engine` is passed as `-K` (it overrides a `layout` attribute in the text). `on_start` is
    called with the `RenderHandle` as soon as Graphviz runs, so that a caller (a task being
    revoked, a request going away) can cancel it. Raises `RenderTimeout` after `timeout_s`,
    `RenderCancelled`, or `RenderError` when Graphviz is missing or rejects the text.

    >>> render('digraph { a -> b }', format="svg").startswith(b"<?xml")
    True
    """
    found = _graphviz(executable, (format,), engine)
    run = _Run(engine, timeout_s, time.monotonic() + timeout_s, on_start)
    return _run([found, f"-K{engine}", *_drawing(format)], dot_text, run)


def start_render(
    format: Format = "svg", *, timeout_s: float = DEFAULT_TIMEOUT_S, executable: str = "dot"
) -> PendingRender:
    """Graphviz started before its DOT text is made, so that its own start overlaps the work
    of making the text; `draw(dot_text)` then gives the drawing as `render` does. The engine
    is the one the text's `layout` attribute names (every text of `erd_dot` names one).
    Leaving the `with` block stops a Graphviz that has not drawn (e.g. the text could not be
    made).

    >>> with start_render("svg") as graphviz:
    ...     graphviz.draw('digraph { graph [layout="dot"]; a -> b }').startswith(b"<?xml")
    True
    """
    found = _graphviz(executable, (format,))
    return PendingRender(_start([found, *_drawing(format)]), timeout_s)


class PendingRender:
    """A Graphviz process waiting for the text it is to draw (see `start_render`)."""

    def __init__(self, process: subprocess.Popen[bytes], timeout_s: float) -> None:
        self._process = process
        self._timeout_s = timeout_s
        self.pgid = process.pid  # its own process group, as a render's

    def draw(self, dot_text: str) -> bytes:
        """The drawing of `dot_text`; raises as `render` does."""
        timeout_s = self._timeout_s
        run = _Run(engine_of(dot_text), timeout_s, time.monotonic() + timeout_s, None)
        return _finish(self._process, dot_text, run)

    def __enter__(self) -> PendingRender:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process.returncode is None:
            kill_group(self.pgid, self._process)
            self._process.communicate()


def _graphviz(executable: str, formats: Iterable[str], engine: str | None = None) -> str:
    """The path of Graphviz's `executable`, once the formats and engine asked for are known
    to be ones it draws; raises `RenderError`."""
    for format in formats:
        if format not in FORMATS:
            raise RenderError(
                f"{format!r} is not a diagram format; use one of {', '.join(FORMATS)}"
            )
    if engine is not None and engine not in ENGINES:
        raise RenderError(f"{engine!r} is not a Graphviz engine; use one of {', '.join(ENGINES)}")
    found = shutil.which(executable)
    if found is None:
        raise RenderError(
            f"Graphviz's {executable!r} is not installed: install the graphviz package "
            "(e.g. apt-get install graphviz)"
        )
    return found


def _drawing(format: Format) -> list[str]:
    """The arguments that draw `format` on the standard output (PNGs at `PNG_DPI`)."""
    return [f"-Gdpi={PNG_DPI}", "-Tpng"] if format == "png" else [f"-T{format}"]


def render_formats(
    dot_text: str,
    formats: Iterable[Format],
    *,
    engine: str = "dot",
    timeout_s: float = DEFAULT_TIMEOUT_S,
    on_start: Callable[[RenderHandle], None] | None = None,
    executable: str = "dot",
) -> dict[Format, bytes]:
    """The diagram in each of `formats` from one layout: Graphviz lays it out once.

    One process lays the diagram out and writes the vector formats (SVG, PDF) together with
    the layout (xdot); a PNG, which is drawn at `PNG_DPI` (a graph-wide setting that would
    also enlarge the SVG), is then drawn from that layout by `-n2`, which lays nothing out
    again. The same deadline, cancellation and errors as `render`.

    >>> drawn = render_formats('digraph { a -> b }', ("svg", "png"))
    >>> drawn["svg"].startswith(b"<?xml"), drawn["png"].startswith(b"\\x89PNG")
    (True, True)
    """
    import tempfile  # here: the command line's one drawing does without it

    wanted = tuple(dict.fromkeys(formats))
    found = _graphviz(executable, wanted, engine)
    run = _Run(engine, timeout_s, time.monotonic() + timeout_s, on_start)
    with tempfile.TemporaryDirectory(prefix="erd-") as folder:
        out = Path(folder)
        vector = [format for format in wanted if format != "png"]
        if wanted == ("png",):
            # Nothing else to write: lay out and draw the PNG in one go.
            layout_arguments = [f"-Gdpi={PNG_DPI}", "-Tpng", "-o", str(out / "drawing.png")]
        else:
            layout_arguments = [
                argument
                for format in vector
                for argument in (f"-T{format}", "-o", str(out / f"drawing.{format}"))
            ]
            if "png" in wanted:
                layout_arguments += ["-Txdot", "-o", str(out / "layout.xdot")]
        _run([found, f"-K{engine}", *layout_arguments], dot_text, run)
        if "png" in wanted and wanted != ("png",):
            layout = (out / "layout.xdot").read_text(encoding="utf-8")
            png = [f"-Gdpi={PNG_DPI}", "-Tpng", "-o", str(out / "drawing.png")]
            # neato -n2 keeps the positions and splines it is given.
            _run([found, "-Kneato", "-n2", *png], layout, run)
        return {format: (out / f"drawing.{format}").read_bytes() for format in wanted}


@dataclass(frozen=True)
class _Run:
    engine: str
    timeout_s: float
    deadline: float  # time.monotonic() when the whole render must have ended
    on_start: Callable[[RenderHandle], None] | None


def _run(arguments: list[str], text: str, run: _Run) -> bytes:
    """Run Graphviz on `text` within the render's deadline; its standard output."""
    return _finish(_start(arguments), text, run)


def _start(arguments: list[str]) -> subprocess.Popen[bytes]:
    """Graphviz started in its own process group, reading its text from a pipe."""
    return subprocess.Popen(
        arguments,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _finish(process: subprocess.Popen[bytes], text: str, run: _Run) -> bytes:
    """What the started Graphviz `process` writes for `text`, within the render's deadline."""
    engine, timeout_s = run.engine, run.timeout_s
    on_start = run.on_start
    handle = RenderHandle(process)
    try:
        if on_start is not None:
            on_start(handle)
        output, errors = process.communicate(
            text.encode("utf-8"), timeout=max(run.deadline - time.monotonic(), 0.001)
        )
    except subprocess.TimeoutExpired:
        kill_group(handle.pgid, process)
        process.communicate()
        raise RenderTimeout(
            f"Graphviz ({engine}) took longer than {timeout_s:g} s and was stopped; "
            "try the overview or one context at a time"
        ) from None
    except BaseException:
        # Whatever stops us (KeyboardInterrupt, SystemExit in a task) stops Graphviz too.
        kill_group(handle.pgid, process)
        process.wait()
        raise
    if handle.cancelled:
        raise RenderCancelled(f"the Graphviz ({engine}) render was cancelled")
    if process.returncode != 0:
        message = errors.decode("utf-8", "replace").strip()[:_STDERR_SHOWN]
        raise RenderError(
            f"Graphviz ({engine}) failed with exit status {process.returncode}: {message}"
        )
    return output
