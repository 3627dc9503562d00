"""
The upgrade that brought the pipeline facts fills them from the history for candidates who
moved before it (candidates 0013: SQL on PostgreSQL, Python on SQLite), and each interview's
appliedDate (interviews 0010).
"""

import datetime
import importlib

from django.apps import apps
from django.db import connection

from candidates.models import Candidate
from candidates.pipeline import FACTS
from interviews.models import Interview
from tests.factories import InterviewFactory
from tests.reports.test_pipeline import DAY, START, applicant

facts_0013 = importlib.import_module("candidates.migrations.0013_pipeline_facts")
applied_0010 = importlib.import_module("interviews.migrations.0010_candidate_applied_date")


def facts() -> dict:
    """Each candidate's facts, days to ten decimals (PostgreSQL's fill adds seconds, SQLite's days)."""
    rows = Candidate.objects.values("pk", *FACTS)
    return {row["pk"]: {k: round(v, 10) if isinstance(v, float) else v for k, v in row.items()} for row in rows}


def test_the_upgrade_fills_the_facts_the_moves_would_have_kept(db):
    applicant(START, [(1, "Screened"), (3, "New"), (7, "Screened"), (12, "Hired"), (13, "Offer Extended"),
                      (14, "Hired")], email="g@example.com")  # fmt: skip
    applicant(START + DAY, [(2, "Rejected")], email="h@example.com")
    applicant(START + DAY, [], email="i@example.com")
    kept = facts()
    assert kept[Candidate.objects.get(email="g@example.com").pk]["hired_at"] == START + 12 * DAY
    Candidate.objects.update(stages_left=0, hired_at=None, **dict.fromkeys(FACTS[2:]))  # as before the upgrade
    facts_0013.fill(apps, None)
    assert facts() == kept


def test_the_upgrade_gives_each_interview_its_candidates_applied_date(db):
    interviews = InterviewFactory.create_batch(3)
    Interview.objects.update(candidate_applied_date=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))  # not filled
    applied_0010.fill(apps, None)
    assert [i.candidate_applied_date for i in Interview.objects.order_by("pk")] == [
        interview.candidate.applied_date for interview in interviews
    ]


def test_the_reports_indexes_hold_its_columns_on_postgresql_and_their_keys_elsewhere(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'interview_by_applicant_day'")
            expected = "(candidate_applied_date) INCLUDE (interviewer_key, status, rating)"
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'interview_by_applicant_day'")
            expected = '("candidate_applied_date")'
        assert cursor.fetchone()[0].endswith(expected)
