"""Rate limiting of the slots endpoint (slots-api.md "Rate limiting").

- `SLOTS_RATE_LIMIT` per client IP (`portal.network.client_ip`, i.e. after ProxyFix
  with exactly `TRUSTED_PROXY_HOPS`), moving window, storage `RATELIMIT_STORAGE_URI`.
- A breach answers 429 JSON with `Retry-After` = seconds until the oldest hit in the
  window expires, and records a `rate_limit_exceeded` security event — sampled
  (`record_sampled_security_event`: one row per client IP per minute, with `repeats`).
- Storage down: Flask-Limiter (`RATELIMIT_SWALLOW_ERRORS`) lets the request through
  (fail open); the view then notices no limit was evaluated and records a
  `limiter_storage_down` security event, at most once a minute per process (app;
  the same record as sign-in's fallback, `portal.throttle`).
"""
from __future__ import annotations

import logging
import math
import time

from flask import Flask, current_app, request

from portal import throttle
from portal.auth.identity import current_actor
from portal.errors import error_response
from portal.extensions import limiter
from portal.services.security import record_sampled_security_event, record_security_event

logger = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    throttle.init_app(app, on_storage_down=record_storage_down)


def record_storage_down() -> None:
    """The `limiter_storage_down` security event (at most once a minute per process:
    `portal.throttle` decides when)."""
    record_security_event(
        current_actor(), "limiter_storage_down", severity="critical", path=request.path,
        storage=str(current_app.config.get("RATELIMIT_STORAGE_URI", "")).split("://", 1)[0],
    )


def slots_limit() -> str:
    return str(current_app.config["SLOTS_RATE_LIMIT"])


def on_slots_breach(request_limit) -> object:
    """Flask-Limiter `on_breach` callback: the 429 answer, and the sampled event."""
    window = float(request_limit.limit.get_expiry())
    try:
        # window[0]: when the oldest hit in the moving window expires (epoch seconds)
        retry_after = max(1, math.ceil(float(request_limit.window[0]) - time.time()))
    except Exception:  # storage hiccup while reading the window: fall back to its length
        retry_after = max(1, int(window))
    record_sampled_security_event(
        current_actor(), "rate_limit_exceeded", path=request.path, limit=str(request_limit.limit),
    )
    return error_response(
        429, "Too many requests. Please wait and try again.", retry_after=retry_after
    )


def note_storage_state() -> None:
    """Call from a rate-limited view: if the limiter could not reach its storage.

    With `RATELIMIT_SWALLOW_ERRORS` Flask-Limiter lets the request through when the
    storage fails, and then has evaluated no limit for it (`current_limits` stays
    empty although the view is limited). That is recorded as `limiter_storage_down`,
    at most once a minute per process (app).
    """
    if not limiter.enabled or limiter.current_limits:
        return
    throttle.state().storage_failed(RuntimeError("no limit could be evaluated"))
