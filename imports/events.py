"""What a change of an import job means: it started (its first run) or finished (`candidates.events.SyncEvent`)."""

from candidates.events import SyncEvent
from imports.models import ImportStatus
from recruitos.changes import Change


def import_events(change: Change) -> list[str]:
    if not change.moved("status"):
        return []
    before, after = change.fields["status"]
    if before == ImportStatus.QUEUED and after == ImportStatus.RUNNING:
        return [SyncEvent.STARTED]
    if after in (ImportStatus.SUCCEEDED, ImportStatus.FAILED):
        return [SyncEvent.FINISHED]
    return []
