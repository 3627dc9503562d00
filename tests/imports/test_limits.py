"""
Hostile import files (issue 32, item 1): each is refused with a 400 naming the limit it passes, or,
where the limit is passed after the part read before queueing, the job fails naming it, the rows
before it written. Nothing stored is lost; nothing is parsed at a cost beyond the file's size.
"""

import io
import json
import os

import pytest

from candidates.models import Candidate
from imports.importer import read_rows
from imports.models import ImportJob


def upload(client, content: bytes, name: str):
    file = io.BytesIO(content)
    file.name = name
    return client.post("/api/imports", {"file": file}, format="multipart")


@pytest.fixture
def run_jobs(transactional_db):
    """Requests commit, and the jobs they queue run then (at once, in the tests' settings)."""


def refused(response) -> str:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "Validation error"
    [error] = body["errors"]
    assert error["field"] == "file"
    return error["message"]


WIDE_HEADER = ",".join(f"column{n}" for n in range(200_000)).encode() + b"\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deep.json", b"[" * 32768 + b"]" * 32768, "the JSON is nested deeper than 32 levels"),
        ("deep.json", b'[{"a":' * 20000 + b"1" + b"}]" * 20000, "the JSON is nested deeper than 32 levels"),
        ("deep.json", b'[{"email": "a@example.com", "notes": [[[[' + b"[" * 40 + b"]" * 44 + b"}]", "deeper than 32"),
        ("open.json", b"[" * 33, "the JSON is nested deeper than 32 levels (IMPORT_MAX_JSON_DEPTH)"),
        ("wide.csv", WIDE_HEADER + b"x\n" * 3000, "the header line is longer than 65,536 bytes"),
        ("wide.csv", ("email," + ",".join(f"c{n}" for n in range(100))).encode() + b"\na@example.com\n",
         "the header has 101 columns; an import file has at most 100 (IMPORT_MAX_COLUMNS)"),
        # Two long names that share their first 64 KB: once cut there, they were "the same column".
        ("long.csv", b"email," + b"n" * 40000 + b"a," + b"n" * 40000 + b"b\n", "the header line is longer than 65,536"),
    ],
)  # fmt: skip
def test_a_hostile_file_is_refused_naming_the_limit_and_nothing_is_stored(
    auth_client, settings, name, content, message
):
    assert message in refused(upload(auth_client, content, name))
    assert not ImportJob.objects.exists()
    assert not os.path.exists(os.path.join(settings.MEDIA_ROOT, "imports"))


def test_the_limits_are_settings_and_a_long_line_is_refused_where_it_is(auth_client, settings):
    settings.IMPORT_MAX_COLUMNS = 3
    message = refused(upload(auth_client, b"email,firstName,lastName,notes\na@example.com,A,B,C\n", "four.csv"))
    assert message == "the header has 4 columns; an import file has at most 3 (IMPORT_MAX_COLUMNS)"
    settings.IMPORT_MAX_LINE_LENGTH = 1000
    message = refused(upload(auth_client, b"email,notes\na@example.com," + b"x" * 2000 + b"\n", "long.csv"))
    assert message == "line 2 is longer than 1,000 characters (IMPORT_MAX_LINE_LENGTH)"


ROW = {"firstName": "Ada", "lastName": "L", "position": "Dev"}


def rows(count: int, start: int = 0) -> list[dict]:
    return [ROW | {"email": f"p{n}@example.com", "notes": "n" * 40} for n in range(start, start + count)]


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        (b"[" * 100 + b"]" * 100, "the JSON is nested deeper than 32 levels (IMPORT_MAX_JSON_DEPTH)"),
        (b'{"email": "x@example.com", "notes": "' + b"y" * 300_000 + b'"}',
         "a value is longer than 100,000 characters (IMPORT_MAX_LINE_LENGTH); is a quote left open?"),
        (b'{"email": "x@example.com", "n": ' + b"1" * 300_000 + b"}",  # digits: quadratic in ijson
         "a row is longer than 100,000 characters (IMPORT_MAX_LINE_LENGTH)"),
        (b"{" + b",".join(b'"k%d": 1' % n for n in range(40_000)) + b"}",  # keys: memory
         "a row is longer than 100,000 characters (IMPORT_MAX_LINE_LENGTH)"),
        (b'{"email": "x@example.com", "notes": "' + b'\\"' * 150_000 + b'"}',
         "a value is longer than 100,000 characters (IMPORT_MAX_LINE_LENGTH); is a quote left open?"),
    ],
)  # fmt: skip
def test_past_the_part_read_before_queueing_the_job_fails_naming_the_limit_and_keeps_the_rows_before(
    auth_client, run_jobs, settings, tail, message
):
    settings.IMPORT_MAX_LINE_LENGTH = 100_000
    content = json.dumps(rows(1500))[:-1].encode() + b", " + tail + b"]"
    assert len(content) > 65_536  # the request reads the first 64 KB only
    response = upload(auth_client, content, "late.json")
    assert response.status_code == 202
    job = auth_client.get(f"/api/imports/{response.json()['id']}").json()
    assert (job["status"], job["error"]) == ("failed", message)
    assert (job["processed"], job["created"]) == (1000, 1000)  # the batches written before it
    assert Candidate.objects.count() == 1000


def test_a_line_over_the_limit_after_the_head_fails_the_job(auth_client, run_jobs, settings):
    settings.IMPORT_MAX_LINE_LENGTH = 5000
    lines = [f"p{n}@example.com,Ada,L,Dev" for n in range(3000)]
    content = ("email,firstName,lastName,position\n" + "\n".join(lines) + "\nlate@example.com," + "x" * 6000).encode()
    response = upload(auth_client, content, "late.csv")
    job = auth_client.get(f"/api/imports/{response.json()['id']}").json()
    assert (job["status"], job["error"]) == (
        "failed",
        "line 3002 is longer than 5,000 characters (IMPORT_MAX_LINE_LENGTH)",
    )
    assert Candidate.objects.count() == 3000


def test_unknown_columns_are_named_once_and_rows_carry_only_the_known_ones(auth_client, run_jobs):
    header = ["email", "firstName", "lastName", "position", *(f"extra{n}" for n in range(90))]
    lines = [",".join([f"p{n}@example.com", "Ada", "L", "Dev", *("v" * 90)]) for n in range(3)]
    content = (",".join(header) + "\n" + "\n".join(lines) + "\n").encode()
    parsed = list(read_rows(io.BytesIO(content), "wide.csv"))
    assert len(parsed[0][1]) == 94  # the first row names every column, for the report
    assert [sorted(row) for _, row in parsed[1:]] == [["email", "firstName", "lastName", "position"]] * 2
    job = auth_client.get(f"/api/imports/{upload(auth_client, content, 'wide.csv').json()['id']}").json()
    assert (job["status"], job["created"], job["failed"]) == ("succeeded", 3, 0)
    assert sorted(error["field"] for error in job["errors"]) == sorted(f"extra{n}" for n in range(90))
    assert {(error["line"], error["message"]) for error in job["errors"]} == {
        (2, "not a candidate field; it is ignored")
    }


def test_a_nul_in_a_key_or_a_value_fails_its_row_not_the_job(auth_client, run_jobs):
    """PostgreSQL keeps no NUL in text or jsonb: the job's stored messages write it as \\u0000."""
    body = [
        ROW | {"email": "good@example.com"},
        ROW | {"email": "nul-value@example.com", "position": "Dev\u0000ops"},
        ROW | {"email": "nul-key@example.com", "bad\u0000key": "x"},
        ROW | {"email": "nul-choice@example.com", "status": "Hired\u0000"},
        ROW | {"email": "nul\u0000email@example.com"},
    ]
    response = auth_client.post("/api/imports", body, format="json")
    job = auth_client.get(f"/api/imports/{response.json()['id']}").json()
    assert (job["status"], job["processed"], job["created"], job["failed"]) == ("succeeded", 5, 2, 3)
    assert job["errors"] == [
        {"line": 2, "field": "position", "message": "Null characters are not allowed."},
        {"line": 3, "field": "bad\\u0000key", "message": "not a candidate field; it is ignored"},
        {
            "line": 4,
            "field": "status",
            "message": "Not one of the choices: New, Screened, Phone Interview, Rejected, Technical Interview, Final Interview, Offer Extended, Hired.",
        },
        {"line": 5, "field": "email", "message": "Null characters are not allowed."},
        {"line": 5, "field": "email", "message": "Enter a valid email address."},
    ]
    assert sorted(Candidate.objects.values_list("email", flat=True)) == ["good@example.com", "nul-key@example.com"]
