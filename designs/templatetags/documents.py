"""Markdown documents (decision records, the architecture document) shown as HTML."""

from __future__ import annotations

import re

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

register = template.Library()

# Raw HTML in the source is escaped, never passed through: names in documents come from people.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


def without_front_matter(text: str) -> str:
    """The document without its leading YAML front matter (`---` ... `---`).

    >>> without_front_matter("---\\nstatus: accepted\\n---\\n# Title\\n")
    '# Title\\n'
    """
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


@register.filter
def markdown(text: str, top: int = 1) -> SafeString:
    """The document as HTML, its `#` headings at level `top` (a document shown inside a page
    section starts below the page's own headings: a page has one h1)."""
    tokens = _MARKDOWN.parse(without_front_matter(text))
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + int(top) - 1)}"
    return mark_safe(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))


@register.filter
def without_title(text: str) -> str:
    """The document without its front matter and its first `#` heading, for a page whose own
    h1 already says it.

    >>> without_title("---\\nstatus: accepted\\n---\\n\\n# Use X\\n\\n## Context\\n")
    '\\n\\n## Context\\n'
    """
    body = without_front_matter(text)
    lines = body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    return body if first is None else "\n".join(lines[:first] + lines[first + 1 :])


_RECORD_LINK = re.compile(r'href="(\d{4})-[^"/]*\.md"')


@register.filter
def record_links(html: str, project_id: int) -> SafeString:
    """Point a record's links to other records (`0003-slug.md`) at their pages."""

    def page(match: re.Match[str]) -> str:
        url = reverse(
            "decision_detail", kwargs={"project_id": project_id, "decision": int(match[1])}
        )
        return f'href="{url}"'

    return mark_safe(_RECORD_LINK.sub(page, html))
