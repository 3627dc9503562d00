"""
On PostgreSQL, `search` reads trigram GIN indexes that take new rows into a small pending list
(migrations 0004 and 0007): a candidate is found the moment it is created.
"""

import pytest
from django.db import connection

from candidates.models import Candidate

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram indexes are PostgreSQL's"),
    pytest.mark.django_db,
]

INDEXES = ["candidate_email_trgm", "candidate_name_trgm", "candidate_position_trgm"]


def test_the_search_indexes_take_new_rows_into_a_pending_list_of_64_kb():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s) ORDER BY relname", [INDEXES])
        found = cursor.fetchall()
    assert found == [(name, ["fastupdate=on", "gin_pending_list_limit=64"]) for name in INDEXES]


@pytest.mark.parametrize(("term", "index"), [("QUARTERM", "candidate_name_trgm"), ("zq-42@", "candidate_email_trgm"),
                                             ("lighthouse", "candidate_position_trgm")])  # fmt: skip
def test_a_candidate_created_a_moment_ago_is_found_through_the_indexes(auth_client, term, index):
    with connection.cursor() as cursor:
        # As on a large table: the trigram indexes answer, not a scan of the table or another index.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
    assert index in Candidate.objects.search(term).explain()

    body = {
        "firstName": "Zelda",
        "lastName": "Quartermain",
        "email": "zq-42@example.com",
        "position": "Lighthouse Keeper",
    }
    created = auth_client.post("/api/candidates", body, format="json")
    assert created.status_code == 201, created.content

    found = auth_client.get("/api/candidates", {"search": term})
    assert found.status_code == 200
    assert [row["id"] for row in found.json()] == [created.json()["id"]]
    assert found["X-Total-Count"] == "1"
