"""The interview: one meeting with a candidate, as the contract's `Interview`."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from candidates.models import Candidate
from recruitos.dates import SupportedMoment
from recruitos.text import PlainText

MAX_DURATION_MINUTES = 24 * 60


class InterviewType(models.TextChoices):
    """How the interview is held."""

    PHONE = "Phone", "Phone"
    VIDEO = "Video", "Video"
    IN_PERSON = "In-Person", "In-Person"
    TECHNICAL = "Technical", "Technical"


class InterviewStatus(models.TextChoices):
    """Where the interview stands."""

    SCHEDULED = "Scheduled", "Scheduled"
    COMPLETED = "Completed", "Completed"
    CANCELLED = "Cancelled", "Cancelled"


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
        ]
        indexes = [
            models.Index(fields=["scheduled_date", "id"], name="interview_by_date"),
            # Counts today's interviews that are not cancelled (the dashboard) from the index alone.
            models.Index(fields=["scheduled_date", "status"], name="interview_day_status"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} interview with {self.interviewer} on {self.scheduled_date:%Y-%m-%d %H:%M}"


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
