"""The command line answers bad input with exit 2 and a message, never a traceback or a hang."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.cli import main
from tests.advisor.conftest import ROOT
from tests.advisor.hostile import PARAMS


@pytest.mark.parametrize(("text", "message"), PARAMS)
@pytest.mark.parametrize("verb", ["recommend", "advise"])
def test_hostile_documents_exit_2_with_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], verb: str, text: str, message: str
) -> None:
    path = tmp_path / "requirements.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    extra = ["--out", str(tmp_path / "out")] if verb == "advise" else []
    assert main([verb, str(path), *extra]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""
    assert not (tmp_path / "out").exists()  # nothing written half-way


@pytest.mark.parametrize("verb", ["recommend", "import"])
def test_a_device_is_refused_at_once(verb: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "advisor", verb, "/dev/zero"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "/dev/zero: is not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "requirements.yaml"
    os.mkfifo(pipe)
    assert main(["recommend", str(pipe)]) == 2
    assert "is not a regular file" in capsys.readouterr().err
