"""Fixtures shared by every test: API clients with and without a key, and a user."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from rest_framework.test import APIClient

from recruitos import sql
from tests.factories import UserFactory, api_key_for


@pytest.fixture
def user(db):
    return UserFactory(username="recruiter")


@pytest.fixture
def api_key(user):
    return api_key_for(user)


@pytest.fixture
def api_client():
    """A client that sends no credentials."""
    return APIClient()


@pytest.fixture
def auth_client(api_key):
    """A client that sends a valid `Authorization: Bearer` key, and JSON bodies."""
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    client.default_format = "json"
    # A key in use: its first request writes its last use (then at most once a minute), so
    # the queries tests count are those of every later request.
    assert client.get("/api/me").status_code == 200
    return client


@pytest.fixture
def staff(db):
    """A superuser for the admin."""
    return UserFactory(username="admin")


@pytest.fixture
def admin_client(staff):
    """A browser-like client logged in to the admin as `staff`."""
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture(autouse=True)
def media_of_its_own(settings, tmp_path):
    """Files waiting for import jobs go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def subscriptions_read_afresh():
    """Each test starts with no subscriptions known to the process (its own are rolled back after it)."""
    from webhooks.known import forget

    forget()


@pytest.fixture(autouse=True)
def no_wrong_keys_counted():
    """Each test starts with no wrong API keys counted against its client's address."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def nothing_kept():
    """No SQL kept by recruitos.sql before or after the test."""
    sql._kept.clear()
    yield
    sql._kept.clear()


@pytest.fixture
def latest_migrations_after():
    """
    For tests that migrate one app back and forth: afterwards every app is at its latest
    migration again (going back unapplies later migrations of other apps that depend on it).
    """
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def queue(settings):
    """
    Jobs go to RQ on the tests' own Redis database, as they do where REDIS_URL is set; webhooks may
    go to loopback (WEBHOOK_ALLOW_PRIVATE_NETWORKS), where the tests' receiver listens.
    """
    from tests.workers import empty_redis

    url = empty_redis()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": settings.TASK_QUEUES}}
    settings.RQ_QUEUES = {name: {"URL": url, "DEFAULT_TIMEOUT": 3600} for name in settings.TASK_QUEUES}
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    return url


@pytest.fixture
def workers(queue, transactional_db):
    """Start `manage.py worker` processes on the test database and queue: `workers()`; stopped afterwards."""
    from tests.workers import Worker

    started = []

    def start(**environment):
        worker = Worker(queue, **environment).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def receiver():
    """A webhook receiver on loopback (tests.workers.Receiver)."""
    from tests.workers import Receiver

    receiver = Receiver()
    yield receiver
    receiver.stop()
