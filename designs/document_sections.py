"""A long Markdown document (the architecture document of thousands of entities runs to
megabytes) shown by its sections, the longest folded until a reader opens one."""

from __future__ import annotations

from dataclasses import dataclass, replace

# A document longer than this is shown by sections; a section longer than the second is folded,
# and its HTML fetched when it is opened.
DOCUMENT_INLINE_CHARS = 200_000
SECTION_INLINE_CHARS = 50_000
SECTION_BODY = "designs/long_document.html#section-body"  # what htmx fetches on opening one


@dataclass(frozen=True)
class DocumentSection:
    heading: str  # the `## ` or `### ` line, "" for what comes before the first one
    body: str
    opened: bool = False  # asked for by its link: shown whatever its length

    @property
    def folded(self) -> bool:
        return len(self.body) > SECTION_INLINE_CHARS and not self.opened


def shown_by_sections(text: str) -> bool:
    return len(text) > DOCUMENT_INLINE_CHARS


def document_sections(text: str, *, opened: str | None = None) -> list[DocumentSection]:
    """`text` cut before each `## ` and `### ` heading outside a fenced code block; the
    section numbered `opened` (from `?section=`) is shown whatever its length.

    >>> [(s.heading, s.body) for s in document_sections("# A\\n## B\\n### C\\n```\\n## d\\n```\\n")]
    [('', '# A\\n'), ('## B', ''), ('### C', '```\\n## d\\n```\\n')]
    """
    sections: list[DocumentSection] = []
    heading, lines, fenced = "", [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        if line.startswith(("## ", "### ")) and not fenced:
            sections.append(DocumentSection(heading, "".join(lines)))
            heading, lines = line.rstrip("\n"), []
        else:
            lines.append(line)
    sections.append(DocumentSection(heading, "".join(lines)))
    if opened and opened.isdigit() and int(opened) < len(sections):
        sections[int(opened)] = replace(sections[int(opened)], opened=True)
    return sections
