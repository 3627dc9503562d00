"""
History on the admin's change pages of candidates and interviews: a panel the history app adds
(`recruitos.admin.add_panel`, in `HistoryConfig.ready()`).
"""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from history.models import HistoryRecord
from recruitos import entities
from recruitos.naming import camel_name

#: How many of the latest records a change page shows; the API pages through all of them.
SHOWN = 50


@admin.display(description="history")
def change_history(obj):
    """The row's history, newest first."""
    records = HistoryRecord.objects.about(entities.of(type(obj)).name, obj.pk).select_related("actor")
    total = records.count()
    if not total:
        return "No changes recorded."
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                f"{record.at:%Y-%m-%d %H:%M:%S}",
                _actor(record),
                record.get_via_display(),
                record.action,
                _changes(record),
            )
            for record in records[:SHOWN]
        ),
    )
    more = f"The latest {SHOWN} of {total}; GET /api/…/{obj.pk}/history has them all." if total > SHOWN else ""
    return format_html(
        '<table class="change-history"><thead><tr><th>At (UTC)</th><th>Who</th><th>Via</th><th>What</th>'
        "<th>Changes</th></tr></thead><tbody>{}</tbody></table><p>{}</p>",
        rows,
        more,
    )


def _actor(record: HistoryRecord) -> str:
    return record.actor.get_username() if record.actor is not None else "system"


def _changes(record: HistoryRecord):
    return format_html_join(
        "",
        "<div><b>{}</b>: {} → {}</div>",
        ((camel_name(name), _shown(change["from"]), _shown(change["to"])) for name, change in record.changes.items()),
    )


def _shown(value) -> str:
    return "—" if value is None else str(value)
