from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.cli import main
from tests.advisor.conftest import DEMO_PATH, ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_recommend_prints_readable_text_with_reasons() -> None:
    result = run("recommend", str(DEMO_PATH))
    assert result.returncode == 0, result.stderr
    assert "Primary store: PostgreSQL (relational)" in result.stdout
    assert "Reasons:" in result.stdout
    assert result.stderr == ""


def test_recommend_prints_the_stable_json() -> None:
    first = run("recommend", str(DEMO_PATH), "--format", "json")
    second = run("recommend", str(DEMO_PATH), "--format", "json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["primary"]["technology"] == "postgresql"


def test_an_invalid_document_lists_every_problem_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(
        "format: advisor/v1\nproject: Shop\nworkload: {regions: 0, consistency: strog}\n"
        "entities:\n  - {name: order, attributes: [{name: total, type: strng}]}\n",
        encoding="utf-8",
    )
    result = run("recommend", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[1:] == [
        "workload.consistency: 'strog' is not one of strong, eventual (did you mean 'strong'?)",
        "workload.regions: 0 is too small; it must be at least 1",
        "entities[0].attributes[0].type: 'strng' is not one of string, text, integer, bigint, "
        "decimal, float, boolean, date, datetime, time, uuid, json, enum, binary, point, vector "
        "(did you mean 'string'?)",
    ]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(None, "no such file", id="missing-file"),
        pytest.param(
            b"format: advisor/v1\nproject: [Shop\n", "not valid YAML or JSON", id="bad-yaml"
        ),
        pytest.param(b"\xff\xfe\x00bad", "not UTF-8 text", id="not-utf8"),
        pytest.param(b"- a list\n", "the document is a list", id="not-a-mapping"),
        pytest.param(b"", "the document is empty", id="empty"),
    ],
)
def test_unreadable_input_exits_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / "requirements.yaml"
    if content is not None:
        path.write_bytes(content)
    assert main(["recommend", str(path)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_a_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_no_verb_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "recommend" in capsys.readouterr().out
