"""
Faults: the database goes away under a running gunicorn and comes back.

A TCP proxy between the app and PostgreSQL lets the test cut the database off (connections
refused), black-hole it (connections accepted, nothing answered), and restore it, without
touching the machine's PostgreSQL. The app is a real gunicorn process on the test database.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from candidates.models import Candidate

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the fault test runs PostgreSQL behind a proxy"
)
CONNECT_TIMEOUT = 2


class DatabaseProxy:
    """Forward TCP to PostgreSQL; `cut()` refuses connections, `black_hole()` swallows them."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.mode = "forward"
        self.sockets = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.sockets.append(client)
            if self.mode == "cut":
                client.close()
            elif self.mode == "forward":
                server = socket.create_connection(self.upstream)
                self.sockets.append(server)
                for source, target in ((client, server), (server, client)):
                    threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                end.close()

    def _drop_all(self):
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()

    def cut(self):
        self.mode = "cut"
        self._drop_all()

    def black_hole(self):
        self.mode = "hole"
        self._drop_all()

    def restore(self):
        self.mode = "forward"

    def close(self):
        self.listener.close()
        self._drop_all()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def app(transactional_db):
    db = settings.DATABASES["default"]
    proxy = DatabaseProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0", "HTTPS": "0", "SECRET_KEY": "fault-test-" + "x" * 50, "LOG_FORMAT": "plain",
        "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}",
        "DB_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT), "DB_STATEMENT_TIMEOUT_MS": "3000",
        "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2", "GUNICORN_TIMEOUT": "20", "BIND": f"127.0.0.1:{port}",
        "API_THROTTLE_RATE": "none",
    }  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "recruitos.wsgi"],
        cwd=Path(settings.BASE_DIR), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if request(base, "GET", "/api/health")[0] == 200:
                break
            time.sleep(0.1)
        yield base, proxy
    finally:
        server.terminate()
        server.wait(timeout=20)
        proxy.close()


def request(base, method, path, body=None, key=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if key:
        req.add_header("Authorization", f"Bearer {key}")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, headers, content = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, content = error.code, error.headers, error.read()
    except OSError:
        return None, None, None, time.monotonic() - started
    return status, headers, content, time.monotonic() - started


@pytest.fixture
def key(transactional_db):
    from tests.factories import UserFactory, api_key_for

    return api_key_for(UserFactory(username="ops"))


NEW = {"firstName": "Sarah", "lastName": "Johnson", "position": "Dev"}


@pytest.mark.parametrize("failure", ["cut", "black_hole"])
def test_the_database_going_away_gives_json_503_fast_and_service_resumes(app, key, failure):
    base, proxy = app
    assert request(base, "POST", "/api/candidates", {**NEW, "email": "before@example.com"}, key)[0] == 201

    getattr(proxy, failure)()
    for method, path, body in [
        ("GET", "/api/candidates", None),
        ("POST", "/api/candidates", {**NEW, "email": "during@example.com"}),
    ]:
        status, headers, content, took = request(base, method, path, body, key)
        assert status == 503, (method, path, status, content)
        assert headers["Content-Type"] == "application/json"
        assert json.loads(content)["detail"].startswith("Service unavailable")
        assert took < CONNECT_TIMEOUT * 2 + 3
    status, _, content, took = request(base, "GET", "/api/health")
    assert (status, json.loads(content)) == (503, {"status": "unavailable", "database": "unavailable"})

    proxy.restore()
    assert request(base, "GET", "/api/health")[0] == 200
    assert request(base, "POST", "/api/candidates", {**NEW, "email": "after@example.com"}, key)[0] == 201
    assert sorted(Candidate.objects.values_list("email", flat=True)) == ["after@example.com", "before@example.com"]
