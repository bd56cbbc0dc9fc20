"""Rate limiting of the slots endpoint (slots-api.md "Rate limiting").

- `SLOTS_RATE_LIMIT` per client IP (`portal.network.client_ip`, i.e. after ProxyFix
  with exactly `TRUSTED_PROXY_HOPS`), moving window, storage `RATELIMIT_STORAGE_URI`.
- A breach answers 429 JSON with `Retry-After` = seconds until the oldest hit in the
  window expires, and records a `rate_limit_exceeded` security event — sampled: at
  most once per client per window length, per process.
- Storage down: Flask-Limiter (`RATELIMIT_SWALLOW_ERRORS`) lets the request through
  (fail open); the view then notices no limit was evaluated and records a
  `limiter_storage_down` security event, at most once a minute per process (app).
"""
from __future__ import annotations

import logging
import math
import threading
import time

from flask import Flask, current_app, request

from portal.auth.identity import current_actor
from portal.errors import error_response
from portal.extensions import limiter
from portal.network import client_ip
from portal.services.security import record_security_event

STATE_KEY = "portal_rate_limit"
STORAGE_DOWN_EVERY_SECONDS = 60.0
MAX_TRACKED_CLIENTS = 10_000
logger = logging.getLogger(__name__)


class _State:
    """Per-app bookkeeping for the sampled security events."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.breach_logged: dict[str, float] = {}  # client ip -> monotonic time logged
        self.storage_down_logged: float | None = None


def init_app(app: Flask) -> None:
    app.extensions[STATE_KEY] = _State()


def slots_limit() -> str:
    return str(current_app.config["SLOTS_RATE_LIMIT"])


def _state() -> _State:
    state = current_app.extensions.get(STATE_KEY)
    if state is None:  # app built without init_app (defensive)
        state = current_app.extensions[STATE_KEY] = _State()
    return state


def on_slots_breach(request_limit) -> object:
    """Flask-Limiter `on_breach` callback: the 429 answer, and the sampled event."""
    window = float(request_limit.limit.get_expiry())
    try:
        # window[0]: when the oldest hit in the moving window expires (epoch seconds)
        retry_after = max(1, math.ceil(float(request_limit.window[0]) - time.time()))
    except Exception:  # storage hiccup while reading the window: fall back to its length
        retry_after = max(1, int(window))
    if _should_log_breach(client_ip(), window):
        record_security_event(
            current_actor(), "rate_limit_exceeded", path=request.path, limit=str(request_limit.limit),
        )
    return error_response(
        429, "Too many requests. Please wait and try again.", retry_after=retry_after
    )


def _should_log_breach(client: str, window_seconds: float) -> bool:
    state = _state()
    now = time.monotonic()
    with state.lock:
        last = state.breach_logged.get(client)
        if last is not None and now - last < window_seconds:
            return False
        if len(state.breach_logged) >= MAX_TRACKED_CLIENTS:
            cutoff = now - window_seconds
            state.breach_logged = {k: v for k, v in state.breach_logged.items() if v >= cutoff}
            if len(state.breach_logged) >= MAX_TRACKED_CLIENTS:
                state.breach_logged.clear()
        state.breach_logged[client] = now
        return True


def note_storage_state() -> None:
    """Call from a rate-limited view: if the limiter could not reach its storage.

    With `RATELIMIT_SWALLOW_ERRORS` Flask-Limiter lets the request through when the
    storage fails, and then has evaluated no limit for it (`current_limits` stays
    empty although the view is limited). That is recorded as `limiter_storage_down`,
    at most once a minute per process (app).
    """
    if not limiter.enabled or limiter.current_limits:
        return
    state = _state()
    now = time.monotonic()
    with state.lock:
        last = state.storage_down_logged
        if last is not None and now - last < STORAGE_DOWN_EVERY_SECONDS:
            return
        state.storage_down_logged = now
    logger.error("rate limit storage unreachable: answering without a limit (fail open)")
    record_security_event(
        current_actor(), "limiter_storage_down", severity="critical", path=request.path,
        storage=str(current_app.config.get("RATELIMIT_STORAGE_URI", "")).split("://", 1)[0],
    )
