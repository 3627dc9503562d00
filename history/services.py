"""
History from the services' statements of what changed (`recruitos.changes`): one record per
change of a candidate or an interview, in the change's own transaction, and the erasure of a
person's values from the records about them.

A record's `changes` hold the fields history records (`recruitos.entities`: `lastUpdated`, which
every change moves, and the id aside) as `{"field": {"from": old, "to": new}}`, values as the API
writes them. Erasure keeps the keys and nulls the values, so the fact that a field changed, and
when, stays.
"""

import datetime
from collections import defaultdict

from django.db import models

from history.models import HistoryRecord, Subject
from recruitos import entities
from recruitos.changes import Action, Change, Handler
from recruitos.dates import utc_text

ERASED = {"from": None, "to": None}
SUBJECTS = frozenset(Subject.values)
AS_IS = frozenset({type(None), str, int, float, bool})  # values the API writes as they are (`_value`)


class HistoryHandler(Handler):
    """Registered by the history app: a record for each change of what it follows."""

    def rows(self, changes: list[Change]) -> list:
        rows = []
        for change in changes:
            if change.instance is None or change.entity.name not in SUBJECTS:
                continue
            if (record := record_of(change)) is not None:
                links = ("object_id", "candidate") if change.entity.is_person() else ("object_id",)
                rows.append((record, links))
        return rows

    def stored(self, changes: list[Change], rows: list) -> None:
        """Records about an interview that moved follow it; an erased person's values leave every record."""
        moved_to = defaultdict(list)
        for change in changes:
            if change.entity.name == Subject.INTERVIEW and change.moved("candidate_id"):
                moved_to[change.fields["candidate_id"][1]].append(change.instance.pk)
        for candidate_id, interview_ids in moved_to.items():
            HistoryRecord.objects.filter(subject=Subject.INTERVIEW, object_id__in=interview_ids).update(
                candidate_id=candidate_id
            )
        if erased := {change.person for change in changes if change.erase}:
            history_erase(candidate_ids=sorted(erased))


def record_of(change: Change) -> HistoryRecord | None:
    """The record of one change (not yet saved); None when no field history records changed."""
    entity = change.entity
    erase = entity.personal if change.erase else frozenset()
    recorded, updated, created = entity.recorded, change.action == Action.UPDATED, change.action == Action.CREATED
    changes = {}
    for column, (before, after) in change.fields.items():
        kept = after if created else before  # what a creation or deletion shows
        if column not in recorded or (not updated and kept in (None, "")):
            continue
        if column in erase:
            changes[column] = ERASED
        else:  # most values are written as they are: no call for them
            before = before if type(before) in AS_IS else _value(before)
            changes[column] = {"from": before, "to": after if type(after) in AS_IS else _value(after)}
    if not changes and change.action == Action.UPDATED:
        return None
    record = HistoryRecord(
        subject=entity.name,
        object_id=change.instance.pk,
        candidate_id=entity.person(change.instance),
        actor=change.actor,
        via=change.via,
        action=change.action,
        changes=changes,
        at=change.at,
    )
    if entity.name == Subject.CANDIDATE:
        _stage_facts(record, change)
    return record


def _stage_facts(record: HistoryRecord, change: Change) -> None:
    """For the pipeline report: the status entered, and on a move the status left and the time spent in it."""
    if change.action == Action.CREATED:
        record.status = change.fields["status"][1]
    elif change.action == Action.UPDATED and change.moved("status"):
        record.left_status, record.status = change.fields["status"]
        if change.entered is not None:
            record.time_in_left_status = change.at - change.entered


def history_erase(*, candidate_ids: list[int]) -> int:
    """Null the personal values in every record about these candidates or their interviews; how many changed."""
    personal = {subject: entities.named(subject).personal for subject in Subject.values}
    records = HistoryRecord.objects.filter(candidate_id__in=candidate_ids).only("subject", "changes")
    erased = []
    for record in records.iterator(chunk_size=2000):
        found = personal[record.subject].intersection(record.changes)
        if any(record.changes[name] != ERASED for name in found):
            record.changes.update(dict.fromkeys(found, ERASED))
            erased.append(record)
    HistoryRecord.objects.bulk_update(erased, ["changes"], batch_size=500)
    return len(erased)


def _value(value):
    """A value as the API writes it: datetimes in UTC with a Z, choices as their plain value."""
    if isinstance(value, datetime.datetime):
        return utc_text(value)
    if isinstance(value, models.Choices):
        return value.value
    return value
