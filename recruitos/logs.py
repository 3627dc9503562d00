"""
What reaches a log line: never a query string or a header, and no character that could forge a
line (an encoded newline in a path, an escape sequence) in the plain format.
"""

import logging
import re

from django.http import HttpRequest

_QUERY = re.compile(r"\?\S*")


def printable(text: str) -> str:
    """The text with every non-printable character (newline, escape, bidi control) written as an escape."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


class RedactRequests(logging.Filter):
    """
    On every handler. Django's own records carry the request (`django.request`: the request
    object, whose text includes the query string; `django.server`, runserver's lines, the
    request line with it): they are reduced to method and path.
    """

    def filter(self, record):
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            record.request = f"{request.method} {printable(request.path)}"
        elif request is not None:
            del record.request  # runserver's socket
        if record.name == "django.server" and record.args:
            record.args = (_QUERY.sub("", str(record.args[0])), *record.args[1:])
        return True


class PlainFormatter(logging.Formatter):
    """The plain format, with the message's non-printable characters escaped (the traceback after it is kept)."""

    def formatMessage(self, record):
        record.message = printable(record.message)
        return super().formatMessage(record)
