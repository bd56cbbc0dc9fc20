"""The rows of the audit viewer's page, read from their own log (`service_management_log`
or the stylists' `schedule_change_log`), with their targets named for people."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from portal.models import ScheduleChangeLog, ServiceManagementLog, StylistProfile, StylistPromotion, UserProfile

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


def _named(entries: list[LogEntry], session: Session) -> list[LogEntry]:
    """Targets named for people (whose account, whose promotion) instead of by id."""
    people = {e.target_id for e in entries if e.target_type in PERSON_TARGETS and e.target_id and not e.target_name}
    promotions = {e.target_id for e in entries if e.target_type == "stylist_promotion" and e.target_id}
    names = {}
    if people:
        names.update(session.execute(select(UserProfile.id, UserProfile.display_name)
                                     .where(UserProfile.id.in_(people))).tuples().all())
    if promotions:
        names.update(session.execute(
            select(StylistPromotion.id, UserProfile.display_name)
            .join(UserProfile, UserProfile.id == StylistPromotion.user_id)
            .where(StylistPromotion.id.in_(promotions))).tuples().all())
    return [replace(e, target_name=names.get(e.target_id)) if e.target_id in names and not e.target_name else e
            for e in entries]


