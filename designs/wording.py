"""Values as a person writes them: for the pages that show requirement changes and stores."""

from __future__ import annotations

from typing import Any

from advisor.matrix import DEFAULT_MATRIX


def technology_name(technology: str) -> str:
    """The matrix's display name of a technology id, or the id itself when it names none.

    >>> technology_name("clickhouse"), technology_name("postgresql"), technology_name("ours")
    ('ClickHouse', 'PostgreSQL', 'ours')
    """
    found = DEFAULT_MATRIX.technologies.get(technology)
    return found.name if found is not None else technology


def human_value(value: Any, path: str = "") -> str:
    """A requirement's value as it reads in a sentence: lists joined with commas, nothing as
    `none`, numbers with thousands separators, technologies of the team by their names.

    >>> human_value(("postgresql", "redis"), "team.expertise"), human_value(())
    ('PostgreSQL, Redis', 'none')
    >>> human_value(5000), human_value(2.50), human_value(30000.0), human_value(True)
    ('5,000', '2.5', '30,000', 'yes')
    """
    if value is None or value == "" or value == () or value == []:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{int(value):,}" if float(value).is_integer() else f"{value:,.10g}"
    if isinstance(value, list | tuple):
        return ", ".join(human_value(item, path) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {human_value(item, path)}" for key, item in value.items())
    text = str(value)
    if path.startswith("team."):
        found = DEFAULT_MATRIX.technology_for(text)
        if found is not None:
            return found.name
    return text
