"""What the messages page, the admins' home page and `/metrics` read (messages.md):
the list with its filters, today's and this month's counts with the segments used,
the alerts (a paused channel, the portal's own fault, more than 10 % of the last
hour's messages failed with at least 10), and the series by kind and outcome."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import clock
from portal.domain.messages import WAITING_STATES
from portal.models import Booking, MessageChannel, OutboundMessage

UTC = timezone.utc
FAILURE_SHARE = 0.10
FAILURE_MINIMUM = 10
PAGE = 200


@dataclass(frozen=True)
class Counts:
    sent: int
    failed: int
    waiting: int
    segments: int


@dataclass(frozen=True)
class Alert:
    kind: str  # "paused", "portal_fault", "failures"
    channel: str | None = None
    reason: str | None = None
    since: datetime | None = None
    failed: int = 0
    total: int = 0

    @property
    def level(self) -> str:
        """The box it shows in: many failures warn; a paused channel or the portal's own fault is an error."""
        return "warning" if self.kind == "failures" else "danger"


def _start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone).astimezone(UTC)


def counts_since(session: Session, since: datetime) -> Counts:
    rows = dict(session.execute(select(OutboundMessage.state, func.count()).where(
        OutboundMessage.queued_at >= since).group_by(OutboundMessage.state)).all())
    segments = session.scalar(select(func.coalesce(func.sum(OutboundMessage.segments), 0)).where(
        OutboundMessage.state == "sent", OutboundMessage.channel == "sms", OutboundMessage.sent_at >= since))
    return Counts(rows.get("sent", 0), rows.get("failed", 0), sum(rows.get(s, 0) for s in WAITING_STATES),
                  int(segments or 0))


def today_and_month(session: Session, zone_name: str, now: datetime | None = None) -> tuple[Counts, Counts]:
    zone = ZoneInfo(zone_name)
    today = (now or clock.now()).astimezone(zone).date()
    return counts_since(session, _start(today, zone)), counts_since(session, _start(today.replace(day=1), zone))


def alerts(session: Session, now: datetime | None = None) -> list[Alert]:
    now = now or clock.now()
    found = []
    for row in session.scalars(select(MessageChannel).order_by(MessageChannel.channel)):
        if row.paused_at is not None:
            found.append(Alert("paused", row.channel, row.reason, row.paused_at))
        if row.alert:
            found.append(Alert("portal_fault", row.channel, row.alert))
    hour = dict(session.execute(select(OutboundMessage.state, func.count()).where(
        OutboundMessage.finished_at >= now - timedelta(hours=1), OutboundMessage.state.in_(("sent", "failed")))
        .group_by(OutboundMessage.state)).all())
    total = hour.get("sent", 0) + hour.get("failed", 0)
    if total >= FAILURE_MINIMUM and hour.get("failed", 0) > FAILURE_SHARE * total:
        found.append(Alert("failures", failed=hour.get("failed", 0), total=total))
    return found


def listing(session: Session, zone_name: str, state: str | None = None, kind: str | None = None,
            day: date | None = None) -> list[tuple[OutboundMessage, Booking | None]]:
    """The latest messages (at most `PAGE`), newest first, with their bookings."""
    stmt = (select(OutboundMessage, Booking).outerjoin(Booking, Booking.id == OutboundMessage.booking_id)
            .order_by(OutboundMessage.queued_at.desc(), OutboundMessage.id).limit(PAGE))
    if state:
        stmt = stmt.where(OutboundMessage.state == state)
    if kind:
        stmt = stmt.where(OutboundMessage.kind == kind)
    if day:
        zone = ZoneInfo(zone_name)
        stmt = stmt.where(OutboundMessage.queued_at >= _start(day, zone),
                          OutboundMessage.queued_at < _start(day + timedelta(days=1), zone))
    return [(m, b) for m, b in session.execute(stmt).all()]


def latest_by_booking(session: Session, booking_ids: list) -> dict:
    """Each booking's latest message (the follow-up list shows whether it went out)."""
    if not booking_ids:
        return {}
    found = {}
    for message in session.scalars(select(OutboundMessage).where(OutboundMessage.booking_id.in_(booking_ids))
                                   .order_by(OutboundMessage.queued_at)):
        found[message.booking_id] = message
    return found


def series(conn) -> tuple[list[tuple[str, str, int]], int, float, list[str]]:
    """For /metrics: (kind, state, count) rows, queue depth, age in seconds of the oldest
    waiting message, paused channels. `conn` is a plain connection (the scrape's own)."""
    table = OutboundMessage.__table__
    rows = [(k, s, int(n)) for k, s, n in conn.execute(
        select(table.c.kind, table.c.state, func.count()).group_by(table.c.kind, table.c.state)).all()]
    waiting = select(table.c.queued_at).where(table.c.state.in_(WAITING_STATES))
    depth = conn.execute(select(func.count()).select_from(waiting.subquery())).scalar() or 0
    oldest = conn.execute(waiting.order_by(table.c.queued_at).limit(1)).scalar()
    age = (clock.now() - oldest).total_seconds() if oldest else 0.0
    channels = MessageChannel.__table__
    paused = list(conn.execute(select(channels.c.channel).where(channels.c.paused_at.is_not(None))).scalars())
    return rows, int(depth), max(age, 0.0), paused
