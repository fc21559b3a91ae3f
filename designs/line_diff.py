"""What changed between two texts, line by line, old above new: it reads on a phone as well
as on a wide screen (a side-by-side table needs twice the width)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    kind: str  # same, removed or added
    text: str


def line_diff(old: list[str], new: list[str], *, context: int = 2) -> list[list[DiffLine]]:
    """The changed stretches of `new` against `old`, each with `context` unchanged lines
    around it; a replaced line is shown removed, then added.

    >>> [[(line.kind, line.text) for line in hunk] for hunk in line_diff(["a", "b"], ["a", "c"])]
    [[('same', 'a'), ('removed', 'b'), ('added', 'c')]]
    """
    hunks = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        hunk = []
        for tag, old_start, old_end, new_start, new_end in group:
            if tag == "equal":
                hunk += [DiffLine("same", line) for line in old[old_start:old_end]]
                continue
            hunk += [DiffLine("removed", line) for line in old[old_start:old_end]]
            hunk += [DiffLine("added", line) for line in new[new_start:new_end]]
        hunks.append(hunk)
    return hunks
