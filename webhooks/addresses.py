"""
Where webhooks may go: https URLs on public addresses only (no server-side request forgery).

Checked when a subscription is saved and again each time a delivery connects, on the addresses
the name resolves to then: the connection goes to an address that passed, never to a second
lookup's answer (DNS rebinding). `WEBHOOK_ALLOW_PRIVATE_NETWORKS` lets internal addresses and
plain http through, for development and tests only.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

NAT64 = ipaddress.ip_network("64:ff9b::/96")


class ForbiddenAddress(ValueError):
    """The URL may not be called: its scheme, its form or the address its host resolves to."""


def target(url: str) -> tuple[str, str, int, list[str]]:
    """(scheme, host, port, [addresses that may be connected to]) of `url`; ForbiddenAddress if none may."""
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ForbiddenAddress(f"not a valid URL: {exc}") from exc
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise ForbiddenAddress("the URL must start with https://")
    if parts.username is not None or parts.password is not None:
        raise ForbiddenAddress("the URL may not hold a user name or password")
    host = parts.hostname
    if not host:
        raise ForbiddenAddress("the URL has no host")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ForbiddenAddress(f"the host {host} cannot be resolved") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise ForbiddenAddress(f"the host {host} resolves to an internal address ({address})")
    return parts.scheme, host, port, addresses


def is_public(address: str) -> bool:
    """A globally routable unicast address: not loopback, private, link-local, shared, reserved or multicast."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64:  # 64:ff9b::/96 reaches the IPv4 address in its last 32 bits
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(str(embedded))
    return ip.is_global and not ip.is_multicast
