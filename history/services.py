"""
Writing history: the records the candidate and interview services store with each change, in
the same transaction, and erasing a person's values from them.

A record's `changes` hold the API's fields (`lastUpdated`, which every change moves, and the
interview's computed columns aside) as `{"field": {"from": old, "to": new}}`, values as the API
writes them. Erasure keeps the keys and nulls the values, so the fact that a field changed,
and when, stays.
"""

import datetime
from collections.abc import Iterable
from functools import cache

from django.db import models
from django.utils import timezone

from candidates.models import Candidate
from history.models import Action, HistoryRecord, Subject, Via
from interviews.models import Interview
from recruitos.dates import utc_text

#: A person's values: erased from history with them. Everything else (status, phase, source,
#: position, skills, experience, dates, the interview's type, time, interviewer and rating) stays.
PERSONAL = {
    Subject.CANDIDATE: frozenset({"first_name", "last_name", "email", "phone", "notes", "resume_url", "linkedin_url"}),
    Subject.INTERVIEW: frozenset({"notes"}),
}
ERASED = {"from": None, "to": None}
SUBJECTS = {Candidate: Subject.CANDIDATE, Interview: Subject.INTERVIEW}
#: Fields no record shows: bookkeeping every change moves.
UNRECORDED = {"id", "last_updated"}


@cache
def recorded_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The columns behind the API's fields of `model` that history records (`candidate_id` for the candidate)."""
    from candidates.serializers import CandidateSerializer
    from interviews.serializers import InterviewSerializer

    serializer = {Candidate: CandidateSerializer, Interview: InterviewSerializer}[model]()
    columns = (model._meta.get_field(field.source).attname for field in serializer.fields.values())
    return tuple(column for column in columns if column not in UNRECORDED)


def created(instance, *, actor=None, via: Via, at: datetime.datetime | None = None) -> HistoryRecord:
    """The record of a new candidate or interview (not yet saved): every field it was given."""
    values = {column: _value(getattr(instance, column)) for column in recorded_fields(type(instance))}
    changes = {column: {"from": None, "to": value} for column, value in values.items() if value not in (None, "")}
    record = _record(instance, Action.CREATED, changes, actor, via, at)
    if record.subject == Subject.CANDIDATE:
        record.status = instance.status
    return record


def updated(
    instance,
    old: dict,
    *,
    actor=None,
    via: Via,
    entered: datetime.datetime | None = None,
    at: datetime.datetime | None = None,
) -> HistoryRecord | None:
    """
    The record of a change (not yet saved) at `at` (default now), from `old` ({field: value
    before}, as `recruitos.services.apply_changes` returns it); None when no recorded field
    changed. A status move also notes the status left and, when `entered` (the candidate's
    `status_since` before the move) is known, how long the candidate was in it.
    """
    columns = recorded_fields(type(instance))
    changes = {}
    for name, before in old.items():
        column = instance._meta.get_field(name).attname
        if column in columns:
            before = before.pk if isinstance(before, models.Model) else before
            changes[column] = {"from": _value(before), "to": _value(getattr(instance, column))}
    if not changes:
        return None
    record = _record(instance, Action.UPDATED, changes, actor, via, at)
    if record.subject == Subject.CANDIDATE and "status" in changes:
        record.status, record.left_status = instance.status, old["status"]
        if entered is not None:
            record.time_in_left_status = record.at - entered
    return record


def deleted(instance, *, actor=None, via: Via, erase: bool = False) -> HistoryRecord:
    """The record of a deletion (not yet saved): the last values, the person's nulled when `erase`."""
    subject = SUBJECTS[type(instance)]
    changes = {}
    for column in recorded_fields(type(instance)):
        value = _value(getattr(instance, column))
        if value not in (None, ""):
            changes[column] = ERASED if erase and column in PERSONAL[subject] else {"from": value, "to": None}
    return _record(instance, Action.DELETED, changes, actor, via)


def history_save(records: Iterable[HistoryRecord | None]) -> None:
    """Store records (None ones skipped) in one statement."""
    HistoryRecord.objects.bulk_create([record for record in records if record is not None])


def history_erase(*, candidate_ids: list[int]) -> int:
    """Null the personal values in every record about these candidates or their interviews; how many changed."""
    records = HistoryRecord.objects.filter(candidate_id__in=candidate_ids).only("subject", "changes")
    erased = []
    for record in records.iterator(chunk_size=2000):
        personal = PERSONAL[record.subject].intersection(record.changes)
        if any(record.changes[name] != ERASED for name in personal):
            record.changes.update(dict.fromkeys(personal, ERASED))
            erased.append(record)
    HistoryRecord.objects.bulk_update(erased, ["changes"], batch_size=500)
    return len(erased)


def history_reassign(*, from_candidate_ids: list[int], to: Candidate) -> int:
    """Interviews of merged duplicates are now `to`'s: so is their history."""
    return HistoryRecord.objects.filter(subject=Subject.INTERVIEW, candidate_id__in=from_candidate_ids).update(
        candidate=to
    )


def _record(instance, action: Action, changes: dict, actor, via: Via, at=None) -> HistoryRecord:
    subject = SUBJECTS[type(instance)]
    return HistoryRecord(
        subject=subject,
        object_id=instance.pk,
        candidate_id=instance.pk if subject == Subject.CANDIDATE else instance.candidate_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        via=via,
        action=action,
        changes=changes,
        at=at or timezone.now(),
    )


def _value(value):
    """A value as the API writes it: datetimes in UTC with a Z, choices as their plain value."""
    if isinstance(value, datetime.datetime):
        return utc_text(value)
    if isinstance(value, models.Choices):
        return value.value
    return value
