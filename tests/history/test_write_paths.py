"""
Every write path leaves a history record, in the same transaction as the change: the API, the
admin (forms, inlines, actions, import), the commands (import, merge, anonymise, purge, seed).
After each of them, every candidate's pipeline facts (`candidates.pipeline`) are what their
history's status moves add up to, and every interview keeps its candidate's appliedDate.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.models import Candidate
from candidates.pipeline import DAYS_IN, STAGE_BITS
from candidates.services import candidate_update
from history.models import HistoryRecord
from interviews.models import Interview
from tests.factories import CandidateFactory, InterviewFactory

ERASED = {"from": None, "to": None}
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def facts_agree_with_the_history(db):
    yield
    for candidate in Candidate.objects.order_by("pk"):
        moves = HistoryRecord.objects.filter(subject="candidate", candidate_id=candidate.pk, left_status__isnull=False)
        stages_left, hired_at, days = 0, None, {}
        for move in moves.order_by("at", "id"):
            stages_left |= STAGE_BITS[move.left_status]
            if move.time_in_left_status is not None and move.left_status in DAYS_IN:
                days[DAYS_IN[move.left_status]] = (
                    days.get(DAYS_IN[move.left_status], 0) + move.time_in_left_status / DAY
                )
            hired_at = hired_at or (move.at if move.status == "Hired" else None)
        kept = {column: getattr(candidate, column) for column in DAYS_IN.values()}
        expected = {column: pytest.approx(days[column]) if column in days else None for column in DAYS_IN.values()}
        assert (candidate.stages_left, candidate.hired_at, kept) == (stages_left, hired_at, expected), candidate.pk
    for interview in Interview.objects.select_related("candidate"):
        assert interview.candidate_applied_date == interview.candidate.applied_date, interview.pk


def records(subject: str, object_id: int) -> list[tuple]:
    """(via, action, actor's username, changes) of an object's records, oldest first."""
    found = HistoryRecord.objects.filter(subject=subject, object_id=object_id).order_by("at", "id")
    return [(r.via, r.action, r.actor.username if r.actor else None, r.changes) for r in found]


def last(subject: str, object_id: int) -> tuple:
    return records(subject, object_id)[-1]


def test_the_api_records_create_update_and_delete_of_a_candidate(auth_client, user):
    created = auth_client.post("/api/candidates", {"firstName": "Ada", "lastName": "Lovelace",
                                                   "email": "ada@example.com", "position": "Engineer"})  # fmt: skip
    pk = created.json()["id"]
    assert auth_client.put(f"/api/candidates/{pk}", {"status": "Screened", "phone": "123"}).status_code == 200
    assert auth_client.put(f"/api/candidates/{pk}", {"status": "Screened"}).status_code == 200  # no change
    applied = created.json()["appliedDate"]
    kept = {"position": {"from": None, "to": "Engineer"}, "phase": {"from": None, "to": 1},
            "status": {"from": None, "to": "New"}, "source": {"from": None, "to": "LinkedIn"},
            "applied_date": {"from": None, "to": applied}}  # fmt: skip
    assert records("candidate", pk) == [
        ("api", "created", user.username, {
            "first_name": {"from": None, "to": "Ada"}, "last_name": {"from": None, "to": "Lovelace"},
            "email": {"from": None, "to": "ada@example.com"}, **kept,
        }),
        ("api", "updated", user.username, {"phone": {"from": None, "to": "123"},
                                           "status": {"from": "New", "to": "Screened"}}),
    ]  # fmt: skip

    assert auth_client.delete(f"/api/candidates/{pk}").status_code == 204
    assert records("candidate", pk) == [
        ("api", "created", user.username, {"first_name": ERASED, "last_name": ERASED, "email": ERASED, **kept}),
        ("api", "updated", user.username, {"phone": ERASED, "status": {"from": "New", "to": "Screened"}}),
        ("api", "deleted", user.username, {
            "first_name": ERASED, "last_name": ERASED, "email": ERASED, "phone": ERASED,
            "position": {"from": "Engineer", "to": None}, "phase": {"from": 1, "to": None},
            "status": {"from": "Screened", "to": None}, "source": {"from": "LinkedIn", "to": None},
            "applied_date": {"from": applied, "to": None},
        }),
    ]  # fmt: skip


def test_the_api_records_create_update_and_delete_of_an_interview(auth_client, user):
    candidate, other = CandidateFactory(), CandidateFactory()
    body = {"candidateId": candidate.pk, "type": "Technical", "scheduledDate": "2031-03-04T15:00:00Z",
            "duration": 60, "interviewer": "Jane Doe", "notes": "Bring a laptop"}  # fmt: skip
    pk = auth_client.post("/api/interviews", body).json()["id"]
    auth_client.put(f"/api/interviews/{pk}", {"candidateId": other.pk, "scheduledDate": "2031-03-05T15:00:00Z"})
    auth_client.delete(f"/api/interviews/{pk}")
    assert records("interview", pk) == [
        ("api", "created", user.username, {
            "candidate_id": {"from": None, "to": candidate.pk}, "type": {"from": None, "to": "Technical"},
            "scheduled_date": {"from": None, "to": "2031-03-04T15:00:00Z"}, "duration": {"from": None, "to": 60},
            "interviewer": {"from": None, "to": "Jane Doe"}, "status": {"from": None, "to": "Scheduled"},
            "notes": {"from": None, "to": "Bring a laptop"},
        }),
        ("api", "updated", user.username, {
            "candidate_id": {"from": candidate.pk, "to": other.pk},
            "scheduled_date": {"from": "2031-03-04T15:00:00Z", "to": "2031-03-05T15:00:00Z"},
        }),
        ("api", "deleted", user.username, {
            "candidate_id": {"from": other.pk, "to": None}, "type": {"from": "Technical", "to": None},
            "scheduled_date": {"from": "2031-03-05T15:00:00Z", "to": None}, "duration": {"from": 60, "to": None},
            "interviewer": {"from": "Jane Doe", "to": None}, "status": {"from": "Scheduled", "to": None},
            "notes": {"from": "Bring a laptop", "to": None},
        }),
    ]  # fmt: skip
    # The interview's records follow it to its current candidate: erasing them erases these.
    stored = HistoryRecord.objects.filter(subject="interview", object_id=pk).order_by("at", "id")
    assert list(stored.values_list("candidate_id", flat=True)) == [other.pk, other.pk, other.pk]


CANDIDATE_FORM = {
    "first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com", "position": "Admiral",
    "phase": "1", "status": "New", "source": "Referral",
    "interviews-TOTAL_FORMS": "0", "interviews-INITIAL_FORMS": "0",
}  # fmt: skip
INLINE_ROW = {
    "interviews-0-type": "Phone", "interviews-0-scheduled_date_0": "2031-03-04",
    "interviews-0-scheduled_date_1": "15:00:00", "interviews-0-duration": "30", "interviews-0-interviewer": "Sam",
    "interviews-0-status": "Scheduled", "interviews-0-notes": "",
}  # fmt: skip


def test_the_admin_records_its_forms_inlines_and_deletes(admin_client, staff):
    assert admin_client.post("/admin/candidates/candidate/add/", CANDIDATE_FORM).status_code == 302
    pk = Candidate.objects.get().pk
    change = f"/admin/candidates/candidate/{pk}/change/"
    form = {**CANDIDATE_FORM, "status": "Screened", "interviews-TOTAL_FORMS": "1", **INLINE_ROW}
    assert admin_client.post(change, form).status_code == 302
    interview = Interview.objects.get()
    row = {**form, "interviews-INITIAL_FORMS": "1", "interviews-0-id": interview.pk, "interviews-0-candidate": pk}
    assert admin_client.post(change, {**row, "interviews-0-duration": "45"}).status_code == 302
    assert (
        admin_client.post(change, {**row, "interviews-0-duration": "45", "interviews-0-DELETE": "on"}).status_code
        == 302
    )
    assert admin_client.post(f"/admin/candidates/candidate/{pk}/delete/", {"post": "yes"}).status_code == 302

    admin = staff.username
    assert [(via, action, actor) for via, action, actor, _ in records("candidate", pk)] == [
        ("admin", "created", admin),
        ("admin", "updated", admin),
        ("admin", "deleted", admin),
    ]
    assert records("candidate", pk)[1][3] == {"status": {"from": "New", "to": "Screened"}}
    assert [(via, action, actor, changes.get("duration")) for via, action, actor, changes in
            records("interview", interview.pk)] == [
        ("admin", "created", admin, {"from": None, "to": 30}),
        ("admin", "updated", admin, {"from": 30, "to": 45}),
        ("admin", "deleted", admin, {"from": 45, "to": None}),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "changes"),
    [
        ("move_to_phase_two", {"phase": {"from": 1, "to": 2}}),
        ("mark_as_hired", {"phase": {"from": 1, "to": 2}, "status": {"from": "New", "to": "Hired"}}),
        ("reject", {"status": {"from": "New", "to": "Rejected"}}),
    ],
)
def test_the_admin_actions_record_each_candidate_they_change(admin_client, staff, action, changes):
    ada, bob = CandidateFactory(), CandidateFactory()
    admin_client.post("/admin/candidates/candidate/", {"action": action, "_selected_action": [ada.pk, bob.pk]})
    for candidate in (ada, bob):
        assert records("candidate", candidate.pk) == [("admin", "updated", staff.username, changes)]


def test_the_interview_admin_action_records_the_status(admin_client, staff):
    interview = InterviewFactory()
    admin_client.post("/admin/interviews/interview/", {"action": "mark_completed", "_selected_action": [interview.pk]})
    assert records("interview", interview.pk) == [
        ("admin", "updated", staff.username, {"status": {"from": "Scheduled", "to": "Completed"}})
    ]


def test_merge_records_the_fill_ins_the_moved_interviews_and_the_duplicates_end(db):
    keep = CandidateFactory(phone=None)
    duplicate = CandidateFactory(phone="555-0100", notes="Knows Rust")
    interview = InterviewFactory(candidate=duplicate, notes="Good")
    call_command("merge_candidates", str(keep.pk), str(duplicate.pk), stdout=io.StringIO())
    assert records("candidate", keep.pk) == [
        ("command", "updated", None, {"phone": {"from": None, "to": "555-0100"}, "notes": {"from": None, "to": "Knows Rust"}})
    ]  # fmt: skip
    assert records("interview", interview.pk) == [
        ("command", "updated", None, {"candidate_id": {"from": duplicate.pk, "to": keep.pk}})
    ]
    via, action, _, changes = last("candidate", duplicate.pk)
    assert (via, action, changes["email"], changes["position"]) == (
        "command", "deleted", ERASED, {"from": "Backend Developer", "to": None}
    )  # fmt: skip
    assert HistoryRecord.objects.get(subject="interview", object_id=interview.pk).candidate_id == keep.pk


def test_anonymising_records_what_it_erased_and_erases_it_from_earlier_records(auth_client):
    pk = auth_client.post("/api/candidates", {"firstName": "Ada", "lastName": "L", "email": "ada@example.com",
                                              "position": "Dev", "notes": "Call after 5"}).json()["id"]  # fmt: skip
    interview = InterviewFactory(candidate_id=pk, notes="Asked about salary")
    call_command("anonymize_candidate", str(pk), stdout=io.StringIO())
    via, action, actor, changes = last("candidate", pk)
    assert (via, action, actor) == ("command", "updated", None)
    assert changes == {"first_name": ERASED, "last_name": ERASED, "email": ERASED, "notes": ERASED}
    assert records("candidate", pk)[0][3]["position"] == {"from": None, "to": "Dev"}  # kept: not personal
    assert all(record[3]["first_name"] == ERASED for record in records("candidate", pk) if "first_name" in record[3])
    assert last("interview", interview.pk) == ("command", "updated", None, {"notes": ERASED})


def test_purge_records_each_deletion_erased(db):
    old = CandidateFactory(last_updated=timezone.now() - datetime.timedelta(days=400), status="Rejected")
    interview = InterviewFactory(candidate=old, notes="No show")
    call_command("purge_candidates", "--older-than", "365", stdout=io.StringIO())
    via, action, actor, changes = last("candidate", old.pk)
    assert (via, action, actor, changes["first_name"], changes["status"]) == (
        "command", "deleted", None, ERASED, {"from": "Rejected", "to": None}
    )  # fmt: skip
    via, action, _, changes = last("interview", interview.pk)
    assert (via, action, changes["notes"], changes["duration"]) == (
        "command",
        "deleted",
        ERASED,
        {"from": 60, "to": None},
    )


def test_the_import_command_records_creates_and_updates_via_import(db, tmp_path):
    CandidateFactory(email="bob@example.com", first_name="Bob", status="New")
    path = tmp_path / "people.csv"
    path.write_text("firstName,lastName,email,position,status\nAda,L,ada@example.com,Dev,New\n"
                    "Bob,B,bob@example.com,Dev,Screened\n")  # fmt: skip
    call_command("import_candidates", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    ada, bob = Candidate.objects.get(email="ada@example.com"), Candidate.objects.get(email="bob@example.com")
    assert [(via, action, actor) for via, action, actor, _ in records("candidate", ada.pk)] == [
        ("import", "created", None)
    ]
    via, action, actor, changes = last("candidate", bob.pk)
    assert (via, action, actor, changes["status"]) == ("import", "updated", None, {"from": "New", "to": "Screened"})


def test_the_admin_import_page_records_via_import_with_who_ran_it(
    admin_client, staff, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "people.csv"
    path.write_text("firstName,lastName,email,position\nAda,L,ada@example.com,Dev\n")
    with path.open("rb") as upload, django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post("/admin/imports/importjob/add/", {"file": upload}).status_code == 302
    ada = Candidate.objects.get(email="ada@example.com")
    assert [(via, action, actor) for via, action, actor, _ in records("candidate", ada.pk)] == [
        ("import", "created", staff.username)
    ]


def test_seeding_records_every_candidate_and_interview(db):
    call_command("seed_demo_data", "--candidates", "5", stdout=io.StringIO())
    for candidate in Candidate.objects.all():
        first = records("candidate", candidate.pk)[0]
        assert first[:3] == ("command", "created", None)
        moves = HistoryRecord.objects.filter(candidate=candidate, status__isnull=False)
        assert moves.latest("at").status == candidate.status  # the made-up past ends where they are
        assert candidate.status_since == moves.latest("at").at
    for interview in Interview.objects.all():
        assert [record[:2] for record in records("interview", interview.pk)] == [("command", "created")]


def test_a_change_rolled_back_leaves_no_record(db):
    candidate = CandidateFactory()

    def move_then_fail():
        with transaction.atomic():
            candidate_update(instance=candidate, data={"status": "Screened"})
            raise RuntimeError

    with pytest.raises(RuntimeError):
        move_then_fail()
    assert records("candidate", candidate.pk) == []


def test_deleting_a_user_keeps_their_records_without_them(auth_client, user):
    pk = auth_client.post("/api/candidates", {"firstName": "Ada", "lastName": "L", "email": "ada@example.com",
                                              "position": "Dev"}).json()["id"]  # fmt: skip
    assert records("candidate", pk)[0][2] == user.username
    user.delete()
    assert records("candidate", pk)[0][:3] == ("api", "created", None)


def test_on_postgresql_a_status_move_writes_its_feed_entry_and_record_in_one_statement(auth_client, user):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no INSERT in WITH: each row is its own statement there")
    candidate = CandidateFactory()
    with CaptureQueriesContext(connection) as captured:
        assert auth_client.put(f"/api/candidates/{candidate.pk}", {"status": "Screened"}).status_code == 200
    inserts = [query["sql"] for query in captured if "INSERT" in query["sql"]]
    assert len(inserts) == 1
    assert "dashboard_activity" in inserts[0]
    assert "history_historyrecord" in inserts[0]
    # The service's own transaction (a savepoint inside the test's); none more around the insert.
    assert sum(query["sql"].startswith("SAVEPOINT") for query in captured) == 1
    assert records("candidate", candidate.pk)[0][3] == {"status": {"from": "New", "to": "Screened"}}


def test_interviews_keep_their_candidates_applied_date_when_an_import_moves_it_or_they_move(auth_client, tmp_path):
    ada, bob = CandidateFactory(email="ada@example.com"), CandidateFactory(email="bob@example.com")
    interview = InterviewFactory(candidate=ada)
    assert interview.candidate_applied_date == ada.applied_date
    path = tmp_path / "people.csv"
    path.write_text("firstName,lastName,email,position,appliedDate\nAda,L,ada@example.com,Dev,2030-04-01T09:00:00Z\n")
    call_command("import_candidates", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    interview.refresh_from_db()
    assert interview.candidate_applied_date == datetime.datetime(2030, 4, 1, 9, tzinfo=datetime.UTC)
    assert auth_client.put(f"/api/interviews/{interview.pk}", {"candidateId": bob.pk}).status_code == 200
    interview.refresh_from_db()
    assert interview.candidate_applied_date == bob.applied_date != ada.applied_date


def test_on_postgresql_booking_an_interview_is_two_inserts_and_no_savepoint_of_its_own(auth_client):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no INSERT in WITH: each row is its own statement there")
    candidate = CandidateFactory()
    body = {"candidateId": candidate.pk, "scheduledDate": "2031-03-04T15:00:00Z", "interviewer": "Jo"}
    with CaptureQueriesContext(connection) as captured:
        assert auth_client.post("/api/interviews", body).status_code == 201
    inserts = [query["sql"] for query in captured if "INSERT" in query["sql"]]
    assert len(inserts) == 2  # the interview; its feed entry and history record together
    assert sum(query["sql"].startswith("SAVEPOINT") for query in captured) == 1  # the service's own transaction
