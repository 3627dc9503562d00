"""
Prepared statements on PostgreSQL, as Django and psycopg offer them (`server_side_binding`,
`prepare_threshold`): what every request runs (the key lookup, the read by id, a create's
insert) is parsed and planned by the server once per connection, then only executed.
"""

import json
import os
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper

from candidates.models import Candidate
from dashboard.models import Activity

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")

BODY = {"firstName": "Sarah", "lastName": "Johnson", "position": "Developer", "phone": "+1 555 0100"}
PREPARED_AFTER = settings.DATABASES["default"]["OPTIONS"].get("prepare_threshold", 0)


def prepared_statements(conn=connection) -> dict[str, str]:
    """The server's prepared statements of this connection: name -> SQL."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def kinds(statements: dict[str, str]) -> set[str]:
    """Which of the statements every request runs are among these prepared statements."""
    found = set()
    for sql in statements.values():
        if sql.startswith('WITH new_parent AS (INSERT INTO "candidates_candidate"'):
            found.add("create")
        elif '"accounts_apikey"."prefix" = $1' in sql:
            found.add("key lookup")
        elif sql.startswith("SELECT") and '"candidates_candidate"."id" = $1' in sql and "FOR UPDATE" not in sql:
            found.add("read by id")
    return found


def exchange(client, n: int) -> None:
    for i in range(n):
        created = client.post("/api/candidates", {**BODY, "email": f"sarah{n}.{i}@example.com"})
        assert created.status_code == 201, created.content
        read = client.get(f"/api/candidates/{created.json()['id']}")
        assert read.status_code == 200
        assert read.json() == created.json()


@pytest.mark.django_db
def test_each_statement_is_prepared_once_and_then_reused(auth_client):
    exchange(auth_client, PREPARED_AFTER + 1)
    first = prepared_statements()
    assert kinds(first) == {"create", "key lookup", "read by id"}

    exchange(auth_client, 5)
    assert {name: sql for name, sql in prepared_statements().items() if name in first} == first  # reused as they were


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


def database_options(**environment) -> dict:
    """The default database's OPTIONS as the settings make them in a process with this environment."""
    code = "from django.conf import settings; import json; print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "recruitos.settings_test", **environment}
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "environment", [{"DB_PREPARED_STATEMENTS": "0"}, {"CONN_MAX_AGE": "0"}], ids=["switched off", "no reuse"]
)
@pytest.mark.django_db
def test_prepared_statements_can_be_turned_off(environment):
    assert database_options()["server_side_binding"] is True
    options = database_options(**environment)
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options  # Django's default: psycopg prepares nothing
    off = DatabaseWrapper({**connection.settings_dict, "OPTIONS": options})  # a second connection, those settings
    try:
        for _ in range(PREPARED_AFTER + 2):
            with off.cursor() as cursor:
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
    for _ in range(PREPARED_AFTER + 1):
        assert auth_client.get(path).json() == created
    assert "read by id" in kinds(prepared_statements())  # now prepared

    other_session.execute("ALTER TABLE candidates_candidate ALTER COLUMN position TYPE varchar(250)")
    try:
        for _ in range(PREPARED_AFTER + 2):  # the stale statement fails once and is forgotten; then prepared anew
            read = auth_client.get(path)
            assert read.status_code == 200, read.content
            assert read.json() == created
        assert "read by id" in kinds(prepared_statements())
    finally:
        other_session.execute("ALTER TABLE candidates_candidate ALTER COLUMN position TYPE varchar(200)")
        connection.close()  # its statements are stale again
