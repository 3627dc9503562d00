"""
Statements prepared once per PostgreSQL connection (recruitos.postgresql): the key lookup, the
read by id and the create are parsed and planned by the server once, then only executed.
"""

import psycopg
import pytest
from django.db import connection

from candidates.models import Candidate
from dashboard.models import Activity
from recruitos.postgresql.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")

BODY = {"firstName": "Sarah", "lastName": "Johnson", "position": "Developer", "phone": "+1 555 0100"}


def prepared_statements(conn=connection) -> dict[str, str]:
    """The server's prepared statements of this connection: name -> SQL."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def kinds(statements: dict[str, str]) -> list[str]:
    """Which of the three each prepared statement is, sorted."""
    found = []
    for sql in statements.values():
        if sql.startswith("WITH new_parent AS (INSERT INTO"):
            found.append("create")
        elif '"authtoken_token"."key" = $1' in sql:
            found.append("key lookup")
        elif '"candidates_candidate"."id" = $1' in sql:
            found.append("read by id")
        else:
            found.append(sql)
    return sorted(found)


def exchange(client, n: int) -> None:
    for i in range(n):
        created = client.post("/api/candidates", {**BODY, "email": f"sarah{n}.{i}@example.com"})
        assert created.status_code == 201, created.content
        read = client.get(f"/api/candidates/{created.json()['id']}")
        assert read.status_code == 200
        assert read.json() == created.json()


@pytest.mark.django_db
def test_each_statement_is_prepared_once_and_then_reused(auth_client):
    exchange(auth_client, 2)
    first = prepared_statements()
    assert kinds(first) == ["create", "key lookup", "read by id"]

    exchange(auth_client, 5)
    assert prepared_statements() == first  # the same statements, none added


@pytest.mark.django_db(transaction=True)
def test_a_taken_email_is_refused_and_the_connection_keeps_working(auth_client):
    assert auth_client.post("/api/candidates", {**BODY, "email": "sarah@example.com"}).status_code == 201
    taken = auth_client.post("/api/candidates", {**BODY, "email": "SARAH@example.com"})
    assert taken.status_code == 400
    assert taken.json()["errors"] == [{"field": "email", "message": "A candidate with this email already exists."}]

    exchange(auth_client, 3)
    assert sorted(Candidate.objects.values_list("email", flat=True)) == [
        "sarah3.0@example.com",
        "sarah3.1@example.com",
        "sarah3.2@example.com",
        "sarah@example.com",
    ]
    assert Activity.objects.filter(event="applied").count() == 4


@pytest.mark.parametrize(
    "change", [{"OPTIONS": {"prepared_statements": False}}, {"CONN_MAX_AGE": 0}], ids=["switched off", "no reuse"]
)
@pytest.mark.django_db
def test_prepared_statements_can_be_turned_off(change):
    settings = {**connection.settings_dict, "OPTIONS": {**connection.settings_dict["OPTIONS"]}}
    settings["OPTIONS"].update(change.get("OPTIONS", {}))
    settings.update({k: v for k, v in change.items() if k != "OPTIONS"})
    off = DatabaseWrapper(settings)  # a second connection to the same database
    try:
        assert "prepared_statements" not in off.get_connection_params()
        assert off.get_connection_params()["prepare_threshold"] is None  # Django's default
        for _ in range(3):
            with off.prepared_cursor() as cursor:
                cursor.execute("SELECT %s::int + 1", [41])
                assert cursor.fetchone() == (42,)
        assert prepared_statements(off) == {}
    finally:
        off.close()


@pytest.fixture
def other_session():
    """A second session on the test database, as `manage.py migrate` run beside the workers."""
    params = {k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"}
    with psycopg.connect(**params, autocommit=True) as session:
        yield session


@pytest.mark.django_db(transaction=True)
def test_a_migration_changing_a_returned_column_does_not_break_prepared_reads(auth_client, other_session):
    created = auth_client.post("/api/candidates", {**BODY, "email": "sarah@example.com"}).json()
    path = f"/api/candidates/{created['id']}"
    assert auth_client.get(path).json() == created  # the read by id is now prepared
    assert "read by id" in kinds(prepared_statements())

    other_session.execute("ALTER TABLE candidates_candidate ALTER COLUMN position TYPE varchar(250)")
    try:
        for _ in range(2):  # each time: the stale statement fails, the read runs again unprepared
            read = auth_client.get(path)
            assert read.status_code == 200, read.content
            assert read.json() == created
        assert connection.close_at == 0  # the connection is replaced after the request
    finally:
        other_session.execute("ALTER TABLE candidates_candidate ALTER COLUMN position TYPE varchar(200)")
        connection.close()  # its statements are stale again
