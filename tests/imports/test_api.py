"""`POST /api/imports` and `GET /api/imports/{id}`: the job's answers, what it stores, and what is refused."""

import io
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from candidates.models import Candidate
from dashboard.models import Activity, SyncRun
from imports.models import ImportJob
from imports.tasks import run_import
from tests.factories import CandidateFactory, api_key_for, person

CSV = b"firstName,lastName,email,position\nSarah,Johnson,sarah@example.com,Dev\nBad,Row,nope,Dev\n"


def upload(client, content=CSV, name="recruits.csv", **fields):
    file = io.BytesIO(content)
    file.name = name
    return client.post("/api/imports", {"file": file, **fields}, format="multipart")


@pytest.fixture
def run_jobs(transactional_db):
    """Requests commit, and the jobs they queue run then (at once, in the tests' settings)."""


def test_a_file_is_queued_with_202_then_read_back_finished(auth_client, run_jobs):
    response = upload(auth_client)
    assert response.status_code == 202
    job = ImportJob.objects.get()
    assert response.json() == {
        "id": job.pk, "status": "queued", "fileName": "recruits.csv", "dryRun": False, "progress": 0.0,
        "processed": 0, "created": 0, "updated": 0, "unchanged": 0, "failed": 0, "errors": [], "error": "",
        "createdAt": response.json()["createdAt"], "startedAt": None, "finishedAt": None,
    }  # fmt: skip
    body = auth_client.get(f"/api/imports/{job.pk}").json()
    assert {key: body[key] for key in ("status", "progress", "processed", "created", "updated", "failed")} == {
        "status": "succeeded", "progress": 1.0, "processed": 2, "created": 1, "updated": 0, "failed": 1,
    }  # fmt: skip
    assert body["errors"] == [{"line": 3, "field": "email", "message": "Enter a valid email address."}]
    assert parse_datetime(body["startedAt"]) <= parse_datetime(body["finishedAt"])
    assert Candidate.objects.get().email == "sarah@example.com"
    run = SyncRun.objects.get()
    assert (run.source, run.status, run.created_count, run.failed_count) == ("recruits.csv", "synced", 1, 1)
    assert Activity.objects.filter(event="synced").count() == 1
    assert ImportJob.objects.get().stored_file == ""  # the file is deleted with the job's end


def test_a_json_array_body_is_an_import_too_and_a_dry_run_writes_nothing(auth_client, run_jobs):
    rows = [{"firstName": "Ada", "lastName": "L", "email": "ada@example.com", "position": "Dev"}]
    response = auth_client.post("/api/imports?dryRun=true", rows, format="json")
    assert response.status_code == 202
    assert (response.json()["fileName"], response.json()["dryRun"]) == ("request.json", True)
    assert not Candidate.objects.exists()
    assert not SyncRun.objects.exists()
    response = auth_client.post("/api/imports", rows, format="json")
    job = auth_client.get(f"/api/imports/{response.json()['id']}").json()
    assert (job["status"], job["created"]) == ("succeeded", 1)
    assert Candidate.objects.get().email == "ada@example.com"


def test_a_multipart_dry_run_counts_without_writing(auth_client, run_jobs):
    CandidateFactory(email="sarah@example.com", first_name="Old")
    job = upload(auth_client, dryRun="true").json()
    body = auth_client.get(f"/api/imports/{job['id']}").json()
    assert (body["status"], body["dryRun"], body["updated"], body["failed"]) == ("succeeded", True, 1, 1)
    assert Candidate.objects.get().first_name == "Old"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (CSV, "recruits.txt", "recruits.txt: expected a .csv or .json file"),
        (b"", "empty.csv", "The submitted file is empty."),
        (b"\n\n", "blank.csv", "the file is empty"),
        (b"name,position\nA,B\n", "nomail.csv", "the file has no email column (rows are matched by email)"),
        (b'{"email": "a@example.com"}', "object.json", "a JSON file must hold an array of objects"),
    ],
)
def test_a_file_that_cannot_be_an_import_is_refused_at_once(auth_client, content, name, message):
    response = upload(auth_client, content, name)
    assert response.status_code == 400
    assert response.json() == {"detail": "Validation error", "errors": [{"field": "file", "message": message}]}
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"email": "a@example.com"}', "Expected a JSON array of candidate objects."),
        ("[{", "Malformed JSON: unexpected end of data: line 1 column 3 (char 2)"),
    ],
)
def test_json_bodies_that_are_not_an_array_are_refused(auth_client, body, message):
    response = auth_client.generic("POST", "/api/imports", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Validation error", "errors": [{"field": "body", "message": message}]}
    assert not ImportJob.objects.exists()


def test_other_bodies_are_415(auth_client):
    response = auth_client.generic("POST", "/api/imports", "email\na@example.com\n", content_type="text/csv")
    assert response.status_code == 415
    assert response.json() == {"detail": 'Unsupported media type "text/csv" in request.'}


def test_a_missing_file_and_a_bad_flag_are_named(auth_client):
    response = auth_client.post("/api/imports", {"dryRun": "perhaps"}, format="multipart")
    assert response.status_code == 400
    assert sorted(error["field"] for error in response.json()["errors"]) == ["dryRun", "file"]


def test_a_file_over_the_cap_is_413_and_not_stored(auth_client, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = upload(auth_client, CSV + b"A,B,c@example.com,Dev\n" * 100)
    assert response.status_code == 413
    assert not ImportJob.objects.exists()


def test_only_users_who_may_add_and_change_candidates_import(api_client, db):
    viewer = person("vera", "Viewer")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_for(viewer)}")
    assert upload(api_client).status_code == 403
    assert api_client.get("/api/imports").status_code == 403
    recruiter = person("rita", "Recruiter")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_for(recruiter)}")
    assert upload(api_client).status_code == 202


def test_jobs_are_listed_newest_first_and_unknown_ids_are_404(auth_client):
    first, second = upload(auth_client).json(), upload(auth_client, name="b.csv").json()
    response = auth_client.get("/api/imports")
    assert [job["id"] for job in response.json()] == [second["id"], first["id"]]
    assert response["X-Total-Count"] == "2"
    for missing in ("999", "abc", "0.5"):
        response = auth_client.get(f"/api/imports/{missing}")
        assert (response.status_code, response.json()) == (404, {"detail": "Import job not found"})


def test_a_job_whose_worker_died_resumes_after_its_last_written_batch(auth_client, settings):
    """The first batch was written (and the progress with it) when the worker died; the rest is done once."""
    rows = [{"firstName": "P", "lastName": str(n), "email": f"p{n}@example.com", "position": "Dev"} for n in range(3)]
    job_id = auth_client.post("/api/imports", rows, format="json").json()["id"]  # queued: the test never commits
    Candidate.objects.create(first_name="P", last_name="0", email="p0@example.com", position="Dev")
    ImportJob.objects.filter(pk=job_id).update(
        status="running", processed=1, created_count=1, attempts=1, lease_token=uuid.uuid4(),
        lease_until=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip
    run_import.enqueue(job_id)  # the sweeper's call, once the dead worker's lease has ended
    job = auth_client.get(f"/api/imports/{job_id}").json()
    assert (job["status"], job["processed"], job["created"], job["unchanged"]) == ("succeeded", 3, 3, 0)
    assert sorted(Candidate.objects.values_list("email", flat=True)) == [f"p{n}@example.com" for n in range(3)]
    assert ImportJob.objects.get().attempts == 2


def test_a_finished_job_is_not_run_again(auth_client, run_jobs):
    job_id = upload(auth_client).json()["id"]
    run_import.enqueue(job_id)  # queued twice (the sweeper, a retry): claimed once
    assert Candidate.objects.count() == 1
    assert ImportJob.objects.get().attempts == 1


def test_with_the_queue_down_the_job_waits_for_the_sweeper_instead_of_failing_the_request(
    auth_client, run_jobs, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": settings.TASK_QUEUES}}
    settings.RQ_QUEUES = {name: {"URL": "redis://127.0.0.1:9/0"} for name in settings.TASK_QUEUES}  # nothing listens
    response = upload(auth_client)
    assert response.status_code == 202
    assert ImportJob.objects.get().status == "queued"  # the sweeper queues it once the queue answers
