"""The upgrade from DRF's plain-text tokens: every key keeps working, and no copy of one is left."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from accounts.models import ApiKey
from tests.dump import every_table
from tests.factories import UserFactory

BEFORE, AFTER = ("accounts", "0001_initial"), ("accounts", "0002_carry_over_plain_text_tokens")
OLD_KEYS = ["9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b", "0123456789abcdef0123456789abcdef01234567"]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_migrations_after")
def test_plain_text_tokens_are_carried_over_hashed_and_their_table_dropped():
    migrate(BEFORE)
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    with connection.cursor() as cursor:
        # DRF authtoken's table, as its migrations made it.
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) NOT NULL PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id integer NOT NULL UNIQUE)"
        )
        for key, user in zip(OLD_KEYS, (alice, bob), strict=True):
            cursor.execute(
                "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, '2025-01-02 03:04:05+00', %s)",
                [key, user.pk],
            )
    # The admin's log named the key when it was added there.
    token_type = ContentType.objects.create(app_label="authtoken", model="tokenproxy")
    LogEntry.objects.create(
        user=alice, content_type=token_type, object_id=alice.pk, object_repr=OLD_KEYS[0], action_flag=ADDITION
    )

    migrate(AFTER)

    assert "authtoken_token" not in connection.introspection.table_names()
    assert not ContentType.objects.filter(app_label="authtoken").exists()
    for key, user in zip(OLD_KEYS, (alice, bob), strict=True):
        response = APIClient(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/me")
        assert response.status_code == 200
        assert response.json()["username"] == user.username
    carried = ApiKey.objects.get(user=alice)
    assert (carried.prefix, carried.name, carried.created.year) == (OLD_KEYS[0][:8], "Key made before hashing", 2025)
    dump = every_table()
    assert not any(key in dump for key in OLD_KEYS)
    # A key that only shares the prefix is still refused.
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {OLD_KEYS[0][:8]}{'0' * 32}").get("/api/me").status_code == 401


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_migrations_after")
def test_a_database_that_never_had_tokens_upgrades_as_it_is():
    migrate(BEFORE)
    migrate(AFTER)
    assert not ApiKey.objects.exists()
