"""The rows of the audit viewer's page, read from their own log (`service_management_log`
or the stylists' `schedule_change_log`), with their targets named for people."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from portal.domain.override_kinds import label as override_label
from portal.models import (
    Booking, ScheduleChangeLog, ScheduleOverride, Service, ServiceManagementLog, StylistProfile, StylistPromotion,
    UserProfile,
)

EVENT, SCHEDULE = 1, 0  # which log a row comes from (also its place among ties)
Log, Change = ServiceManagementLog, ScheduleChangeLog
EVENT_COLUMNS = (
    Log.id, Log.created_at, Log.category, Log.severity, Log.action, Log.target_type, Log.target_id,
    Log.details, Log.ip_address, Log.user_agent, Log.admin_user_id,
    UserProfile.email.label("actor_email"), UserProfile.display_name.label("actor_name"),
)


@dataclass(frozen=True)
class LogEntry:
    """One row of either log, as the viewer shows it."""

    kind: int
    id: int
    created_at: datetime
    category: str
    severity: str
    action: str
    target_type: str | None
    target_id: Any
    details: dict | None
    ip_address: Any
    user_agent: str | None
    admin_user_id: Any
    actor_email: str | None
    actor_name: str | None
    target_name: str | None = None
    target_when: datetime | None = None  # a booking's start, shown in target_zone
    target_zone: str | None = None


def read_entries(session: Session, found) -> list[LogEntry]:
    """The page's rows read from their own log, in the page's order."""
    event_ids = [k.id for k in found if k.kind == EVENT]
    change_ids = [k.id for k in found if k.kind == SCHEDULE]
    read: dict[tuple[int, int], LogEntry] = {}
    if event_ids:
        for r in session.execute(select(*EVENT_COLUMNS).select_from(Log)
                                 .outerjoin(UserProfile, UserProfile.id == Log.admin_user_id)
                                 .where(Log.id.in_(event_ids))):
            read[(EVENT, r.id)] = LogEntry(
                kind=EVENT, id=r.id, created_at=r.created_at, category=r.category, severity=r.severity,
                action=r.action, target_type=r.target_type, target_id=r.target_id, details=r.details,
                ip_address=r.ip_address, user_agent=r.user_agent, admin_user_id=r.admin_user_id,
                actor_email=r.actor_email, actor_name=r.actor_name)
    if change_ids:
        stylist = aliased(StylistProfile)
        for r, email, name, stylist_name in session.execute(
                select(Change, UserProfile.email, UserProfile.display_name, stylist.display_name)
                .outerjoin(UserProfile, UserProfile.id == Change.changed_by)
                .outerjoin(stylist, stylist.user_id == Change.stylist_user_id)
                .where(Change.id.in_(change_ids))):
            details = {"date": r.change_date.isoformat(), "old": r.old_values, "new": r.new_values,
                       "reason": r.reason, "emergency": r.is_emergency}
            read[(SCHEDULE, r.id)] = LogEntry(
                kind=SCHEDULE, id=r.id, created_at=r.created_at, category="configuration", severity="info",
                action=r.change_type, target_type="stylist_profile", target_id=r.stylist_user_id,
                details={k: v for k, v in details.items() if v not in (None, False)},
                ip_address=r.ip_address, user_agent=r.user_agent, admin_user_id=r.changed_by,
                actor_email=email, actor_name=name, target_name=stylist_name)
    return _named([read[(k.kind, k.id)] for k in found if (k.kind, k.id) in read], session)


PERSON_TARGETS = ("user_profile", "stylist_profile", "override_budget")


def first_name(full: str | None) -> str:
    """A customer is named by their first name in the log's summary (the full name is one
    click away, on the booking)."""
    return (full or "").split(" ")[0] or "—"


@dataclass(frozen=True)
class Target:
    """What a row is about, as people name it."""
    name: str
    when: datetime | None = None  # a booking's start
    zone: str | None = None  # the stylist's zone, for `when`


def describe_targets(session: Session, targets) -> dict[Any, Target]:
    """(target_type, target_id) pairs named for people instead of by id: whose account or
    promotion, which booking (customer's first name, stylist, start), which closure (its
    reason), which service. Ids not found (deleted rows) are left out."""
    def wanted(*types):
        return {target_id for target_type, target_id in targets if target_type in types and target_id}

    found: dict[Any, Target] = {}
    if people := wanted(*PERSON_TARGETS):
        for person_id, name in session.execute(select(UserProfile.id, UserProfile.display_name)
                                               .where(UserProfile.id.in_(people))):
            found[person_id] = Target(name)
    if promotions := wanted("stylist_promotion"):
        for promotion_id, name in session.execute(
                select(StylistPromotion.id, UserProfile.display_name)
                .join(UserProfile, UserProfile.id == StylistPromotion.user_id)
                .where(StylistPromotion.id.in_(promotions))):
            found[promotion_id] = Target(name)
    if bookings := wanted("booking"):
        for booking_id, customer, start, stylist, zone in session.execute(
                select(Booking.id, Booking.customer_name, Booking.start_time, StylistProfile.display_name,
                       StylistProfile.timezone)
                .join(StylistProfile, StylistProfile.user_id == Booking.stylist_user_id)
                .where(Booking.id.in_(bookings))):
            found[booking_id] = Target(f"{first_name(customer)} · {stylist}", start, zone)
    if overrides := wanted("schedule_override"):
        for override_id, reason, kind in session.execute(
                select(ScheduleOverride.id, ScheduleOverride.reason, ScheduleOverride.override_type)
                .where(ScheduleOverride.id.in_(overrides))):
            found[override_id] = Target(reason or override_label(kind))
    if services := wanted("service"):
        for service_id, name in session.execute(select(Service.id, Service.name).where(Service.id.in_(services))):
            found[service_id] = Target(name)
    return found


def _named(entries: list[LogEntry], session: Session) -> list[LogEntry]:
    """The page's rows with their targets named (`describe_targets`)."""
    found = describe_targets(session, {(e.target_type, e.target_id) for e in entries if not e.target_name})
    return [replace(e, target_name=found[e.target_id].name, target_when=found[e.target_id].when,
                    target_zone=found[e.target_id].zone)
            if e.target_id in found and not e.target_name else e for e in entries]


def targets_named(text: str):
    """Ids of what rows can be about, matching `text` by the names the viewer shows: a
    booking by its customer's or stylist's name, a person (account, stylist, budget,
    promotion) by name or email, a closure by its reason, a service by its name."""
    term = text.strip().lower()
    person, stylist = aliased(UserProfile), aliased(StylistProfile)

    def like(column):
        return func.lower(column).contains(term, autoescape=True)

    people = select(person.id).where(or_(like(person.display_name), like(person.email)))
    return union_all(
        select(Booking.id).join(stylist, stylist.user_id == Booking.stylist_user_id)
        .where(or_(like(Booking.customer_name), like(stylist.display_name))),
        people,
        select(StylistPromotion.id).where(StylistPromotion.user_id.in_(people)),
        select(ScheduleOverride.id).where(like(ScheduleOverride.reason)),
        select(Service.id).where(like(Service.name)),
    )
