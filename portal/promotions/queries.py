"""Read-only queries behind the promotion pages (the services do all writing)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portal import clock
from portal.domain.promotion import OPEN_STATES, STATES
from portal.domain.roles import STYLIST
from portal.models import Booking, Service, StylistProfile, StylistPromotion, UserProfile
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES


SEARCH_LIMIT = 20


def status_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(StylistPromotion.status, func.count()).group_by(StylistPromotion.status))
    counts = dict.fromkeys(STATES, 0)
    counts.update({status: n for status, n in rows})
    return counts


def listing(session: Session, status: str | None) -> list[tuple[StylistPromotion, UserProfile]]:
    query = (select(StylistPromotion, UserProfile).join(UserProfile, UserProfile.id == StylistPromotion.user_id)
             .order_by(StylistPromotion.updated_at.desc(), StylistPromotion.id))
    if status:
        query = query.where(StylistPromotion.status == status)
    return list(session.execute(query).tuples())


def search_users(session: Session, text: str) -> list[dict]:
    """Users whose email or name contains `text` (case-insensitive), with what blocks a start."""
    needle = (text or "").strip().lower()
    if not needle:
        return []
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    users = session.scalars(
        select(UserProfile).where(or_(func.lower(UserProfile.email).like(pattern, escape="\\"),
                                      func.lower(UserProfile.display_name).like(pattern, escape="\\")))
        .order_by(func.lower(UserProfile.email)).limit(SEARCH_LIMIT)).all()
    ids = [u.id for u in users]
    open_ids = set(session.scalars(select(StylistPromotion.user_id).where(
        StylistPromotion.user_id.in_(ids), StylistPromotion.status.in_(OPEN_STATES))))
    active_profiles = set(session.scalars(select(StylistProfile.user_id).where(
        StylistProfile.user_id.in_(ids), StylistProfile.is_active)))
    return [{"user": u, "is_stylist": STYLIST in u.role_names or u.id in active_profiles,
             "has_open": u.id in open_ids} for u in users]


def user_names(session: Session, ids) -> dict[uuid.UUID, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(session.execute(
        select(UserProfile.id, UserProfile.display_name).where(UserProfile.id.in_(ids))).tuples().all())


def upcoming_bookings(session: Session, stylist_user_id: uuid.UUID, now: datetime | None = None) -> list:
    """The stylist's bookings that still occupy time from now on, soonest first."""
    now = now or clock.now()
    return list(session.execute(
        select(Booking, Service).join(Service, Service.id == Booking.service_id)
        .where(Booking.stylist_user_id == stylist_user_id, Booking.end_time > now,
               Booking.status.in_(OCCUPYING_BOOKING_STATUSES))
        .order_by(Booking.start_time, Booking.id)).tuples())


def stylist_profile(session: Session, user_id: uuid.UUID) -> StylistProfile | None:
    return session.get(StylistProfile, user_id)
