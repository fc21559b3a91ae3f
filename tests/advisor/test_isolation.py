from __future__ import annotations

import pkgutil
import subprocess
import sys

import advisor
from tests.advisor.conftest import ROOT


def test_the_engine_never_loads_django() -> None:
    modules = sorted(
        info.name
        for info in pkgutil.walk_packages(advisor.__path__, prefix="advisor.")
        if info.name != "advisor.__main__"
    )
    assert "advisor.engine" in modules and "advisor.rules.scaling" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from advisor.engine import advise\n"
        "from advisor.requirements import read_requirements\n"
        "advise(read_requirements(open('docs/examples/online-shop.yaml').read()))\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "print(len(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"
