"""
CSV export of candidates, streamed: the engine behind `manage.py export_candidates` and
the admin's export. The columns are the candidate's declared fields (`CANDIDATE_FIELDS`), which
the import reads, so an export imports back unchanged; cells that a spreadsheet would run as
formulas are written as text (recruitos.spreadsheet).
"""

import csv
from collections.abc import Iterable, Iterator

from rest_framework import serializers

from candidates.models import CANDIDATE_FIELDS
from recruitos.spreadsheet import safe_cell

CHUNK_SIZE = 2000


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(queryset) -> Iterator[str]:
    """The header, then one CSV line per candidate, reading the database in chunks."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CANDIDATE_FIELDS.api_names())
    for values in queryset.values_list(*CANDIDATE_FIELDS.sources().values()).iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow(_cells(values))


_datetime = serializers.DateTimeField()


def _cells(values: Iterable) -> list:
    """Null as an empty cell; datetimes exactly as the API writes them; text safe to open (recruitos.spreadsheet)."""
    return [
        "" if value is None else _datetime.to_representation(value) if hasattr(value, "tzinfo") else safe_cell(value)
        for value in values
    ]
