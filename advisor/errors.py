"""Errors the engine raises: one root, so callers catch `AdvisorError` and nothing else."""

from __future__ import annotations


class AdvisorError(Exception):
    """A problem a person can act on, with where it is and what is wrong.

    >>> str(AdvisorError("type: 'strng' is not a known type", location="entities[0]"))
    "entities[0]: type: 'strng' is not a known type"
    """

    def __init__(self, message: str, *, location: str = "") -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)
