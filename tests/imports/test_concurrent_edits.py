"""
An import and an edit through the API at once (issue 32, item 4), on both databases: the import
locks the batch's candidates as it reads them, so an edit made meanwhile waits for the batch and
is built on it (or the batch on the edit); neither undoes the other, and each candidate's history
of status moves is one unbroken chain ending in the status stored.
"""

import io
import threading

from django.db import connection, connections

from candidates.models import Candidate
from candidates.services import candidate_update
from history.models import HistoryRecord
from imports.services import import_here
from recruitos.changes import Via
from tests.factories import CandidateFactory

PEOPLE = 40


def status_moves(candidate) -> list[dict]:
    records = HistoryRecord.objects.filter(candidate=candidate).order_by("at", "id")
    return [record.changes["status"] for record in records if "status" in record.changes]


def test_an_edit_made_while_an_import_batch_is_read_is_not_overwritten(transactional_db):
    people = [CandidateFactory(email=f"p{n}@example.com", status="New") for n in range(PEOPLE)]
    content = "email,status\n" + "".join(f"p{n}@example.com,Phone Interview\n" for n in range(PEOPLE))
    edited = people[3]
    editors = []

    def edit():  # a recruiter's PATCH, as the API's view calls the service, on a connection of its own
        try:
            candidate_update(instance=Candidate.objects.get(pk=edited.pk), data={"status": "Screened"}, via=Via.API)
        finally:
            connections.close_all()

    def interleave(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not editors and "lower" in sql.lower() and '"email"' in sql and sql.lstrip().upper().startswith("SELECT"):
            # The batch's candidates are read: the edit comes now, and is given a moment to land.
            editors.append(threading.Thread(target=edit))
            editors[0].start()
            editors[0].join(timeout=1)
        return result

    with connection.execute_wrapper(interleave):
        job = import_here(io.BytesIO(content.encode()), "people.csv", batch_size=20)
    editors[0].join()
    assert (job.status, job.processed, job.failed_count) == ("succeeded", PEOPLE, 0)
    for candidate in Candidate.objects.all():
        moves = status_moves(candidate)
        statuses = ["New", *(move["to"] for move in moves)]
        assert [move["from"] for move in moves] == statuses[:-1], (candidate.pk, moves)
        assert statuses[-1] == candidate.status
    assert {move["to"] for move in status_moves(edited)} == {"Screened", "Phone Interview"}
