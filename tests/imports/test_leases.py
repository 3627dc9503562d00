"""
A job is written by one runner (issue 32, item 2), on both databases: a heartbeat keeps the lease
while a batch is slow, and a runner whose lease another took writes nothing more (the fencing
token is checked in each batch's transaction and at the end), the other finishing the job once.
"""

import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from candidates.models import Candidate
from dashboard.models import SyncRun
from history.models import HistoryRecord
from imports.models import ImportJob, ImportStatus
from imports.tasks import claim, execute, finish
from recruitos.leases import LeaseLost

ROWS = 2500


@pytest.fixture
def job(transactional_db):
    lines = "".join(f"P,{n},p{n}@example.com,Dev\n" for n in range(ROWS))
    stored = default_storage.save("imports/people.csv", ContentFile(f"firstName,lastName,email,position\n{lines}"))
    return ImportJob.objects.create(file_name="people.csv", stored_file=stored, file_size=default_storage.size(stored))


def run(job_id: int, taken, **options):
    job, lease = taken
    with default_storage.open(job.stored_file, "rb") as file:
        return execute(job, lease, file, **options)


def stalled_then_taken(job_id: int, at_row: int, taken: dict):
    """A `progress` that, at `at_row`, lets runner A's lease end (it stalled) and runner B take the job."""

    def progress(rows):
        for number, row in enumerate(rows, start=1):
            if number == at_row:
                ImportJob.objects.filter(pk=job_id).update(lease_until=timezone.now() - timedelta(seconds=1))
                taken["b"] = claim(job_id)
            yield row
        if at_row > ROWS:  # after the last row, before A ends the job
            ImportJob.objects.filter(pk=job_id).update(lease_until=timezone.now() - timedelta(seconds=1))
            taken["b"] = claim(job_id)

    return progress


@pytest.mark.parametrize(
    ("at_row", "written_by_a"),
    # in a batch, in the first, at a batch's start, after the last row (before its batch is written)
    [(1500, 1000), (10, 0), (2001, 2000), (ROWS + 1, 2000)],
)
def test_a_runner_whose_lease_was_taken_writes_nothing_more_and_the_other_does_the_rest_once(
    job, at_row, written_by_a, settings
):
    settings.IMPORT_CHECK_AHEAD = False  # no batch is read ahead of its write: where A stalls says what it wrote
    taken = {}
    a = run(job.pk, claim(job.pk), progress=stalled_then_taken(job.pk, at_row, taken))
    assert (a.status, a.processed, a.created_count) == ("running", written_by_a, written_by_a)  # A stopped there
    assert Candidate.objects.count() == written_by_a
    assert list(SyncRun.objects.values_list("status", flat=True)) == ["syncing"]  # A did not end the job
    b = run(job.pk, taken["b"])
    assert (b.status, b.processed, b.created_count, b.attempts) == ("succeeded", ROWS, ROWS, 2)
    assert Candidate.objects.count() == ROWS
    assert HistoryRecord.objects.filter(action="created").count() == ROWS
    assert [(run.status, run.created_count) for run in SyncRun.objects.all()] == [("synced", ROWS)]
    assert not default_storage.exists(job.stored_file)


def test_a_runner_whose_lease_was_taken_cannot_end_the_job(job):
    job, lease = claim(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert claim(job.pk) is not None  # another runner has it now
    with pytest.raises(LeaseLost):
        finish(job, lease, ImportStatus.SUCCEEDED)
    job.refresh_from_db()
    assert (job.status, job.finished_at, job.attempts) == ("running", None, 2)
    assert list(SyncRun.objects.values_list("status", flat=True)) == ["syncing"]


def test_a_slow_batch_keeps_its_lease_by_heartbeats(job, settings):
    settings.JOB_LEASE_SECONDS = 0.4  # renewed every 0.1 s
    tries = []

    def slow(rows):
        for number, row in enumerate(rows, start=1):
            if number == 1500:
                time.sleep(1.2)  # three leases long
                tries.append(claim(job.pk))  # another runner, as the sweeper would hand it the job
            yield row

    done = run(job.pk, claim(job.pk), progress=slow)
    assert tries == [None]
    assert (done.status, done.created_count, done.attempts) == ("succeeded", ROWS, 1)
