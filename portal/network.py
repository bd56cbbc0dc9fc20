"""The client's network identity as the portal sees it (after ProxyFix)."""
from __future__ import annotations

from ipaddress import IPv6Network, ip_address

from flask import request

IPV6_PREFIX = 64  # one customer's or one host's allocation: counted as one client


def client_ip() -> str:
    """The client address: the socket peer, or what `TRUSTED_PROXY_HOPS` proxies said.

    `ProxyFix` (installed by the factory with exactly `TRUSTED_PROXY_HOPS` hops)
    has already rewritten `remote_addr`, so an invented `X-Forwarded-For` from a
    client is ignored unless a proxy is trusted.
    """
    return request.remote_addr or "unknown"


def client_network(address: str | None) -> str:
    """What per-client limits count by: an IPv4 address itself, an IPv6 address by its
    /64 (one host may use any of its 2^64 addresses), anything else as it is."""
    try:
        parsed = ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
        return str(parsed.ipv4_mapped)
    return str(IPv6Network((parsed, IPV6_PREFIX), strict=False))


def counted_client() -> str:
    """The request's client as per-address limits count it (`client_network`)."""
    return client_network(client_ip())


def user_agent() -> str:
    return (request.user_agent.string or "")[:500]

