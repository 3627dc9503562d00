"""
Every write path, in one table: the API, the admin's forms, inlines, actions and import page, each
command, an import queued through the API, seeding. Each states what it changed once; for each,
what history, the activity feed and the webhook outbox hold afterwards follows from it, and the
tallies agree with the tables (on PostgreSQL the triggers keep them).

A row: how the data is arranged, the write, then the history records it adds (subject, action,
via, the fields they hold), the feed's new sentences (oldest first), the deliveries' event types
to a subscription that wants them all, and how many candidates and interviews remain.
"""

import datetime
import io
import json
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.utils import timezone

from candidates.models import Candidate, Phase, Source, Status
from candidates.selectors import candidate_count
from dashboard.models import Activity
from history.models import HistoryRecord
from interviews.models import Interview
from interviews.selectors import interview_count
from tests.candidates.test_admin import form_for
from tests.factories import CandidateFactory, InterviewFactory
from webhooks.models import Delivery, EventType, Subscription

ADA = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "position": "Engineer"}
NEW_ADA = {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "position": "Engineer"}
CREATED = {"first_name", "last_name", "email", "position", "phase", "status", "source", "applied_date"}
CANDIDATE = CREATED  # the fields a candidate's deletion record holds (its values then)
BOOKED = {"candidate_id", "type", "scheduled_date", "duration", "interviewer", "status"}
INTERVIEW = BOOKED | {"notes"}
ROWS = "firstName,lastName,email,position,status\nGrace,Hopper,grace@example.com,Admiral,New\nAda,Lovelace,ada@example.com,Engineer,Screened\n"
IMPORTED = [("candidate", "created", "import", CREATED), ("candidate", "updated", "import", {"status"})]
IMPORT_EVENTS = ["candidate.created", "candidate.status_changed", "candidate.updated", "import.finished"]


@dataclass
class Path:
    name: str
    arrange: list = field(default_factory=list)  # functions of the context dict, in order
    write: object = None  # function of (context, clients)
    history: list = field(default_factory=list)
    feed: list = field(default_factory=list)
    outbox: list = field(default_factory=list)
    remain: tuple = (1, 0)


def ada(ctx):
    ctx["ada"] = CandidateFactory(**ADA)


def interview(ctx):
    ctx["interview"] = InterviewFactory(candidate=ctx["ada"], interviewer="Jane Doe", notes="Good")


def grace(ctx):
    ctx["grace"] = CandidateFactory(first_name="Grace", last_name="Hopper", email="grace@example.com")


def duplicate(ctx):
    ctx["duplicate"] = CandidateFactory(first_name="Ada", last_name="L.", email="ada.l@example.com", phone="555-0100")
    ctx["interview"] = InterviewFactory(candidate=ctx["duplicate"], interviewer="Jane Doe", notes="Good")


def long_gone(ctx):
    ctx["ada"].last_updated = timezone.now() - datetime.timedelta(days=400)
    Candidate.objects.filter(pk=ctx["ada"].pk).update(last_updated=ctx["ada"].last_updated, status=Status.REJECTED)


def ids(ctx) -> dict:
    return {name: value.pk for name, value in ctx.items() if hasattr(value, "pk")}


def api(method, url, body=None):
    """A request with the API key; `body` may be a function of the context."""

    def write(ctx, clients):
        data = body(ids(ctx)) if callable(body) else body
        response = getattr(clients["api"], method)(url.format(**ids(ctx)), data)
        assert response.status_code in (200, 201, 202, 204), response.content

    return write


def admin(url, form):
    """A post of the admin's form; `form` may be a function of the context."""

    def write(ctx, clients):
        data = form(ctx) if callable(form) else form
        response = clients["admin"].post(url.format(**ids(ctx)), data)
        assert response.status_code == 302, response.context and response.context.get("errors")

    return write


def action(changelist, name, *selected):
    return admin(changelist, lambda ctx: {"action": name, "_selected_action": [ctx[key].pk for key in selected]})


def inline(ctx, **row):
    """Ada's change form with her one interview as its row (changed by `row`)."""
    booked = ctx["interview"]
    existing = {"interviews-0-id": booked.pk, "interviews-0-candidate": ctx["ada"].pk, "interviews-0-type": booked.type,
                "interviews-0-scheduled_date_0": booked.scheduled_date.strftime("%Y-%m-%d"),
                "interviews-0-scheduled_date_1": booked.scheduled_date.strftime("%H:%M:%S"),
                "interviews-0-duration": str(booked.duration), "interviews-0-interviewer": booked.interviewer,
                "interviews-0-status": booked.status, "interviews-0-rating": "", "interviews-0-notes": booked.notes}  # fmt: skip
    return form_for(ctx["ada"], **{"interviews-TOTAL_FORMS": "1", "interviews-INITIAL_FORMS": "1", **existing, **row})


NEW_ROW = {"interviews-TOTAL_FORMS": "1", "interviews-INITIAL_FORMS": "0", "interviews-0-type": "Video",
           "interviews-0-scheduled_date_0": "2031-03-04", "interviews-0-scheduled_date_1": "10:00:00",
           "interviews-0-duration": "45", "interviews-0-interviewer": "John Smith", "interviews-0-status": "Scheduled",
           "interviews-0-rating": "", "interviews-0-notes": ""}  # fmt: skip


def interview_form(ctx, **changes):
    booked = ctx["interview"]
    return {"candidate": booked.candidate_id, "type": booked.type, "duration": booked.duration,
            "scheduled_date_0": booked.scheduled_date.strftime("%Y-%m-%d"),
            "scheduled_date_1": booked.scheduled_date.strftime("%H:%M:%S"), "interviewer": booked.interviewer,
            "status": booked.status, "notes": booked.notes, "rating": "", **changes}  # fmt: skip


def command(*arguments):
    def write(ctx, clients):
        given = [str(ids(ctx)[a]) if a in ctx else a for a in arguments]
        call_command(*given, stdout=io.StringIO(), stderr=io.StringIO())

    return write


def import_file(path_name):
    def write(ctx, clients):
        path = ctx["tmp"] / path_name
        path.write_text(ROWS)
        call_command("import_candidates", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    return write


def import_page(ctx, clients):
    upload = io.BytesIO(ROWS.encode())
    upload.name = "people.csv"
    with ctx["on_commit"](execute=True):  # the queued job runs (at once, in the tests)
        assert clients["admin"].post("/admin/imports/importjob/add/", {"file": upload}).status_code == 302


def import_api(ctx, clients):
    rows = [{"firstName": "Grace", "lastName": "Hopper", "email": "grace@example.com", "position": "Admiral"},
            {"email": "ada@example.com", "status": "Screened"}]  # fmt: skip
    with ctx["on_commit"](execute=True):
        response = clients["api"].post("/api/imports", json.dumps(rows), content_type="application/json")
    assert response.status_code == 202


C, IV = "/admin/candidates/candidate/", "/admin/interviews/interview/"
IN_A_YEAR = (timezone.now() + datetime.timedelta(days=365)).strftime("%Y-%m-%dT10:00:00Z")
PATHS = [
    Path("api: create a candidate", [], api("post", "/api/candidates", NEW_ADA),
         [("candidate", "created", "api", CREATED)], ["applied for Engineer"], ["candidate.created"]),
    Path("api: hire a candidate", [ada], api("patch", "/api/candidates/{ada}", {"status": "Hired", "phase": 2}),
         [("candidate", "updated", "api", {"status", "phase"})], ["hired as Engineer", "moved to Phase 2"],
         ["candidate.hired", "candidate.status_changed", "candidate.updated"]),
    Path("api: change a note", [ada], api("patch", "/api/candidates/{ada}", {"notes": "Strong"}),
         [("candidate", "updated", "api", {"notes"})], [], ["candidate.updated"]),
    Path("api: delete a candidate", [ada, interview], api("delete", "/api/candidates/{ada}"),
         [("candidate", "deleted", "api", CANDIDATE), ("interview", "deleted", "api", INTERVIEW)],
         ["Candidate deleted"], ["candidate.deleted"], (0, 0)),
    Path("api: schedule an interview", [ada],
         api("post", "/api/interviews", lambda ids: {"candidateId": ids["ada"], "scheduledDate": IN_A_YEAR,
                                                     "interviewer": "Jane Doe"}),
         [("interview", "created", "api", BOOKED)], ["Interview scheduled with Ada Lovelace"], ["interview.scheduled"],
         (1, 1)),
    Path("api: change an interview's length", [ada, interview], api("patch", "/api/interviews/{interview}", {"duration": 90}),
         [("interview", "updated", "api", {"duration"})], ["Interview with Ada Lovelace rescheduled"],
         ["interview.rescheduled"], (1, 1)),
    Path("api: complete an interview", [ada, interview],
         api("patch", "/api/interviews/{interview}", {"status": "Completed", "rating": 4}),
         [("interview", "updated", "api", {"status", "rating"})], ["Interview with Ada Lovelace completed (rating 4/5)"],
         ["interview.completed"], (1, 1)),
    Path("api: move an interview to another candidate", [ada, interview, grace],
         api("patch", "/api/interviews/{interview}", lambda ids: {"candidateId": ids["grace"]}),
         [("interview", "updated", "api", {"candidate_id"})], [], [], (2, 1)),
    Path("api: delete an interview", [ada, interview], api("delete", "/api/interviews/{interview}"),
         [("interview", "deleted", "api", INTERVIEW)], ["Interview with Ada Lovelace deleted"], ["interview.deleted"]),
    Path("admin: add a candidate", [], admin(f"{C}add/", form_for(Candidate(**ADA, phase=1, status="New", source="LinkedIn"))),
         [("candidate", "created", "admin", CREATED)], ["applied for Engineer"], ["candidate.created"]),
    Path("admin: change a candidate's status", [ada], admin(C + "{ada}/change/", lambda ctx: form_for(ctx["ada"], status="Screened")),
         [("candidate", "updated", "admin", {"status"})], ["moved to Screened"],
         ["candidate.status_changed", "candidate.updated"]),
    Path("admin: add an interview inline", [ada], admin(C + "{ada}/change/", lambda ctx: form_for(ctx["ada"], **NEW_ROW)),
         [("interview", "created", "admin", BOOKED)], ["Interview scheduled with Ada Lovelace"], ["interview.scheduled"],
         (1, 1)),
    Path("admin: change an inline interview's length", [ada, interview],
         admin(C + "{ada}/change/", lambda ctx: inline(ctx, **{"interviews-0-duration": "90"})),
         [("interview", "updated", "admin", {"duration"})], ["Interview with Ada Lovelace rescheduled"],
         ["interview.rescheduled"], (1, 1)),
    Path("admin: delete an inline interview", [ada, interview],
         admin(C + "{ada}/change/", lambda ctx: inline(ctx, **{"interviews-0-DELETE": "on"})),
         [("interview", "deleted", "admin", INTERVIEW)], ["Interview with Ada Lovelace deleted"], ["interview.deleted"]),
    Path("admin: delete a candidate", [ada, interview], admin(C + "{ada}/delete/", {"post": "yes"}),
         [("candidate", "deleted", "admin", CANDIDATE), ("interview", "deleted", "admin", INTERVIEW)],
         ["Candidate deleted"], ["candidate.deleted"], (0, 0)),
    Path("admin: move to phase 2", [ada], action(C, "move_to_phase_two", "ada"),
         [("candidate", "updated", "admin", {"phase"})], ["moved to Phase 2"], ["candidate.updated"]),
    Path("admin: mark as hired", [ada], action(C, "mark_as_hired", "ada"),
         [("candidate", "updated", "admin", {"phase", "status"})], ["hired as Engineer", "moved to Phase 2"],
         ["candidate.hired", "candidate.status_changed", "candidate.updated"]),
    Path("admin: reject", [ada], action(C, "reject", "ada"),
         [("candidate", "updated", "admin", {"status"})], ["moved to Rejected"],
         ["candidate.status_changed", "candidate.updated"]),
    Path("admin: anonymise", [ada, interview], action(C, "anonymize", "ada"),
         [("candidate", "updated", "admin", {"first_name", "last_name", "email"}),
          ("interview", "updated", "admin", {"notes"})], ["Candidate anonymized"], ["candidate.anonymized"], (1, 1)),
    Path("admin: merge", [ada, duplicate], action(C, "merge_into_oldest", "ada", "duplicate"),
         [("interview", "updated", "admin", {"candidate_id"}), ("candidate", "deleted", "admin", CANDIDATE | {"phone"}),
          ("candidate", "updated", "admin", {"phone"})], ["merged with 1 duplicate record"],
         ["candidate.deleted", "candidate.updated"], (1, 1)),
    Path("admin: cancel an interview", [ada, interview], action(IV, "mark_cancelled", "interview"),
         [("interview", "updated", "admin", {"status"})], ["Interview with Ada Lovelace cancelled"],
         ["interview.cancelled"], (1, 1)),
    Path("admin: move an interview's time", [ada, interview],
         admin(IV + "{interview}/change/", lambda ctx: interview_form(ctx, scheduled_date_0="2031-05-06")),
         [("interview", "updated", "admin", {"scheduled_date"})], ["Interview with Ada Lovelace rescheduled"],
         ["interview.rescheduled"], (1, 1)),
    Path("admin: delete an interview", [ada, interview], admin(IV + "{interview}/delete/", {"post": "yes"}),
         [("interview", "deleted", "admin", INTERVIEW)], ["Interview with Ada Lovelace deleted"], ["interview.deleted"]),
    Path("admin: import page", [ada], import_page, IMPORTED, ["1 new candidate synced from people.csv"], IMPORT_EVENTS,
         (2, 0)),
    Path("api: import", [ada], import_api, IMPORTED, ["1 new candidate synced from request.json"], IMPORT_EVENTS, (2, 0)),
    Path("command: import", [ada], import_file("people.csv"), IMPORTED, ["1 new candidate synced from people.csv"],
         IMPORT_EVENTS, (2, 0)),
    Path("command: merge", [ada, duplicate], command("merge_candidates", "ada", "duplicate"),
         [("interview", "updated", "command", {"candidate_id"}),
          ("candidate", "deleted", "command", CANDIDATE | {"phone"}), ("candidate", "updated", "command", {"phone"})],
         ["merged with 1 duplicate record"], ["candidate.deleted", "candidate.updated"], (1, 1)),
    Path("command: anonymise", [ada, interview], command("anonymize_candidate", "ada"),
         [("candidate", "updated", "command", {"first_name", "last_name", "email"}),
          ("interview", "updated", "command", {"notes"})], ["Candidate anonymized"], ["candidate.anonymized"], (1, 1)),
    Path("command: purge", [ada, interview, long_gone, grace], command("purge_candidates", "--older-than", "365"),
         [("candidate", "deleted", "command", CANDIDATE), ("interview", "deleted", "command", INTERVIEW)],
         ["1 candidate deleted by the retention policy"], ["candidate.deleted"], (1, 0)),
]  # fmt: skip


@pytest.fixture
def subscribed(db):
    return Subscription.objects.create(url="https://93.184.216.34/hooks", events=list(EventType.values))


def tallies_agree() -> None:
    """What the dashboard counts (the tallies on PostgreSQL) is what the tables hold."""
    for phase in Phase.values:
        for status in Status.values:
            for source in Source.values:
                kept = Candidate.objects.filter(phase=phase, status=status, source=source).count()
                assert candidate_count(phase=phase, status=status, source=source) == kept, (phase, status, source)
    assert candidate_count() == Candidate.objects.count()
    assert interview_count() == Interview.objects.count()
    for day in Interview.objects.dates("scheduled_date", "day"):
        assert interview_count(day) == Interview.objects.filter(scheduled_date__date=day).count(), day


@pytest.mark.parametrize("path", PATHS, ids=[path.name for path in PATHS])
def test_a_write_path_states_its_change_once(path, subscribed, auth_client, admin_client, tmp_path,
                                              django_capture_on_commit_callbacks):  # fmt: skip
    ctx = {}
    for arrange in path.arrange:
        arrange(ctx)
    history, feed = HistoryRecord.objects.count(), Activity.objects.count()
    Delivery.objects.all().delete()
    path.write({**ctx, "tmp": tmp_path, "on_commit": django_capture_on_commit_callbacks},
               {"api": auth_client, "admin": admin_client})  # fmt: skip

    records = HistoryRecord.objects.order_by("at", "id")[history:]
    assert [(r.subject, r.action, r.via, set(r.changes)) for r in records] == path.history
    entries = Activity.objects.order_by("timestamp", "id")[feed:]
    assert [entry.action for entry in entries] == path.feed
    assert sorted(Delivery.objects.values_list("event_type", flat=True)) == path.outbox
    assert (Candidate.objects.count(), Interview.objects.count()) == path.remain
    tallies_agree()


def test_seeding_states_each_persons_past_and_each_booking_without_announcing_them(subscribed):
    call_command("seed_demo_data", "--candidates", "6", stdout=io.StringIO())
    people, booked = Candidate.objects.count(), Interview.objects.count()
    moves = HistoryRecord.objects.filter(subject="candidate", action="updated").count()
    assert people == 6
    assert moves >= 1
    assert HistoryRecord.objects.filter(subject="candidate", action="created").count() == people
    assert HistoryRecord.objects.filter(subject="interview", action="created").count() == booked
    feed = Activity.objects.values_list("event", flat=True)
    assert list(feed).count("applied") == people
    assert sum(event in ("status_changed", "hired") for event in feed) == moves
    assert sum(event in ("scheduled", "completed", "cancelled") for event in feed) == booked
    assert not Delivery.objects.exists()  # back-dated demo data is not announced: a body would show it as it is now
    assert not Activity.objects.filter(timestamp__gt=timezone.now()).exists()  # pasts and bookings at their own times
    tallies_agree()
