"""Rate limiting of the public endpoints (slots-api.md "Rate limiting").

- `SLOTS_RATE_LIMIT` per client IP (`portal.network.client_ip`, i.e. after ProxyFix
  with exactly `TRUSTED_PROXY_HOPS`) and per endpoint, moving window, in the storage
  of Flask-Limiter (`RATELIMIT_STORAGE_URI`, through `limiter.limiter`, its strategy).
- ONE evaluation per request: `check`, the `/api` blueprint's before-request hook, makes
  one atomic `hit` for the views marked `@limited` (GET and HEAD; a preflight OPTIONS is
  not counted). Flask-Limiter's own per-request pass is off (`auto_check=False`): it
  resolved the decorated limit twice per request (its before-request pass and the
  decorator), which cost more than the storage hit itself.
- A breach answers 429 JSON with `Retry-After` = seconds until the oldest hit in the
  window expires, and records a `rate_limit_exceeded` security event — sampled
  (`record_sampled_security_event`: one row per client IP per minute, with `repeats`).
- Storage down: the request goes through (fail open) and `limiter_storage_down` is
  recorded, at most once a minute per process (`portal.throttle`, the same record as
  sign-in's fallback).
"""
from __future__ import annotations

import math
import time
from functools import lru_cache
from typing import Callable, TypeVar

from flask import Flask, current_app, request
from limits import RateLimitItem, parse

from portal import throttle
from portal.auth.identity import current_actor
from portal.extensions import limiter
from portal.http_errors import error_response
from portal.network import counted_client
from portal.services.audit.security import record_sampled_security_event, record_security_event

View = TypeVar("View", bound=Callable)
COUNTED_METHODS = frozenset({"GET", "HEAD"})
LIMITED: set[Callable] = set()  # the views marked @limited


def limited(view: View) -> View:
    """Mark a view as limited by `SLOTS_RATE_LIMIT` (one count per client and endpoint)."""
    LIMITED.add(view)
    return view


def init_app(app: Flask) -> None:
    throttle.init_app(app, on_storage_down=record_storage_down)


def record_storage_down() -> None:
    """The `limiter_storage_down` security event (at most once a minute per process:
    `portal.throttle` decides when)."""
    record_security_event(
        current_actor(), "limiter_storage_down", severity="critical", path=request.path,
        storage=str(current_app.config.get("RATELIMIT_STORAGE_URI", "")).split("://", 1)[0],
    )


@lru_cache(maxsize=16)
def _limit(text: str) -> RateLimitItem:
    return parse(text)


def check():
    """Before each `/api` request: one hit against the limit of a `@limited` view;
    the 429 answer when it is exhausted, else None (the view runs)."""
    if request.method not in COUNTED_METHODS or not limiter.enabled:
        return None
    if current_app.view_functions.get(request.endpoint or "") not in LIMITED:
        return None
    limit = _limit(str(current_app.config["SLOTS_RATE_LIMIT"]))
    key = (str(current_app.config.get("RATELIMIT_KEY_PREFIX") or ""), request.endpoint, counted_client())
    try:
        if limiter.limiter.hit(limit, *key):
            return None
        oldest_expires = limiter.limiter.get_window_stats(limit, *key).reset_time
    except Exception as error:  # the storage is down: answer anyway (fail open), record it
        throttle.state().storage_failed(error)
        return None
    return breach(limit, max(1, math.ceil(oldest_expires - time.time())))


def breach(limit: RateLimitItem, retry_after: int):
    """The 429 answer, and the sampled event."""
    record_sampled_security_event(current_actor(), "rate_limit_exceeded", path=request.path, limit=str(limit))
    return error_response(429, "Too many requests. Please wait and try again.", retry_after=retry_after)
