"""
Text that cannot hide instructions: no control characters, no bidirectional overrides.

Escape sequences (`\\x1b[31m`), the bell and other C0/C1 controls rewrite a terminal that shows
an export or a log; bidirectional controls (U+202E and its kin) make a name read differently
from what it is. Single-line fields refuse all of them; multi-line fields (notes) keep line
breaks (`\\n`, `\\r\\n`) and tabs only.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# NUL is left to Django's and DRF's own check ("Null characters are not allowed.").
_SINGLE_LINE = re.compile(f"[\\x01-\\x1f\\x7f-\\x9f{_BIDI}]")
_MULTI_LINE = re.compile(f"[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}]|\\r(?!\\n)")


@deconstructible
class PlainText:
    """A model field validator: no control or bidirectional characters (`multiline`: line breaks and tabs are)."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value):
        if not isinstance(value, str):
            return
        found = (_MULTI_LINE if self.multiline else _SINGLE_LINE).search(value)
        if found:
            allowed = " (line breaks and tabs are fine)" if self.multiline else ""
            raise ValidationError(
                f"Remove the control character U+{ord(found.group()[0]):04X} from this text{allowed}.",
                code="control_character",
            )

    def __eq__(self, other):
        return isinstance(other, PlainText) and other.multiline == self.multiline


_ESCAPED_SINGLE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}]")
_ESCAPED_MULTI = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}]|\\r(?!\\n)")


def escaped(text: str, *, multiline: bool = False) -> str:
    """
    Text quoted from outside (a file's cell in an error, a receiver's answer) as it may be kept:
    each character `PlainText` refuses, NUL included, written as `\\uXXXX`, so what is kept holds
    the rule whatever it quotes, and still shows what was there.
    """
    pattern = _ESCAPED_MULTI if multiline else _ESCAPED_SINGLE
    return pattern.sub(lambda found: "".join(f"\\u{ord(c):04x}" for c in found.group()), text)
