"""
The API's request parser: JSON only, strict, with camelCase keys turned to snake_case.

orjson rejects what the JSON standard rejects (NaN, invalid UTF-8, nesting deeper than
1024 levels) with a ValueError, which becomes a 400 instead of a crash.
"""

import orjson
from django.conf import settings
from djangorestframework_camel_case.settings import api_settings as camel_case_settings
from djangorestframework_camel_case.util import underscoreize
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


class CamelCaseJSONObjectParser(BaseParser):
    """Parse a JSON body of at most API_MAX_BODY_BYTES and convert its keys to snake_case."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        _, data = read_json(stream, parser_context)
        return underscoreize(data, **camel_case_settings.JSON_UNDERSCOREIZE)


def read_json(stream, parser_context=None) -> tuple[bytes, object]:
    """The body (at most API_MAX_BODY_BYTES, else 413) and what its JSON holds (malformed: 400)."""
    limit = settings.API_MAX_BODY_BYTES
    request = (parser_context or {}).get("request")
    declared = request.META.get("CONTENT_LENGTH") if request is not None else None
    if declared and declared.isdigit() and int(declared) > limit:
        raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
    body = stream.read(limit + 1) if stream is not None else b""
    if len(body) > limit:
        raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
    try:
        return body, orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ParseError(f"Malformed JSON: {exc}") from exc
