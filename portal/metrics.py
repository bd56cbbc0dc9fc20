"""Monitoring (operations.md "Monitoring"): the Prometheus series and the request history.

Every series is defined here; other modules only increment them:
- `slot_requests_total{result}` (hit, miss, error, rate_limited) and
  `slot_request_duration_seconds{result}` — recorded by the hooks below;
- `override_budget_refusals_total` — incremented by the budget service;
- `logins_total{outcome}` (success, failure, locked_out) — recorded by the hooks below;
- `availability_cache_entries` and `availability_cache_invalidations_total` — read
  from the database at scrape time, at most every 15 s (the generation counters are
  the invalidations).

Counters live in each process. Under gunicorn set `PROMETHEUS_MULTIPROC_DIR` (an
empty directory, before the workers start) and `/metrics` aggregates every worker
through prometheus-client's multiprocess mode; otherwise a scrape sees the worker
that answered it. The dashboard's hit-rate history does not depend on that: each
process adds its counts to `private.slot_request_stats` (one upsert per minute and
result) at most every FLUSH_SECONDS, after the response has been sent.
"""
from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import threading
import time
import weakref
from collections import Counter as Tally
from datetime import datetime, timezone

from flask import Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from portal import clock
from portal.messages.metrics_series import MessagesCollector

UTC = timezone.utc
logger = logging.getLogger(__name__)

SLOT_RESULTS = ("hit", "miss", "error", "rate_limited")
LOGIN_OUTCOMES = ("success", "failure", "locked_out")
SLOT_REQUESTS = Counter("slot_requests", "Slot requests by result.", ["result"])
SLOT_LATENCY = Histogram(
    "slot_request_duration_seconds", "Slot request latency by result.", ["result"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
BUDGET_REFUSALS = Counter("override_budget_refusals", "Stylist overrides refused by the budget.")
LOGINS = Counter("logins", "Sign-in attempts by outcome.", ["outcome"])
# children bound once (labels() takes a lock and a dict lookup on every call)
_COUNT = {r: SLOT_REQUESTS.labels(r) for r in SLOT_RESULTS}
_TIME = {r: SLOT_LATENCY.labels(r) for r in SLOT_RESULTS}
_LOGIN = {o: LOGINS.labels(o) for o in LOGIN_OUTCOMES}

SLOTS_ENDPOINT = "api.available_slots"
LOGIN_ENDPOINT = "auth.login"
FLUSH_SECONDS = 10.0

class RequestHistory:
    """This process's not-yet-flushed per-minute counts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending: Tally = Tally()
        self.last_flush = time.monotonic()

    def add(self, result: str, at: datetime) -> bool:
        """Count one request; True when a flush is due."""
        minute = at.astimezone(UTC).replace(second=0, microsecond=0)
        with self.lock:
            self.pending[(minute, result)] += 1
            return time.monotonic() - self.last_flush >= FLUSH_SECONDS

    def flush(self, store) -> None:
        """Add the pending counts to the statistics through the slots store (one transaction)."""
        with self.lock:
            batch, self.pending = self.pending, Tally()
            self.last_flush = time.monotonic()
        if not batch:
            return
        try:
            store.record_requests(dict(batch))
        except Exception:  # never fail a request for statistics; keep the counts for next time
            logger.warning("could not record slot request statistics", exc_info=True)
            with self.lock:
                self.pending.update(batch)


history = RequestHistory()


def slot_result(response: Response) -> str:
    """hit / miss as the answer's own `X-Cache-Hit` header says; errors by status."""
    if response.status_code == 429:
        return "rate_limited"
    if response.status_code >= 400:
        return "error"
    return "hit" if response.headers.get("X-Cache-Hit") == "true" else "miss"


def register(app: Flask) -> None:
    """Request hooks for the slot and login series, and the `/metrics` endpoint."""
    def start_timer():
        g.metrics_started = time.perf_counter()

    # first of all before-request hooks, so a refusal by the limiter is timed too
    app.before_request_funcs.setdefault(None, []).insert(0, start_timer)

    @app.after_request
    def observe(response: Response):
        if request.endpoint == SLOTS_ENDPOINT:
            result = slot_result(response)
            started = g.get("metrics_started")
            _COUNT[result].inc()
            if started is not None:
                _TIME[result].observe(time.perf_counter() - started)
            if history.add(result, clock.now()):
                store = current_app.extensions["slots"].store
                response.call_on_close(lambda: history.flush(store))  # after the body is sent
        elif request.endpoint == LOGIN_ENDPOINT and request.method == "POST":
            outcome = {302: "success", 429: "locked_out"}.get(response.status_code, "failure")
            _LOGIN[outcome].inc()
        return response

    @app.route("/metrics")
    def metrics():
        """Prometheus text format, for the monitoring network only (`may_read_metrics`)."""
        if not may_read_metrics():
            if current_app.config.get("METRICS_TOKEN"):
                return Response("unauthorised\n", status=401, mimetype="text/plain",
                                headers={"WWW-Authenticate": "Bearer"})
            return Response("not allowed\n", status=403, mimetype="text/plain")
        body = generate_latest(process_registry()) + generate_latest(
            database_registry(current_app.extensions["slots"].store))
        return Response(without_versions(body), mimetype=CONTENT_TYPE_LATEST)


def may_read_metrics() -> bool:
    """security.md "Monitoring endpoints": with METRICS_TOKEN only
    `Authorization: Bearer <token>`; without it only a loopback or private peer —
    the client as `TRUSTED_PROXY_HOPS` proxies reported it, so a public client
    forwarded by a trusted proxy is refused."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        return hmac.compare_digest(
            request.headers.get("Authorization", "").encode(), f"Bearer {token}".encode()
        )
    try:
        peer = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if peer.version == 6 and peer.ipv4_mapped:
        peer = peer.ipv4_mapped
    return any(peer in network for network in MONITORING_NETWORKS)


# Loopback and the private ranges (RFC 1918, IPv6 unique local). Deliberately explicit:
# Python's `is_private` also counts documentation and other reserved ranges.
MONITORING_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7",
))


def without_versions(body: bytes) -> bytes:
    """Drop the series that name software versions (`python_info`)."""
    return b"\n".join(line for line in body.split(b"\n") if b"python_info" not in line)


def process_registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def database_registry(store) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(CacheCollector(store))
    registry.register(MessagesCollector(store.engine))
    return registry


FIGURES_SECONDS = 15.0  # scrapes within this time reuse the last count
_figures: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> (monotonic, figures)
_figures_lock = threading.Lock()


def recent_cache_figures(store) -> tuple[int, int]:
    """The store's figures, counted at most once per FIGURES_SECONDS per store (a scrape
    every few seconds does not run `count(*)` each time)."""
    now = time.monotonic()
    with _figures_lock:
        known = _figures.get(store)
    if known is not None and now - known[0] < FIGURES_SECONDS:
        return known[1]
    with store.engine.connect() as conn:
        figures = store.figures(conn)
    with _figures_lock:
        _figures[store] = (now, figures)
    return figures


class CacheCollector:
    def __init__(self, store):
        self.store = store

    def collect(self):
        entries, bumps = recent_cache_figures(self.store)
        yield GaugeMetricFamily("availability_cache_entries", "Entries in the availability cache.", value=entries)
        yield CounterMetricFamily(
            "availability_cache_invalidations", "Generation bumps by the invalidation triggers.", value=bumps
        )
