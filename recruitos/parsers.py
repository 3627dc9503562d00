"""
The API's request parser: JSON only, strict, with camelCase keys turned to snake_case.

orjson rejects what the JSON standard rejects (NaN, invalid UTF-8, nesting deeper than
1024 levels) with a ValueError, which becomes a 400 instead of a crash.
"""

import orjson
from djangorestframework_camel_case.settings import api_settings as camel_case_settings
from djangorestframework_camel_case.util import underscoreize
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser


class CamelCaseJSONObjectParser(BaseParser):
    """Parse a JSON body and convert its keys from camelCase to snake_case."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = orjson.loads(stream.read())
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"Malformed JSON: {exc}") from exc
        return underscoreize(data, **camel_case_settings.JSON_UNDERSCOREIZE)
