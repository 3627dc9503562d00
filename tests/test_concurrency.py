"""
Concurrency on PostgreSQL: a live server and real parallel clients (threads released
together by a barrier). Bounded: 20 clients at most, each request with a timeout.
"""

import io
import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count, Sum
from django.db.models.functions import Lower

from candidates.models import Candidate
from tests.factories import CandidateFactory, InterviewFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL, as production runs"
)
CLIENTS = 20
TIMEOUT = 30


@pytest.fixture
def call(live_server, transactional_db):
    from tests.factories import UserFactory, api_key_for

    key = api_key_for(UserFactory(username="racer"))

    def send(method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{live_server.url}{path}", data=data, method=method)
        request.add_header("Authorization", f"Bearer {key}")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    return send


def all_at_once(jobs):
    """Run the callables in parallel, released together; return their results in order."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait(timeout=TIMEOUT)
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs, timeout=TIMEOUT * 2))


def test_simultaneous_creates_with_one_email_give_one_201(call):
    body = {"firstName": "Sarah", "lastName": "Johnson", "position": "Dev"}
    results = all_at_once([
        lambda i=i: call("POST", "/api/candidates", {**body, "email": "Sarah@example.com" if i % 2 else "sarah@EXAMPLE.com"})
        for i in range(CLIENTS)
    ])  # fmt: skip
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [400] * (CLIENTS - 1)
    for status, content in results:
        if status == 400:
            assert json.loads(content)["errors"] == [
                {"field": "email", "message": "A candidate with this email already exists."}
            ]
    assert Candidate.objects.count() == 1


def test_simultaneous_partial_updates_of_different_fields_all_survive(call):
    candidate = CandidateFactory(phone=None, notes=None, skills=None, experience=None)
    changes = [
        {"firstName": "Sara"}, {"lastName": "Jonsson"}, {"phone": "+1 555"}, {"position": "Lead Dev"},
        {"phase": 2}, {"status": "Final Interview"}, {"source": "Referral"}, {"skills": "Go, Rust"},
        {"experience": 7}, {"notes": "Strong"}, {"resumeUrl": "https://cv.example.com/s.pdf"},
        {"linkedinUrl": "https://linkedin.com/in/sara"}, {"email": "sara.jonsson@example.com"},
    ]  # fmt: skip
    jobs = [lambda change=change: call("PATCH", f"/api/candidates/{candidate.pk}", change) for change in changes]
    jobs += [lambda change=change: call("PUT", f"/api/candidates/{candidate.pk}", change) for change in changes[:7]]
    assert len(jobs) == CLIENTS
    assert {status for status, _ in all_at_once(jobs)} == {200}
    candidate.refresh_from_db()
    assert (candidate.first_name, candidate.last_name, candidate.phone, candidate.position, candidate.phase) == (
        "Sara", "Jonsson", "+1 555", "Lead Dev", 2,
    )  # fmt: skip
    assert (candidate.status, candidate.source, candidate.skills, candidate.experience, candidate.notes) == (
        "Final Interview", "Referral", "Go, Rust", 7, "Strong",
    )  # fmt: skip
    assert (candidate.resume_url, candidate.linkedin_url, candidate.email) == (
        "https://cv.example.com/s.pdf", "https://linkedin.com/in/sara", "sara.jonsson@example.com",
    )  # fmt: skip


RACES = {
    "candidates": (lambda: CandidateFactory(status="New"), {"status": "Screened"}, "Candidate not found"),
    "interviews": (lambda: InterviewFactory(status="Scheduled"), {"status": "Cancelled"}, "Interview not found"),
}


@pytest.mark.parametrize("round_", range(5))
@pytest.mark.parametrize("resource", list(RACES))
def test_simultaneous_delete_and_update_never_half_apply(call, resource, round_):
    make, change, not_found = RACES[resource]
    row = make()
    deleted, updated = all_at_once([
        lambda: call("DELETE", f"/api/{resource}/{row.pk}"),
        lambda: call("PUT", f"/api/{resource}/{row.pk}", change),
    ])  # fmt: skip
    assert deleted[0] == 204
    assert updated[0] in (200, 404)
    if updated[0] == 404:
        assert json.loads(updated[1]) == {"detail": not_found}
    else:
        assert json.loads(updated[1])["status"] == change["status"]
    assert not type(row).objects.filter(pk=row.pk).exists()


def test_simultaneous_imports_of_overlapping_files_make_no_duplicates(transactional_db, tmp_path):
    header = "firstName,lastName,email,position\n"
    files = []
    for n in range(4):
        rows = "".join(f"P{i},Import,person{i}@EXAMPLE.com,Dev\n" for i in range(n * 50, n * 50 + 150))
        path = tmp_path / f"part{n}.csv"
        path.write_text(header + rows)
        files.append(path)

    def run_import(path):
        try:
            call_command("import_candidates", str(path), "--batch-size", "25", stdout=io.StringIO())
        finally:
            connections.close_all()

    all_at_once([lambda path=path: run_import(path) for path in files])
    emails = list(Candidate.objects.annotate(key=Lower("email")).values_list("key", flat=True))
    assert len(emails) == len(set(emails)) == 300


def test_the_tally_stays_exact_under_parallel_writes(call):
    from candidates.models import CandidateTally

    jobs = [
        lambda i=i: call("POST", "/api/candidates", {"firstName": "P", "lastName": str(i), "position": "Dev",
                                                     "email": f"p{i}@example.com", "status": ["New", "Screened"][i % 2]})
        for i in range(CLIENTS)
    ]  # fmt: skip
    assert {status for status, _ in all_at_once(jobs)} == {201}
    ids = list(Candidate.objects.values_list("pk", flat=True))
    moves = [lambda pk=pk, i=i: call("PATCH", f"/api/candidates/{pk}", {"status": ["Screened", "New"][i % 2]})
             for i, pk in enumerate(ids)]  # fmt: skip
    assert {status for status, _ in all_at_once(moves)} == {200}
    real = dict(Candidate.objects.values_list("status").annotate(n=Count("pk")))
    kept = {status: n for status, n in CandidateTally.objects.values_list("status").annotate(n=Sum("count")) if n}
    assert kept == real


def test_new_candidates_added_at_once_do_not_wait_for_each_other(transactional_db):
    """Two open transactions each add a New candidate: the second does not wait for the first's commit."""
    from django.db import transaction

    from candidates.models import CandidateTally
    from candidates.services import candidate_create

    def add(n):
        return candidate_create(data={"first_name": "W", "last_name": str(n), "email": f"w{n}@example.com",
                                      "position": "Dev"})  # fmt: skip

    def add_without_waiting():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                return add(2).pk
        finally:
            connections.close_all()

    with transaction.atomic():
        first = add(1)
        with ThreadPoolExecutor(max_workers=1) as pool:
            second = pool.submit(add_without_waiting).result(timeout=TIMEOUT)
    assert set(Candidate.objects.values_list("pk", flat=True)) == {first.pk, second}
    assert CandidateTally.objects.filter(status="New").aggregate(n=Sum("count"))["n"] == 2
