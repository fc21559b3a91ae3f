"""A decision as data: what was decided, the options weighed, and the consequences."""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("accepted", "proposed", "superseded", "deprecated", "rejected")


@dataclass(frozen=True)
class Option:
    """One considered option. `name` is plain text; `summary`, `pros` and `cons` are Markdown
    (names in them already escaped), `pros` and `cons` clauses that follow "because"."""

    name: str
    score: float | None
    summary: str
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """One significant decision of a design, in the shape of a MADR record.

    `key` names the question decided and `outcome` the answer, in a form that changes only
    when the answer does: two designs with equal `(key, outcome)` made the same decision.
    `title`, `outcome` and option names are plain text; every other text field is Markdown
    with the names taken from the requirements escaped. The first option is the chosen one;
    `good`, `bad` and `because` are clauses that read after "because".
    """

    key: str
    title: str
    outcome: str
    context: str
    drivers: tuple[str, ...]
    options: tuple[Option, ...]
    justification: tuple[str, ...]
    good: tuple[str, ...]
    bad: tuple[str, ...]
    confirmation: tuple[str, ...]
    more_information: tuple[str, ...]
    inputs: tuple[str, ...]
    because: str = ""

    @property
    def chosen(self) -> Option | None:
        return self.options[0] if self.options else None
