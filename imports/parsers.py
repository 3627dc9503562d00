"""Bodies `POST /api/imports` reads: a multipart upload, or a JSON array of candidate objects."""

import io

import orjson
from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from recruitos.parsers import RequestTooLarge


class JSONArrayFile(io.BytesIO):
    """A JSON array body, kept as the bytes of a .json file for the import job."""

    name = "request.json"


class JSONArrayParser(BaseParser):
    """A JSON array of at most API_MAX_BODY_BYTES, checked and kept as a file (larger files: multipart)."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise RequestTooLarge(f"The request body is larger than {limit} bytes; send a larger file as multipart.")
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"Malformed JSON: {exc}") from exc
        if not isinstance(data, list):
            raise ParseError("Expected a JSON array of candidate objects.")
        return JSONArrayFile(body)
