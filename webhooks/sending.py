"""
One HTTP attempt of one delivery: a POST of the stored body, signed per Standard Webhooks, to an
address checked at connect time (`webhooks.addresses`), with a 5 s timeout and no redirects.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import urllib3
from django.conf import settings
from standardwebhooks.webhooks import Webhook

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


class Sender:
    """Sends to many URLs, one pool of kept-alive connections per checked (URL, address)."""

    def __init__(self):
        self._pools: dict[str, tuple[urllib3.HTTPConnectionPool, str, str]] = {}

    def send(self, url: str, secret: str, message_id: str, body: str) -> Outcome:
        started = time.monotonic()
        outcome = self._send(url, secret, message_id, body)
        outcome.duration_ms = round((time.monotonic() - started) * 1000)
        return outcome

    def _send(self, url, secret, message_id, body) -> Outcome:
        try:
            pool, path, host = self._pool(url)
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
        try:
            response = pool.urlopen(
                "POST", path, body=body.encode(), headers=headers, redirect=False, retries=False,
                preload_content=False, assert_same_host=False,
            )  # fmt: skip
        except urllib3.exceptions.NewConnectionError as exc:  # before TimeoutError, its base class in urllib3 2
            self._pools.pop(url, None)
            return Outcome(error=_reason(exc))
        except urllib3.exceptions.TimeoutError:
            self._pools.pop(url, None)
            return Outcome(error=f"timed out after {settings.WEBHOOK_TIMEOUT_SECONDS:g} s")
        except urllib3.exceptions.HTTPError as exc:
            self._pools.pop(url, None)
            return Outcome(error=_reason(exc))
        try:
            excerpt = response.read(EXCERPT, decode_content=True).decode("utf-8", "replace")
        except urllib3.exceptions.HTTPError:
            excerpt = ""
        response.drain_conn()
        response.release_conn()
        return Outcome(status_code=response.status, excerpt=excerpt)

    def _pool(self, url: str):
        if url not in self._pools:
            scheme, host, port, addresses = target(url)  # ForbiddenAddress: nothing is sent
            timeout = urllib3.Timeout(total=settings.WEBHOOK_TIMEOUT_SECONDS)
            if scheme == "https":
                # Connected to the checked address; the certificate and SNI are the host's.
                pool = urllib3.HTTPSConnectionPool(
                    addresses[0], port, timeout=timeout, maxsize=1, server_hostname=host, assert_hostname=host
                )
            else:
                pool = urllib3.HTTPConnectionPool(addresses[0], port, timeout=timeout, maxsize=1)
            parts = urllib3.util.parse_url(url)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            self._pools[url] = (pool, path, _host_header(host, port, 443 if scheme == "https" else 80))
        return self._pools[url]

    def close(self) -> None:
        for pool, _, _ in self._pools.values():
            pool.close()
        self._pools.clear()


def _host_header(host: str, port: int, default: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port == default else f"{shown}:{port}"


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    text = str(reason)
    if "Connection refused" in text:
        return "connection refused"
    return text[:255]
