"""The interview: one meeting with a candidate, as the contract's `Interview`."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from candidates.models import Candidate

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
    scheduled_date = models.DateTimeField()
    duration = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    interviewer = models.CharField(max_length=200)
    status = models.CharField(max_length=50, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED)
    notes = models.TextField(null=True, blank=True)
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
