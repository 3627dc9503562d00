"""
The real servers, on a database of their own: gunicorn as `make serve` runs it, and Django's
`runserver` as `make run` does. What only a real server shows: bodies sent in chunks.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

PROJECT = Path(settings.BASE_DIR)
NEW = {"firstName": "Sarah", "lastName": "Johnson", "email": "sarah@example.com", "position": "Developer"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """A migrated SQLite database with a superuser's key, and the environment that serves it."""
    folder = tmp_path_factory.mktemp("servers")
    env = {
        "PATH": os.environ["PATH"], "DEBUG": "0", "HTTPS": "0", "SECRET_KEY": uuid.uuid4().hex * 2,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "ALLOWED_HOSTS": "127.0.0.1", "WEB_CONCURRENCY": "1",
        "API_THROTTLE_RATE": "none", "LOG_LEVEL": "WARNING",
    }  # fmt: skip
    run = lambda *args: subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, env=env, check=True,  # noqa: E731
                                       capture_output=True, text=True, timeout=120).stdout  # fmt: skip
    run("migrate", "--no-input")
    key = re.search(r"API key: (\S+)", run("create_demo_user")).group(1)
    return env, key


def serve(command: list[str], env: dict, port: int, log):
    process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError(f"{command} did not start")


@pytest.fixture(scope="module", params=["gunicorn", "runserver"])
def server(request, environment, tmp_path_factory):
    """(name, port, key, the file of everything it prints), logging every request as `make run` does."""
    env, key = environment
    env = {**env, "LOG_LEVEL": "INFO", "LOG_FORMAT": "plain", "PYTHONUNBUFFERED": "1"}
    port = free_port()
    output = tmp_path_factory.mktemp(request.param) / "output.log"
    with output.open("wb") as log:
        if request.param == "gunicorn":
            command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "recruitos.wsgi"]
            process = serve(command, {**env, "BIND": f"127.0.0.1:{port}"}, port, log)
        else:
            command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
            process = serve(command, env, port, log)
        yield request.param, port, key, output
        process.terminate()
        process.wait(timeout=10)


def raw(port: int, request: bytes) -> tuple[int, dict, bytes]:
    """Send bytes as they are; the status, headers and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


def chunked(method: str, path: str, key: str, body: bytes, sizes=(7, 5, 1000)) -> bytes:
    parts, rest = [], body
    for size in sizes:
        if rest:
            parts.append(f"{len(rest[:size]):x}\r\n".encode() + rest[:size] + b"\r\n")
            rest = rest[size:]
    if rest:
        parts.append(f"{len(rest):x}\r\n".encode() + rest + b"\r\n")
    return (
        (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        ).encode()
        + b"".join(parts)
        + b"0\r\n\r\n"
    )


def plain(method: str, path: str, key: str, body: bytes = b"") -> bytes:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


def test_a_chunked_body_is_read_or_refused_never_ignored(server):
    name, port, key, _ = server
    email = f"{name}@example.com"
    status, _, body = raw(port, chunked("POST", "/api/candidates", key, json.dumps(NEW | {"email": email}).encode()))
    if name == "runserver":
        # Django's development server cannot decode chunks: it says so, and nothing is stored.
        assert (status, json.loads(body)) == (411, {"detail": "Send the body with a Content-Length header."})
        status, _, body = raw(port, plain("GET", f"/api/candidates?search={name}", key))
        assert json.loads(body) == []
        return
    assert status == 201, body
    created = json.loads(body)
    assert created["email"] == email
    # A chunked PUT changes the record, in several chunk sizes.
    for sizes in [(1, 1, 1), (3,), (4096,)]:
        update = json.dumps({"notes": f"chunks {sizes}"}).encode()
        status, _, body = raw(port, chunked("PUT", f"/api/candidates/{created['id']}", key, update, sizes))
        assert status == 200
        assert json.loads(body)["notes"] == f"chunks {sizes}"
    _, _, body = raw(port, plain("GET", f"/api/candidates/{created['id']}", key))
    assert json.loads(body)["notes"] == "chunks (4096,)"


def test_a_chunked_body_over_the_limit_is_refused(server):
    name, port, key, _ = server
    huge = json.dumps(NEW | {"notes": "x" * 1_100_000}).encode()
    status, _, body = raw(port, chunked("POST", "/api/candidates", key, huge, sizes=(65536,) * 20))
    expected = (
        (413, "The body is over 1048576 bytes.")
        if name == "gunicorn"
        else (411, "Send the body with a Content-Length header.")
    )
    assert (status, json.loads(body)["detail"]) == expected
    status, _, body = raw(port, plain("GET", "/api/candidates?search=sarah", key))
    assert [c["notes"] for c in json.loads(body) if c["notes"] and c["notes"].startswith("xxx")] == []


def test_what_the_servers_print_holds_no_query_string_key_or_forged_line(server):
    _name, port, key, output = server
    raw(port, plain("GET", "/api/candidates?search=s3cr3t-term&limit=5", key))
    raw(port, plain("GET", "/api/candidates%0A2026-11-29 INFO forged", key))
    time.sleep(0.5)  # let the server write its lines
    text = output.read_text()
    assert "GET /api/candidates 200" in text  # the request line is there, without its query string
    assert "s3cr3t-term" not in text
    assert key not in text
    assert not [line for line in text.splitlines() if line.startswith("2026-11-29 INFO forged")]


def test_what_gunicorn_says_at_start_is_true(server):
    name, port, _, output = server
    text = output.read_text()
    if name == "runserver":
        # Django 5.2 says "development server", 6.x "WSGI development server".
        assert re.search(rf"Starting (WSGI )?development server at http://127\.0\.0\.1:{port}/", text)
        return
    assert f"Listening at: http://127.0.0.1:{port} (a socket per worker)" in text
    assert "ontrol socket" not in text  # no control socket shared with every other gunicorn here
