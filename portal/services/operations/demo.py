"""`flask seed-demo`: a realistic Kathmandu salon, with dates relative to today."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.database import use_case
from portal.domain.default_week import WEEKLY_DAY_OFF
from portal.domain.override_kinds import BUSINESS_CLOSURE, SEASONAL_HOURS, SPECIAL_EVENT, STYLIST_VACATION
from portal.domain.refusals import Refused
from portal.domain.roles import ADMIN, AUDITOR, CUSTOMER, STYLIST
from portal.models import (
    Booking, BookingFollowUp, BookingReservation, ScheduleChangeLog, ScheduleOverride, Service, StylistOverrideBudget,
    StylistProfile, StylistPromotion, StylistSchedule, StylistService, TimeOffRequest, UserMfa, UserProfile,
)
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.services.audit import audit_exempt, log_event
from portal.services.identity.accounts import grant_role, hash_password
from portal.services.identity.secret_box import seal
from portal.services.operations.demo_history import HISTORY_DAYS, add_history, demo_phone, log_desk_cancel

KATHMANDU = ZoneInfo("Asia/Kathmandu")
DEMO_PASSWORD = "namaste-kb-2026"
# Admins, the auditor and the promotion candidates whose "MFA enabled" check holds are
# enrolled with this documented key (README), so a demo user can add it to an app.
DEMO_TOTP_SECRET = "KBSTYLISHDEMOKEYKBSTYLISHDEMOKEY"


class DemoRefused(Refused):
    """seed-demo only fills an empty database."""


@dataclass(frozen=True)
class StylistSeed:
    email: str
    name: str
    title: str
    specialties: tuple[str, ...]
    years: int
    buffer: int
    hours: tuple[str, str]


SERVICES = (  # name, slug, category, minutes, price in paisa
    ("Haircut & Styling", "haircut-styling", "hair", 45, 80000),
    ("Hair Colour & Highlights", "hair-colour", "hair", 120, 450000),
    ("Bridal Makeup", "bridal-makeup", "makeup", 180, 2500000),
    ("Party Makeup", "party-makeup", "makeup", 90, 600000),
    ("Gel Manicure", "gel-manicure", "nails", 60, 150000),
    ("Head Massage & Spa", "head-massage-spa", "spa", 60, 250000),
)
SERVICE_NAMES_NE = {  # slug -> the name on Nepali pages
    "haircut-styling": "कपाल काट्ने र स्टाइलिङ", "hair-colour": "कपाल रङ र हाइलाइट",
    "bridal-makeup": "दुलहीको मेकअप", "party-makeup": "पार्टी मेकअप", "gel-manicure": "जेल मेनिक्योर",
    "head-massage-spa": "टाउकोको मालिस र स्पा",
}

STYLISTS = (
    StylistSeed("anjali.shrestha@kbstylish.com.np", "Anjali Shrestha", "Senior Stylist", ("bridal", "balayage"), 9, 15, ("10:00", "18:00")),
    StylistSeed("bikash.gurung@kbstylish.com.np", "Bikash Gurung", "Barber & Stylist", ("fades", "beard"), 6, 10, ("09:00", "17:00")),
    StylistSeed("kabita.tamang@kbstylish.com.np", "Kabita Tamang", "Makeup Artist", ("bridal makeup", "HD"), 7, 15, ("11:00", "19:00")),
    StylistSeed("prakash.rai@kbstylish.com.np", "Prakash Rai", "Colour Specialist", ("colour", "keratin"), 5, 15, ("10:00", "18:00")),
    StylistSeed("sunita.magar@kbstylish.com.np", "Sunita Magar", "Nail Artist", ("gel", "nail art"), 4, 5, ("10:00", "18:00")),
    StylistSeed("nirmala.karki@kbstylish.com.np", "Nirmala Karki", "Spa Therapist", ("head massage",), 8, 10, ("09:30", "17:30")),
    StylistSeed("rohan.maharjan@kbstylish.com.np", "Rohan Maharjan", "Stylist", ("curls", "men's cuts"), 3, 15, ("12:00", "20:00")),
    StylistSeed("deepa.thapa@kbstylish.com.np", "Deepa Thapa", "Junior Stylist", ("blow-dry",), 2, 15, ("10:00", "18:00")),
)

CUSTOMERS = (
    ("sarita.adhikari@example.com", "Sarita Adhikari"), ("manish.khadka@example.com", "Manish Khadka"),
    ("puja.basnet@example.com", "Puja Basnet"), ("aayush.poudel@example.com", "Aayush Poudel"),
    ("rekha.limbu@example.com", "Rekha Limbu"), ("suman.bhandari@example.com", "Suman Bhandari"),
    ("nisha.joshi@example.com", "Nisha Joshi"), ("kiran.shahi@example.com", "Kiran Shahi"),
    ("laxmi.pandey@example.com", "Laxmi Pandey"),
)

PROMOTION_STATES = (  # candidate index, status, checks (background, id, training, mfa)
    (0, "draft", ("pending", "pending", False, False)),
    (1, "pending_checks", ("in_progress", "submitted", False, False)),
    (2, "pending_training", ("passed", "verified", False, True)),
    (3, "pending_approval", ("passed", "verified", True, True)),
    (4, "rejected", ("failed", "verified", False, False)),
)


@audit_exempt("loads the demo salon into an empty database")
def seed(session: Session, today: date | None = None) -> list[tuple[str, str, str]]:
    """Load the demo salon; returns (email, password, role) of the demo logins."""
    with use_case(session):
        if session.scalar(select(func.count()).select_from(UserProfile)):
            raise DemoRefused("DATABASE_NOT_EMPTY",
                              "The database already has users: seed-demo only fills an empty database.")
        _fill(session, today or clock.now().astimezone(KATHMANDU).date())
    return [
        ("admin@kbstylish.com.np", DEMO_PASSWORD, ADMIN),
        ("admin2@kbstylish.com.np", DEMO_PASSWORD, ADMIN),
        ("auditor@kbstylish.com.np", DEMO_PASSWORD, AUDITOR),
        (STYLISTS[0].email, DEMO_PASSWORD, STYLIST),
        (CUSTOMERS[0][0], DEMO_PASSWORD, CUSTOMER),
    ]


def _fill(session: Session, today: date) -> None:
    """The demo salon's rows, inside the caller's transaction."""
    rng = random.Random(2026)
    password = hash_password(DEMO_PASSWORD)

    def person(email: str, name: str, role: str) -> UserProfile:
        user = UserProfile(email=email, display_name=name, password_hash=password)
        session.add(user)
        grant_role(session, user, role)
        return user

    admin = person("admin@kbstylish.com.np", "Sita Sharma", ADMIN)
    admin2 = person("admin2@kbstylish.com.np", "Ramesh Thapa", ADMIN)
    auditor = person("auditor@kbstylish.com.np", "Gita Koirala", AUDITOR)
    for user in (admin, admin2, auditor):
        _enrol(session, user)
    customers = [person(email, name, CUSTOMER) for email, name in CUSTOMERS]
    services = [
        Service(name=n, name_ne=SERVICE_NAMES_NE[s], slug=s, category=c, duration_minutes=m, base_price_cents=p,
                min_advance_hours=2, max_advance_days=30)
        for n, s, c, m, p in SERVICES
    ]
    session.add_all(services)
    session.flush()

    stylists = []
    for index, seed_row in enumerate(STYLISTS):
        user = person(seed_row.email, seed_row.name, STYLIST)
        session.flush()
        profile = StylistProfile(
            user_id=user.id, display_name=seed_row.name, title=seed_row.title, bio=f"{seed_row.title} at KB Stylish, Durbarmarg.",
            years_experience=seed_row.years, specialties=list(seed_row.specialties), timezone="Asia/Kathmandu",
            booking_buffer_minutes=seed_row.buffer,
        )
        session.add(profile)
        session.flush()  # the profile row must exist before its schedule and offers
        stylists.append(profile)
        start, end = (time.fromisoformat(t) for t in seed_row.hours)
        for dow in range(7):
            if dow == WEEKLY_DAY_OFF:  # Saturday: Nepal's weekly day off, for everyone
                continue
            session.add(StylistSchedule(
                stylist_user_id=user.id, day_of_week=dow, start_time_local=start, end_time_local=end,
                break_start_time_local=time(13, 0), break_end_time_local=time(14, 0),
                effective_from=today - timedelta(days=HISTORY_DAYS + 30),
            ))
        for s_index, service in enumerate(services):
            if (index + s_index) % 3 != 2:
                custom = service.base_price_cents + 10000 * (index % 3) if index % 2 else None
                session.add(StylistService(stylist_user_id=user.id, service_id=service.id, custom_price_cents=custom))
    session.flush()

    _overrides(session, today, stylists, admin)
    _followups(session, today, stylists, services, customers, admin)
    _bookings(session, rng, today, stylists, services, customers, admin)  # around the follow-up ones
    add_history(session, rng, today, stylists, services, customers, admin)  # the reports' months
    _promotions(session, today, customers, stylists[-1], admin, admin2)
    _own_changes(session, today, stylists)
    _time_off(session, today, stylists, admin)


# Self-service changes the first three stylists made this month: (normal, emergency).
# The budget counters are set from the rows written, so the card, the history and the
# upcoming changes agree (a card saying "10 / 10 used" lists ten changes); they were made
# seconds ago, so they count in this month whenever the demo is loaded.
OWN_CHANGES = ((10, 2), (4, 0), (7, 0))
PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"


def _own_changes(session, today, stylists) -> None:
    now = clock.now()
    taken = {d for o in session.scalars(select(ScheduleOverride)) for d in (o.start_date, o.end_date)}
    for profile, (normal, emergency) in zip(stylists, OWN_CHANGES):
        days = [today + timedelta(days=n) for n in range(1, 29) if today + timedelta(days=n) not in taken]
        for n, day in enumerate(days[:normal + emergency]):
            is_emergency, closed = n >= normal, n % 3 != 1
            row = ScheduleOverride(
                override_type=STYLIST_VACATION if closed else SPECIAL_EVENT, stylist_user_id=profile.user_id,
                start_date=day, end_date=day, is_closed=closed, priority=90 if is_emergency else 50,
                override_start_time=None if closed else time(11, 0), override_end_time=None if closed else time(16, 0),
                reason="Family puja" if closed else "Dentist in the morning", created_by=profile.user_id,
            )
            session.add(row)
            session.flush()
            session.add(ScheduleChangeLog(
                stylist_user_id=profile.user_id, change_date=day,
                change_type="emergency_block" if is_emergency else "availability_override",
                new_values={"override_id": str(row.id), "date": day.isoformat(), "closed": closed,
                            "start": None if closed else "11:00", "end": None if closed else "16:00",
                            "priority": row.priority, "emergency": is_emergency},
                reason=row.reason, is_emergency=is_emergency, ip_address="192.0.2.40", user_agent=PHONE,
                changed_by=profile.user_id, created_at=now - timedelta(seconds=normal + emergency - n),
            ))
        budget = session.get(StylistOverrideBudget, profile.user_id)
        if budget is not None:
            budget.current_month_overrides = normal
            budget.emergency_overrides_remaining = 3 - emergency


def _time_off(session, today, stylists, admin) -> None:
    """A request waiting for a decision, one declined and one approved (with its vacation)."""
    now = clock.now()
    first, second = stylists[0], stylists[1]
    session.add(TimeOffRequest(stylist_user_id=first.user_id, kind="festival", start_date=today + timedelta(days=40),
                               end_date=today + timedelta(days=44), note="Tihar at home in Dharan"))
    session.add(TimeOffRequest(stylist_user_id=second.user_id, kind="leave", start_date=today + timedelta(days=35),
                               end_date=today + timedelta(days=36), status="declined", decided_by=admin.id,
                               decided_at=now, decision_reason="Two stylists are already away that week."))
    vacation = ScheduleOverride(override_type=STYLIST_VACATION, stylist_user_id=first.user_id,
                                start_date=today + timedelta(days=50), end_date=today + timedelta(days=52),
                                is_closed=True, priority=50, reason="Leave", created_by=admin.id)
    session.add(vacation)
    session.flush()
    session.add(TimeOffRequest(stylist_user_id=first.user_id, kind="leave", start_date=vacation.start_date,
                               end_date=vacation.end_date, note="Cousin's wedding", status="approved",
                               decided_by=admin.id, decided_at=now, vacation_override_id=vacation.id))


def _local(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), KATHMANDU).astimezone(timezone.utc)


def _day_off(index: int) -> int:
    return WEEKLY_DAY_OFF  # Saturday, Nepal's weekly day off, for every stylist


def _fits_winter_day(start: datetime, minutes: int) -> bool:
    """Inside the demo's winter hours (10:00–17:00) and clear of the 13:00–14:00 break, so
    only the closure, the vacation and the bookings made for it await follow-up."""
    local = start.astimezone(KATHMANDU)
    begin = local.hour * 60 + local.minute
    end = begin + minutes
    return 600 <= begin and end <= 1020 and (end <= 780 or begin >= 840)


def _taken(session, stylist_id, start: datetime, end: datetime) -> bool:
    return session.scalar(select(Booking.id).where(
        Booking.stylist_user_id == stylist_id, Booking.status.in_(OCCUPYING_BOOKING_STATUSES),
        Booking.start_time < end, Booking.end_time > start).limit(1)) is not None


def _bookings(session, rng, today, stylists, services, customers, admin) -> None:
    actor = Actor(admin.id, admin.display_name)
    offered = {(o.stylist_user_id, o.service_id) for o in session.scalars(select(StylistService))}
    for offset in range(-7, 15):
        day = today + timedelta(days=offset)
        for index, profile in enumerate(stylists):
            for hhmm in rng.sample(["10:00", "11:00", "14:00", "15:30", "16:30"], k=2):
                service = rng.choice(services)
                if (profile.user_id, service.id) not in offered:
                    continue
                customer = rng.choice(customers)
                start = _local(day, hhmm)
                if day.isoweekday() % 7 == _day_off(index) or not _fits_winter_day(start, service.duration_minutes):
                    continue  # the public site only sold times inside the hours
                status = "completed" if offset < 0 else rng.choice(["confirmed", "confirmed", "pending", "cancelled"])
                end = start + timedelta(minutes=service.duration_minutes)
                if status in OCCUPYING_BOOKING_STATUSES and _taken(session, profile.user_id, start, end):
                    status = "cancelled"  # the no-overlap rule: history may overlap, occupying bookings never
                booking = Booking(
                    customer_user_id=customer.id, stylist_user_id=profile.user_id, service_id=service.id,
                    start_time=start, end_time=start + timedelta(minutes=service.duration_minutes),
                    price_cents=service.base_price_cents, status=status, customer_name=customer.display_name,
                    customer_email=customer.email, customer_phone=demo_phone(customer.email),
                )
                session.add(booking)
                if status == "cancelled":  # with the row the desk's Cancel step writes
                    session.flush()
                    log_desk_cancel(session, actor, booking)
    now = clock.now()
    for profile in stylists[:3]:
        start = _local(today + timedelta(days=1), "12:00")
        session.add(BookingReservation(
            stylist_user_id=profile.user_id, service_id=services[0].id, start_time=start,
            end_time=start + timedelta(minutes=45), price_cents=80000, expires_at=now + timedelta(minutes=15),
        ))


def _overrides(session, today, stylists, admin) -> None:
    rows = [
        ScheduleOverride(override_type=BUSINESS_CLOSURE, applies_to_all_stylists=True, start_date=today + timedelta(days=10),
                         end_date=today + timedelta(days=12), is_closed=True, priority=100,
                         reason="Dashain holidays: salon closed", created_by=admin.id),
        ScheduleOverride(override_type=STYLIST_VACATION, stylist_user_id=stylists[1].user_id,
                         start_date=today + timedelta(days=3), end_date=today + timedelta(days=6), is_closed=True,
                         priority=50, reason="Family visit to Pokhara", created_by=admin.id),
        ScheduleOverride(override_type=SEASONAL_HOURS, applies_to_all_stylists=True, start_date=today,
                         end_date=today + timedelta(days=60), override_start_time=time(10, 0),
                         override_end_time=time(17, 0), priority=10, reason="Winter hours", created_by=admin.id),
        ScheduleOverride(override_type=SPECIAL_EVENT, stylist_user_id=stylists[2].user_id,
                         start_date=today + timedelta(days=5), end_date=today + timedelta(days=5),
                         override_start_time=time(7, 0), override_end_time=time(21, 0), priority=30,
                         reason="Wedding season: early bridal bookings", created_by=admin.id),
    ]
    session.add_all(rows)
    session.flush()
    actor = Actor(admin.id, admin.display_name)
    for row in rows:
        log_event(session, actor, action="override_created", category="configuration",
                  target_type="schedule_override", target_id=row.id,
                  details={"type": row.override_type, "reason": row.reason, "demo": True})


def _followups(session, today, stylists, services, customers, admin) -> None:
    """Bookings the Dashain closure and a vacation leave outside the hours (bookings.md's
    follow-up list): two await follow-up, one was contacted, one is kept."""
    haircut = services[0]
    plan = (  # stylist, days from today, local time, customer, what the front desk recorded
        (stylists[0], 10, "12:00", customers[0], ("contacted", "Called; she will come after Dashain.")),
        (stylists[3], 11, "12:00", customers[1], ("kept", "Regular client: Prakash opens for him.")),
        (stylists[0], 11, "12:00", customers[2], None),
        (stylists[1], 4, "12:00", customers[3], None),  # during Bikash's vacation
    )
    actor = Actor(admin.id, admin.display_name)
    for profile, offset, hhmm, customer, record in plan:
        start = _local(today + timedelta(days=offset), hhmm)
        booking = Booking(
            customer_user_id=customer.id, stylist_user_id=profile.user_id, service_id=haircut.id, start_time=start,
            end_time=start + timedelta(minutes=haircut.duration_minutes), price_cents=haircut.base_price_cents,
            status="confirmed", customer_name=customer.display_name, customer_email=customer.email,
            customer_phone=demo_phone(customer.email),
        )
        session.add(booking)
        session.flush()
        if record:
            action, note = record
            session.add(BookingFollowUp(booking_id=booking.id, action=action, note=note, recorded_by=admin.id))
            log_event(session, actor, action="booking_followup_recorded", category="configuration",
                      target_type="booking", target_id=booking.id, details={"followup": action, "demo": True})


def _enrol(session: Session, user: UserProfile) -> None:
    session.flush()
    session.add(UserMfa(user_id=user.id, secret_encrypted=seal(DEMO_TOTP_SECRET),
                        confirmed_at=clock.now()))


def _promotions(session, today, customers, approved_stylist, admin, admin2) -> None:
    now = clock.now()
    actor = Actor(admin.id, admin.display_name)
    for index, status, (background, id_check, training, mfa) in PROMOTION_STATES:
        user = customers[index]
        if mfa:  # the check is the candidate's own enrolment
            _enrol(session, user)
        promotion = StylistPromotion(
            user_id=user.id, requested_by=admin.id, status=status, background_check_status=background,
            id_verification_status=id_check, training_completed=training, mfa_enabled=mfa,
            rejection_reason="Background check failed" if status == "rejected" else None,
            rejected_at=now if status == "rejected" else None,
            notes=[{"timestamp": now.isoformat(), "admin_id": str(admin.id), "admin_name": admin.display_name,
                    "action": "start", "note": "Walk-in applicant, portfolio reviewed (demo)."}],
        )
        session.add(promotion)
        session.flush()
        log_event(session, actor, action="promotion_started", category="governance",
                  target_type="stylist_promotion", target_id=promotion.id, details={"status": status, "demo": True})
    session.add(StylistPromotion(
        user_id=approved_stylist.user_id, requested_by=admin.id, approved_by=admin2.id, status="approved",
        background_check_status="passed", id_verification_status="verified", training_completed=True,
        mfa_enabled=True, approved_at=now,
        notes=[{"timestamp": now.isoformat(), "admin_id": str(admin2.id), "admin_name": admin2.display_name,
                "action": "approve", "note": "Welcome to the team (demo)."}],
    ))
    revoked_user = customers[5]
    session.add(StylistPromotion(
        user_id=revoked_user.id, requested_by=admin.id, approved_by=admin2.id, status="revoked",
        background_check_status="passed", id_verification_status="verified", training_completed=True,
        mfa_enabled=True, revocation_reason="Left the salon", revoked_at=now, revoked_by=admin.id,
    ))
