"""
Real parts for the background-job tests: a webhook receiver on loopback, a Redis database of
their own, and `manage.py worker` processes working on the test database.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
#: A Redis database of the tests' own, emptied before each test that uses it.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


class Receiver:
    """
    An HTTP server on 127.0.0.1 that takes webhook deliveries: it keeps each request's headers and
    body, and answers `status` (a number, or a function of the request number), after `delay` seconds.
    `stop()` closes its port (connections are refused); `start()` opens the same port again.
    """

    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.status = 204
        self.delay = 0.0
        self.answer = b""
        self.port = 0
        self._server = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/recruitos"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                number = len(receiver.requests)
                receiver.requests.append((dict(self.headers.items()), body))
                time.sleep(receiver.delay)
                status = receiver.status(number) if callable(receiver.status) else receiver.status
                self.send_response(status)
                if status in (301, 302, 307, 308):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", str(len(receiver.answer)))
                self.end_headers()
                self.wfile.write(receiver.answer)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _, body in self.requests]

    def wait_for(self, count: int, timeout: float = 60) -> list[dict]:
        """The bodies, once at least `count` requests have come (AssertionError after `timeout`)."""
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            assert time.monotonic() < deadline, f"{len(self.requests)} of {count} deliveries came in {timeout} s"
            time.sleep(0.05)
        return self.bodies()


def test_database_url() -> str:
    """The test database, as DATABASE_URL names it, for a worker process."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    user, host, port = config["USER"] or "postgres", config["HOST"] or "127.0.0.1", config["PORT"] or 5432
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{config['NAME']}"


class Worker:
    """`manage.py worker` in a process of its own (and its process group), on the test database and Redis."""

    def __init__(self, redis_url: str, **environment):
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "recruitos.settings",
            "SECRET_KEY": "worker-test-secret-key",
            "DEBUG": "0",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "LOG_LEVEL": "WARNING",
            "LOG_FORMAT": "plain",
            "JOB_SWEEP_SECONDS": "0.5",
            "JOB_LEASE_SECONDS": "3",
            "WEBHOOK_RETRY_WAITS": "1,1,1,1,1,1,1,1,1,1",
            "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "1",
            **environment,
        }
        self.process = None

    def start(self) -> "Worker":
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--verbosity", "0"],
            cwd=ROOT,
            env=self.environment,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """SIGKILL: the worker dies where it stands, in the middle of a job if it has one."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def empty_redis() -> str:
    """The tests' Redis database, emptied; a clear failure when Redis is not running."""
    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        client.flushdb()
    except redis.ConnectionError as exc:
        raise AssertionError(f"these tests need Redis at {TEST_REDIS_URL} (as CI starts it): {exc}") from exc
    return TEST_REDIS_URL


def wait_until(condition, timeout: float = 60, every: float = 0.1, message: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{message} did not hold within {timeout} s"
        time.sleep(every)


class Trickler:
    """
    A receiver on 127.0.0.1 that answers too slowly, one way of `mode`:
    - "headers": the status line, then a byte of headers every `every` seconds, never ending;
    - "body": 200 with `Content-Length: 100000`, then a byte of the body every `every` seconds;
    - "silent": reads the request and never answers;
    - "flood": 200 with a 10 MB body sent as fast as the socket takes it.
    Each request is kept as (webhook-id, start, end): end is when the sender let go of the connection.
    """

    def __init__(self, mode: str, every: float = 0.5):
        import socket

        self.mode, self.every = mode, every
        self.requests: list[list] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/slow"

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection) -> None:
        with connection:
            request = self._read_request(connection)
            if request is None:
                return
            entry = [request, time.monotonic(), None]
            self.requests.append(entry)
            with contextlib.suppress(OSError):  # the sender cut it off
                self._answer(connection)
            entry[2] = time.monotonic()

    @staticmethod
    def _read_request(connection) -> str | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode("latin-1").split("\r\n")[1:] if ": " in line)
        length = int(headers.get("Content-Length", 0))
        while len(body) < length:
            chunk = connection.recv(65536)
            if not chunk:
                return None
            body += chunk
        return headers.get("webhook-id", "")

    def _answer(self, connection) -> None:
        if self.mode == "silent":
            while connection.recv(1):  # until the sender lets go
                pass
        elif self.mode == "headers":
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            while not self._stopped.wait(self.every):
                connection.sendall(b"X")
        elif self.mode == "body":
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
            while not self._stopped.wait(self.every):
                connection.sendall(b"y")
        elif self.mode == "flood":
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n")
            for _ in range(1000):
                connection.sendall(b"z" * 10_000)

    def stop(self) -> None:
        self._stopped.set()
        self._server.close()
