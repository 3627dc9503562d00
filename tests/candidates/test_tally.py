"""The candidate tally stays exact through every kind of write (PostgreSQL keeps it with triggers)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum

from candidates.models import Candidate, CandidateTally
from candidates.services import candidate_merge, candidates_purge
from tests.factories import CandidateFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL keeps the tally (SQLite counts rows)"
)


def assert_tally_exact():
    real = {
        (row["phase"], row["status"], row["source"]): row["n"]
        for row in Candidate.objects.values("phase", "status", "source").annotate(n=Count("pk"))
    }
    kept = {
        (row["phase"], row["status"], row["source"]): row["n"]
        for row in CandidateTally.objects.values("phase", "status", "source").annotate(n=Sum("count"))
        if row["n"]
    }
    assert kept == real


def test_the_tally_follows_api_writes_and_the_counts_use_it(auth_client):
    ids = [
        auth_client.post("/api/candidates", {"firstName": "A", "lastName": str(i), "email": f"a{i}@example.com",
                                             "position": "Dev", "source": "Referral" if i % 2 else "Indeed"}).json()["id"]
        for i in range(6)
    ]  # fmt: skip
    auth_client.put(f"/api/candidates/{ids[0]}", {"status": "Hired", "phase": 2})
    auth_client.put(f"/api/candidates/{ids[1]}", {"source": "Website"})
    auth_client.put(f"/api/candidates/{ids[2]}", {"notes": "no pipeline change"})
    auth_client.delete(f"/api/candidates/{ids[3]}")
    assert_tally_exact()
    for query, expected in [("", 5), ("?phase=2", 1), ("?status=Hired", 1), ("?source=Referral", 1),
                            ("?phase=1&source=Indeed", 2), ("?status=Rejected", 0)]:  # fmt: skip
        assert auth_client.get(f"/api/candidates{query}")["X-Total-Count"] == str(expected), query
    stats = auth_client.get("/api/dashboard/stats").json()
    assert (stats["totalCandidates"], stats["phase1Count"], stats["phase2Count"], stats["hiredCount"]) == (5, 4, 1, 1)


def test_the_tally_follows_bulk_writes_imports_merges_and_purges(db, tmp_path):
    Candidate.objects.bulk_create(
        Candidate(first_name="B", last_name=str(i), email=f"b{i}@example.com", position="Dev", status="Screened")
        for i in range(50)
    )
    path = tmp_path / "c.csv"
    path.write_text("firstName,lastName,email,position,status\n" + "".join(
        f"C,{i},{'b' if i < 10 else 'c'}{i}@example.com,Dev,Rejected\n" for i in range(30)
    ))  # fmt: skip
    call_command("import_candidates", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert_tally_exact()
    keep, *duplicates = Candidate.objects.order_by("pk")[:4]
    candidate_merge(keep=keep, duplicates=duplicates)
    candidates_purge(queryset=Candidate.objects.filter(status="Rejected"))
    Candidate.objects.filter(status="Screened").update(status="Phone Interview")
    assert_tally_exact()


def test_truncating_the_table_resets_the_tally(transactional_db):
    CandidateFactory.create_batch(4)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE candidates_candidate CASCADE")
    assert not CandidateTally.objects.exclude(count=0).exists()
    CandidateFactory.create_batch(3)
    assert_tally_exact()
