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
from contextlib import suppress

import pytest

from candidates.models import Candidate
from history.models import HistoryRecord
from imports.services import import_here
from tests.factories import CandidateFactory

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
    'line 5: status: "Quaffing" is not a valid choice.',
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
    assert any(helpers) is ahead  # a helper checked the later batches, or none was started


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
