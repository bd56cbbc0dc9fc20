"""The client's network identity as the portal sees it (after ProxyFix)."""
from flask import request


def client_ip() -> str:
    """The client address: the socket peer, or what `TRUSTED_PROXY_HOPS` proxies said.

    `ProxyFix` (installed by the factory with exactly `TRUSTED_PROXY_HOPS` hops)
    has already rewritten `remote_addr`, so an invented `X-Forwarded-For` from a
    client is ignored unless a proxy is trusted.
    """
    return request.remote_addr or "unknown"


def user_agent() -> str:
    return (request.user_agent.string or "")[:500]

