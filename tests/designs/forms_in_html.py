"""Read a form out of a page the way a browser would submit it, for round-trip tests."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._option: dict[str, str | None] | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self.fields.append((name, attributes.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select is not None:
            self._option = attributes
            self._text = ""
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option" and self._option is not None:
            value = self._option.get("value")
            value = self._text.strip() if value is None else value
            if self._first_option is None:
                self._first_option = value
            if "selected" in self._option:
                self._select_value = value
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = self._select_value if self._select_value is not None else self._first_option
            self.fields.append((self._select, chosen or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, form_id: str) -> dict[str, str]:
    """The fields the form with this id would submit (the last value of a repeated name)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return dict(reader.fields)
