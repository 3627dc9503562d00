"""
CSV cells that are safe to open in a spreadsheet (OWASP "CSV injection").

A spreadsheet runs a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula. Such a text value is written with a leading apostrophe, which spreadsheets take as
"this is text" (and hide in the cell); a value that already begins with apostrophes before such
a character gets one more, so reading strips exactly one apostrophe back and every value
round-trips exactly. Numbers are written as numbers and never escaped.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _formula_like(text: str) -> bool:
    return text.lstrip(QUOTE).startswith(FORMULA_STARTS)


def safe_cell(value):
    """The value as a CSV cell no spreadsheet runs: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and _formula_like(value):
        return QUOTE + value
    return value


def read_cell(text):
    """The value a `safe_cell` was written from (a cell written by hand the same way reads the same)."""
    if isinstance(text, str) and text.startswith(QUOTE) and _formula_like(text):
        return text[1:]
    return text
