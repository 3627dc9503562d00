"""The pipeline report as CSV: each table under its name, cells safe to open in a spreadsheet."""

import csv
import io

from rest_framework.renderers import BaseRenderer

from recruitos.naming import camel_name
from recruitos.spreadsheet import safe_cell

#: The report's tables, in the order the CSV lists them.
TABLES = ["funnel", "time_in_stage", "sources", "interviewers"]


class PipelineCSVRenderer(BaseRenderer):
    """
    `?format=csv`: the window, then each table as a block (a line with its name, a header line of
    the API's field names, its rows), blocks separated by an empty line.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["from", "to", "position", "source", "applicants"])
        writer.writerow([safe_cell(data[name]) for name in ("from", "to", "position", "source", "applicants")])
        for table in [*TABLES[:2], "time_to_hire", *TABLES[2:]]:
            rows = data[table] if isinstance(data[table], list) else [data[table]]
            writer.writerow([])
            writer.writerow([camel_name(table)])
            writer.writerow([camel_name(name) for name in rows[0]] if rows else [])
            writer.writerows([safe_cell(value) for value in row.values()] for row in rows)
        return out.getvalue().encode()
