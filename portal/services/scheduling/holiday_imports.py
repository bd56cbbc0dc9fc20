"""Holiday imports and their undo (docs/nepal.md "Undoing an import").

An import is identified by the id its `override_created` log rows share
(`details.import`, written by `public_holidays.import_closures`). `recent_imports`
lists the latest imports whose closures are still there; `undo_import` removes exactly
those closures — nothing the import did not create — in one transaction, each with its
`override_deleted` log row (`source: public_holidays_undo`, the same import id), so the
audit trail keeps both the import and its undo.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.database import use_case
from portal.domain.refusals import Refused
from portal.domain.translatable import N_
from portal.models import ScheduleOverride, ServiceManagementLog, UserProfile
from portal.services.audit import audited, log_event
from portal.services.scheduling.overrides import deleted_details
from portal.services.scheduling.public_holidays import SOURCE

UNDO_SOURCE = "public_holidays_undo"
SCAN_LIMIT = 2000  # the latest import rows looked at (a salon imports a few dozen a year)
NOTHING_TO_UNDO = N_("Nothing to undo: the closures of that import have already been removed.")


@dataclass(frozen=True)
class HolidayImport:
    id: str
    at: datetime
    by: str | None
    closures: list[ScheduleOverride]  # those still there, by date


def _import_rows(session: Session, import_id: str | None = None) -> list[ServiceManagementLog]:
    stmt = select(ServiceManagementLog).where(
        ServiceManagementLog.action == "override_created",
        ServiceManagementLog.details["source"].as_string() == SOURCE,
    )
    if import_id is not None:
        stmt = stmt.where(ServiceManagementLog.details["import"].as_string() == import_id)
    stmt = stmt.order_by(ServiceManagementLog.created_at.desc(), ServiceManagementLog.id).limit(SCAN_LIMIT)
    return list(session.scalars(stmt))


def _closures(session: Session, rows: list[ServiceManagementLog]) -> list[ScheduleOverride]:
    ids = [r.target_id for r in rows if r.target_id is not None]
    if not ids:
        return []
    return list(session.scalars(
        select(ScheduleOverride).where(ScheduleOverride.id.in_(ids))
        .order_by(ScheduleOverride.start_date, ScheduleOverride.id)))


def recent_imports(session: Session, limit: int = 3) -> list[HolidayImport]:
    """The latest imports (newest first) with at least one of their closures still there."""
    grouped: dict[str, list[ServiceManagementLog]] = {}
    for row in _import_rows(session):
        key = (row.details or {}).get("import")
        if key:
            grouped.setdefault(key, []).append(row)
    found = []
    for key, rows in grouped.items():
        closures = _closures(session, rows)
        if closures:
            person = session.get(UserProfile, rows[0].admin_user_id) if rows[0].admin_user_id else None
            found.append(HolidayImport(key, rows[0].created_at, person.display_name if person else None, closures))
        if len(found) == limit:
            break
    return found


def find_import(session: Session, import_id: str) -> HolidayImport | None:
    """One import with its closures still there; None when unknown or already undone."""
    if not _valid(import_id):
        return None
    rows = _import_rows(session, import_id)
    closures = _closures(session, rows)
    if not closures:
        return None
    person = session.get(UserProfile, rows[0].admin_user_id) if rows[0].admin_user_id else None
    return HolidayImport(import_id, rows[0].created_at, person.display_name if person else None, closures)


def _valid(import_id: str) -> bool:
    try:
        uuid.UUID(import_id)
    except (ValueError, TypeError, AttributeError):
        return False
    return True


@audited(action="override_deleted", category="configuration", rows=None)
def undo_import(session: Session, actor: Actor, import_id: str) -> list[ScheduleOverride]:
    """Remove the closures the import created that are still there; returns them."""
    with use_case(session, lock=True):
        found = find_import(session, import_id)
        if found is None:
            raise Refused("NOTHING_TO_UNDO", NOTHING_TO_UNDO)
        for row in found.closures:
            details = {**deleted_details(row), "source": UNDO_SOURCE, "import": import_id}
            log_event(session, actor, action="override_deleted", category="configuration",
                      target_type="schedule_override", target_id=row.id, details=details)
            session.delete(row)
    return found.closures
