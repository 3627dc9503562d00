"""
Field history: one record per change to a candidate or an interview, kept after they are gone.

A record says when, who (the user, or none for the system), through what (API, admin, command,
import), what happened (created, updated, deleted) and, per changed field, its old and new
value as the API writes them. Records are derived from the services' statements of what changed
(`history.services.HistoryHandler`), in the same transaction as the change. Erasing a person
nulls their personal values in every record about them; the record, its time and the other
values stay. A record about an interview follows the interview to its current candidate.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from candidates.models import Candidate, Status
from recruitos.changes import Action, Via


class Subject(models.TextChoices):
    """What a record is about (the entity's name, `recruitos.entities`)."""

    CANDIDATE = "candidate", "Candidate"
    INTERVIEW = "interview", "Interview"


class HistoryRecordQuerySet(models.QuerySet):
    def about(self, subject: Subject, object_id: int):
        """The records of one candidate or interview (a candidate's own are found by `candidate`, its index)."""
        if subject == Subject.CANDIDATE:
            return self.filter(subject=subject, candidate_id=object_id)
        return self.filter(subject=subject, object_id=object_id)


class HistoryRecord(models.Model):
    """
    One change. `candidate` is the person whose data the record holds (the candidate, or the
    interview's candidate), a link without a database constraint: the record outlives them.

    For the pipeline report, a candidate's record that changes the status (or creates the
    candidate) also keeps the status entered, the status left and how long the candidate was
    in it, when its start is known (`Candidate.status_since`).
    """

    subject = models.CharField(max_length=10, choices=Subject.choices)
    object_id = models.BigIntegerField()
    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # history_of_candidate serves
        null=True,
        related_name="history_records",
    )
    at = models.DateTimeField(default=timezone.now)
    # No constraint and no index: each costs every write, for a user's deletion (which Django's
    # SET_NULL handles, scanning the history) that deactivation makes rare.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    via = models.CharField(max_length=10, choices=Via.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    changes = models.JSONField(default=dict, help_text='{"field": {"from": old, "to": new}}, as the API writes them.')
    status = models.CharField(max_length=50, choices=Status.choices, null=True, help_text="The status entered.")
    left_status = models.CharField(max_length=50, choices=Status.choices, null=True, help_text="The status left.")
    time_in_left_status = models.DurationField(null=True)

    objects = HistoryRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # Each index costs every write (bench/README.md): two, and a candidate's records touch one.
        indexes = [
            # Everything about one person: their history, erasure, and the report's joins.
            models.Index(fields=["candidate", "at"], name="history_of_candidate"),
            models.Index(
                fields=["object_id", "at"], condition=models.Q(subject="interview"), name="history_of_interview"
            ),
        ]

    def __str__(self):
        return f"{self.subject} {self.object_id} {self.action} via {self.via} at {self.at:%Y-%m-%d %H:%M}"
