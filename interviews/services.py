"""
Writes to interviews: the one implementation the API, the admin and the commands call.

Each write states what it changed (`recruitos.changes`) in its own transaction; history, the
activity feed and webhook deliveries follow from that statement. A write that would double-book
an interviewer or a candidate raises `recruitos.exceptions.Conflict` (409): checked inside the
transaction on every database, and held by exclusion constraints on PostgreSQL, where two
simultaneous bookings of one slot both pass the check and the later one meets the constraint.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction

from interviews.clashes import CONSTRAINTS, clash_error
from interviews.models import CalendarFeed, Interview
from recruitos import changes
from recruitos.changes import Via
from recruitos.services import apply_changes, lock_for_update, violated_constraint

#: Writes that meet the exclusion constraint, then find nothing in the way, try again this often.
RACE_ATTEMPTS = 3


def interview_create(*, data: dict, actor=None, via: Via = Via.COMMAND) -> Interview:
    """Schedule (or log) an interview with an existing candidate; Conflict if someone is busy then."""
    interview = Interview(**data)
    return _refusing_clashes(interview, lambda: _create(interview, actor, via))


def interview_update(*, instance: Interview, data: dict, actor=None, via: Via = Via.COMMAND) -> Interview:
    """Write the fields of `data` that change; Conflict on a clash. A change with an event moves its SEQUENCE."""
    return _refusing_clashes(instance, lambda: _update(instance, data, actor, via), data)


@transaction.atomic
def _create(interview: Interview, actor, via: Via) -> Interview:
    _check(interview)
    changes.create(interview, changes.created(interview, actor=actor, via=via), savepoint=False)  # all or nothing
    return interview


@transaction.atomic
def _update(instance: Interview, data: dict, actor, via: Via) -> Interview:
    interview = lock_for_update(instance)
    before = apply_changes(interview, data)
    if not before:
        return interview
    _check(interview)
    change = changes.updated(interview, before, actor=actor, via=via)
    fields = list(before)
    if change.events:  # a new time or status: calendars show the event again
        interview.sequence += 1
        fields.append("sequence")
    interview.save(update_fields=fields)
    changes.record([change])  # one statement on PostgreSQL
    return interview


@transaction.atomic
def interview_delete(*, instance: Interview, actor=None, via: Via = Via.COMMAND) -> None:
    """Delete an interview, locked first as `candidate_delete` explains; DoesNotExist if it is gone."""
    interview = lock_for_update(instance)
    changes.record([changes.deleted(interview, actor=actor, via=via)])
    interview.delete()


def _check(interview: Interview) -> None:
    if error := clash_error(interview):
        raise error


def _refusing_clashes(interview: Interview, write: Callable[[], Interview], data: dict | None = None) -> Interview:
    """
    Run `write` (a transaction of its own, or a savepoint); when PostgreSQL's exclusion constraint
    refuses it, that transaction is rolled back and a fresh read names the interview in the way.
    If that interview is gone already (cancelled, moved), the slot is free: one more try.
    """
    for attempt in range(RACE_ATTEMPTS):
        try:
            return write()
        except IntegrityError as error:
            if violated_constraint(error) not in CONSTRAINTS:
                raise
            if conflict := clash_error(_attempted(interview, data)):
                raise conflict from error
            if attempt == RACE_ATTEMPTS - 1:
                raise


def _attempted(interview: Interview, data: dict | None) -> Interview:
    """The interview as the refused write would have left it."""
    if data is None:  # a create: the unsaved interview itself
        return interview
    attempted = Interview.objects.get(pk=interview.pk)
    apply_changes(attempted, data)
    return attempted


@transaction.atomic
def calendar_feed_replace(*, user) -> CalendarFeed:
    """A new secret calendar address for `user`: every earlier one stops working."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.version += 1
        feed.save(update_fields=["version"])
    return feed
