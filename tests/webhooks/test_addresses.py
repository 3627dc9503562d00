"""
Which addresses webhooks may reach (issue 33, item 2): the IANA special-purpose registries decide,
the same on every Python version (3.11's `is_global` took several of these for public).
"""

import pytest

from webhooks.addresses import is_public

REFUSED = [
    # IPv4: this network, private, shared, loopback, link-local, IETF assignments, documentation,
    # the 6to4 relay, benchmarking, multicast, reserved, broadcast
    "0.1.2.3", "10.0.0.1", "100.127.255.254", "127.255.0.1", "169.254.169.254", "172.31.0.1", "192.0.0.8",
    "192.0.0.170", "192.0.2.1", "192.88.99.1", "192.168.1.1", "198.19.0.1", "198.51.100.7", "203.0.113.9",
    "224.0.0.251", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    # IPv6: unspecified, loopback, IPv4-compatible, IPv4-translated, discard-only, local-use NAT64, the
    # well-known NAT64 of an internal address, IETF assignments (Teredo, benchmarking, ORCHID),
    # documentation, 6to4, segment routing, unique-local, site-local, link-local, multicast
    "::", "::1", "::7f00:1", "::a9fe:a9fe", "::ffff:127.0.0.1", "::ffff:0:7f00:1", "100::1", "64:ff9b:1::a9fe:a9fe",
    "64:ff9b::a9fe:a9fe", "64:ff9b::a00:1", "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:2::1",
    "2001:10::1", "2001:db8::1", "2002:7f00:1::1", "2002:5db8:d822::1", "3fff::1", "5f00::1", "fc00::1", "fd12::1",
    "fec0::1", "fe80::1%eth0", "ff02::1", "4000::1", "::ffff:93.184.216.34",
]  # fmt: skip
ALLOWED = [
    "93.184.216.34", "8.8.8.8", "1.1.1.1", "192.0.0.9", "192.31.196.1", "192.175.48.1", "223.255.255.1",
    "2606:2800:220:1:248:1893:25c8:1946", "2a00:1450:4001:80b::200e", "64:ff9b::5db8:d822", "2001:4:112::1",
    "2001:1::1", "2620:4f:8000::1",
]  # fmt: skip


@pytest.mark.parametrize("address", REFUSED)
def test_addresses_not_globally_reachable_are_refused(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ALLOWED)
def test_globally_reachable_unicast_addresses_are_allowed(address):
    assert is_public(address)
