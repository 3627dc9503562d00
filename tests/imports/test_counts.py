"""
An import's counts add up (issue 32, item 5), on both databases: every row is counted once, as
created, updated, unchanged or failed, and each number is what the job wrote.
"""

import io
import threading

from django.db import IntegrityError, connection, connections

from candidates.models import Candidate
from history.models import HistoryRecord
from imports.services import import_here
from tests.factories import CandidateFactory
from webhooks.models import Delivery, EventType, Subscription

HEADER = "firstName,lastName,email,position,status\n"


def imported(content: str, **options):
    job = import_here(io.BytesIO((HEADER + content).encode()), "people.csv", **options)
    counts = (job.processed, job.created_count, job.updated_count, job.unchanged_count, job.failed_count)
    assert counts[0] == sum(counts[1:]), counts
    return counts


def test_a_failing_row_of_a_known_email_is_failed_only(db):
    CandidateFactory(email="known@example.com", status="New")
    assert imported("K,N,known@example.com,Dev,Quaffing\n") == (1, 0, 0, 0, 1)


def test_each_row_of_an_email_given_twice_is_counted(db):
    CandidateFactory(email="known@example.com", first_name="K", last_name="N", position="Dev", status="New")
    rows = (
        "A,B,new@example.com,Dev,New\n"  # created (with what the later rows of its email give)
        "A,B,new@example.com,Dev,New\n"  # part of that one write: unchanged
        "A,B,new@example.com,Dev,Screened\n"  # part of it too
        "K,N,known@example.com,Dev,New\n"  # updated, in the end, by the rows of its email: one write
        "K,N,known@example.com,Dev,Screened\n"  # part of it
        "K,N,known@example.com,Dev,Rejected\n"  # part of it
    )
    assert imported(rows) == (6, 1, 1, 4, 0)
    assert HistoryRecord.objects.filter(via="import").count() == 2  # what the job wrote: one create, one update
    assert dict(Candidate.objects.values_list("email", "status")) == {
        "new@example.com": "Screened", "known@example.com": "Rejected",
    }  # fmt: skip


def test_rows_whose_emails_another_writer_took_meanwhile_are_counted_as_what_they_did(transactional_db, settings):
    """
    Another writer creates two of the batch's new emails between the import's read and its write:
    the batch is written row by row, one row changing the candidate that holds its email now, one
    finding it as the row has it: that one neither moves `lastUpdated` nor sends `candidate.updated`.
    """
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    Subscription.objects.create(url="http://127.0.0.1:9/hooks", events=[EventType.CANDIDATE_UPDATED])
    raced, writers = [], []

    def other_writer():
        try:
            raced.append(CandidateFactory(email="same@example.com", first_name="S", last_name="M", position="Dev",
                                          status="New"))  # fmt: skip
            raced.append(CandidateFactory(email="other@example.com", first_name="O", last_name="T", position="Ops",
                                          status="New"))  # fmt: skip
        except IntegrityError:  # SQLite: it waited for the import's commit, and lost
            pass
        finally:
            connections.close_all()

    def interleave(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not raced and '"email"' in sql and sql.lstrip().upper().startswith("SELECT"):
            writers.append(threading.Thread(target=other_writer))
            writers[0].start()
            # On PostgreSQL the other writer is not held up: it has written before the import goes on. On
            # SQLite it waits for the import's commit (one writer), so the import is not kept waiting for it.
            writers[0].join(timeout=None if connection.vendor == "postgresql" else 1)
            raced.append(None)
        return result

    rows = "S,M,same@example.com,Dev,New\nO,T,other@example.com,Dev,New\nF,R,fresh@example.com,Dev,New\n"
    with connection.execute_wrapper(interleave):
        counts = imported(rows)
    writers[0].join()
    created_by_import = HistoryRecord.objects.filter(action="created", via="import").count()
    updated_by_import = HistoryRecord.objects.filter(action="updated", via="import").count()
    assert counts == (3, created_by_import, updated_by_import, counts[3], 0)
    if connection.vendor == "postgresql":  # the other writer came first
        assert counts == (3, 1, 1, 1, 0)
        same = Candidate.objects.get(email="same@example.com")
        assert same.last_updated == raced[0].last_updated
        assert not Delivery.objects.filter(candidate_id=same.pk).exists()
        assert Candidate.objects.get(email="other@example.com").position == "Dev"
    else:  # SQLite has one writer: the import came first
        assert counts == (3, 3, 0, 0, 0)
