"""The interview: one meeting with a candidate, as the contract's `Interview`."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from candidates.models import Candidate
from interviews.choices import MAX_DURATION_MINUTES, InterviewStatus, InterviewType, interviewer_key
from interviews.clashes import clash_error
from recruitos.constraints import PostgresExclusionConstraint, TsTzRange
from recruitos.dates import SupportedMoment
from recruitos.entities import Field, Fields
from recruitos.fields import ComputedDateTimeField, ComputedTextField, with_computed_fields
from recruitos.indexes import CoveringIndex
from recruitos.text import PlainText

#: The time an interview occupies on PostgreSQL: [scheduled_date, ends_at), so back-to-back is no clash.
TIME_SPAN = TsTzRange("scheduled_date", "ends_at", RangeBoundary())


class Interview(models.Model):
    """An interview with a candidate; deleted with the candidate."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="interviews")
    type = models.CharField(max_length=50, choices=InterviewType.choices, default=InterviewType.PHONE)
    scheduled_date = models.DateTimeField(validators=[SupportedMoment()])
    duration = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    interviewer = models.CharField(max_length=200, validators=[PlainText()])
    status = models.CharField(max_length=50, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED)
    notes = models.TextField(null=True, blank=True, validators=[PlainText(multiline=True)])
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    ends_at = ComputedDateTimeField(
        compute="computed_end", depends_on=("scheduled_date", "duration"), help_text="scheduledDate + duration."
    )
    interviewer_key = ComputedTextField(
        compute="computed_interviewer_key", depends_on=("interviewer",),
        help_text="The interviewer's name as clashes compare it: no case, spacing or Unicode form.",
    )  # fmt: skip
    candidate_applied_date = ComputedDateTimeField(
        compute="computed_candidate_applied_date", depends_on=("candidate",),
        help_text="The candidate's appliedDate, for the pipeline report; the candidate services keep it.",
    )  # fmt: skip
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text="iCalendar's SEQUENCE: one more each time the time or status changes."
    )
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheduled_date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(type__in=InterviewType.values), name="interview_type_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=InterviewStatus.values), name="interview_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(duration__gte=1, duration__lte=MAX_DURATION_MINUTES),
                name="interview_duration_range",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="interview_rating_range",
            ),
            # No double booking of a Scheduled interview: `interviews.clashes` keeps the rule on
            # every database with its message, these hold it under races on PostgreSQL.
            PostgresExclusionConstraint(
                name="interview_interviewer_free",
                expressions=[("interviewer_key", RangeOperators.EQUAL), (TIME_SPAN, RangeOperators.OVERLAPS)],
                condition=models.Q(status="Scheduled"),
            ),
            PostgresExclusionConstraint(
                name="interview_candidate_free",
                expressions=[("candidate", RangeOperators.EQUAL), (TIME_SPAN, RangeOperators.OVERLAPS)],
                condition=models.Q(status="Scheduled"),
            ),
        ]
        indexes = [
            models.Index(fields=["scheduled_date", "id"], name="interview_by_date"),
            # Counts today's interviews that are not cancelled (the dashboard) from the index alone.
            models.Index(fields=["scheduled_date", "status"], name="interview_day_status"),
            # One interviewer's day: clashes, free time, their calendar.
            models.Index(fields=["interviewer_key", "scheduled_date"], name="interview_interviewer_day"),
            # The pipeline report's interviewers: the interviews of who applied in a window, from the index alone.
            CoveringIndex(
                fields=["candidate_applied_date"],
                name="interview_by_applicant_day",
                covering=["interviewer_key", "status", "rating"],
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} interview with {self.interviewer} on {self.scheduled_date:%Y-%m-%d %H:%M}"

    def save(self, *args, update_fields=None, **kwargs):
        """As Model.save; an update of some fields also writes the columns computed from them."""
        if update_fields is not None:
            update_fields = {*with_computed_fields(type(self), update_fields), "last_modified"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def validate_constraints(self, exclude=None):
        """Django's checks, then no double booking (the admin shows it as a form error)."""
        super().validate_constraints(exclude=exclude)
        if exclude and {"scheduled_date", "duration", "status"}.intersection(exclude):
            return  # one of them is invalid (the form says so) or not being set: nothing to compare
        if error := clash_error(self):
            raise error

    def computed_end(self) -> datetime.datetime:
        return self.scheduled_date + datetime.timedelta(minutes=self.duration)

    def computed_candidate_applied_date(self) -> datetime.datetime:
        return self.candidate.applied_date

    def computed_interviewer_key(self) -> str:
        return interviewer_key(self.interviewer)


#: The interview as the API has it (the contract's `Interview`, in its order): its serializer, list
#: columns, history, webhook payloads and erasure follow this list.
INTERVIEW_FIELDS = Fields(
    [
        Field("id", recorded=False, read_only=True),
        Field("candidate_id", source="candidate"),
        Field("type"),
        Field("scheduled_date"),
        Field("duration"),
        Field("interviewer"),
        Field("status"),
        Field("notes", personal=True),
        Field("rating"),
    ]
)


class InterviewTally(models.Model):
    """
    How many interviews start in each quarter hour (UTC), so that a day's count needs no scan.

    `GET /api/interviews?date=` counts a whole day for `X-Total-Count`. Counting the day's rows
    reads each from the table unless PostgreSQL's visibility map says the index alone will do,
    which holds only after a VACUUM: right after a bulk load, an import or a restore, and
    wherever autovacuum is off or behind, the count visited thousands of rows. A day in any
    time zone is a whole number of quarter hours, so the tally's sum over the day is exact.

    On PostgreSQL, statement-level triggers keep it exact in the same transaction as every
    insert, update, delete, COPY or TRUNCATE of interviews, whoever makes it (migration 0003);
    as for `CandidateTally`, each transaction adds to the slot its transaction id picks, so
    simultaneous writers do not queue on one row. SQLite does not keep it and counts rows.
    """

    SLOTS = 16
    BUCKET_SECONDS = 15 * 60

    starts = models.DateTimeField(help_text="The start of the quarter hour, UTC.")
    slot = models.PositiveSmallIntegerField(default=0)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["starts", "slot"], name="interview_tally_slot_key")]

    def __str__(self):
        return f"{self.count} from {self.starts:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """
    A user's calendar subscription: the feed URL is signed with SECRET_KEY over the user and this
    version (nothing secret is stored); replacing the URL moves the version on, and the old URL
    stops working.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    version = models.PositiveIntegerField(default=1)

    def __str__(self):
        return f"Calendar feed of {self.user} (version {self.version})"
