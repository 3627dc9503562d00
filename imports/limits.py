"""
What an import file may be, checked as it is read: its cost stays proportional to its size, with
small constants, whatever it holds.

- JSON: nesting at most IMPORT_MAX_JSON_DEPTH levels (ijson's cost grows with the square of the
  depth: 64 KB of `[` took seconds and gigabytes), and no value, nor row, longer than
  IMPORT_MAX_LINE_LENGTH (a row's keys and a long number's digits cost memory and time too).
  `JSONLimits` wraps the binary file the parser reads and scans each block before handing it on:
  regular expressions take the strings out, a byte table keeps the brackets, and only those are
  counted in Python.
- CSV: at most IMPORT_MAX_COLUMNS columns and lines of at most IMPORT_MAX_LINE_LENGTH characters
  (`lines`), read a bounded line at a time; only the known columns of each row are kept (the reader).

Each refusal is an ImportFileError naming the limit, the job's (or the request's) reason to fail.
"""

import re
from collections.abc import Iterator

from django.conf import settings


class LimitExceeded(Exception):
    """The file passes a limit; the message names it. (imports.importer turns it into ImportFileError.)"""


#: A whole JSON string, or an escaped character outside one: what `_scan` takes out of a block. The
#: second keeps the scan linear in a string still open at the block's end (a match is never tried
#: from one of its escaped quotes) and leaves only a lone backslash at the block's very end.
_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|\\.', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = frozenset(b"[{")


class JSONLimits:
    """A binary file whose blocks are checked for JSON nesting depth and value length as they are read."""

    def __init__(self, file, *, depth: int | None = None, value: int | None = None):
        self.file = file
        self.max_depth = depth or settings.IMPORT_MAX_JSON_DEPTH
        self.max_value = value or settings.IMPORT_MAX_LINE_LENGTH
        self.depth = 0
        self.open_string = b""  # b'"' (b'"\\' after a lone backslash) while a string goes on past a block
        self.string_length = 0  # how long the string still open is, about (whole blocks of it)
        self.since_row = 0  # bytes read since the parser last gave a row (a row's length, and the parser's memory)

    def read(self, size: int = -1) -> bytes:
        block = self.file.read(size)
        if block:
            self.since_row += len(block)
            if self.since_row > self.max_value + len(block):  # more than a row's worth read, and no row came
                raise LimitExceeded(f"a row is longer than {self.max_value:,} characters (IMPORT_MAX_LINE_LENGTH)")
            self._scan(block)
        return block

    def row_read(self) -> None:
        """A row came out of the parser: the next one's length is counted from here."""
        self.since_row = 0

    def _scan(self, block: bytes) -> None:
        outside = _STRINGS.sub(b"", self.open_string + block)
        opened = outside.find(b'"')
        if opened >= 0:  # a string is still open at the block's end: it goes on in the next one
            self.string_length = self.string_length + len(block) if opened == 0 and self.open_string else 0
            if self.string_length > self.max_value:
                raise LimitExceeded(
                    f"a value is longer than {self.max_value:,} characters (IMPORT_MAX_LINE_LENGTH); "
                    "is a quote left open?"
                )
            self.open_string = b'"\\' if outside.endswith(b"\\") else b'"'
            outside = outside[:opened]
        else:
            self.open_string, self.string_length = b"", 0
        depth, deepest = self.depth, self.max_depth
        for bracket in outside.translate(None, _NOT_BRACKETS):
            if bracket in _OPENING:
                depth += 1
                if depth > deepest:
                    raise LimitExceeded(f"the JSON is nested deeper than {deepest} levels (IMPORT_MAX_JSON_DEPTH)")
            else:
                depth -= 1
        self.depth = depth

    def seek(self, *args):
        self.depth, self.open_string, self.string_length = 0, b"", 0
        return self.file.seek(*args)

    def tell(self) -> int:
        return self.file.tell()


def lines(text) -> Iterator[str]:
    """The lines of a text file, each read with a bound: a line over IMPORT_MAX_LINE_LENGTH characters is refused."""
    limit = settings.IMPORT_MAX_LINE_LENGTH
    number = 0
    while line := text.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith("\n") and (len(line) > limit + 1 or line[-1] != "\r"):
            raise LimitExceeded(f"line {number} is longer than {limit:,} characters (IMPORT_MAX_LINE_LENGTH)")
        yield line


def check_columns(count: int) -> None:
    """A header of more than IMPORT_MAX_COLUMNS columns is refused."""
    if count > settings.IMPORT_MAX_COLUMNS:
        raise LimitExceeded(
            f"the header has {count:,} columns; an import file has at most {settings.IMPORT_MAX_COLUMNS} "
            "(IMPORT_MAX_COLUMNS)"
        )
