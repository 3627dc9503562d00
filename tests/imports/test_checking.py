"""
A file of more than one batch has its rows checked ahead by a helper process (imports.checking,
issue 32's speed): the outcome is the same as checking each row in the job's own process, errors,
their order and what is stored included, and a helper that dies leaves the job to check the rest.
"""

import io
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import pytest
from rest_framework import serializers
from rest_framework.fields import empty

from candidates.models import Candidate
from history.models import HistoryRecord
from imports.checking import CandidateImportSerializer
from imports.importer import CandidateImporter
from imports.services import import_here
from tests.factories import CandidateFactory

ROOT = Path(__file__).resolve().parents[2]
ROWS = [
    {"firstName": "Ann", "lastName": "Lee", "email": "ann@example.com", "position": "Dev", "fistName": "x"},  # created
    {"firstName": "Bob", "lastName": "Ray", "email": "not-an-email", "position": "Dev"},  # fails: the email
    {"email": "known@example.com", "status": "Screened"},  # updates a stored candidate: no name asked for
    {"email": "new@example.com", "status": "New"},  # fails: a new candidate needs a name and a position
    {"firstName": "Cy", "lastName": "Ho", "email": "cy@example.com", "position": "Dev", "status": "Quaffing"},
    {"firstName": "Di", "lastName": "Fo", "email": "ann@example.com", "position": "QA"},  # updates the one created
    {"firstName": "Ed", "lastName": "Gu", "email": "ed@example.com", "position": "Dev", "status": "hired"},
]
ERRORS = [
    "line 1: fistName: not a candidate field; it is ignored",
    "line 2: email: Enter a valid email address.",
    "line 4: firstName: This field is required.",
    "line 4: lastName: This field is required.",
    "line 4: position: This field is required.",
    "line 5: status: Not one of the choices: New, Screened, Phone Interview, Rejected, Technical Interview, Final Interview, Offer Extended, Hired.",
]


def imported(rows: list, *, helpers: list | None = None, kill: bool = False):
    """The job and its reports, each noting whether a helper process was running as it was made."""
    reports = []

    def report(error):
        children = multiprocessing.active_children()
        if helpers is not None:
            helpers.append(bool(children))
        if kill:
            for child in children:
                with suppress(ProcessLookupError):  # ended already
                    os.kill(child.pid, signal.SIGKILL)
                child.join()
        reports.append(str(error))

    job = import_here(io.BytesIO(json.dumps(rows).encode()), "people.json", batch_size=2, on_error=report)
    return job, reports


def stored():
    people = Candidate.objects.order_by("email").values_list("email", "first_name", "position", "status")
    return list(people), HistoryRecord.objects.count()


@pytest.mark.parametrize("ahead", [True, False])
def test_a_file_checked_ahead_or_not_gives_the_same_rows_errors_and_counts(db, settings, ahead):
    settings.IMPORT_CHECK_AHEAD = ahead
    CandidateFactory(email="known@example.com", first_name="Kim", position="Ops", status="New")
    helpers = []
    job, reports = imported(ROWS, helpers=helpers)
    assert reports == ERRORS
    assert (job.status, job.processed, job.created_count, job.updated_count, job.failed_count) == (
        "succeeded", 7, 2, 2, 3,
    )  # fmt: skip
    assert stored() == (
        [
            ("ann@example.com", "Di", "QA", "New"),
            ("ed@example.com", "Ed", "Dev", "Hired"),
            ("known@example.com", "Kim", "Ops", "Screened"),
        ],
        4,  # two created, two updated (the factory writes no record)
    )
    assert any(helpers) is ahead  # a helper was running as the later batches were imported, or none was started
    assert multiprocessing.active_children() == []  # it ended with the job


def test_a_helper_that_dies_leaves_the_rest_to_the_job(db, settings):
    settings.IMPORT_CHECK_AHEAD = True
    CandidateFactory(email="known@example.com", first_name="Kim", position="Ops", status="New")
    helpers = []
    job, reports = imported(ROWS, helpers=helpers, kill=True)  # killed at the first report, and any after it
    assert helpers[0] is True  # there was one to kill
    assert reports == ERRORS
    assert (job.status, job.processed, job.created_count, job.updated_count, job.failed_count) == (
        "succeeded", 7, 2, 2, 3,
    )  # fmt: skip
    assert stored()[0][0] == ("ann@example.com", "Di", "QA", "New")
    assert multiprocessing.active_children() == []


def test_each_batch_records_how_far_the_file_was_read_for_it(db, settings):
    """The job's progress is where its written rows end, although the reader is up to two batches further on."""
    settings.IMPORT_CHECK_AHEAD = True
    read = 0

    def rows():
        nonlocal read
        for number in range(7):
            read += 1
            yield (
                number + 1,
                {"firstName": "P", "lastName": str(number), "email": f"p{number}@example.com", "position": "Dev"},
            )

    written = []
    importer = CandidateImporter(
        batch_size=2, position=lambda: read, after_batch=lambda _: written.append(importer.read_to)
    )
    importer.run(rows())
    assert written == [2, 4, 6, 7]
    assert Candidate.objects.count() == 7


def test_a_helper_ends_when_the_process_that_started_it_dies(tmp_path):
    """Killed (out of memory, a stop that did not wait), the job's process leaves no helper behind."""
    script = tmp_path / "job.py"
    script.write_text(
        "import time, django\n"
        "if __name__ == '__main__':\n"
        "    django.setup()\n"
        "    from imports.checking import Helper\n"
        "    helper = Helper()\n"
        "    helper.start()\n"
        "    print(helper.up.result(timeout=60), flush=True)\n"
        "    time.sleep(120)\n"
    )
    job = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                           stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        helper = int(job.stdout.readline())
        assert running(helper)
        os.kill(job.pid, signal.SIGKILL)
        job.wait(10)
        deadline = time.monotonic() + 15
        while running(helper) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not running(helper)
    finally:
        job.kill()
        job.wait(10)


def running(pid: int) -> bool:
    """Whether the process runs (a zombie, ended and waiting to be reaped by init, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_row_checked_as_new_passes_alike_as_an_update():
    """
    What lets a row be checked before it is known to be new: no field has a default and nothing
    checks the row as a whole, so the fields a row gives pass or fail alike in a partial check.
    """
    serializer = CandidateImportSerializer()
    assert [
        name for name, field in serializer.fields.items() if not field.read_only and field.default is not empty
    ] == []
    assert type(serializer).validate is serializers.Serializer.validate
    assert serializer.get_validators() == []
    field_checks = [name for name in dir(serializer) if name.startswith("validate_") and name[9:] in serializer.fields]
    assert field_checks == ["validate_email"]  # it returns the value: a known email is an update
