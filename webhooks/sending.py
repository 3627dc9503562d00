"""
One HTTP attempt of one delivery: a POST of the stored body, signed per Standard Webhooks, to an
address checked at connect time (`webhooks.addresses`), with no redirects, within a hard deadline.

WEBHOOK_TIMEOUT_SECONDS bounds the whole exchange, not each socket operation: a receiver that
trickles its headers or its body one byte at a time is cut off there (a watchdog shuts the socket
down, which ends any read in progress). Of the answer, its status and at most EXCERPT bytes are
read; the rest is never drained: a connection whose answer was not read to its end is closed
rather than kept for the next delivery.
"""

import http.client
import socket
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime

import urllib3
from django.conf import settings
from standardwebhooks.webhooks import Webhook

from recruitos.text import escaped
from webhooks.addresses import ForbiddenAddress, target

#: The most of a receiver's answer that is read and kept.
EXCERPT = 500
USER_AGENT = "RecruitOS-Webhooks/1.0"


@dataclass
class Outcome:
    status_code: int | None = None
    error: str = ""
    excerpt: str = ""
    duration_ms: int = 0

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Watchdog:
    """Shuts a connection's socket down once the deadline passes; whatever read or write is under way ends."""

    def __init__(self, connection, seconds: float):
        self.connection, self.fired = connection, threading.Event()
        self.timer = threading.Timer(seconds, self._cut)
        self.timer.daemon = True

    def _cut(self) -> None:
        self.fired.set()
        sock = self.connection.sock
        if sock is not None:
            with suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.cancel()
        self.timer.join()  # a cut under way ends before the connection is used again


#: How long a connection is kept alive unused; after that the URL's address is looked up and checked again.
KEEP_SECONDS = 30


class Sender:
    """
    Sends to many URLs, one kept-alive connection per checked URL, while its answers are read to
    their end and for at most KEEP_SECONDS unused.
    """

    def __init__(self):
        self._connections: dict[str, tuple[urllib3.connection.HTTPConnection, str, str]] = {}
        self._used: dict[str, float] = {}

    def send(self, url: str, secret: str, message_id: str, body: str) -> Outcome:
        started = time.monotonic()
        outcome = self._send(url, secret, message_id, body)
        outcome.duration_ms = round((time.monotonic() - started) * 1000)
        return outcome

    def _send(self, url, secret, message_id, body) -> Outcome:
        try:
            connection, path, host = self._connection(url)
        except ForbiddenAddress as exc:
            return Outcome(error=f"refused: {exc}"[:255])
        now = datetime.now(UTC)
        headers = {
            "Host": host,
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "webhook-id": message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": Webhook(secret).sign(message_id, now, body),
        }
        seconds = settings.WEBHOOK_TIMEOUT_SECONDS
        status, excerpt, ended = None, b"", False
        with Watchdog(connection, seconds) as watchdog:
            try:
                if not connection.is_connected:  # never connected, or closed by the receiver since
                    connection.close()
                    connection.connect()
                if watchdog.fired.is_set():  # the deadline passed while connecting
                    raise TimeoutError
                connection.request("POST", path, body=body.encode(), headers=headers, preload_content=False)
                response = connection.getresponse()
                if watchdog.fired.is_set():  # the headers were cut off: no answer came
                    raise TimeoutError
                status = response.status
                while len(excerpt) < EXCERPT:
                    chunk = response.read1(EXCERPT - len(excerpt))
                    if not chunk:
                        ended = True
                        break
                    excerpt += chunk
            except (OSError, urllib3.exceptions.HTTPError, http.client.HTTPException) as exc:
                error = exc
            else:
                error = None
        if watchdog.fired.is_set() or error is not None or not ended:
            self._drop(url)  # never drained: a connection whose answer is not read to its end is not kept
        text = escaped(excerpt.decode("utf-8", "replace"), multiline=True)[:EXCERPT]  # the receiver's text, by the rule
        if status is not None:
            return Outcome(status_code=status, excerpt=text)  # the answer came, whatever its body did after
        if watchdog.fired.is_set() or isinstance(error, TimeoutError | socket.timeout):
            return Outcome(error=f"timed out after {seconds:g} s")
        return Outcome(error=_reason(error))

    def _connection(self, url: str):
        now = time.monotonic()
        for idle in [kept for kept, used in self._used.items() if now - used > KEEP_SECONDS]:
            self._drop(idle)  # closed, and its address looked up again when next used
        if url not in self._connections:
            scheme, host, port, addresses = target(url)  # ForbiddenAddress: nothing is sent
            seconds = settings.WEBHOOK_TIMEOUT_SECONDS
            if scheme == "https":
                # Connected to the checked address; the certificate and SNI are the host's.
                connection = urllib3.connection.HTTPSConnection(
                    addresses[0], port, timeout=seconds, server_hostname=host, assert_hostname=host,
                    cert_reqs="CERT_REQUIRED",
                )  # fmt: skip
            else:
                connection = urllib3.connection.HTTPConnection(addresses[0], port, timeout=seconds)
            parts = urllib3.util.parse_url(url)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            self._connections[url] = (connection, path, _host_header(host, port, 443 if scheme == "https" else 80))
        self._used[url] = now
        return self._connections[url]

    def _drop(self, url: str) -> None:
        self._used.pop(url, None)
        connection, _, _ = self._connections.pop(url, (None, None, None))
        if connection is not None:
            connection.close()

    def close(self) -> None:
        for url in list(self._connections):
            self._drop(url)


def _host_header(host: str, port: int, default: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port == default else f"{shown}:{port}"


def _reason(exc: Exception) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    reason = getattr(exc, "reason", None) or exc
    text = str(reason) or type(exc).__name__
    if "Connection refused" in text:
        return "connection refused"
    return escaped(text)[:255]
