"""The data-fixing commands: seed, find duplicates, merge, anonymise, purge."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from candidates.models import Candidate
from dashboard.models import Activity
from dashboard.selectors import dashboard_stats
from interviews.models import Interview
from tests.factories import CandidateFactory, InterviewFactory


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def people():
    return list(Candidate.objects.order_by("pk").values_list("first_name", "last_name", "email", "status", "position"))


def test_seed_is_deterministic_and_realistic(db):
    assert "Seeded 30 candidates and 90 interviews (seed 3)." in run(
        "seed_demo_data", "--candidates", "30", "--interviews-per-candidate", "3", "--seed", "3"
    )
    first = people()
    Candidate.objects.all().delete()
    run("seed_demo_data", "--candidates", "30", "--interviews-per-candidate", "3", "--seed", "3")
    assert [row[:2] + row[3:] for row in people()] == [row[:2] + row[3:] for row in first]
    now = timezone.now()
    for when in Interview.objects.values_list("scheduled_date", flat=True):
        assert now - datetime.timedelta(days=46) < when < now + datetime.timedelta(days=16)
    for phase, status in Candidate.objects.values_list("phase", "status"):
        assert phase == (2 if status in {"Technical Interview", "Final Interview", "Offer Extended", "Hired"} else 1)
    assert Activity.objects.filter(event="applied", candidate__isnull=False).count() == 30


def test_seed_dry_run_writes_nothing(db):
    out = run("seed_demo_data", "--candidates", "20", "--dry-run")
    assert "Dry run, rolled back: would have seeded 20 candidates and 40 interviews (seed 7)." in out
    assert not Candidate.objects.exists()
    assert not Interview.objects.exists()
    assert not Activity.objects.exists()


def test_seed_if_empty_leaves_a_filled_database_alone(db):
    CandidateFactory()
    assert "seeded nothing" in run("seed_demo_data", "--if-empty")
    assert Candidate.objects.count() == 1


def test_find_duplicates_by_email_phone_and_linkedin(db):
    sarah = CandidateFactory(email="sarah.j@mail.com", phone="+1 (555) 123-4567")
    sarah_again = CandidateFactory(email="Sarah.J+jobs@Mail.com")
    sarah_phone = CandidateFactory(phone="555.123.4567")
    emma = CandidateFactory(linkedin_url="https://www.linkedin.com/in/emma-b/")
    emma_again = CandidateFactory(linkedin_url="linkedin.com/in/Emma-B")
    CandidateFactory(phone="123")  # too short to compare
    out = run("find_duplicate_candidates")
    assert f"email sarah.j@mail.com: {sarah.pk} {sarah_again.pk}" in out
    assert f"phone 5551234567: {sarah.pk} {sarah_phone.pk}" in out
    assert f"linkedin in/emma-b: {emma.pk} {emma_again.pk}" in out
    assert "Found 3 groups of possible duplicates." in out


def test_merge_moves_interviews_and_activity_fills_gaps_and_deletes_duplicates(auth_client):
    keep = CandidateFactory(first_name="Sarah", last_name="Johnson", phone=None, notes="keep mine")
    dup = CandidateFactory(first_name="Sara", last_name="Johnson", phone="+1 555", notes="theirs", skills="Go")
    kept_interview, moved_interview = InterviewFactory(candidate=keep), InterviewFactory(candidate=dup)
    auth_client.put(f"/api/candidates/{dup.pk}", {"status": "Screened"})

    out = run("merge_candidates", str(keep.pk), str(dup.pk))
    assert f"Merged 1 duplicates into candidate {keep.pk} (Sarah Johnson), who has 2 interviews." in out
    keep.refresh_from_db()
    assert (keep.phone, keep.notes, keep.skills) == ("+1 555", "keep mine", "Go")
    assert not Candidate.objects.filter(pk=dup.pk).exists()
    assert set(Interview.objects.values_list("pk", "candidate")) == {
        (kept_interview.pk, keep.pk), (moved_interview.pk, keep.pk),
    }  # fmt: skip
    moved = Activity.objects.get(event="status_changed")
    assert (moved.candidate_id, moved.candidate_name) == (keep.pk, "Sarah Johnson")
    assert Activity.objects.latest("id").action == "merged with 1 duplicate record"
    assert not Activity.objects.filter(candidate__isnull=True, candidate_name__isnull=False).exists()


def test_merge_is_all_or_nothing(db):
    keep, dup = CandidateFactory(), CandidateFactory()
    with pytest.raises(CommandError, match="no candidate with id 999999"):
        run("merge_candidates", str(keep.pk), str(dup.pk), "999999")
    with pytest.raises(CommandError, match="cannot also be a duplicate"):
        run("merge_candidates", str(keep.pk), str(keep.pk))
    assert Candidate.objects.count() == 2


def test_merge_dry_run_changes_nothing(db):
    keep, dup = CandidateFactory(phone=None), CandidateFactory(phone="+1 555")
    InterviewFactory(candidate=dup)
    assert "Would merge 1 duplicates" in run("merge_candidates", str(keep.pk), str(dup.pk), "--dry-run")
    assert Candidate.objects.count() == 2
    assert Interview.objects.get().candidate_id == dup.pk


def test_anonymize_erases_personal_data_everywhere_and_keeps_the_counts(auth_client):
    body = {"firstName": "Sarah", "lastName": "Johnson", "email": "sarah@example.com", "position": "Dev",
            "phone": "+1 555", "notes": "Lives at 1 Main St", "linkedinUrl": "https://linkedin.com/in/sj",
            "status": "Hired", "phase": 2}  # fmt: skip
    candidate_id = auth_client.post("/api/candidates", body).json()["id"]
    auth_client.post("/api/interviews", {"candidateId": candidate_id, "scheduledDate": timezone.now().isoformat(),
                                         "interviewer": "Jane Doe", "notes": "Sarah mentioned her kids"})  # fmt: skip
    before = {k: v for k, v in dashboard_stats().items() if k != "last_sync"}

    assert "Anonymized 1 candidates." in run("anonymize_candidate", str(candidate_id))
    candidate = Candidate.objects.get(pk=candidate_id)
    assert (candidate.first_name, candidate.last_name, candidate.phone, candidate.notes, candidate.linkedin_url) == (
        "Anonymized", "Candidate", None, None, None,
    )  # fmt: skip
    assert candidate.email == f"anonymized-{candidate_id}@anonymized.invalid"
    assert (candidate.position, candidate.status, candidate.phase) == ("Dev", "Hired", 2)
    assert Interview.objects.get().notes is None
    everything = " ".join(
        str(value)
        for model in (Candidate, Interview, Activity)
        for row in model.objects.values()
        for value in row.values()
    ).lower()
    for personal in ("sarah", "johnson", "main st", "kids"):
        assert personal not in everything
    assert {k: v for k, v in dashboard_stats().items() if k != "last_sync"} == before


def test_purge_deletes_old_candidates_of_the_given_status_and_their_names(auth_client):
    old = timezone.now() - datetime.timedelta(days=400)
    gone = CandidateFactory(first_name="Oldreject", status="Rejected", last_updated=old)
    Activity.objects.create(event="applied", detail="Dev", candidate=gone, candidate_name="Oldreject X")
    InterviewFactory(candidate=gone)
    kept_recent = CandidateFactory(status="Rejected")
    kept_other_status = CandidateFactory(status="Hired", last_updated=old)

    assert "Would delete 1 candidates" in run("purge_candidates", "--older-than", "365", "--status", "rejected",
                                              "--dry-run")  # fmt: skip
    assert Candidate.objects.count() == 3
    assert "Deleted 1 candidates" in run("purge_candidates", "--older-than", "365", "--status", "Rejected")
    assert set(Candidate.objects.values_list("pk", flat=True)) == {kept_recent.pk, kept_other_status.pk}
    assert not Interview.objects.exists()
    assert not Activity.objects.filter(candidate_name__icontains="oldreject").exists()
    assert Activity.objects.latest("id").action == "1 candidate deleted by the retention policy"


def test_purge_refuses_an_unknown_status(db):
    with pytest.raises(CommandError, match="unknown status Ghosted"):
        run("purge_candidates", "--older-than", "30", "--status", "Ghosted")


def test_no_bulk_write_builds_a_statement_over_postgresqls_65535_values(db):
    """
    `seed_demo_data --candidates 6000` failed on PostgreSQL: a 5,000-row bulk_update with server-side
    binding. Here every statement of a 4,200-row batch is counted (its pipeline facts' bulk_update
    carries 16 values a row: 67,200).
    """
    largest = []

    def count(execute, sql, params, many, context):
        largest.append(max((len(row) for row in params), default=0) if many else len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert "Seeded 4200 candidates and 0 interviews (seed 7)." in run(
            "seed_demo_data", "--candidates", "4200", "--interviews-per-candidate", "0"
        )
    assert Candidate.objects.count() == 4200
    assert max(largest) <= 65_535, max(largest)
