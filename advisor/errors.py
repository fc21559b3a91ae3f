"""Errors the engine raises: one root, so callers catch `AdvisorError` and nothing else."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class AdvisorError(Exception):
    """A problem a person can act on, with where it is and what is wrong.

    >>> str(AdvisorError("type: 'strng' is not a known type", location="entities[0]"))
    "entities[0]: type: 'strng' is not a known type"
    """

    def __init__(self, message: str, *, location: str = "") -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class UnreadableDocument(AdvisorError):
    """The text is not YAML or JSON, or its top level is not a mapping.

    `location` is `source:line:column` when the parser knows where it stopped.
    """


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a requirements document: where (`path`) and what (`message`).

    >>> str(Problem("entities[2].attributes[0].type", "'strng' is not one of string, text"))
    "entities[2].attributes[0].type: 'strng' is not one of string, text"
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidRequirements(AdvisorError):
    """A requirements document with one or more problems, every one of them listed.

    >>> error = InvalidRequirements([Problem("project", "is required")])
    >>> error.problems
    (Problem(path='project', message='is required'),)
    >>> str(error)
    'the requirements document has 1 problem:\\nproject: is required'
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        header = f"the requirements document has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([header, *(str(problem) for problem in self.problems)]))


class InvalidMatrix(AdvisorError):
    """The technology matrix (or an override of it) is inconsistent."""


class UnsupportedDialect(AdvisorError):
    """A SQL dialect the schema generator does not write (see `advisor.schema.DIALECTS`)."""


class UnparsableDDL(AdvisorError):
    """SQL DDL that sqlglot cannot parse in the dialect it claims to be."""


class UnreadableDatabase(AdvisorError):
    """A live database the importer cannot reach or read: a malformed DSN, a refused or
    timed-out connection, a login refused, a missing schema, or a catalogue query that failed.

    `location` names the database (host, port, database name), never its password.
    """
