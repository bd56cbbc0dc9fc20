"""Reports for admins and auditors (time-off-and-reports.md "Reports"): the façade.

- `salon_report(session, period, zone, stylist_id=, service_id=)` answers every figure of
  the page for one period (reading only; viewing is not logged);
- `export_report(session, actor, ...)` answers the same report and writes its
  `report_exported` row (data_access) first, for one table's CSV download.

The counting is the database's (`counts`, `working_time`); definitions in docs/reports.md.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.database import use_case
from portal.domain import reports
from portal.domain.refusals import NotFound
from portal.domain.translatable import N_
from portal.models import Service, StylistProfile
from portal.services.audit import audited, log_event
from portal.services.reports import counts
from portal.services.reports.counts import Scope, ServiceRow
from portal.services.reports.local_clock import local_clock
from portal.services.reports.working_time import StylistUse, utilisation

__all__ = ["Report", "salon_report", "export_report", "StylistUse", "ServiceRow", "choices"]


@dataclass(frozen=True)
class Report:
    period: reports.Period
    zone: str
    stylist: StylistProfile | None
    service: Service | None
    by_source: dict[str, int]          # ONLINE / DESK -> bookings (all statuses)
    bookings: int
    completed: int
    no_shows: int
    cancelled_by: dict[str, int]       # CANCELLED_BY -> bookings
    revenue_cents: int
    revenue_days: list[tuple[date, int, int]]   # (salon date, completed, revenue) for every date
    busy: dict[tuple[int, int], int]   # (weekday 0 = Sunday, hour) -> bookings that took a chair
    top_services: list[ServiceRow]
    utilisation: list[StylistUse]

    @property
    def cancelled(self) -> int:
        return sum(self.cancelled_by.values())

    @property
    def no_show_rate(self) -> float | None:
        return reports.no_show_rate(self.completed, self.no_shows)

    @property
    def average_ticket_cents(self) -> int | None:
        return reports.average_ticket(self.revenue_cents, self.completed)

    @property
    def busy_hours(self) -> list[int]:
        """The hours the heat map shows: from the earliest to the latest with a booking (9–18 when none)."""
        hours = [h for (_, h), n in self.busy.items() if n]
        return list(range(min(hours), max(hours) + 1)) if hours else list(range(9, 19))


def choices(session: Session) -> tuple[list, list]:
    """The stylists (`user_id`, `display_name`) and services (`Service` rows) a report can be
    narrowed to, active ones first, then by name."""
    stylists = session.execute(select(StylistProfile.user_id, StylistProfile.display_name).order_by(
        StylistProfile.is_active.desc(), StylistProfile.display_name)).all()
    services = session.scalars(select(Service).order_by(Service.is_active.desc(), Service.name)).all()
    return list(stylists), list(services)


def salon_report(session: Session, period: reports.Period, zone: str, *, stylist_id: uuid.UUID | None = None,
                 service_id: uuid.UUID | None = None) -> Report:
    stylist = _get(session, StylistProfile, stylist_id, N_("No such stylist."))
    service = _get(session, Service, service_id, N_("No such service."))
    lo, hi = period.bounds(zone)
    clock = local_clock(session, zone, lo, hi)
    scope = Scope(lo, hi, clock, stylist_id, service_id)
    by_source = dict.fromkeys(reports.SOURCE_GROUP_LABELS, 0)
    completed = no_shows = revenue = 0
    for row in counts.totals(session, scope):
        by_source[reports.SOURCE_GROUPS.get(row.source, reports.ONLINE)] += row.bookings
        completed += row.bookings if row.status == reports.COMPLETED else 0
        no_shows += row.bookings if row.status == reports.NO_SHOW else 0
        revenue += row.revenue_cents
    hourly = counts.hours(session, scope)
    per_day = counts.revenue_days(hourly)
    stylists = [stylist] if stylist is not None else _stylists_to_show(session)
    uses = [u for u in utilisation(session, stylists, period.first, period.last, service_id)
            if stylist is not None or u.working_minutes or u.booked_minutes]
    return Report(
        period=period, zone=zone, stylist=stylist, service=service, by_source=by_source,
        bookings=sum(by_source.values()), completed=completed, no_shows=no_shows,
        cancelled_by=counts.cancellations(session, scope), revenue_cents=revenue,
        revenue_days=[(d, *per_day.get(d, (0, 0))) for d in period.dates()],
        busy=counts.busy_hours(hourly), top_services=counts.top_services(session, scope),
        utilisation=uses,
    )


@audited(action="report_exported", category="data_access")
def export_report(session: Session, actor: Actor, table: str, period: reports.Period, zone: str, *,
                  stylist_id: uuid.UUID | None = None, service_id: uuid.UUID | None = None) -> Report:
    """Record the download of one table (committed first), then the report it is cut from."""
    if table not in reports.TABLES:
        raise NotFound(message=N_("No such table."))
    with use_case(session):
        log_event(session, actor, action="report_exported", category="data_access", details={
            "table": table, "period": period.kind, "first": period.first.isoformat(),
            "last": period.last.isoformat(), "stylist_id": str(stylist_id) if stylist_id else None,
            "service_id": str(service_id) if service_id else None,
        })
    return salon_report(session, period, zone, stylist_id=stylist_id, service_id=service_id)


def _get(session: Session, model, key, missing: str):
    if key is None:
        return None
    row = session.get(model, key)
    if row is None:
        raise NotFound(message=missing)
    return row


def _stylists_to_show(session: Session) -> list:
    """Every stylist's `user_id`, `display_name` and `timezone` (plain rows: what utilisation reads)."""
    return list(session.execute(
        select(StylistProfile.user_id, StylistProfile.display_name, StylistProfile.timezone)).all())
