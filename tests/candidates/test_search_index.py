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


def test_the_declared_indexes_are_the_ones_the_database_has():
    """Meta.indexes declares the trigram indexes migrations 0004 and 0007 built: same expression, opclass and options."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reloptions, pg_get_indexdef(c.oid) FROM pg_class c "
            "WHERE c.relname LIKE 'candidate_%%_trgm' ORDER BY c.relname"
        )
        found = cursor.fetchall()
    declared = sorted(index.name for index in Candidate._meta.indexes if index.name.endswith("_trgm"))
    assert [name for name, _, _ in found] == declared
    for name, options, definition in found:
        assert sorted(options) == ["fastupdate=on", "gin_pending_list_limit=64"], name
        assert "USING gin" in definition, name
        assert "gin_trgm_ops" in definition, name
