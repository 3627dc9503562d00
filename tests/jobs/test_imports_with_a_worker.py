"""
`POST /api/imports` of a 100,000-row file, run by real workers on Redis: the counts come out
right, the API answers meanwhile, the dashboard says "syncing", and a worker killed in the
middle of the file loses nothing (another resumes after the last batch it wrote).
"""

import io
import time

from candidates.models import Candidate
from imports.models import ImportJob
from tests.factories import CandidateFactory
from tests.workers import wait_until

ROWS = 100_000
BAD_LINES = {1_000 + n * 9_000 for n in range(10)}  # rows with an email that is not one
KNOWN = 100  # rows for candidates already stored: updated


def write_file(path):
    with path.open("w") as file:
        file.write("firstName,lastName,email,position,status\n")
        for n in range(ROWS):
            email = "not-an-address" if n in BAD_LINES else f"person{n}@example.com"
            file.write(f"Person,Number {n},{email},Engineer,{'Screened' if n < KNOWN else 'New'}\n")


def test_a_100000_row_import_finishes_right_while_the_api_answers_and_survives_a_killed_worker(
    auth_client, workers, tmp_path
):
    for n in range(KNOWN):
        CandidateFactory(email=f"person{n}@example.com", status="New")
    path = tmp_path / "people.csv"
    write_file(path)
    first = workers()
    with path.open("rb") as file:
        response = auth_client.post("/api/imports", {"file": file}, format="multipart")
    assert response.status_code == 202
    queued = response.json()
    assert (queued["status"], queued["processed"], queued["fileName"]) == ("queued", 0, "people.csv")
    url = f"/api/imports/{queued['id']}"

    wait_until(lambda: auth_client.get(url).json()["processed"] >= 20_000, timeout=120, message="a fifth read")
    first.kill()  # mid-file, maybe mid-batch
    killed_at = ImportJob.objects.get().processed
    assert 20_000 <= killed_at < ROWS
    workers()  # takes the job up once it has been silent for JOB_LEASE_SECONDS

    seen_syncing, answers = False, []
    deadline = time.monotonic() + 300
    while (job := auth_client.get(url).json())["status"] not in ("succeeded", "failed"):
        assert time.monotonic() < deadline, job
        started = time.monotonic()
        answers.append(auth_client.get("/api/candidates?limit=5").status_code)
        answers.append(auth_client.get("/api/dashboard/stats").status_code)
        seen_syncing |= auth_client.get("/api/dashboard/stats").json()["syncStatus"] == "syncing"
        time.sleep(max(0, 0.5 - (time.monotonic() - started)))
    assert job["status"] == "succeeded", job
    assert set(answers) == {200}
    assert len(answers) >= 4  # the API was asked while the import ran
    assert seen_syncing
    counts = {name: job[name] for name in ("processed", "created", "updated", "unchanged", "failed")}
    assert counts == {"processed": ROWS, "created": ROWS - KNOWN - len(BAD_LINES), "updated": KNOWN,
                      "unchanged": 0, "failed": len(BAD_LINES)}  # fmt: skip
    assert [(error["line"], error["field"]) for error in job["errors"]] == [(n + 2, "email") for n in sorted(BAD_LINES)]
    assert ImportJob.objects.get().attempts == 2
    assert Candidate.objects.count() == ROWS - len(BAD_LINES)
    assert Candidate.objects.filter(status="Screened").count() == KNOWN
    assert auth_client.get("/api/dashboard/stats").json()["syncStatus"] == "synced"


def test_a_worker_refuses_what_a_file_hides_past_its_head_and_keeps_the_rows_before(auth_client, workers):
    """Issue 32, item 1, through a real worker: the limits hold in the job, not only in the request's check."""
    import json

    workers(IMPORT_MAX_LINE_LENGTH="5000")
    rows = [{"firstName": "P", "lastName": str(n), "email": f"deep{n}@example.com", "position": "Dev"}
            for n in range(1500)]  # fmt: skip
    deep = json.dumps(rows)[:-1].encode() + b", " + b"[" * 100 + b"]" * 100 + b"]"
    lines = "".join(f"P,{n},long{n}@example.com,Dev\n" for n in range(3000))
    long = f"firstName,lastName,email,position\n{lines}P,L,late@example.com,{'x' * 6000}\n".encode()
    expected = {
        "deep.json": ("the JSON is nested deeper than 32 levels (IMPORT_MAX_JSON_DEPTH)", 1000),
        "long.csv": ("line 3002 is longer than 5,000 characters (IMPORT_MAX_LINE_LENGTH)", 3000),
    }
    urls = {}
    for name, content in (("deep.json", deep), ("long.csv", long)):
        file = io.BytesIO(content)
        file.name = name
        response = auth_client.post("/api/imports", {"file": file}, format="multipart")
        assert response.status_code == 202, response.json()
        urls[name] = f"/api/imports/{response.json()['id']}"
    for name, url in urls.items():
        wait_until(lambda url=url: auth_client.get(url).json()["status"] in ("succeeded", "failed"), timeout=120)
        job = auth_client.get(url).json()
        assert (job["status"], job["error"], job["created"]) == ("failed", *expected[name])
