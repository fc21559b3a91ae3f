"""SQL text into statements, by hand: sqlglot's tokenizer knows `GO` only before `;`, and one
unreadable statement must not stop the others from being read.

The splitter knows what real dumps hold between statements: quotes of every dialect, `$tag$`
bodies, comments, psql meta-commands (`\\c`, `\\restrict`), `COPY ... FROM stdin` data ending at
`\\.`, SQL Server's `GO` lines, Oracle's `/` lines (which alone end a PL/SQL block: a trigger, a
procedure, a package, `BEGIN ... END;`) and MySQL's `DELIMITER`. Each statement keeps
where it starts; the text between statements holds only blanks, comments and separators.

>>> [(s.line, s.kind, s.text) for s in split_statements("SELECT 1;\\n\\\\c db\\nSELECT ';'")]
[(1, 'sql', 'SELECT 1'), (2, 'meta', '\\\\c db'), (3, 'sql', "SELECT ';'")]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# What may end a statement: a delimiter, or a separator line of the dialect.
STATEMENT_KINDS = ("sql", "meta", "data", "delimiter")
_GO = re.compile(r"[ \t]*GO(?:[ \t]+\d+)?[ \t]*;?[ \t]*(?:--[^\n]*)?(?:\n|$)", re.IGNORECASE)
_SLASH = re.compile(r"[ \t]*/[ \t]*(?:\n|$)")
_DELIMITER = re.compile(r"[ \t]*DELIMITER[ \t]+(\S+)[ \t]*(?:\n|$)", re.IGNORECASE)
# What SQL*Plus reads as a PL/SQL block: its semicolons end its own statements, and only a `/`
# line ends the block.
_PLSQL_BLOCK = re.compile(
    r"(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:NON)?EDITIONABLE\s+)?"
    r"(?:TRIGGER|PROCEDURE|FUNCTION|PACKAGE|TYPE|LIBRARY)\b|DECLARE\b|BEGIN\b)",
    re.IGNORECASE,
)
_COPY_FROM_STDIN = re.compile(r"^COPY\b.*\bFROM\s+STDIN\b", re.IGNORECASE | re.DOTALL)
_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z_0-9]*)?\$")
_END_OF_DATA = re.compile(r"^\\\.[ \t\r]*$", re.MULTILINE)


@dataclass(frozen=True)
class Statement:
    """One statement: `text` is `source[start:end]`, `line` the 1-based line it starts on.

    `kind` is `sql`; `meta` for a psql meta-command; `data` for the rows of a `COPY ... FROM
    stdin`; `delimiter` for MySQL's client command that changes the delimiter.
    """

    line: int
    text: str
    start: int
    end: int
    kind: str = "sql"


@dataclass(frozen=True)
class _Syntax:
    """What a dialect's text may hold: which quotes, comments and separator lines."""

    brackets: bool  # [quoted names]
    backslash_escapes: bool  # 'it\\'s' (MySQL)
    hash_comments: bool  # # comment (MySQL)
    dollar_quotes: bool  # $tag$ ... $tag$ (PostgreSQL)
    nested_comments: bool  # /* /* */ */ (PostgreSQL)
    go: bool  # GO lines (SQL Server)
    slash: bool  # / lines (Oracle SQL*Plus)
    delimiter: bool  # DELIMITER // (MySQL client)
    meta: bool  # \\c lines (psql)


SYNTAX = {
    "postgresql": _Syntax(False, False, False, True, True, False, False, False, True),
    "mysql": _Syntax(False, True, True, False, False, False, False, True, False),
    "sqlite": _Syntax(True, False, False, False, False, False, False, False, False),
    "sqlserver": _Syntax(True, False, False, False, False, True, False, False, False),
    "oracle": _Syntax(False, False, False, False, False, False, True, False, False),
}


def split_statements(text: str, dialect: str = "postgresql") -> tuple[Statement, ...]:
    """The statements of `text`, in order; nothing in it is dropped but blanks, comments
    between statements and separators. Unclosed quotes or comments run to the end of the text,
    which then is one last statement (the parser will say what is wrong with it)."""
    return tuple(_Splitter(text, SYNTAX.get(dialect, SYNTAX["postgresql"])).run())


class _Splitter:
    def __init__(self, text: str, syntax: _Syntax) -> None:
        self.text = text
        self.syntax = syntax
        self.delimiter = ";"
        self.newlines = [match.start() for match in re.finditer("\n", text)]
        self.special = "'\"`\\-/\n$" + "#" * syntax.hash_comments + "[" * syntax.brackets
        self.stop = self.stops()

    def stops(self) -> re.Pattern[str]:
        return re.compile(f"[{re.escape(self.special + self.delimiter[0])}]")

    def line_of(self, offset: int) -> int:
        return bisect.bisect_left(self.newlines, offset) + 1

    def statement(self, start: int, end: int, kind: str = "sql") -> Statement | None:
        text = self.text[start:end].rstrip()
        if not text.strip():
            return None
        return Statement(self.line_of(start), text, start, start + len(text), kind)

    def run(self) -> list[Statement]:
        text, found = self.text, []
        position, length = 0, len(text)
        start: int | None = None  # where the pending statement starts
        while position < length:
            at_line_start = position == 0 or text[position - 1] == "\n"
            if at_line_start:
                separator = self.separator_line(position)
                if separator is not None:
                    ended, position, extra = separator
                    if start is not None:
                        if (piece := self.statement(start, ended)) is not None:
                            found.append(piece)
                        start = None
                    if extra is not None:
                        found.append(extra)
                    continue
            character = text[position]
            if character in " \t\r\n\f\v":
                position += 1
                continue
            skipped = self.comment(position)
            if skipped is not None:
                if start is None and not text.startswith("/*!", position):
                    position = skipped
                    continue
                if start is None:
                    start = position
                position = skipped
                continue
            if start is None:
                start = position
            if text.startswith(self.delimiter, position):
                if self.syntax.slash and _PLSQL_BLOCK.match(text, start):
                    position += len(self.delimiter)
                    continue
                piece = self.statement(start, position)
                position += len(self.delimiter)
                start = None
                if piece is not None:
                    found.append(piece)
                    data = self.after(piece, position)
                    if data:
                        found += data
                        position = data[-1].end
                        position = text.find("\n", position) + 1 or length
                continue
            position = self.skip_token(position)
        if start is not None and (piece := self.statement(start, length)) is not None:
            found.append(piece)
        return found

    def after(self, piece: Statement | None, position: int | None = None) -> list[Statement]:
        """The data block of a `COPY ... FROM stdin`, up to its `\\.` line."""
        if piece is None or position is None or not _COPY_FROM_STDIN.match(piece.text):
            return []
        begin = self.text.find("\n", position)
        if begin < 0:
            return []
        begin += 1
        end_match = _END_OF_DATA.search(self.text, begin)
        end = end_match.end() if end_match else len(self.text)
        block = self.statement(begin, end, "data")
        return [block] if block is not None else []

    def separator_line(self, position: int) -> tuple[int, int, Statement | None] | None:
        """At a line start: (where the pending statement ends, where to go on, a statement the
        line is itself) for a GO, / or DELIMITER line or a psql meta-command; else None."""
        text, syntax = self.text, self.syntax
        if syntax.go and (match := _GO.match(text, position)):
            return position, match.end(), None
        if syntax.slash and (match := _SLASH.match(text, position)):
            return position, match.end(), None
        if syntax.delimiter and (match := _DELIMITER.match(text, position)):
            self.delimiter = match.group(1)
            self.stop = self.stops()
            line_end = match.end()
            return position, line_end, self.statement(position, line_end, "delimiter")
        if syntax.meta and text.startswith("\\", position):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end < 0 else line_end
            return position, line_end, self.statement(position, line_end, "meta")
        return None

    def comment(self, position: int) -> int | None:
        """Where the comment at `position` ends, or None when there is none."""
        text = self.text
        if text.startswith("--", position) or (
            self.syntax.hash_comments and text.startswith("#", position)
        ):
            end = text.find("\n", position)
            return len(text) if end < 0 else end
        if text.startswith("/*", position):
            return self.block_comment_end(position)
        return None

    def block_comment_end(self, position: int) -> int:
        text, depth, position = self.text, 1, position + 2
        while depth:
            close = text.find("*/", position)
            if close < 0:
                return len(text)
            if self.syntax.nested_comments:
                opened = text.find("/*", position, close)
                if opened >= 0:
                    depth, position = depth + 1, opened + 2
                    continue
            depth, position = depth - 1, close + 2
        return position

    def skip_token(self, position: int) -> int:
        """Past the quoted text, comment or plain run of characters at `position`."""
        text = self.text
        character = text[position]
        if character == "'":
            escapes = self.syntax.backslash_escapes or (
                position > 0 and text[position - 1] in "eE" and self.syntax.dollar_quotes
            )
            return self.quoted_end(position, "'", escapes)
        if character == '"':
            return self.quoted_end(position, '"', self.syntax.backslash_escapes)
        if character == "`":
            return self.quoted_end(position, "`", False)
        if character == "[" and self.syntax.brackets:
            return self.quoted_end(position, "]", False)
        if character == "$" and self.syntax.dollar_quotes:
            match = _DOLLAR_TAG.match(text, position)
            previous = text[position - 1] if position else " "
            if match and not (previous.isalnum() or previous == "_"):
                close = text.find(match.group(0), match.end())
                return len(text) if close < 0 else close + len(match.group(0))
            return position + 1
        skipped = self.comment(position)
        if skipped is not None:
            return skipped
        # A plain run: up to the next character that may start something, or the delimiter.
        found = self.stop.search(text, position + 1)
        return found.start() if found else len(text)

    def quoted_end(self, position: int, close: str, escapes: bool) -> int:
        text, position = self.text, position + 1
        while True:
            found = text.find(close, position)
            if found < 0:
                return len(text)
            if escapes:
                backslashes = 0
                while found - 1 - backslashes >= position and text[found - 1 - backslashes] == "\\":
                    backslashes += 1
                if backslashes % 2:
                    position = found + 1
                    continue
            if text.startswith(close * 2, found):  # a doubled quote stands for itself
                position = found + 2
                continue
            return found + 1
