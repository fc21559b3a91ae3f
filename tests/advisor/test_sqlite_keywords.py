"""The SQLite words the advisor quotes and lints are exactly those SQLite refuses as names."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from advisor.schema import dialect

KEYWORDS = Path(__file__).resolve().parents[1] / "fixtures" / "keywords" / "sqlite.txt"
ALL = KEYWORDS.read_text(encoding="utf-8").split()


def _accepted_as_a_name(word: str) -> bool:
    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(
            f"""
            CREATE TABLE {word} ({word} INTEGER PRIMARY KEY, b INTEGER CHECK ({word} >= 0));
            CREATE TABLE child (id INTEGER PRIMARY KEY, {word} INTEGER REFERENCES {word}({word}));
            CREATE INDEX ix ON {word} ({word});
            INSERT INTO {word} ({word}, b) VALUES (1, 2);
            UPDATE {word} SET {word} = 2 WHERE b = 2;
            CREATE TRIGGER tr AFTER UPDATE ON {word}
            BEGIN UPDATE {word} SET b = b WHERE {word} = NEW.{word}; END;
            """
        )
        connection.execute(f"SELECT {word}, b FROM {word} WHERE {word} = 2 ORDER BY {word}")
        return True
    except sqlite3.Error:
        return False
    finally:
        connection.close()


@pytest.mark.parametrize("word", ALL)
def test_a_word_is_reserved_exactly_when_sqlite_refuses_it_as_a_name(word: str) -> None:
    assert dialect("sqlite").is_reserved(word) == (not _accepted_as_a_name(word))
