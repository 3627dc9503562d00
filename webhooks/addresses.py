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


def _networks(*prefixes: str) -> tuple:
    return tuple(ipaddress.ip_network(prefix) for prefix in prefixes)


# The IANA special-purpose address registries (iana-ipv4-special-registry, iana-ipv6-special-registry,
# as of 2025), written out: Python's `is_global` follows them only from 3.13, and differently in
# each release before. An address is public when it lies in none of the blocks marked not globally
# reachable, unless a block marked reachable inside one holds it; for IPv6 it must also be global
# unicast (2000::/3, IANA's IPv6 address space): the rest is reserved, site-local (fec0::/10),
# IPv4-compatible (::/96) or local-use translation (64:ff9b:1::/48), all refused. IPv4 multicast
# (224.0.0.0/4, not in the registry) is refused too: a webhook is one receiver.
NOT_GLOBAL_V4 = _networks(
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
)  # fmt: skip
GLOBAL_V4 = _networks("192.0.0.9/32", "192.0.0.10/32")  # PCP and TURN anycast, inside 192.0.0.0/24
GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")
NOT_GLOBAL_V6 = _networks(  # and 6to4 (2002::/16: its relays are deprecated, RFC 7526), whose reach is "N/A"
    "2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20", "5f00::/16",
)  # fmt: skip
GLOBAL_V6 = _networks(  # inside 2001::/23
    "2001:1::1/128", "2001:1::2/128", "2001:1::3/128", "2001:3::/32", "2001:4:112::/48", "2001:20::/28",
    "2001:30::/28",
)  # fmt: skip
#: The well-known NAT64 prefix: globally reachable, to the IPv4 address in its last 32 bits.
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
    port = (443 if parts.scheme == "https" else 80) if port is None else port
    if not allowed_port(port):
        allowed = ", ".join(map(str, settings.WEBHOOK_ALLOWED_PORTS))
        raise ForbiddenAddress(f"the port {port} is not one webhooks may use ({allowed}: WEBHOOK_ALLOWED_PORTS)")
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
    """A globally reachable unicast address, by the IANA registries (above), the same on every Python."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in NAT64:
            return is_public(str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
        return ip in GLOBAL_UNICAST_V6 and (
            not any(ip in network for network in NOT_GLOBAL_V6) or any(ip in network for network in GLOBAL_V6)
        )
    return not any(ip in network for network in NOT_GLOBAL_V4) or any(ip in network for network in GLOBAL_V4)


def allowed_port(port: int) -> bool:
    """Whether a webhook may go to `port`: 443 unless WEBHOOK_ALLOWED_PORTS lists others (any, for private networks)."""
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        return 0 < port < 65536
    return port in settings.WEBHOOK_ALLOWED_PORTS
