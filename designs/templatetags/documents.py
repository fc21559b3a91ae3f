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
def markdown(text: str) -> SafeString:
    return mark_safe(_MARKDOWN.render(without_front_matter(text)))


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
