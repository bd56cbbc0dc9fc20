"""Taking a booking at the desk (front-desk.md): a free start of the public endpoint's
grid, inside min-advance for staff, never over a booking, a live hold, a buffer, a break,
outside the hours or in the past; priced and timed from the catalogue; the customer
row made in the same transaction; logged; the slot gone from the public API at once."""
from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from portal.actor import Actor
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import Customer
from portal.services.desk import front_desk
from portal.services.desk.desk_free_times import free_times
from tests.bookings.helpers import NO_LIMIT, at, get_slots, log_rows, salon


@pytest.fixture
def app_config():
    return NO_LIMIT


def _utc_text(moment) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _statuses(client, s) -> dict:
    return {x["slotStartUtc"]: x["status"] for x in get_slots(client, s.stylist, s.cut, s.day).get_json()}


def _take(s, start, phone="9841234567", name="Sita Rai", stylist=None, service=None, source="phone", now=None):
    return front_desk.take_booking(db.session, Actor(s.admin.id, "Admin"), phone=phone, name=name, email=None,
                                   service_id=(service or s.cut).id, stylist_id=(stylist or s.stylist).user_id,
                                   start=start, source=source, now=now)


def test_phone_booking_is_saved_logged_and_gone_from_the_public_api(app, factory, raw, client):
    s = salon(factory)
    factory.session.execute(text("UPDATE stylist_services SET custom_price_cents = 90000, "
                                 "custom_duration_minutes = 45 WHERE stylist_user_id = :s AND service_id = :v"),
                            {"s": str(s.stylist.user_id), "v": str(s.cut.id)})
    factory.session.commit()
    ten = _utc_text(at(s.day, 10))
    assert _statuses(client, s)[ten] == "available"
    with app.app_context():
        booking = _take(s, at(s.day, 10), phone="+977 984-1234567")
        assert (booking.status, booking.source, booking.price_cents) == ("confirmed", "phone", 90000)
        assert booking.end_time - booking.start_time == timedelta(minutes=45)
        assert booking.customer_phone == "+9779841234567" and booking.created_by_user_id == s.admin.id
        customer = db.session.scalar(select(Customer))
        assert (customer.name, customer.phone) == ("Sita Rai", "+9779841234567")
    assert len(log_rows(raw, "booking_created", "configuration")) == 1
    assert _statuses(client, s)[ten] == "booked"  # gone from the public endpoint at once (cache triggers)


def test_refused_over_booking_hold_buffer_break_hours_and_past(app, factory, raw):
    s = salon(factory)
    buffered = factory.stylist(display_name="Chandra", buffer=15)
    factory.offer(buffered, s.cut)
    factory.week(buffered, "09:00", "17:00", break_start="13:00", break_end="14:00")
    factory.booking(buffered, s.cut, at(s.day, 10))
    factory.hold(buffered, s.cut, at(s.day, 15))
    with app.app_context():
        for start in (at(s.day, 10), at(s.day, 10, 30),  # over a booking
                      at(s.day, 11),  # inside the 15-minute buffer after 10:00–11:00
                      at(s.day, 15), at(s.day, 14, 30),  # over a live hold
                      at(s.day, 13), at(s.day, 12, 30),  # in the break
                      at(s.day, 8, 30), at(s.day, 16, 30),  # outside the hours
                      at(s.day - timedelta(days=4), 10)):  # in the past
            with pytest.raises(Refused) as refused:
                _take(s, start, stylist=buffered)
            assert refused.value.code == front_desk.SLOT_TAKEN, start
        assert db.session.scalar(select(func.count()).select_from(Customer)) == 0
        assert _take(s, at(s.day, 11, 30), stylist=buffered).start_time == at(s.day, 11, 30)
    assert len(log_rows(raw, "booking_created")) == 1


def test_refusal_names_the_booking_and_lists_fresh_times(app, factory):
    s = salon(factory)
    factory.booking(s.stylist, s.cut, at(s.day, 10))
    with app.app_context():
        with pytest.raises(Refused) as refused:
            _take(s, at(s.day, 10))
        assert "Anjali was just booked 10:00 AM–11:00 AM" in refused.value.message
        fresh = refused.value.details["free_times"]
        assert fresh and at(s.day, 10) not in [t.start for t in fresh] and at(s.day, 11) in [t.start for t in fresh]


def test_staff_book_inside_min_advance_but_never_in_the_past(app, factory):
    s = salon(factory)
    soon = factory.service(duration=30, name="Trim", slug="trim", min_advance_hours=3)
    factory.offer(s.stylist, soon)
    now = at(s.day, 9, 10)
    with app.app_context():
        times = [t.start for t in free_times(db.session, s.stylist.user_id, soon.id, s.day, now)]
        assert times[0] == at(s.day, 9, 30)  # a walk-in takes the next start on the grid
        booking = _take(s, at(s.day, 9, 30), service=soon, source="walk_in", now=now)
        assert booking.source == "walk_in"
        with pytest.raises(Refused):
            _take(s, at(s.day, 9), service=soon, source="walk_in", now=now)  # already past


@pytest.mark.parametrize("typed", ["9841234567", "984-1234567", "+977 984 1234567", "00977 984 1234567",
                                   "+9779841234567"])
def test_phone_formats_land_on_one_customer(app, factory, typed):
    s = salon(factory)
    with app.app_context():
        _take(s, at(s.day, 9), phone="9841234567")
        _take(s, at(s.day, 11), phone=typed, name="Sita R.")
        assert db.session.scalar(select(func.count()).select_from(Customer)) == 1
        assert db.session.scalar(select(Customer.name)) == "Sita R."  # updated in the same transaction


@pytest.mark.parametrize("typed", ["12345", "98412", "phone", "", "+977 12"])
def test_invalid_phone_is_a_field_error_and_nothing_is_saved(app, factory, raw, typed):
    s = salon(factory)
    with app.app_context():
        with pytest.raises(Refused) as refused:
            _take(s, at(s.day, 9), phone=typed)
        assert "phone" in refused.value.fields
    assert raw.execute(text("SELECT count(*) FROM bookings")).scalar() == 0
    assert raw.execute(text("SELECT count(*) FROM customers")).scalar() == 0
    assert log_rows(raw, "booking_created") == []


WRITERS = 8


@pytest.mark.postgresql_only
def test_public_site_and_desk_race_for_the_same_hour(app, factory, raw):
    """Plain-SQL writers (as the public site) and desk bookings at once: exactly one
    booking of the hour exists; the desk's losers get the plain message."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import create_engine
    from sqlalchemy.exc import IntegrityError

    from tests import databases
    from tests.desk.helpers import insert_booking, occupying

    s = salon(factory)
    engine = create_engine(databases.admin_url(app.config["SQLALCHEMY_DATABASE_URI"]), pool_size=WRITERS)
    barrier = threading.Barrier(WRITERS)

    def public_site(i):
        with engine.connect() as conn:
            barrier.wait(timeout=30)
            try:
                with conn.begin():
                    insert_booking(conn, s.stylist, s.cut, at(s.day, 10), at(s.day, 11))
                return "ok"
            except IntegrityError:
                return "refused"

    def desk(i):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                _take(s, at(s.day, 10), phone=f"98412345{i:02d}")
                return "ok"
            except Refused as refused:
                return "plain message" if "Anjali was just booked 10:00 AM–11:00 AM" in refused.message else repr(refused)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(lambda i: (public_site if i % 2 else desk)(i), range(WRITERS)))
    engine.dispose()
    assert results.count("ok") == 1, results
    assert set(results) <= {"ok", "refused", "plain message"}, results
    assert occupying(raw, s.stylist) == 1
