"""The stylist's override budget (overrides-and-budgets.md, "Stylist: override budget").

- Monthly renewal is lazy: whenever a budget is read or spent and its renewal
  instant has passed, the counter goes back to 0 and `budget_reset_at` moves to the
  next first-of-month midnight in the stylist's zone. `flask reset-budgets` does the
  same for every stylist. Emergency tokens never renew.
- A request spends first: one conditional UPDATE
  (`... WHERE current_month_overrides < monthly_override_limit`, or
  `emergency_overrides_remaining > 0`) whose row count decides. On PostgreSQL that
  UPDATE also takes the row lock, so the same stylist's requests queue behind it;
  on SQLite the transaction begins with `BEGIN IMMEDIATE` (`use_case(lock=True)`). The
  date checks run after the spend, inside the lock; a refusal rolls the spend back.
- `now` is injectable everywhere, so tests can move the clock.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.database import use_case
from portal.domain import opening_envelope
from portal.domain.budget_months import next_month_start, renewal_instant
from portal.domain.override_kinds import SPECIAL_EVENT, STYLIST_VACATION
from portal.domain.refusals import NotFound, Refused
from portal.domain.schedule_changes import override_label
from portal.domain.schedule_layers import OverrideRow, day_window
from portal.domain.translatable import Msg, N_, PluralMsg
from portal.models import (
    ScheduleChangeLog, ScheduleOverride, Service, StylistOverrideBudget, StylistProfile, StylistService,
)
from portal.metrics import BUDGET_REFUSALS
from portal.services.audit import audit_exempt, audited, log_event
from portal.services.scheduling.schedule_rows import override_row
from portal.services.scheduling.schedules import base_rows, overrides_in_scope

UTC = timezone.utc
NORMAL_PRIORITY = 50
EMERGENCY_PRIORITY = 90
DEFAULT_HORIZON_DAYS = 30
MAX_TOKEN_GRANT = 100
BUDGET_EXHAUSTED = "BUDGET_EXHAUSTED"  # the one refusal pages answer with 409


class BudgetRefused(Refused):
    """A request refused with nothing spent (`fields` names the form field, if any)."""


def _now(now: datetime | None) -> datetime:
    value = now or clock.now()
    if value.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class BudgetView:
    stylist_user_id: uuid.UUID
    used: int
    limit: int
    emergency_left: int
    renews_at: datetime  # aware UTC
    zone: str
    last_override_at: datetime | None

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def exhausted(self) -> bool:
        return self.used >= self.limit

    @property
    def renews_local(self) -> datetime:
        return self.renews_at.astimezone(ZoneInfo(self.zone))


@dataclass(frozen=True)
class OverrideRequest:
    day: date | None
    closed: bool
    start: time | None = None
    end: time | None = None
    emergency: bool = False
    reason: str | None = None


def _budget_row(session: Session, stylist_id: uuid.UUID, zone: ZoneInfo, now: datetime) -> StylistOverrideBudget:
    row = session.get(StylistOverrideBudget, stylist_id, populate_existing=True)
    if row is None:  # the database trigger makes one; a missing row is made here
        row = StylistOverrideBudget(stylist_user_id=stylist_id, budget_reset_at=next_month_start(now, zone))
        session.add(row)
        session.flush()
    return row


def _renew_if_due(session: Session, row: StylistOverrideBudget, zone: ZoneInfo, now: datetime) -> bool:
    """Reset the counter if the renewal instant has passed (conditional, idempotent)."""
    if now < renewal_instant(row.budget_reset_at, zone):
        return False
    result = session.execute(
        update(StylistOverrideBudget)
        .where(StylistOverrideBudget.stylist_user_id == row.stylist_user_id,
               StylistOverrideBudget.budget_reset_at == row.budget_reset_at)
        .values(current_month_overrides=0, budget_reset_at=next_month_start(now, zone), updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.expire(row)
    return result.rowcount == 1


def _view(row: StylistOverrideBudget, zone: str) -> BudgetView:
    return BudgetView(
        stylist_user_id=row.stylist_user_id, used=row.current_month_overrides, limit=row.monthly_override_limit,
        emergency_left=row.emergency_overrides_remaining,
        renews_at=renewal_instant(row.budget_reset_at, ZoneInfo(zone)), zone=zone,
        last_override_at=row.last_override_at,
    )


def _profile(session: Session, stylist_id: uuid.UUID) -> StylistProfile:
    profile = session.get(StylistProfile, stylist_id)
    if profile is None:
        raise NotFound(message=N_("No such stylist."))
    return profile


@audit_exempt("the monthly renewal applies the budget rule; no person changed anything")
def read_budget(session: Session, stylist_id: uuid.UUID, now: datetime | None = None) -> BudgetView:
    """The budget, renewed first if its month has turned (its own short transaction)."""
    now = _now(now)
    with use_case(session, lock=True):
        profile = _profile(session, stylist_id)
        zone = ZoneInfo(profile.timezone)
        row = _budget_row(session, stylist_id, zone, now)
        _renew_if_due(session, row, zone, now)
    return _view(row, profile.timezone)


@audit_exempt("reads budgets, renewing those whose month has turned (see read_budget)")
def all_budgets(session: Session, now: datetime | None = None) -> list[tuple[StylistProfile, BudgetView]]:
    return [(p, read_budget(session, p.user_id, now)) for p in
            session.scalars(select(StylistProfile).order_by(StylistProfile.display_name)).all()]


@audit_exempt("the monthly renewal applies the budget rule; no person changed anything")
def renew_due_budgets(session: Session, now: datetime | None = None) -> int:
    """`flask reset-budgets`: renew every budget whose month has turned; returns how many."""
    now = _now(now)
    with use_case(session, lock=True):
        rows = session.execute(
            select(StylistOverrideBudget, StylistProfile.timezone)
            .join(StylistProfile, StylistProfile.user_id == StylistOverrideBudget.stylist_user_id)
        ).all()
        renewed = sum(1 for row, tz in rows if _renew_if_due(session, row, ZoneInfo(tz), now))
    return renewed


def horizon_days(session: Session, stylist_id: uuid.UUID) -> int:
    """How far ahead a stylist may request: the longest `max_advance_days` among the
    services they offer (the public booking horizon), or 30 when they offer none."""
    longest = session.scalar(
        select(func.max(Service.max_advance_days))
        .join(StylistService, StylistService.service_id == Service.id)
        .where(StylistService.stylist_user_id == stylist_id, StylistService.is_available, Service.is_active)
    )
    return int(longest) if longest else DEFAULT_HORIZON_DAYS


def self_service_envelope() -> opening_envelope.Envelope:
    """The salon's opening envelope for stylists' own hours (`SELF_SERVICE_HOURS`)."""
    setting = current_app.config.get("SELF_SERVICE_HOURS") if has_app_context() else None
    return opening_envelope.parse(setting or opening_envelope.DEFAULT)


def _check_input(request: OverrideRequest, today: date, horizon: int) -> None:
    if request.day is None:
        raise BudgetRefused("INVALID_DATE", N_("Choose a date."), ("day",))
    if request.day < today:
        raise BudgetRefused("DATE_IN_PAST", Msg("%(day)s is in the past.", day=request.day), ("day",))
    if request.day > today + timedelta(days=horizon):
        raise BudgetRefused(
            "BEYOND_HORIZON",
            Msg("You can change dates up to %(days)s days ahead (until %(last)s).", days=horizon,
                last=today + timedelta(days=horizon)),
            ("day",),
        )
    if not request.closed:
        if request.start is None:
            raise BudgetRefused("INVALID_TIME_RANGE", N_("Give the start time, or choose a day off."), ("start",))
        if request.end is None:
            raise BudgetRefused("INVALID_TIME_RANGE", N_("Give the end time, or choose a day off."), ("end",))
        if request.end <= request.start:
            raise BudgetRefused("INVALID_TIME_RANGE", N_("The end time must be after the start time."), ("end",))
        outside = opening_envelope.hours_refusal(request.start, request.end, self_service_envelope())
        if outside:
            raise BudgetRefused("OUTSIDE_ENVELOPE", outside[1], (outside[0],))
    if request.reason is not None and len(request.reason) > 500:
        raise BudgetRefused("INVALID_REASON", N_("Keep the reason under 500 characters."), ("reason",))


def _spend(session: Session, stylist_id: uuid.UUID, emergency: bool, now: datetime) -> bool:
    b = StylistOverrideBudget
    stmt = update(b).where(b.stylist_user_id == stylist_id)
    if emergency:
        stmt = stmt.where(b.emergency_overrides_remaining > 0).values(
            emergency_overrides_remaining=b.emergency_overrides_remaining - 1, last_override_at=now, updated_at=now)
    else:
        stmt = stmt.where(b.current_month_overrides < b.monthly_override_limit).values(
            current_month_overrides=b.current_month_overrides + 1, last_override_at=now, updated_at=now)
    return session.execute(stmt.execution_options(synchronize_session=False)).rowcount == 1


def _exhausted(session: Session, stylist_id: uuid.UUID, emergency: bool, zone: ZoneInfo) -> BudgetRefused:
    row = session.get(StylistOverrideBudget, stylist_id, populate_existing=True)
    if emergency:
        return BudgetRefused("NO_EMERGENCY_TOKENS", N_("You have no emergency changes left; ask an admin for more."),
                             ("emergency",))
    renews = renewal_instant(row.budget_reset_at, zone).astimezone(zone)
    if row.emergency_overrides_remaining:
        message = PluralMsg("You have used all %(limit)s changes for this month; more become available on %(when)s "
                            "(%(zone)s). You have %(num)s emergency change left: tick “Use an emergency change” "
                            "to use it.",
                            "You have used all %(limit)s changes for this month; more become available on %(when)s "
                            "(%(zone)s). You have %(num)s emergency changes left: tick “Use an emergency change” "
                            "to use one.", row.emergency_overrides_remaining, limit=row.monthly_override_limit,
                            when=renews, zone=zone)
    else:
        message = Msg("You have used all %(limit)s changes for this month; more become available on %(when)s "
                      "(%(zone)s). Ask an admin if it cannot wait.", limit=row.monthly_override_limit, when=renews,
                      zone=zone)
    return BudgetRefused(BUDGET_EXHAUSTED, message)


def _override_name(o: OverrideRow) -> Msg:
    """"Dashain closure", its kind translatable on a page."""
    return override_label(o)


def _one_change_per_date(session: Session, stylist_id: uuid.UUID, day: date) -> None:
    """One self-service change per date (checked before and, under the lock, after the spend)."""
    mine = session.scalar(select(ScheduleOverride.id).where(
        ScheduleOverride.stylist_user_id == stylist_id, ScheduleOverride.created_by == stylist_id,
        ScheduleOverride.start_date <= day, ScheduleOverride.end_date >= day,
    ).limit(1))
    if mine is not None:
        raise BudgetRefused("DATE_TAKEN", Msg("You already changed %(day)s; one change per date. "
                                              "Ask an admin to change it again.", day=day), ("day",))


def _check_date(session: Session, stylist_id: uuid.UUID, request: OverrideRequest, priority: int,
                now: datetime) -> None:
    """Inside the lock: one self-service override per date, and it must take effect."""
    day = request.day
    _one_change_per_date(session, stylist_id, day)
    rows = overrides_in_scope(session, stylist_id, day, day)
    bases, existing = base_rows(session, stylist_id), [override_row(r) for r in rows]
    before = day_window(day, bases, existing)
    if request.closed and before.window is None:
        if before.winner is not None and before.winner.is_closed and not before.winner.is_stylist_specific:
            raise BudgetRefused("ALREADY_OFF", Msg("The salon is closed on %(day)s (%(winner)s): you are off that "
                                                   "day already; nothing to change.", day=day,
                                                   winner=_override_name(before.winner)), ("day",))
        raise BudgetRefused("ALREADY_OFF", Msg("You do not work on %(day)s anyway; nothing to change.", day=day), ("day",))
    candidate = OverrideRow(
        id="ffffffff-ffff-ffff-ffff-ffffffffffff", override_type=_kind(request), is_stylist_specific=True,
        start_date=day, end_date=day, is_closed=request.closed, start=request.start, end=request.end, priority=priority, created_at=now,
    )
    result = day_window(day, bases, existing + [candidate])
    if result.winner is not candidate:
        winner = result.winner
        if winner.is_closed and not winner.is_stylist_specific:
            message = Msg("The salon is closed on %(day)s (%(winner)s): a business closure comes before your "
                          "change, so you cannot work that day.", day=day, winner=_override_name(winner))
            raise BudgetRefused("BUSINESS_CLOSURE", message, ("day",))
        raise BudgetRefused("OUTRANKED", Msg("%(winner)s already decides %(day)s and comes before your change; "
                                             "ask an admin.", winner=_override_name(winner), day=day), ("day",))


@audited(category="configuration")  # its schedule_change_log row
def request_override(session: Session, actor: Actor, stylist_id: uuid.UUID, request: OverrideRequest,
                     now: datetime | None = None) -> ScheduleOverride:
    """Spend one normal override (or an emergency token) on one date; all or nothing."""
    now = _now(now)
    try:
        with use_case(session, lock=True):
            profile = _profile(session, stylist_id)
            zone = ZoneInfo(profile.timezone)
            _check_input(request, now.astimezone(zone).date(), horizon_days(session, stylist_id))
            _one_change_per_date(session, stylist_id, request.day)  # the date's own refusal, before any budget one
            _renew_if_due(session, _budget_row(session, stylist_id, zone, now), zone, now)
            if not _spend(session, stylist_id, request.emergency, now):
                raise _exhausted(session, stylist_id, request.emergency, zone)
            priority = EMERGENCY_PRIORITY if request.emergency else NORMAL_PRIORITY
            _check_date(session, stylist_id, request, priority, now)
            row = _add_override(session, actor, stylist_id, request, priority, now)
    except BudgetRefused:
        BUDGET_REFUSALS.inc()
        raise
    return row


def _kind(request: OverrideRequest) -> str:
    """A stylist's own request: a day off is a vacation day, hours a special event."""
    return STYLIST_VACATION if request.closed else SPECIAL_EVENT


def _add_override(session: Session, actor: Actor, stylist_id: uuid.UUID, request: OverrideRequest,
                  priority: int, now: datetime) -> ScheduleOverride:
    """The override row and its `schedule_change_log` row (inside the caller's transaction)."""
    row = ScheduleOverride(
        override_type=_kind(request),
        applies_to_all_stylists=False, stylist_user_id=stylist_id, start_date=request.day, end_date=request.day,
        is_closed=request.closed, override_start_time=None if request.closed else request.start,
        override_end_time=None if request.closed else request.end, priority=priority,
        reason=(request.reason or "").strip() or None, created_by=actor.user_id, created_at=now, updated_at=now,
    )
    session.add(row)
    session.flush()
    new_values = {
        "override_id": str(row.id), "date": request.day.isoformat(), "closed": request.closed,
        "start": request.start.strftime("%H:%M") if request.start and not request.closed else None,
        "end": request.end.strftime("%H:%M") if request.end and not request.closed else None,
        "priority": priority, "emergency": request.emergency,
    }
    session.add(ScheduleChangeLog(
        stylist_user_id=stylist_id, change_date=request.day,
        change_type="emergency_block" if request.emergency else "availability_override",
        old_values=None, new_values=new_values, reason=row.reason, is_emergency=request.emergency,
        ip_address=actor.ip, user_agent=actor.user_agent, changed_by=actor.user_id, created_at=now,
    ))
    return row


@audited(action="budget_limit_changed", category="configuration")
def set_limit(session: Session, actor: Actor, stylist_id: uuid.UUID, limit: int | None,
              now: datetime | None = None) -> BudgetView:
    if limit is None or not 1 <= limit <= 1000:
        raise BudgetRefused("INVALID_LIMIT", N_("The monthly limit must be a whole number from 1 to 1000."), ("limit",))
    current = read_budget(session, stylist_id, now)
    if limit < current.used:
        raise BudgetRefused(
            "LIMIT_BELOW_USED",
            Msg("%(used)s changes are already used this month; set a limit of at least %(used)s "
                "(it starts again on %(day)s).", used=current.used, day=current.renews_local.date()), ("limit",))
    with use_case(session, lock=True):
        session.execute(update(StylistOverrideBudget).where(StylistOverrideBudget.stylist_user_id == stylist_id)
                        .values(monthly_override_limit=limit).execution_options(synchronize_session=False))
        log_event(session, actor, action="budget_limit_changed", category="configuration",
                  target_type="override_budget", target_id=stylist_id,
                  details={"old_limit": current.limit, "new_limit": limit})
    return read_budget(session, stylist_id, now)


@audited(action="emergency_tokens_granted", category="configuration")
def grant_tokens(session: Session, actor: Actor, stylist_id: uuid.UUID, count: int | None,
                 now: datetime | None = None) -> BudgetView:
    if count is None or not 1 <= count <= MAX_TOKEN_GRANT:
        raise BudgetRefused("INVALID_COUNT", Msg("Give from 1 to %(max)s emergency changes.", max=MAX_TOKEN_GRANT),
                            ("count",))
    current = read_budget(session, stylist_id, now)
    b = StylistOverrideBudget
    with use_case(session, lock=True):
        session.execute(update(b).where(b.stylist_user_id == stylist_id)
                        .values(emergency_overrides_remaining=b.emergency_overrides_remaining + count)
                        .execution_options(synchronize_session=False))
        log_event(session, actor, action="emergency_tokens_granted", category="configuration",
                  target_type="override_budget", target_id=stylist_id,
                  details={"granted": count, "before": current.emergency_left,
                           "after": current.emergency_left + count})
    return read_budget(session, stylist_id, now)
