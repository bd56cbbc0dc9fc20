"""What the admin dashboard shows about the cache and the salon (operations.md "Monitoring")."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

from portal import clock
from portal.domain.translatable import N_
from portal.models import ScheduleOverride, StylistProfile, StylistPromotion
from portal.database import fresh_snapshot
from portal.domain.promotion import SUBMITTED_STATES
from portal.metrics import history
from portal.services.audit import audit_exempt

UTC = timezone.utc
logger = logging.getLogger(__name__)
MIN_REQUESTS_FOR_ALERT = 100


@dataclass(frozen=True)
class Bucket:
    start: datetime
    hits: int
    misses: int

    @property
    def requests(self) -> int:
        return self.hits + self.misses

    @property
    def rate(self) -> float | None:
        return self.hits / self.requests if self.requests else None


@dataclass(frozen=True)
class Window:
    label: str  # "last hour" / "last day"
    buckets: list[Bucket]
    alert_below: float

    @property
    def hits(self) -> int:
        return sum(b.hits for b in self.buckets)

    @property
    def requests(self) -> int:
        return sum(b.requests for b in self.buckets)

    @property
    def rate(self) -> float | None:
        return self.hits / self.requests if self.requests else None

    @property
    def alert(self) -> bool:
        return self.requests >= MIN_REQUESTS_FOR_ALERT and (self.rate or 0.0) < self.alert_below


@dataclass(frozen=True)
class Closure:
    start_date: date
    end_date: date
    who: str
    reason: str | None


@dataclass(frozen=True)
class CachePanel:
    windows: list[Window]
    entries: int
    invalidations: int
    pending_promotions: int
    closures: list[Closure] = field(default_factory=list)


def _window(rows, now: datetime, label: str, span: timedelta, step: timedelta, alert_below: float) -> Window:
    first = now - span
    count = int(span / step)
    tallies = [[0, 0] for _ in range(count)]
    for minute, result, requests in rows:
        if minute.tzinfo is None:
            minute = minute.replace(tzinfo=UTC)
        if not (first <= minute < now):
            continue
        index = min(count - 1, int((minute - first) / step))
        tallies[index][0 if result == "hit" else 1] += requests
    buckets = [Bucket(first + i * step, h, m) for i, (h, m) in enumerate(tallies)]
    return Window(label, buckets, alert_below)


@audit_exempt("reads monitoring figures; only flushes request counters")
def cache_panel(session, store, alert_below: float, today: date, now: datetime | None = None) -> CachePanel:
    """`store`: the slots store (`SlotSettings.store`), which reads the statistics."""
    history.flush(store)  # this process's latest counts first ...
    fresh_snapshot(session)  # ... and a snapshot that sees them (SQLite)
    now = (now or clock.now()).replace(second=0, microsecond=0) + timedelta(minutes=1)
    rows = store.request_counts(session.connection(), now - timedelta(days=1))
    windows = [
        _window(rows, now, N_("last hour"), timedelta(hours=1), timedelta(minutes=5), alert_below),
        _window(rows, now, N_("last day"), timedelta(days=1), timedelta(hours=1), alert_below),
    ]
    for window in windows:
        if window.alert:
            logger.warning(
                "cache hit rate %.1f%% over the %s (%d requests) is below the alert level %.0f%%",
                100 * (window.rate or 0), window.label, window.requests, 100 * alert_below,
            )
    entries, invalidations = store.figures(session.connection())
    pending = session.scalar(
        select(func.count()).select_from(StylistPromotion)
        .where(StylistPromotion.status.in_(SUBMITTED_STATES))
    )
    o = ScheduleOverride
    closures = [
        Closure(r.start_date, r.end_date, r.display_name or N_("Everyone"), r.reason)
        for r in session.execute(
            select(o.start_date, o.end_date, o.reason, StylistProfile.display_name)
            .outerjoin(StylistProfile, StylistProfile.user_id == o.stylist_user_id)
            .where(o.is_closed, o.start_date <= today + timedelta(days=30), o.end_date >= today)
            .order_by(o.start_date, o.end_date)
        )
    ]
    return CachePanel(windows, entries, invalidations, int(pending or 0), closures)
