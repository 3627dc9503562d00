"""The candidate: one person in the hiring pipeline, as the contract's `Candidate`."""

from django.contrib.postgres.indexes import OpClass
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Concat, Lower, Upper
from django.db.models.lookups import Exact
from django.utils import timezone

from recruitos.dates import SupportedMoment
from recruitos.emails import EmailAddressField
from recruitos.entities import Field, Fields
from recruitos.indexes import CoveringIndex, TrigramIndex
from recruitos.text import PlainText


class Phase(models.IntegerChoices):
    """The two halves of the frontend's pipeline."""

    ONE = 1, "Phase 1"
    TWO = 2, "Phase 2"


class Status(models.TextChoices):
    """The frontend's pipeline stages: phase 1's four, then phase 2's four."""

    NEW = "New", "New"
    SCREENED = "Screened", "Screened"
    PHONE_INTERVIEW = "Phone Interview", "Phone Interview"
    REJECTED = "Rejected", "Rejected"
    TECHNICAL_INTERVIEW = "Technical Interview", "Technical Interview"
    FINAL_INTERVIEW = "Final Interview", "Final Interview"
    OFFER_EXTENDED = "Offer Extended", "Offer Extended"
    HIRED = "Hired", "Hired"


class Source(models.TextChoices):
    """Where the candidate came from."""

    LINKEDIN = "LinkedIn", "LinkedIn"
    INDEED = "Indeed", "Indeed"
    REFERRAL = "Referral", "Referral"
    WEBSITE = "Website", "Website"


MAX_EXPERIENCE_YEARS = 100


def days_in(status: str) -> str:
    """The column keeping the days a candidate has spent in `status` (`candidates.pipeline`)."""
    return "days_in_" + status.lower().replace(" ", "_")


#: What the pipeline report reads of a candidate, besides `applied_date` (`reports.selectors`).
REPORT_COLUMNS = [
    "source",
    "position",
    "status",
    "stages_left",
    "hired_at",
    *(days_in(s) for s in Status if s != Status.HIRED),
]


class CandidateQuerySet(models.QuerySet):
    """Queries the API, the admin and the commands share."""

    def with_email(self, email: str):
        """Candidates whose email equals `email` ignoring case, as the unique constraint compares."""
        return self.filter(Exact(Lower("email"), Lower(models.Value(email))))

    def search(self, text: str):
        """
        Case-insensitive substring match on the full name ("sarah johnson", and so on each
        name alone), the email or the position; blank text matches everyone.
        """
        term = text.strip()
        if not term:
            return self
        return self.alias(full_name=Concat("first_name", models.Value(" "), "last_name")).filter(
            models.Q(full_name__icontains=term) | models.Q(email__icontains=term) | models.Q(position__icontains=term)
        )


class Candidate(models.Model):
    """A person applying for a position; the email identifies them, ignoring case."""

    first_name = models.CharField(max_length=100, validators=[PlainText()])
    last_name = models.CharField(max_length=100, validators=[PlainText()])
    email = EmailAddressField(max_length=255, validators=[PlainText()])
    phone = models.CharField(max_length=20, null=True, blank=True, validators=[PlainText()])
    position = models.CharField(max_length=200, validators=[PlainText()])
    phase = models.PositiveSmallIntegerField(choices=Phase.choices, default=Phase.ONE)
    status = models.CharField(max_length=50, choices=Status.choices, default=Status.NEW)
    source = models.CharField(max_length=50, choices=Source.choices, default=Source.LINKEDIN)
    applied_date = models.DateTimeField(default=timezone.now, validators=[SupportedMoment()])
    last_updated = models.DateTimeField(default=timezone.now, validators=[SupportedMoment()])
    skills = models.TextField(null=True, blank=True, validators=[PlainText()])
    experience = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_EXPERIENCE_YEARS)]
    )
    notes = models.TextField(null=True, blank=True, validators=[PlainText(multiline=True)])
    resume_url = models.URLField(max_length=500, null=True, blank=True, validators=[PlainText()])
    linkedin_url = models.URLField(max_length=500, null=True, blank=True, validators=[PlainText()])
    status_since = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the candidate entered their status, where known."
    )
    # The pipeline report's facts (`candidates.pipeline`), kept by the services with each move
    # in the same write: which statuses the candidate has left, the days spent in each (stays
    # whose start is known), when they were first moved to Hired.
    stages_left = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="The statuses left, a bit each (candidates.pipeline.STAGE_BITS)."
    )
    hired_at = models.DateTimeField(null=True, blank=True, editable=False, help_text="The first move to Hired.")
    days_in_new = models.FloatField(null=True, blank=True, editable=False)
    days_in_screened = models.FloatField(null=True, blank=True, editable=False)
    days_in_phone_interview = models.FloatField(null=True, blank=True, editable=False)
    days_in_rejected = models.FloatField(null=True, blank=True, editable=False)
    days_in_technical_interview = models.FloatField(null=True, blank=True, editable=False)
    days_in_final_interview = models.FloatField(null=True, blank=True, editable=False)
    days_in_offer_extended = models.FloatField(null=True, blank=True, editable=False)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="candidate_email_unique_ci",
                violation_error_message="A candidate with this email already exists.",
            ),
            models.CheckConstraint(condition=models.Q(phase__in=Phase.values), name="candidate_phase_valid"),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="candidate_status_valid"),
            models.CheckConstraint(condition=models.Q(source__in=Source.values), name="candidate_source_valid"),
            models.CheckConstraint(
                condition=models.Q(experience__lte=MAX_EXPERIENCE_YEARS), name="candidate_experience_range"
            ),
        ]
        indexes = [
            # Newest first for the lists; on PostgreSQL it also holds the pipeline report's facts,
            # which the report reads from here alone (an index-only scan of the window's days).
            CoveringIndex(fields=["-applied_date", "-id"], name="candidate_newest_first", covering=REPORT_COLUMNS),
            # A status filter (the board's columns; with or without its phase) reads its page
            # from here instead of walking the newest-first index past other statuses.
            models.Index(fields=["status", "-applied_date", "-id"], name="candidate_status_newest"),
            # `search` on PostgreSQL: each index on the exact UPPER(...) expression the search's
            # icontains compiles to (Django ticket #32803); new rows go to a 64 kB pending list
            # that searches read too (bench/README.md, step 20).
            *(
                TrigramIndex(
                    OpClass(Upper(expression), name="gin_trgm_ops"),
                    name=name,
                    fastupdate=True,
                    gin_pending_list_limit=64,
                )
                for expression, name in [
                    (Concat("first_name", models.Value(" "), "last_name"), "candidate_name_trgm"),
                    ("email", "candidate_email_trgm"),
                    ("position", "candidate_position_trgm"),
                ]
            ),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


#: The candidate as the API has it (the contract's `Candidate`, in its order). The serializer, the
#: list's columns, history, import and export, webhook payloads and erasure all follow this list.
CANDIDATE_FIELDS = Fields(
    [
        Field("id", recorded=False, read_only=True),
        Field("first_name", personal=True),
        Field("last_name", personal=True),
        Field("email", personal=True),
        Field("phone", personal=True),
        Field("position"),
        Field("phase"),
        Field("status"),
        Field("source"),
        Field("applied_date", read_only=True),
        Field("last_updated", recorded=False, read_only=True),
        Field("skills"),
        Field("experience"),
        Field("notes", personal=True),
        Field("resume_url", personal=True),
        Field("linkedin_url", personal=True),
    ]
)


class CandidateTally(models.Model):
    """
    How many candidates have each (phase, status, source), so that counts need no scan.

    On PostgreSQL, triggers on the candidate table keep it exact in the same transaction as
    every insert, update, delete, COPY or TRUNCATE, whoever makes it (migrations 0003, 0006).
    SQLite, the small embedded database, does not keep it and counts rows instead.

    Each (phase, status, source) has up to `SLOTS` rows, and a count is the sum over them: a
    transaction adds its changes to the slot its transaction id picks, so simultaneous writers
    of candidates alike (every new applicant is New) do not queue on one row until each other
    commits. A slot's count may be negative (one transaction added a candidate, another removed
    it); the sum is exact.
    """

    SLOTS = 16

    phase = models.PositiveSmallIntegerField(choices=Phase.choices)
    status = models.CharField(max_length=50, choices=Status.choices)
    source = models.CharField(max_length=50, choices=Source.choices)
    slot = models.PositiveSmallIntegerField(default=0)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phase", "status", "source", "slot"], name="candidate_tally_slot_key")
        ]

    def __str__(self):
        return f"{self.count} in phase {self.phase}, {self.status}, from {self.source}"
