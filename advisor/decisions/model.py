"""A decision as data: what was decided, the options weighed, and the consequences."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

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
    when the answer does. `identity` adds everything else the record states, so that a record
    is re-issued when any fact it states changes, not only its answer.
    `title`, `outcome` and option names are plain text; every other text field is Markdown
    with the names taken from the requirements escaped. The first option is the chosen one;
    `good`, `bad` and `because` are clauses that read after "because". `migration` is the
    way from what the previous design decided, when that changed: Markdown lines.
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
    migration: tuple[str, ...] = ()

    @property
    def chosen(self) -> Option | None:
        return self.options[0] if self.options else None

    @property
    def identity(self) -> tuple[str, ...]:
        """What the record says: two records with equal identities say the same thing.

        Everything it states about the design counts (the technologies it names, the tables,
        columns and figures it quotes, the checks it asks for), except the scores, which rank
        the options and move with every edit, the considered options themselves, and the
        drivers, which list the inputs read with their current figures.

        >>> from dataclasses import replace
        >>> one = Decision("scaling", "Scale", "replicas=1", "3,000 reads/s", ("3,000 reads/s",),
        ...     (Option("A", 96.0, ""),), ("A scores 96.0.",), (), (), (), (), ())
        >>> other = replace(one, drivers=("4,000 reads/s",), options=(Option("A", 95.5, ""),),
        ...     justification=("A scores 95.5.",))
        >>> one.identity == other.identity, one.identity == replace(one, context="4,000").identity
        (True, False)
        """
        scores = {f"{option.score:.1f}" for option in self.options if option.score is not None}
        said = (
            self.title,
            self.outcome,
            self.context,
            *self.justification,
            *self.good,
            *self.bad,
            *self.confirmation,
            *self.more_information,
            self.because,
            *self.migration,
        )
        return (self.key, *(_without(scores, text) for text in said))

    def restates(self, earlier: Decision) -> bool:
        """Whether this record says nothing that `earlier` did not: the same identity, or the
        same but for the migration `earlier` gave and this one lacks. The migration belongs
        to the design that changed the answer; a later design that keeps the answer does not
        take it back.

        >>> from dataclasses import replace
        >>> moved = Decision("primary-store", "Use B", "b", "", (), (), (), (), (), (), (), (),
        ...     migration=("1. **Expand.** Provision B beside A.",))
        >>> kept = replace(moved, migration=())
        >>> kept.restates(moved), moved.restates(kept)
        (True, False)
        >>> replace(moved, migration=("1. **Expand.** Provision B beside C.",)).restates(moved)
        False
        """
        if self.identity == earlier.identity:
            return True
        return not self.migration and self.identity == replace(earlier, migration=()).identity


def _without(scores: set[str], text: str) -> str:
    """The text with the given scores (as written, "96.0") blanked out."""
    if not scores:
        return text
    return re.sub(r"\d+\.\d+", lambda m: "#" if m.group() in scores else m.group(), text)
