"""
The activity feed and the sync runs, from the services' statements of what changed
(`recruitos.changes`): the dashboard app registers `Feed`, and the entries are written in the
change's own transaction, so an entry exists exactly when the change it describes does.
"""

import threading

from django.db.models import Exists, OuterRef

from candidates.events import CandidateEvent, SyncEvent
from candidates.models import Candidate
from dashboard.models import Activity, ActivityEvent, SyncRun, SyncStatus
from interviews.events import InterviewEvent
from recruitos.changes import Action, Change, Handler, Reason, Via

#: The feed's entry for each event type it shows; the others (`candidate.updated`, …) it does not.
ENTRIES = {
    CandidateEvent.CREATED: ActivityEvent.APPLIED,
    CandidateEvent.STATUS_CHANGED: ActivityEvent.STATUS_CHANGED,
    CandidateEvent.HIRED: ActivityEvent.HIRED,
    CandidateEvent.PHASE_CHANGED: ActivityEvent.PHASE_CHANGED,
    CandidateEvent.DELETED: ActivityEvent.DELETED,
    CandidateEvent.ANONYMIZED: ActivityEvent.ANONYMIZED,
    CandidateEvent.MERGED: ActivityEvent.MERGED,
    CandidateEvent.PURGED: ActivityEvent.PURGED,
    InterviewEvent.SCHEDULED: ActivityEvent.SCHEDULED,
    InterviewEvent.RESCHEDULED: ActivityEvent.RESCHEDULED,
    InterviewEvent.COMPLETED: ActivityEvent.COMPLETED,
    InterviewEvent.CANCELLED: ActivityEvent.CANCELLED,
    InterviewEvent.DELETED: ActivityEvent.INTERVIEW_DELETED,
    SyncEvent.FINISHED: ActivityEvent.SYNCED,
}
#: Entries about a person whose data is gone: no link, no name.
NAMELESS = {ActivityEvent.DELETED, ActivityEvent.ANONYMIZED}


class Feed(Handler):
    """
    Registered by the dashboard app: the feed's entries of each change, the names of people
    anonymised gone from it (a deleted person's go with the deletion: `candidates_deleted`),
    and the sync runs of imports.

    One entry stands for many where a write says so itself: an import's rows (its sync entry),
    a merge's and a purge's deletions (one entry each, with how many).
    """

    def rows(self, changes: list[Change]) -> list:
        rows = []
        for change in changes:
            if change.via == Via.IMPORT or (change.instance and change.action == Action.DELETED and change.reason):
                continue  # the summary of what it is part of says it
            rows += [_linked(_entry(change, event), change.instance) for event in _entries(change)]
            if SyncEvent.STARTED in change.events and not change.api_form["dry_run"]:
                run = SyncRun(
                    source=change.api_form["file_name"], import_job_id=change.instance.pk, started_at=change.at
                )
                rows.append((run, ()))
        return rows

    def stored(self, changes: list[Change], rows: list) -> None:
        """A merge's duplicates' entries go to whom they were merged into; erased people's names leave the feed."""
        merges = [c for c in changes if c.reason == Reason.MERGED and c.entity.is_person()]
        targets = [c.instance for c in merges if c.action == Action.UPDATED]
        if targets:
            duplicates = [c.instance.pk for c in merges if c.action == Action.DELETED]
            Activity.objects.filter(candidate_id__in=duplicates).update(
                candidate=targets[0], candidate_name=targets[0].full_name
            )
        if erased := {change.person for change in changes if change.erase and change.action != Action.DELETED}:
            Activity.objects.filter(candidate_id__in=erased).update(candidate_name=None)  # a deletion: below
        for change in changes:
            if SyncEvent.FINISHED in change.events:
                _sync_finished(change)


_deleting = threading.local()


def candidate_deleting(sender, instance, **kwargs) -> None:
    """`pre_delete` of a candidate, however deleted (a service, the admin, a shell): noted for `candidates_deleted`."""
    if not hasattr(_deleting, "ids"):
        _deleting.ids = set()
    _deleting.ids.add(instance.pk)


def candidates_deleted(sender, **kwargs) -> None:
    """
    `post_delete` of a candidate: the names of everyone the deletion took leave their entries, which
    are unlinked from them (the entries stay, nameless), in one UPDATE for a whole deletion (Django
    sends every `pre_delete` before its DELETEs, every `post_delete` after, in its transaction, before
    the deferred foreign key is checked). Only candidates that are gone: a deletion that failed
    half-way leaves its noted ids behind, harmless.
    """
    ids, _deleting.ids = getattr(_deleting, "ids", set()), set()
    if ids:
        gone = ~Exists(Candidate.objects.filter(pk=OuterRef("candidate_id")))
        Activity.objects.filter(gone, candidate_id__in=ids).update(candidate=None, candidate_name=None)


def _entries(change: Change) -> list[ActivityEvent]:
    """The feed's events of a change: a move to Hired is "hired as …" alone; a sync only when it wrote something."""
    entries = [ENTRIES[event] for event in change.events if event in ENTRIES]
    if ActivityEvent.HIRED in entries:
        entries.remove(ActivityEvent.STATUS_CHANGED)
    if ActivityEvent.SYNCED in entries and (change.api_form["dry_run"] or change.api_form["status"] != "succeeded"):
        entries.remove(ActivityEvent.SYNCED)
    return entries


def _entry(change: Change, event: ActivityEvent) -> Activity:
    """The feed's entry of `event` (not yet saved), linked to the candidate and interview it is about."""
    entry = Activity(event=event, count=change.count, actor=change.actor, timestamp=change.at)
    instance = change.instance
    if change.entity.name == "candidate" and instance is not None and event not in NAMELESS:
        entry.candidate, entry.candidate_name = instance, instance.full_name
        if event in (ActivityEvent.APPLIED, ActivityEvent.HIRED):
            entry.detail = instance.position
        elif event == ActivityEvent.STATUS_CHANGED:
            entry.detail = change.fields["status"][1]
        elif event == ActivityEvent.PHASE_CHANGED:
            entry.detail = str(change.fields["phase"][1])
    elif change.entity.name == "interview":
        entry.candidate, entry.interviewer = instance.candidate, instance.interviewer
        entry.candidate_name = entry.candidate.full_name
        entry.interview = None if event == ActivityEvent.INTERVIEW_DELETED else instance
        if event == ActivityEvent.COMPLETED and instance.rating:
            entry.detail = str(instance.rating)
    elif event == ActivityEvent.SYNCED:
        entry.detail, entry.count = change.api_form["file_name"], change.api_form["created"]
    return entry


def _linked(entry: Activity, instance) -> tuple[Activity, tuple[str, ...]]:
    """The entry, and its fields that point at the change's object (set when it is inserted with it)."""
    if instance is None:
        return entry, ()
    return entry, tuple(name for name in ("candidate", "interview") if getattr(entry, name) is instance)


def _sync_finished(change: Change) -> None:
    sync = change.api_form
    SyncRun.objects.filter(import_job_id=change.instance.pk).update(
        status=SyncStatus.SYNCED if sync["status"] == "succeeded" else SyncStatus.ERROR,
        finished_at=change.at,
        created_count=sync["created"],
        updated_count=sync["updated"],
        failed_count=sync["failed"],
        error=sync["error"],
    )
