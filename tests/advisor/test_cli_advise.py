"""`python -m advisor advise REQUIREMENTS --out DIR` writes the whole design."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.cli import main
from advisor.design import create_design
from advisor.requirements import read_requirements

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "docs" / "examples" / "online-shop.yaml"


def advise(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", "advise", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_writes_the_recommendation_every_dialect_and_the_lint(tmp_path: Path) -> None:
    result = advise(str(DEMO), "--out", str(tmp_path), "--partitions-from", "2025-01-01")
    assert result.returncode == 0, result.stderr
    assert "primary store PostgreSQL; 0 lint error(s)." in result.stdout
    written = sorted(
        str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*") if path.is_file()
    )
    decisions = [path for path in written if path.startswith("decisions/")]
    assert decisions and decisions[0].startswith("decisions/0001-use-postgresql-as-the-primary")
    assert [path for path in written if not path.startswith("decisions/")] == [
        "architecture.md",
        "erd/erd.dbml",
        "erd/erd.dot",
        "erd/erd.mmd",
        "erd/erd.png",
        "erd/erd.puml",
        "erd/erd.svg",
        "erd/tables.json",
        "erd/views.json",
        "erd/views/compact.dot",
        "erd/views/context-catalogue/compact.dot",
        "erd/views/context-catalogue/full.dot",
        "erd/views/context-catalogue/overview.dot",
        "erd/views/context-sales/compact.dot",
        "erd/views/context-sales/full.dot",
        "erd/views/context-sales/overview.dot",
        "erd/views/full.dot",
        "erd/views/overview.dot",
        "lint.json",
        "model.json",
        "recommendation.json",
        "schema/elasticsearch.json",
        "schema/mysql.sql",
        "schema/oracle.sql",
        "schema/postgresql.sql",
        "schema/redis.md",
        "schema/sqlite.sql",
        "schema/sqlserver.sql",
    ]
    assert (tmp_path / "erd" / "erd.png").read_bytes().startswith(b"\x89PNG")
    assert (
        json.loads((tmp_path / "recommendation.json").read_text())["primary"]["category"]
        == "relational"
    )
    lint = json.loads((tmp_path / "lint.json").read_text())
    assert set(lint["dialects"]) == {"postgresql", "mysql", "sqlite", "sqlserver", "oracle"}
    sqlite3.connect(":memory:").executescript((tmp_path / "schema" / "sqlite.sql").read_text())


def test_the_same_document_gives_the_same_bytes(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        advise(str(DEMO), "--out", str(tmp_path / folder), "--partitions-from", "2025-01-01")
    for path in (tmp_path / "a").rglob("*.*"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def test_an_invalid_document_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: advisor/v1\nproject: Shop\n"
        "entities: [{name: a, attributes: [{name: b, type: strng}]}]\n"
    )
    result = advise(str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "entities[0].attributes[0].type: 'strng' is not one of" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_erd_writes_one_format(tmp_path: Path) -> None:
    target = tmp_path / "shop.mmd"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "advisor",
            "erd",
            str(DEMO),
            "--format",
            "mermaid",
            "-o",
            str(target),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert target.read_text().startswith("erDiagram")


def test_a_bad_date_is_refused_with_usage() -> None:
    result = advise(str(DEMO), "--out", "/tmp/unused", "--partitions-from", "someday")
    assert result.returncode == 2
    assert "'someday' is not a date like 2026-01-31" in result.stderr


@pytest.mark.parametrize(
    "example", sorted((ROOT / "docs" / "examples").glob("*.yaml")), ids=lambda path: path.stem
)
def test_erd_draws_the_diagram_of_the_design(example: Path, tmp_path: Path) -> None:
    target = tmp_path / "erd.dot"
    assert main(["erd", str(example), "--format", "dot", "-o", str(target)]) == 0
    design = create_design(read_requirements(example.read_text(encoding="utf-8")))
    drawn = design.file("erd/erd.dot")
    assert drawn is not None
    assert target.read_text(encoding="utf-8") == drawn.text


def test_a_diagram_that_cannot_be_drawn_leaves_the_design_written(tmp_path: Path) -> None:
    # Without Graphviz on the path (as when a large overview runs past its time limit), the
    # design is written all the same, and the warning says why its pictures are missing.
    out = tmp_path / "design"
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "advise", str(DEMO), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": str(tmp_path / "no-graphviz-here")},
    )
    assert result.returncode == 0, result.stderr
    assert "warning: the diagram was not drawn: Graphviz's 'dot' is not installed" in result.stderr
    assert (out / "schema" / "postgresql.sql").is_file() and (out / "erd" / "erd.dot").is_file()
    assert not (out / "erd" / "erd.svg").exists()


def test_a_diagram_of_more_tables_than_graphviz_draws_in_time_is_left_to_its_contexts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo's 11 tables stand for thousands: Graphviz would run past its time limit.
    monkeypatch.setattr("advisor.erd.layout.max_drawn_tables", lambda: 5)
    out = tmp_path / "design"
    assert main(["advise", str(DEMO), "--out", str(out)]) == 0
    note = capsys.readouterr().err
    assert "note: the diagram of all tables is not drawn: " in note
    assert "more than Graphviz lays out within its time limit (at most 5)" in note
    assert "--context NAME" in note and (out / "erd" / "erd.dot").is_file()
    assert not (out / "erd" / "erd.svg").exists()

    assert main(["erd", str(DEMO), "-o", str(tmp_path / "all.svg")]) == 2
    error = capsys.readouterr().err
    assert "(at most 5): draw one bounded context with --context NAME (one of " in error
    assert not (tmp_path / "all.svg").exists()
    assert main(["erd", str(DEMO), "-o", str(tmp_path / "all.dot"), "--format", "dot"]) == 0
    catalogue = tmp_path / "catalogue.svg"
    assert main(["erd", str(DEMO), "-o", str(catalogue), "--context", "catalogue"]) == 0
    assert catalogue.read_bytes().startswith(b"<?xml")
    assert "diagram of catalogue (" in capsys.readouterr().out
