"""Rows for tests, built through the ORM (or the services, where one exists)."""
from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy.orm import scoped_session

from portal.models import (
    Booking, BookingReservation, ScheduleOverride, Service, StylistProfile, StylistSchedule,
    StylistService, UserMfa, UserProfile,
)
from portal.services.identity import accounts
from portal.services.identity.secret_box import seal
from tests.web import PASSWORD, TOTP_SECRET

_counter = itertools.count(1)


class Factory:
    """`factory.user("admin")`, `factory.stylist()`, `factory.service()`, ... (committed)."""

    def __init__(self, session):
        self._session = session() if isinstance(session, scoped_session) else session

    @property
    def session(self):
        # End any read transaction left open, so each row is written on a fresh
        # snapshot (SQLite refuses a write from a stale WAL snapshot).
        if self._session.in_transaction() and not (self._session.new or self._session.dirty):
            self._session.commit()
        return self._session

    def user(self, role: str = "customer", email: str | None = None, name: str | None = None,
             password: str | None = PASSWORD, mfa: bool | None = None) -> UserProfile:
        """A user with one role. Admins and auditors must use two-step sign-in, so they
        are enrolled (secret `TOTP_SECRET`, see tests/web.py) unless `mfa=False`."""
        n = next(_counter)
        email = email or f"{role}{n}@example.test"
        user = accounts.create_user(self.session, email, name or f"{role.title()} {n}", role, password)
        if mfa if mfa is not None else role in ("admin", "auditor"):
            self.enrol(user)
        return user

    def enrol(self, user: UserProfile, secret: str = TOTP_SECRET) -> UserMfa:
        """A confirmed TOTP factor (no recovery codes), as if enrolled through the page."""
        row = UserMfa(user_id=user.id, secret_encrypted=seal(secret), confirmed_at=datetime.now(timezone.utc))
        self.session.add(row)
        self.session.commit()
        return row

    def stylist(self, timezone_name: str = "Asia/Kathmandu", buffer: int = 0, user: UserProfile | None = None,
                **fields) -> StylistProfile:
        user = user or self.user("stylist")
        if "stylist" not in user.role_names:
            accounts.grant_role(self.session, user, "stylist")
        profile = StylistProfile(
            user_id=user.id, display_name=fields.pop("display_name", user.display_name),
            timezone=timezone_name, booking_buffer_minutes=buffer, **fields,
        )
        self.session.add(profile)
        self.session.commit()
        return profile

    def service(self, duration: int = 60, price: int = 150000, min_advance_hours: int = 0,
                max_advance_days: int = 30, category: str = "hair", **fields) -> Service:
        n = next(_counter)
        service = Service(
            name=fields.pop("name", f"Service {n}"), slug=fields.pop("slug", f"service-{n}"),
            category=category, duration_minutes=duration, base_price_cents=price,
            min_advance_hours=min_advance_hours, max_advance_days=max_advance_days, **fields,
        )
        self.session.add(service)
        self.session.commit()
        return service

    def offer(self, stylist: StylistProfile, service: Service, **fields) -> StylistService:
        offer = StylistService(stylist_user_id=stylist.user_id, service_id=service.id, **fields)
        self.session.add(offer)
        self.session.commit()
        return offer

    def schedule(self, stylist: StylistProfile, day_of_week: int, start: str = "09:00", end: str = "17:00",
                 break_start: str | None = None, break_end: str | None = None,
                 effective_from: date = date(2000, 1, 1), **fields) -> StylistSchedule:
        row = StylistSchedule(
            stylist_user_id=stylist.user_id, day_of_week=day_of_week,
            start_time_local=time.fromisoformat(start), end_time_local=time.fromisoformat(end),
            break_start_time_local=time.fromisoformat(break_start) if break_start else None,
            break_end_time_local=time.fromisoformat(break_end) if break_end else None,
            effective_from=effective_from, **fields,
        )
        self.session.add(row)
        self.session.commit()
        return row

    def week(self, stylist: StylistProfile, start: str = "09:00", end: str = "17:00", days=range(7), **fields):
        return [self.schedule(stylist, d, start, end, **fields) for d in days]

    def override(self, stylist: StylistProfile | None, start_date: date, end_date: date | None = None,
                 override_type: str | None = None, closed: bool = False, start: str | None = None,
                 end: str | None = None, priority: int = 0, **fields) -> ScheduleOverride:
        row = ScheduleOverride(
            override_type=override_type or ("stylist_vacation" if stylist and closed else
                                            "business_closure" if closed else "special_event"),
            applies_to_all_stylists=stylist is None,
            stylist_user_id=stylist.user_id if stylist else None,
            start_date=start_date, end_date=end_date or start_date, is_closed=closed,
            override_start_time=time.fromisoformat(start) if start else None,
            override_end_time=time.fromisoformat(end) if end else None,
            priority=priority, **fields,
        )
        self.session.add(row)
        self.session.commit()
        return row

    def booking(self, stylist: StylistProfile, service: Service, start: datetime, minutes: int | None = None,
                status: str = "confirmed", **fields) -> Booking:
        minutes = minutes or service.duration_minutes
        row = Booking(
            stylist_user_id=stylist.user_id, service_id=service.id, start_time=start,
            end_time=start + timedelta(minutes=minutes), price_cents=service.base_price_cents,
            status=status, **fields,
        )
        self.session.add(row)
        self.session.commit()
        return row

    def hold(self, stylist: StylistProfile, service: Service, start: datetime, minutes: int | None = None,
             expires_at: datetime | None = None, status: str = "reserved") -> BookingReservation:
        minutes = minutes or service.duration_minutes
        row = BookingReservation(
            stylist_user_id=stylist.user_id, service_id=service.id, start_time=start,
            end_time=start + timedelta(minutes=minutes), status=status,
            expires_at=expires_at or datetime.now(timezone.utc) + timedelta(minutes=15),
        )
        self.session.add(row)
        self.session.commit()
        return row


def new_id() -> str:
    return str(uuid.uuid4())
