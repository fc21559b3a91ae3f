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
from collections.abc import Callable
from typing import Literal

from advisor.errors import AdvisorError

Format = Literal["svg", "png", "pdf"]
FORMATS: tuple[Format, ...] = ("svg", "png", "pdf")
ENGINES = ("dot", "sfdp", "neato", "fdp", "circo", "twopi", "osage", "patchwork")
DEFAULT_TIMEOUT_S = 60.0
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
    """The diagram drawn by Graphviz as SVG, PNG or PDF bytes.

    `engine` is passed as `-K` (it overrides a `layout` attribute in the text). `on_start` is
    called with the `RenderHandle` as soon as Graphviz runs, so that a caller (a task being
    revoked, a request going away) can cancel it. Raises `RenderTimeout` after `timeout_s`,
    `RenderCancelled`, or `RenderError` when Graphviz is missing or rejects the text.

    >>> render('digraph { a -> b }', format="svg").startswith(b"<?xml")
    True
    """
    if format not in FORMATS:
        raise RenderError(f"{format!r} is not a diagram format; use one of {', '.join(FORMATS)}")
    if engine not in ENGINES:
        raise RenderError(f"{engine!r} is not a Graphviz engine; use one of {', '.join(ENGINES)}")
    found = shutil.which(executable)
    if found is None:
        raise RenderError(
            f"Graphviz's {executable!r} is not installed: install the graphviz package "
            "(e.g. apt-get install graphviz)"
        )
    process = subprocess.Popen(
        [found, f"-K{engine}", f"-T{format}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    handle = RenderHandle(process)
    try:
        if on_start is not None:
            on_start(handle)
        output, errors = process.communicate(dot_text.encode("utf-8"), timeout=timeout_s)
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
