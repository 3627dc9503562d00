"""An interview's enumerations and limits, and who an interviewer is: what the model and the clash rules share."""

import unicodedata

from django.db import models

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


def interviewer_key(name: str) -> str:
    """
    Who an interviewer is, for clashes and free time: "Michael Chen", " michael  CHEN " and the
    name typed with decomposed accents are one person.
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
