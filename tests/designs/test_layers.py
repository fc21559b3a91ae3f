"""The modules of `designs/` form layers: models <- services <- generation and diagrams <- jobs
<- tasks <- views. An import inside a function counts as much as one at the top."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = (
    ("designs.models",),
    ("designs.services",),
    ("designs.generation", "designs.diagrams"),
    ("designs.jobs",),
    ("designs.tasks",),
    ("designs.views",),
)


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(path: Path) -> set[str]:
    """The `designs` modules that the file imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if is_module(name) else node.module)
    return {name for name in found if name.startswith("designs.")}


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for path in (ROOT / "designs").rglob("*.py"):
        if "migrations" not in path.parts:
            name = module_name(path)
            graph[name] = imports_of(path) - {name}
    return graph


def layer_of(module: str) -> int | None:
    for position, layer in enumerate(LAYERS):
        if any(module == name or module.startswith(f"{name}.") for name in layer):
            return position
    return None


def test_no_module_of_designs_imports_itself_back() -> None:
    graphlib.TopologicalSorter(import_graph()).prepare()  # raises CycleError naming the cycle


def test_each_layer_imports_only_the_layers_below_it() -> None:
    upward = []
    for module, imported in import_graph().items():
        own = layer_of(module)
        for name in imported:
            other = layer_of(name)
            if own is not None and other is not None and other > own:
                upward.append(f"{module} imports {name}")
    assert upward == []
