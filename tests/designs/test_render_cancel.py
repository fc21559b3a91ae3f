"""A diagram job's Graphviz dies with it: SIGTERM (a revoked task) kills dot's process group."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys
import django
django.setup()
from advisor.erd import render
from designs.jobs import _cancel_on_sigterm

def started(handle):
    _cancel_on_sigterm(handle)
    print(handle.pgid, flush=True)

render(sys.stdin.read(), format="svg", engine="neato", timeout_s=120, on_start=started)
"""


def slow_dot() -> str:
    """A graph Graphviz takes well over a minute to lay out with curved splines."""
    chance = random.Random(1)
    edges = [f"  n{i} -- n{j};" for i in range(300) for j in chance.sample(range(300), 3)]
    return "graph g {\n  graph [splines=true, overlap=false];\n" + "\n".join(edges) + "\n}\n"


def test_sigterm_stops_graphviz_before_the_worker_exits() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "designs.settings"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(slow_dot())
    child.stdin.close()
    pgid = int(child.stdout.readline())
    os.killpg(pgid, 0)  # Graphviz is running, in a process group of its own
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == 128 + signal.SIGTERM
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return
    os.killpg(pgid, signal.SIGKILL)
    raise AssertionError("dot outlived the task that started it")
