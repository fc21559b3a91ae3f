"""A verb of the command line loads only what it uses: most of a short run is spent importing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor import cli, erd, report
from tests.advisor.conftest import DEMO_PATH, ROOT

# What `recommend` never needs: SQL text, diagrams, other stores' schemas, records, migrations,
# importers (even their parser's table of dialects), schema building, the lint and its reports,
# the case benchmark, the YAML writer, the comparison of versions.
HEAVY = (
    "sqlglot",
    "graphviz",
    "advisor.erd",
    "advisor.ddl",
    "advisor.stores",
    "advisor.decisions",
    "advisor.design",
    "advisor.migrate",
    "advisor.importing",
    "advisor.schema.build",
    "advisor.lint",
    "advisor.benchmark",
    "advisor.report",
    "advisor.requirements.yaml_writer",
    "advisor.requirements.diff",
)


def loaded_by(*argv: str, among: tuple[str, ...] = HEAVY) -> tuple[int, list[str]]:
    """The exit status of `python -m advisor *argv` in a fresh interpreter and the modules of
    `among` (with their submodules) it loaded."""
    script = (
        "import contextlib, io, sys\n"
        "from advisor.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    status = main({list(argv)!r})\n"
        f"heavy = sorted(m for m in sys.modules if m.startswith({among!r}))\n"
        "import json\n"
        "print(json.dumps([status, heavy]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    status, heavy = json.loads(result.stdout)
    return status, heavy


@pytest.mark.parametrize("output", ["text", "json"])
def test_recommend_loads_no_generator_diagram_or_sqlglot(output: str) -> None:
    status, heavy = loaded_by("recommend", str(DEMO_PATH), "--format", output)
    assert status == 0
    assert heavy == []


def test_recommend_prints_text_without_loading_json_or_threading() -> None:
    status, loaded = loaded_by("recommend", str(DEMO_PATH), among=("json", "threading"))
    assert status == 0
    assert loaded == []


def test_the_erd_verb_loads_the_diagrams_it_draws(tmp_path: Path) -> None:
    status, heavy = loaded_by("erd", str(DEMO_PATH), "--format", "dot", "-o", str(tmp_path / "e"))
    assert status == 0
    assert "advisor.erd.dot" in heavy
    assert "sqlglot" not in heavy
    assert "advisor.requirements.yaml_writer" not in heavy


def test_import_loads_sqlglot_when_it_runs(tmp_path: Path) -> None:
    dump = tmp_path / "shop.sql"
    dump.write_text("CREATE TABLE customer (id integer PRIMARY KEY);\n", encoding="utf-8")
    status, heavy = loaded_by("import", str(dump))
    assert status == 0
    assert "sqlglot" in heavy and "advisor.importing.sql" in heavy


def test_the_parsers_choices_are_those_of_the_diagrams_and_the_reports() -> None:
    assert cli.ERD_MODES == erd.MODES
    assert cli.REPORT_FORMATS == report.FORMATS
    assert cli.FAIL_ON == report.FAIL_ON


def test_the_help_still_lists_every_verb(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    listed = capsys.readouterr().out
    for verb in ("recommend", "advise", "lint", "erd", "schema", "benchmark", "import", "migrate"):
        assert verb in listed
