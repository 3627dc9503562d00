"""
No double booking. An interview occupies [scheduledDate, scheduledDate + duration); two Scheduled
interviews may not overlap for one interviewer (`interviewer_key`) nor for one candidate.

The services, the model's validation (the admin's form errors) and the merge of candidates ask
`clash_error`; `overlaps` finds the clashes already stored, for `find_interview_conflicts` and the
migration that adds the database's constraints. The model validates with these, so they read
interviews through the querysets and instances they are given rather than import the model.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q

from interviews.choices import MAX_DURATION_MINUTES, InterviewStatus, interviewer_key
from recruitos.dates import utc_text
from recruitos.exceptions import Conflict

CONFLICT = "Interview conflict"
#: The exclusion constraints that hold the rule on PostgreSQL (interviews.models).
CONSTRAINTS = frozenset({"interview_interviewer_free", "interview_candidate_free"})
#: No interview is longer, so nothing that starts earlier than this before a time reaches it.
LONGEST = datetime.timedelta(minutes=MAX_DURATION_MINUTES)
CLASH_FIELDS = ("scheduled_date", "ends_at", "interviewer", "interviewer_key", "candidate__first_name",
                "candidate__last_name")  # fmt: skip


@dataclass(frozen=True)
class Clash:
    """A Scheduled interview in the way: of the interviewer (`scheduled_date`) or of the candidate (`candidate`)."""

    field: str
    who: str
    other: object  # the Interview in the way

    @property
    def message(self) -> str:
        start, end = utc_text(self.other.scheduled_date), utc_text(self.other.ends_at)
        return f"{self.who} already has an interview from {start} to {end} (interview {self.other.pk})."


def clashes(interview) -> list[Clash]:
    """The first Scheduled interview that overlaps `interview` for its interviewer, then for its candidate."""
    if interview.status != InterviewStatus.SCHEDULED or None in (interview.scheduled_date, interview.duration):
        return []
    start, end = interview.scheduled_date, interview.computed_end()
    key = interviewer_key(interview.interviewer or "")
    who = Q(interviewer_key=key)
    if interview.candidate_id:  # a new row on a new candidate's page has none yet
        who |= Q(candidate_id=interview.candidate_id)
    nearby = (
        type(interview)
        ._default_manager.filter(who, status=InterviewStatus.SCHEDULED)
        .filter(scheduled_date__gt=start - LONGEST, scheduled_date__lt=end, ends_at__gt=start)
        .exclude(pk=interview.pk)
        .select_related("candidate")
        .only(*CLASH_FIELDS)
        .order_by("scheduled_date", "id")
    )
    found = {}
    for other in nearby:
        if other.interviewer_key == key:
            found.setdefault("scheduled_date", Clash("scheduled_date", other.interviewer, other))
        if other.candidate_id == interview.candidate_id:
            found.setdefault("candidate", Clash("candidate", other.candidate.full_name, other))
    return [found[field] for field in ("scheduled_date", "candidate") if field in found]


def clash_error(interview) -> Conflict | None:
    """The 409 (a ValidationError, for forms and commands) that `interview` meets, or None."""
    found = clashes(interview)
    if not found:
        return None
    return Conflict(CONFLICT, {clash.field: [clash.message] for clash in found})


@dataclass(frozen=True)
class Overlap:
    """Two stored Scheduled interviews that overlap for one interviewer or one candidate."""

    shared: str  # "interviewer Michael Chen" or "candidate 42"
    first: tuple  # (id, start, end)
    second: tuple

    def __str__(self) -> str:
        return f"{self.shared}: {_described(self.first)} overlaps {_described(self.second)}"


def overlaps(interviews) -> Iterator[Overlap]:
    """
    Every stored overlap among `interviews` (a queryset, of a migration's historical model too),
    by interviewer then by candidate, each interview in the way named once (a sweep in time order).
    """
    scheduled = interviews.filter(status=InterviewStatus.SCHEDULED)
    rows = scheduled.order_by("interviewer_key", "scheduled_date", "id").values_list(
        "interviewer_key", "interviewer", "id", "scheduled_date", "ends_at"
    )
    yield from _sweep(((key, f"interviewer {name}"), row) for key, name, *row in rows.iterator())
    rows = scheduled.order_by("candidate_id", "scheduled_date", "id").values_list(
        "candidate_id", "id", "scheduled_date", "ends_at"
    )
    yield from _sweep(((pk, f"candidate {pk}"), row) for pk, *row in rows.iterator())


def merge_clash_error(interviews, name: str) -> Conflict | None:
    """The Conflict of merging the candidates of `interviews` into one named `name`, if their Scheduled ones overlap."""
    scheduled = interviews.filter(status=InterviewStatus.SCHEDULED)
    rows = scheduled.order_by("scheduled_date", "id").values_list("id", "scheduled_date", "ends_at")
    overlap = next(_sweep(((None, name), row) for row in rows), None)
    if overlap is None:
        return None
    message = (
        f"Merged, {name} would have overlapping interviews: {_described(overlap.first)} and "
        f"{_described(overlap.second)}. Move or cancel one of them first."
    )
    return Conflict(CONFLICT, {"candidate": [message]})


def rows_clash_error(interviews: list) -> ValidationError | None:
    """A form error if two of these interviews of one candidate (rows of one form, not yet saved) overlap."""
    scheduled = [i for i in interviews if i.status == InterviewStatus.SCHEDULED and i.scheduled_date and i.duration]
    rows = sorted((i.scheduled_date, i.computed_end()) for i in scheduled)
    overlap = next(_sweep(((None, ""), (index, *row)) for index, row in enumerate(rows)), None)  # no ids yet
    if overlap is None:
        return None
    start = overlap.second[1]
    return ValidationError(f"Two of these interviews overlap at {utc_text(start)}: the candidate cannot attend both.")


def _sweep(rows) -> Iterator[Overlap]:
    """Rows ((key, label), (id, start, end)) sorted by key then start: each that starts before the latest end so far."""
    current, latest = object(), None
    for (key, label), row in rows:
        if key != current:
            current, latest = key, row
            continue
        if row[1] < latest[2]:
            yield Overlap(label, tuple(latest), tuple(row))
        if row[2] > latest[2]:
            latest = row


def _described(row: tuple) -> str:
    pk, start, end = row
    return f"interview {pk} ({utc_text(start)} to {utc_text(end)})"
