"""Bodies `POST /api/imports` reads: a multipart upload, or a JSON array of candidate objects."""

import io

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from recruitos.parsers import read_json


class JSONArrayFile(io.BytesIO):
    """A JSON array body, kept as the bytes of a .json file for the import job."""

    name = "request.json"


class JSONArrayParser(BaseParser):
    """A JSON array of at most API_MAX_BODY_BYTES, checked and kept as a file (larger files: multipart)."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        body, data = read_json(stream, parser_context)
        if not isinstance(data, list):
            raise ParseError("Expected a JSON array of candidate objects.")
        return JSONArrayFile(body)
