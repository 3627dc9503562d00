"""
`GET /api/reports/pipeline`: the numbers equal ones worked out by hand for a constructed pipeline,
on both databases (PostgreSQL's percentile_cont and SQLite's stand-in agree), as JSON and CSV.
"""

import csv
import datetime
import io

import pytest
import time_machine

from candidates.services import candidate_create, candidate_update
from history.models import Via
from interviews.models import Interview
from tests.factories import CandidateFactory, InterviewFactory

START = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def applicant(at, moves, *, source="LinkedIn", position="Designer", email):
    """A candidate created at `at`, then moved to each status after the days given (from `at`)."""
    with time_machine.travel(at, tick=False):
        candidate = candidate_create(
            data={"first_name": "A", "last_name": "B", "email": email, "position": position, "source": source},
            via=Via.API,
        )
    for days, status in moves:
        with time_machine.travel(at + days * DAY, tick=False):
            candidate = candidate_update(instance=candidate, data={"status": status}, via=Via.API)
    return candidate


@pytest.fixture
def pipeline(db):
    """
    A: New →2d Screened →3d Phone →5d Technical →10d Hired (skips Final and Offer).
    B: New →4d Screened →2d Rejected.
    C: New →1d Screened →1d Phone →1d Technical →4d Final →1d Offer →2d Hired.
    D: stays New.  F: from before the history, at Final Interview; then moved to Offer Extended.
    E applied the day before the window: left out.
    """
    a = applicant(START, [(2, "Screened"), (5, "Phone Interview"), (10, "Technical Interview"), (20, "Hired")],
                  position="Backend Developer", email="a@example.com")  # fmt: skip
    b = applicant(START + 31 * DAY, [(4, "Screened"), (6, "Rejected")], position="Backend Developer",
                  email="b@example.com")  # fmt: skip
    c = applicant(START + 59 * DAY, [(1, "Screened"), (2, "Phone Interview"), (3, "Technical Interview"),
                                     (7, "Final Interview"), (8, "Offer Extended"), (10, "Hired")],
                  source="Referral", email="c@example.com")  # fmt: skip
    applicant(START + 90 * DAY, [], source="Referral", email="d@example.com")
    e = applicant(START - DAY, [(1, "Hired")], email="e@example.com")
    f = CandidateFactory(applied_date=START + 120 * DAY, status="Final Interview", phase=2, source="Website")
    with time_machine.travel(START + 130 * DAY, tick=False):
        candidate_update(instance=f, data={"status": "Offer Extended"})
    at = datetime.datetime(2031, 3, 4, 9, tzinfo=datetime.UTC)
    for hours, who, interviewer, status, rating in [
        (0, a, "Jane Doe", "Completed", 4), (2, a, "jane  doe ", "Completed", 2), (4, c, "Sam Patel", "Scheduled", None),
        (6, b, "Sam Patel", "Cancelled", None), (8, e, "Jane Doe", "Completed", 5),
    ]:  # fmt: skip
        InterviewFactory(candidate=who, interviewer=interviewer, status=status, rating=rating,
                         scheduled_date=at + datetime.timedelta(hours=hours))  # fmt: skip
    assert Interview.objects.count() == 5


EXPECTED = {
    "from": "2030-01-01", "to": "2030-12-31", "position": None, "source": None, "applicants": 5,
    "funnel": [
        {"status": "New", "reached": 5, "share": None},
        {"status": "Screened", "reached": 4, "share": 0.8},
        {"status": "Phone Interview", "reached": 3, "share": 0.75},
        {"status": "Rejected", "reached": 1, "share": 0.2},
        {"status": "Technical Interview", "reached": 3, "share": 1.0},
        {"status": "Final Interview", "reached": 3, "share": 1.0},
        {"status": "Offer Extended", "reached": 3, "share": 1.0},
        {"status": "Hired", "reached": 2, "share": 0.6667},
    ],
    "timeInStage": [
        {"status": "New", "left": 3, "medianDays": 2.0, "p90Days": 3.6},
        {"status": "Screened", "left": 3, "medianDays": 2.0, "p90Days": 2.8},
        {"status": "Phone Interview", "left": 2, "medianDays": 3.0, "p90Days": 4.6},
        {"status": "Rejected", "left": 0, "medianDays": None, "p90Days": None},
        {"status": "Technical Interview", "left": 2, "medianDays": 7.0, "p90Days": 9.4},
        {"status": "Final Interview", "left": 2, "medianDays": 1.0, "p90Days": 1.0},  # F's stay has no start
        {"status": "Offer Extended", "left": 1, "medianDays": 2.0, "p90Days": 2.0},
    ],
    "timeToHire": {"medianDays": 15.0, "p90Days": 19.0, "measured": 2, "hired": 2},
    "sources": [
        {"source": "LinkedIn", "applicants": 2, "hires": 1, "hireRate": 0.5},
        {"source": "Indeed", "applicants": 0, "hires": 0, "hireRate": None},
        {"source": "Referral", "applicants": 2, "hires": 1, "hireRate": 0.5},
        {"source": "Website", "applicants": 1, "hires": 0, "hireRate": 0.0},
    ],
    "interviewers": [
        {"interviewer": "Jane Doe", "interviews": 2, "completed": 2, "averageRating": 3.0},
        {"interviewer": "Sam Patel", "interviews": 2, "completed": 0, "averageRating": None},
    ],
}  # fmt: skip


def test_the_report_equals_the_numbers_worked_out_by_hand(auth_client, pipeline):
    response = auth_client.get("/api/reports/pipeline?from=2030-01-01&to=2030-12-31")
    assert response.status_code == 200
    assert response.json() == EXPECTED


def test_time_in_a_stage_is_each_candidates_total_over_their_stays(auth_client, db):
    """
    G: New →1d Screened →2d New →4d Screened →5d Rejected: 1 + 4 = 5 days in New, 2 + 5 = 7 in Screened.
    H: New →2d Screened.
    """
    applicant(START, [(1, "Screened"), (3, "New"), (7, "Screened"), (12, "Rejected")], email="g@example.com")
    applicant(START + DAY, [(2, "Screened")], email="h@example.com")
    body = auth_client.get("/api/reports/pipeline?from=2030-01-01&to=2030-12-31").json()
    assert body["timeInStage"][:4] == [
        {"status": "New", "left": 2, "medianDays": 3.5, "p90Days": 4.7},
        {"status": "Screened", "left": 1, "medianDays": 7.0, "p90Days": 7.0},
        {"status": "Phone Interview", "left": 0, "medianDays": None, "p90Days": None},
        {"status": "Rejected", "left": 0, "medianDays": None, "p90Days": None},
    ]
    assert [stage["reached"] for stage in body["funnel"][:4]] == [2, 2, 0, 1]


def test_position_and_source_narrow_the_applicants(auth_client, pipeline):
    by_position = auth_client.get("/api/reports/pipeline?from=2030-01-01&to=2030-12-31&position=backend developer")
    assert by_position.json()["applicants"] == 3  # A, B and F
    assert by_position.json()["funnel"][-1] == {"status": "Hired", "reached": 1, "share": 0.5}
    by_source = auth_client.get("/api/reports/pipeline?from=2030-01-01&to=2030-12-31&source=referral").json()
    assert (by_source["source"], by_source["applicants"], by_source["timeToHire"]["medianDays"]) == (
        "Referral",
        2,
        10.0,
    )
    assert by_source["interviewers"] == [
        {"interviewer": "Sam Patel", "interviews": 1, "completed": 0, "averageRating": None}
    ]


def test_the_window_holds_its_first_and_last_day_whole(auth_client, db):
    for email, at in [("in1@example.com", START), ("in2@example.com", START + 365 * DAY - datetime.timedelta(seconds=1)),
                      ("out@example.com", START + 365 * DAY)]:  # fmt: skip
        CandidateFactory(email=email, applied_date=at)
    assert auth_client.get("/api/reports/pipeline?from=2030-01-01&to=2030-12-31").json()["applicants"] == 2


def test_without_a_window_the_last_365_days(auth_client, db):
    with time_machine.travel(datetime.datetime(2030, 6, 30, 12, tzinfo=datetime.UTC), tick=False):
        body = auth_client.get("/api/reports/pipeline").json()
    assert (body["from"], body["to"]) == ("2029-07-01", "2030-06-30")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2030-02-01&to=2030-01-01", "from"),
        ("from=0001-01-01", "from"),
        ("to=9999-12-31", "to"),
        ("from=yesterday", "from"),
        ("source=Monster", "source"),
        ("format=xlsx", "format"),
    ],
)
def test_a_bad_query_is_a_400_naming_the_parameter(auth_client, db, query, field):
    response = auth_client.get(f"/api/reports/pipeline?{query}&format=csv" if "format" not in query else
                               f"/api/reports/pipeline?{query}")  # fmt: skip
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["field"] == field


def test_csv_holds_the_same_tables(auth_client, pipeline):
    response = auth_client.get("/api/reports/pipeline?from=2030-01-01&to=2030-12-31&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="pipeline-2030-01-01-2030-12-31.csv"'
    blocks = response.content.decode().split("\r\n\r\n")
    tables = {rows[0][0]: rows[1:] for rows in (list(csv.reader(io.StringIO(block))) for block in blocks[1:])}
    assert list(tables) == ["funnel", "timeInStage", "timeToHire", "sources", "interviewers"]
    assert tables["funnel"][0] == ["status", "reached", "share"]
    assert tables["funnel"][2] == ["Screened", "4", "0.8"]
    assert tables["timeToHire"] == [["medianDays", "p90Days", "measured", "hired"], ["15.0", "19.0", "2", "2"]]
    assert tables["interviewers"][1] == ["Jane Doe", "2", "2", "3.0"]
    assert next(csv.reader(io.StringIO(blocks[0]))) == ["from", "to", "position", "source", "applicants"]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(auth_client, db):
    candidate = CandidateFactory(applied_date=START)
    InterviewFactory(candidate=candidate, interviewer='=HYPERLINK("http://evil.example")')
    text = auth_client.get("/api/reports/pipeline?from=2030-01-01&to=2030-12-31&format=csv").content.decode()
    assert "'=HYPERLINK" in text
    assert "\r\n=" not in text
    assert ",=" not in text
    text = auth_client.get("/api/reports/pipeline?from=2030-01-01&to=2030-12-31&position=-2+3&format=csv").content
    assert b"2030-01-01,2030-12-31,'-2 3,," in text  # the position asked for, as text
