"""The data files' parsed values are kept between runs, and never outlive a change of the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from advisor import data_files
from advisor.data_files import DATA, data_document


@pytest.mark.parametrize("name", ["matrix.yaml", "stores.yaml", "dialects.yaml", "erd.yaml"])
def test_the_kept_values_are_those_of_the_file(name: str) -> None:
    data_document(name)  # keeps them, if it may
    assert data_document(name) == yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(data_files, "DATA", tmp_path)
    monkeypatch.setattr(data_files, "CACHE", tmp_path / "__pycache__")
    return tmp_path


def test_a_changed_file_is_read_again(folder: Path) -> None:
    path = folder / "figures.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert data_document("figures.yaml") == {"a": 1}
    assert (folder / "__pycache__" / "figures.yaml.marshal").exists()
    path.write_text("a: 2\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # even with a modification time from the past
    assert data_document("figures.yaml") == {"a": 2}


def test_a_folder_that_cannot_be_written_only_costs_the_parsing(folder: Path) -> None:
    (folder / "figures.yaml").write_text("a: [1, 2]\n", encoding="utf-8")
    (folder / "__pycache__").write_text("not a folder", encoding="utf-8")
    assert data_document("figures.yaml") == {"a": [1, 2]}
    assert data_document("figures.yaml") == {"a": [1, 2]}


def test_a_damaged_cache_is_replaced(folder: Path) -> None:
    (folder / "figures.yaml").write_text("a: b\n", encoding="utf-8")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "figures.yaml.marshal").write_bytes(b"\x00garbage")
    assert data_document("figures.yaml") == {"a": "b"}
    assert data_document("figures.yaml") == {"a": "b"}
