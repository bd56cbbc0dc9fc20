"""Bookings as staff see them (bookings.md): the stylist's agenda, the admin's day board,
one booking's details. Reading only, except that opening a booking's details writes its
`booking_viewed` row (data_access)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.database import use_case
from portal.domain import override_kinds
from portal.domain.bookings import AGENDA_DAYS, STYLIST_CONTACT_DAYS
from portal.domain.refusals import NotFound, Refused
from portal.domain.schedule_layers import DayWindow
from portal.domain.translatable import N_, Msg
from portal.models import Booking, BookingFollowUp, Service, StylistProfile, StylistService, UserProfile
from portal.services.appointments import followup
from portal.services.audit import audited, log_event
from portal.domain.schedule_changes import override_label
from portal.services.scheduling.schedules import effective_days
from portal.zones import is_time_zone

UTC = timezone.utc
NOT_YOURS = "NOT_YOURS"
DAY_OFF = N_("Day off")
SOMEONE = N_("someone")


@dataclass(frozen=True)
class Appointment:
    booking: Booking
    service: Service
    outside_hours: bool
    kept: bool = False  # outside the hours, but an admin chose to keep it (off the follow-up list)

    @property
    def awaits_followup(self) -> bool:
        return self.outside_hours and not self.kept


@dataclass(frozen=True)
class AgendaDay:
    window: DayWindow
    appointments: tuple[Appointment, ...]


def zone_name(stylist: StylistProfile) -> str:
    """The stylist's zone for showing times (UTC when another client wrote a bad one)."""
    return stylist.timezone if is_time_zone(stylist.timezone) else "UTC"


def _local_bounds(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    return (datetime.combine(first, time(), tz).astimezone(UTC),
            datetime.combine(last + timedelta(days=1), time(), tz).astimezone(UTC))


def _appointments(session: Session, stylist: StylistProfile, first: date, last: date,
                  outside: tuple[set[uuid.UUID], set[uuid.UUID]]) -> dict[date, list[Appointment]]:
    lo, hi = _local_bounds(first, last, zone_name(stylist))
    found: dict[date, list[Appointment]] = {}
    for booking, service in session.execute(
            select(Booking, Service).join(Service, Service.id == Booking.service_id)
            .where(Booking.stylist_user_id == stylist.user_id, Booking.start_time >= lo, Booking.start_time < hi)
            .order_by(Booking.start_time, Booking.id)):
        day = booking.start_time.astimezone(ZoneInfo(zone_name(stylist))).date()
        found.setdefault(day, []).append(Appointment(booking, service, booking.id in outside[0],
                                                     booking.id in outside[1]))
    return found


def _outside_ids(session: Session, stylist_id: uuid.UUID, lo: datetime,
                 hi: datetime) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """(bookings outside the hours, those of them an admin kept)."""
    rows = followup.occupying_rows(session, lo, stylist_id, until=hi, include_kept=True)
    outside = {hit.booking.id for hit in followup.judge_rows(session, rows)}
    return outside, followup.kept_ids(session, outside)


def agenda(session: Session, stylist: StylistProfile, now: datetime | None = None) -> list[AgendaDay]:
    """Today and the next AGENDA_DAYS days in the stylist's zone: hours and appointments."""
    now = now or clock.now()
    today = now.astimezone(ZoneInfo(zone_name(stylist))).date()
    last = today + timedelta(days=AGENDA_DAYS)
    lo, hi = _local_bounds(today, last, zone_name(stylist))
    by_day = _appointments(session, stylist, today, last, _outside_ids(session, stylist.user_id, lo, hi))
    return [AgendaDay(w, tuple(by_day.get(w.day, ()))) for w in effective_days(session, stylist.user_id, today, last)]


@dataclass(frozen=True)
class BoardColumn:
    stylist: StylistProfile
    window: DayWindow
    appointments: tuple[Appointment, ...]

    @property
    def why_not_working(self) -> str:
        """Why the stylist does not work that day (a `Msg`, read in the page's language)."""
        w = self.window
        if w.window is not None:
            return ""
        if w.winner is not None and w.winner.is_closed:
            kind = Msg(override_kinds.label(w.winner.override_type))
            if w.winner.override_type == override_kinds.STYLIST_VACATION and not w.winner.reason:
                kind = Msg(DAY_OFF)
            return Msg("%(kind)s: %(change)s", kind=kind, change=override_label(w.winner))
        return DAY_OFF


def day_board(session: Session, day: date) -> tuple[list[BoardColumn], list[BoardColumn]]:
    """(working, not working) active stylists on ``day``, each with their appointments."""
    working, off = [], []
    stylists = session.scalars(select(StylistProfile).where(StylistProfile.is_active)
                               .order_by(StylistProfile.display_name)).all()
    for stylist in stylists:
        if not is_time_zone(stylist.timezone):  # written by another client: no hours can be placed
            off.append(BoardColumn(stylist, DayWindow(day, None, None, None, (), None, "day off"), ()))
            continue
        window = effective_days(session, stylist.user_id, day, day)[0]
        lo, hi = _local_bounds(day, day, stylist.timezone)
        outside = _outside_ids(session, stylist.user_id, lo, hi)
        appointments = tuple(a for a in _appointments(session, stylist, day, day, outside).get(day, ())
                             if a.booking.status != "cancelled")
        column = BoardColumn(stylist, window, appointments)
        (working if window.window is not None else off).append(column)
    return working, off


@dataclass(frozen=True)
class BookingPage:
    booking: Booking
    stylist: StylistProfile
    service: Service
    history: tuple[tuple[BookingFollowUp, str], ...]  # (record, who)
    show_contact: bool

    @property
    def zone(self) -> str:
        return zone_name(self.stylist)


def contact_visible_to_stylist(booking: Booking, zone: str, now: datetime) -> bool:
    """bookings.md: a stylist sees phone and email of their own appointments of the next
    2 days only — today and the next STYLIST_CONTACT_DAYS dates in their zone."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    return today <= booking.start_time.astimezone(tz).date() <= today + timedelta(days=STYLIST_CONTACT_DAYS)


@audited(action="booking_viewed", category="data_access")
def open_booking(session: Session, actor: Actor, booking_id: uuid.UUID, as_admin: bool,
                 now: datetime | None = None) -> BookingPage:
    """One booking's page; writes its `booking_viewed` row. A stylist may open only their
    own bookings (refused with code NOT_YOURS, nothing written)."""
    now = now or clock.now()
    with use_case(session):
        booking = session.get(Booking, booking_id)
        if booking is None:
            raise NotFound("NOT_FOUND", N_("That booking does not exist."))
        if not as_admin and booking.stylist_user_id != actor.user_id:
            raise Refused(NOT_YOURS, N_("This is another stylist's booking."))
        stylist = session.get(StylistProfile, booking.stylist_user_id)
        service = session.get(Service, booking.service_id)
        show = as_admin or contact_visible_to_stylist(booking, zone_name(stylist), now)
        log_event(session, actor, action="booking_viewed", category="data_access", target_type="booking",
                  target_id=booking.id, details={"contact_shown": show})
        history = tuple(
            (row, name or SOMEONE)
            for row, name in session.execute(
                select(BookingFollowUp, UserProfile.display_name)
                .outerjoin(UserProfile, UserProfile.id == BookingFollowUp.recorded_by)
                .where(BookingFollowUp.booking_id == booking.id)
                .order_by(BookingFollowUp.created_at, BookingFollowUp.id))
        )
    return BookingPage(booking, stylist, service, history, show)


def bookings_by_id(session: Session, ids: list[uuid.UUID]) -> list[tuple[Booking, StylistProfile, Service]]:
    """The chosen bookings with stylist and service, in time order (a confirmation page)."""
    if not ids:
        return []
    return [tuple(row) for row in session.execute(
        select(Booking, StylistProfile, Service)
        .join(StylistProfile, StylistProfile.user_id == Booking.stylist_user_id)
        .join(Service, Service.id == Booking.service_id)
        .where(Booking.id.in_(ids)).order_by(Booking.start_time, Booking.id))]


def services(session: Session) -> list[Service]:
    return list(session.scalars(select(Service).order_by(Service.name)).all())


def first_offered_service(session: Session, stylist_id: uuid.UUID) -> uuid.UUID | None:
    """The troubleshooter's default service for a stylist: the first they offer, by name."""
    return session.scalar(
        select(Service.id).join(StylistService, StylistService.service_id == Service.id)
        .where(StylistService.stylist_user_id == stylist_id, StylistService.is_available)
        .order_by(Service.name).limit(1))
