"""Time-off requests: asking, withdrawing, approving, declining, cancelling
(time-off-and-reports.md). Each is one use-case, one transaction, with its
`configuration` log row(s).

- Decided once: approve, decline and withdraw are one conditional UPDATE
  (`... WHERE status = 'waiting'`) whose row count decides. On PostgreSQL a second
  admin's UPDATE waits for the first one's row lock and then matches nothing; on SQLite
  `BEGIN IMMEDIATE` (`use_case(lock=True)`) queues them. The loser is told it was
  already decided (`AlreadyDecided`), and nothing else happens — so one decision and at
  most one vacation.
- Asking locks the stylist's profile row (`FOR NO KEY UPDATE`: bookings referencing it
  are not held up) before the overlap check, so two simultaneous requests of one
  stylist cannot both pass it.
- Approving makes the stylist's vacation in the same transaction (the admin's own
  `add_override` step, its `override_created` row written as for any vacation), reason
  the request's kind; cancelling deletes it (`override_deleted`), so the slots come back.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.database import use_case
from portal.domain import time_off as rules
from portal.domain.override_kinds import STYLIST_VACATION
from portal.domain.refusals import INVALID, NotFound, Refused
from portal.domain.translatable import Msg, N_
from portal.models import ScheduleOverride, StylistProfile, TimeOffRequest
from portal.services.audit import audited, log_event
from portal.services.scheduling import overrides
from portal.zones import is_time_zone

UTC = timezone.utc
SOURCE = "time_off_request"  # the vacation's log rows say where it came from


@dataclass(frozen=True)
class TimeOffDraft:
    """What the stylist typed."""

    kind: str | None
    start_date: date | None
    end_date: date | None
    note: str | None = None


def _now(now: datetime | None) -> datetime:
    return (now or clock.now()).astimezone(UTC)


def stylist_today(profile: StylistProfile, now: datetime) -> date:
    """Today in the stylist's zone (the salon's dates for a zone another client broke)."""
    zone = profile.timezone if is_time_zone(profile.timezone) else "Asia/Kathmandu"
    return now.astimezone(ZoneInfo(zone)).date()


def _details(row: TimeOffRequest, **extra) -> dict:
    return {"stylist_user_id": str(row.stylist_user_id), "kind": row.kind,
            "start_date": row.start_date.isoformat(), "end_date": row.end_date.isoformat(),
            "status": row.status, **extra}


def _log(session: Session, actor: Actor, action: str, row: TimeOffRequest, **extra) -> None:
    log_event(session, actor, action=action, category="configuration", target_type=rules.AUDIT_TARGET,
              target_id=row.id, details=_details(row, **extra))


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


@audited(action=rules.ASKED, category="configuration")
def ask(session: Session, actor: Actor, stylist_id: uuid.UUID, draft: TimeOffDraft,
        now: datetime | None = None) -> TimeOffRequest:
    """A stylist asks for whole days off; refused (nothing written) when the dates break a rule."""
    now = _now(now)
    with use_case(session, lock=True):
        locked = session.scalar(select(StylistProfile.user_id).where(StylistProfile.user_id == stylist_id)
                                .with_for_update(key_share=True))
        profile = session.get(StylistProfile, locked) if locked else None
        if profile is None or not profile.is_active:
            raise NotFound(message=N_("Your stylist profile is not active; ask an admin."))
        note = _text(draft.note)
        errors = rules.range_errors(draft.kind, draft.start_date, draft.end_date, note, stylist_today(profile, now))
        if errors:
            raise Refused(INVALID, fields=errors)
        clash = session.scalar(select(TimeOffRequest).where(
            TimeOffRequest.stylist_user_id == stylist_id, TimeOffRequest.status.in_(rules.OPEN_STATES),
            TimeOffRequest.start_date <= draft.end_date, TimeOffRequest.end_date >= draft.start_date,
        ).order_by(TimeOffRequest.start_date).limit(1))
        if clash is not None:
            raise rules.overlap_refusal(clash.start_date, clash.end_date)
        row = TimeOffRequest(stylist_user_id=stylist_id, kind=draft.kind, start_date=draft.start_date,
                             end_date=draft.end_date, note=note, status=rules.WAITING, created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        _log(session, actor, rules.ASKED, row, days=rules.days_in(row.start_date, row.end_date))
    return row


def _step(session: Session, request_id: uuid.UUID, from_state: str, values: dict,
          stylist_id: uuid.UUID | None = None) -> TimeOffRequest:
    """Move the request from `from_state` with one conditional UPDATE; the row count decides."""
    stmt = update(TimeOffRequest).where(TimeOffRequest.id == request_id, TimeOffRequest.status == from_state)
    if stylist_id is not None:
        stmt = stmt.where(TimeOffRequest.stylist_user_id == stylist_id)
    moved = session.execute(stmt.values(**values).execution_options(synchronize_session=False)).rowcount
    row = session.get(TimeOffRequest, request_id, populate_existing=True)
    if row is None or (stylist_id is not None and row.stylist_user_id != stylist_id):
        raise NotFound(message=N_("No such time-off request."))
    if moved != 1:
        raise rules.already_decided(row.status)
    return row


@audited(action=rules.WITHDRAWN_ACTION, category="configuration")
def withdraw(session: Session, actor: Actor, stylist_id: uuid.UUID, request_id: uuid.UUID,
             now: datetime | None = None) -> TimeOffRequest:
    """The stylist takes back their own waiting request."""
    now = _now(now)
    with use_case(session, lock=True):
        row = _step(session, request_id, rules.WAITING,
                    {"status": rules.WITHDRAWN, "ended_by": actor.user_id, "ended_at": now, "updated_at": now},
                    stylist_id=stylist_id)
        _log(session, actor, rules.WITHDRAWN_ACTION, row)
    return row


@audited(action=(rules.APPROVED_ACTION, "override_created"), category="configuration", rows=2)
def approve(session: Session, actor: Actor, request_id: uuid.UUID, now: datetime | None = None) -> TimeOffRequest:
    """Approve: the stylist's vacation for those days, linked to the request, in the same transaction."""
    now = _now(now)
    with use_case(session, lock=True):
        row = _step(session, request_id, rules.WAITING,
                    {"status": rules.APPROVED, "decided_by": actor.user_id, "decided_at": now, "updated_at": now})
        profile = session.get(StylistProfile, row.stylist_user_id)
        if row.end_date < stylist_today(profile, now):
            raise Refused("DATES_PASSED", Msg("The days asked for (until %(end)s) have passed; decline the request "
                                              "instead.", end=row.end_date))
        vacation = overrides.add_override(session, overrides.OverrideDraft(
            override_type=STYLIST_VACATION, stylist_id=row.stylist_user_id, start_date=row.start_date,
            end_date=row.end_date, reason=rules.kind_label(row.kind)), actor.user_id)
        row.vacation_override_id = vacation.id
        session.flush()
        log_event(session, actor, action="override_created", category="configuration",
                  target_type="schedule_override", target_id=vacation.id,
                  details={**overrides.created_details(vacation, SOURCE), "time_off_request_id": str(row.id)})
        _log(session, actor, rules.APPROVED_ACTION, row, vacation_override_id=str(vacation.id))
    return row


@audited(action=rules.DECLINED_ACTION, category="configuration")
def decline(session: Session, actor: Actor, request_id: uuid.UUID, reason: str | None,
            now: datetime | None = None) -> TimeOffRequest:
    """Decline, with the reason the stylist will read."""
    now = _now(now)
    text = _text(reason)
    if text is None:
        raise Refused("REASON_REQUIRED", N_("Give the reason: the stylist will read it."), ("reason",))
    if len(text) > rules.MAX_TEXT:
        raise Refused("TOO_LONG", Msg("Keep the reason under %(max)s characters.", max=rules.MAX_TEXT), ("reason",))
    with use_case(session, lock=True):
        row = _step(session, request_id, rules.WAITING,
                    {"status": rules.DECLINED, "decision_reason": text, "decided_by": actor.user_id,
                     "decided_at": now, "updated_at": now})
        _log(session, actor, rules.DECLINED_ACTION, row, reason=text)
    return row


@audited(action=(rules.CANCELLED_ACTION, "override_deleted"), category="configuration", rows=None)
def cancel(session: Session, actor: Actor, request_id: uuid.UUID, now: datetime | None = None) -> TimeOffRequest:
    """Cancel an approved request before its first day: its vacation goes, the slots come back."""
    now = _now(now)
    with use_case(session, lock=True):
        current = session.scalar(select(TimeOffRequest).where(TimeOffRequest.id == request_id).with_for_update())
        if current is None:
            raise NotFound(message=N_("No such time-off request."))
        if current.status == rules.WAITING:
            raise Refused("NOT_APPROVED", N_("Only an approved request can be cancelled; decline a waiting one."))
        profile = session.get(StylistProfile, current.stylist_user_id)
        if current.status == rules.APPROVED and current.start_date <= stylist_today(profile, now):
            raise Refused("ALREADY_STARTED", Msg(
                "This time off began on %(day)s, so it can no longer be cancelled. To bring the stylist back "
                "earlier, edit its vacation on the schedules page.", day=current.start_date))
        vacation_id = current.vacation_override_id
        row = _step(session, request_id, rules.APPROVED,
                    {"status": rules.CANCELLED, "ended_by": actor.user_id, "ended_at": now, "updated_at": now})
        vacation = session.get(ScheduleOverride, vacation_id) if vacation_id else None
        if vacation is not None:
            log_event(session, actor, action="override_deleted", category="configuration",
                      target_type="schedule_override", target_id=vacation.id,
                      details={**overrides.deleted_details(vacation, SOURCE), "time_off_request_id": str(row.id)})
            session.delete(vacation)
            session.flush()
        _log(session, actor, rules.CANCELLED_ACTION, row,
             vacation_override_id=str(vacation_id) if vacation_id else None)
    return row
