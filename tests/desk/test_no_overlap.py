"""No double booking, whoever writes (front-desk.md): the database refuses an INSERT or
UPDATE that makes two occupying bookings of one stylist overlap — rows written with plain
SQL as the public site does, on both engines; adjacent bookings and history may touch."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from portal.models.booking_rules import EXCLUSION_SQLSTATE, is_overlap_refusal
from tests import databases
from tests.bookings.helpers import at, salon
from tests.desk.helpers import insert_booking, occupying, update_booking


def _refused(call) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught:
        call()
    assert is_overlap_refusal(caught.value)
    return caught.value


def test_overlapping_insert_refused(factory, raw, engine_name):
    s = salon(factory)
    insert_booking(raw, s.stylist, s.cut, at(s.day, 10), at(s.day, 11))
    error = _refused(lambda: insert_booking(raw, s.stylist, s.colour, at(s.day, 10, 30), at(s.day, 11, 30)))
    if engine_name == "postgresql":
        assert error.orig.sqlstate == EXCLUSION_SQLSTATE  # what docs/front-desk.md tells the public site
    _refused(lambda: insert_booking(raw, s.stylist, s.cut, at(s.day, 9), at(s.day, 12), status="pending"))
    _refused(lambda: insert_booking(raw, s.stylist, s.cut, at(s.day, 10, 15), at(s.day, 10, 45), status="in_progress"))
    assert occupying(raw, s.stylist) == 1


def test_adjacent_other_stylist_and_history_allowed(factory, raw):
    s = salon(factory)
    insert_booking(raw, s.stylist, s.cut, at(s.day, 10), at(s.day, 11))
    insert_booking(raw, s.stylist, s.cut, at(s.day, 11), at(s.day, 12))  # adjacent: end == start
    insert_booking(raw, s.stylist, s.cut, at(s.day, 9), at(s.day, 10))
    insert_booking(raw, s.other, s.cut, at(s.day, 10), at(s.day, 11))  # another stylist
    for status in ("cancelled", "completed", "no_show"):  # history never occupies
        insert_booking(raw, s.stylist, s.cut, at(s.day, 10, 30), at(s.day, 11, 30), status=status)
    assert occupying(raw, s.stylist) == 3


def test_updates_into_a_taken_time_refused(factory, raw):
    s = salon(factory)
    insert_booking(raw, s.stylist, s.cut, at(s.day, 10), at(s.day, 11))
    later = insert_booking(raw, s.stylist, s.cut, at(s.day, 13), at(s.day, 14))
    _refused(lambda: update_booking(raw, later, start_time=at(s.day, 10, 30), end_time=at(s.day, 11, 30)))
    _refused(lambda: update_booking(raw, later, end_time=at(s.day, 15)) or
             update_booking(raw, later, start_time=at(s.day, 10, 59)))
    other = insert_booking(raw, s.other, s.cut, at(s.day, 10), at(s.day, 11))
    _refused(lambda: update_booking(raw, other, stylist_user_id=str(s.stylist.user_id)))  # to the taken stylist
    gone = insert_booking(raw, s.stylist, s.cut, at(s.day, 10), at(s.day, 11), status="cancelled")
    _refused(lambda: update_booking(raw, gone, status="confirmed"))  # reviving into a taken time
    assert raw.execute(text("SELECT status FROM bookings WHERE id = :i"), {"i": gone}).scalar() == "cancelled"


def test_a_booking_never_conflicts_with_itself(factory, raw):
    s = salon(factory)
    booking = insert_booking(raw, s.stylist, s.cut, at(s.day, 10), at(s.day, 11))
    update_booking(raw, booking, start_time=at(s.day, 10, 30), end_time=at(s.day, 11, 30))  # over its old time
    update_booking(raw, booking, status="in_progress")
    update_booking(raw, booking, status="completed")
    insert_booking(raw, s.stylist, s.cut, at(s.day, 10), at(s.day, 11))  # its time is free once completed
    _refused(lambda: update_booking(raw, booking, status="confirmed"))


WRITERS = 16


@pytest.mark.postgresql_only
def test_sixteen_plain_sql_writers_one_booking(app, factory, raw):
    """The issue's finding: 16 simultaneous writers of the same hour → exactly one row."""
    s = salon(factory)
    engine = create_engine(databases.admin_url(app.config["SQLALCHEMY_DATABASE_URI"]), pool_size=WRITERS)
    barrier = threading.Barrier(WRITERS)

    def write(i):
        with engine.begin() as conn:
            barrier.wait(timeout=30)
            try:
                with conn.begin_nested():
                    insert_booking(conn, s.stylist, s.cut, at(s.day, 10) + timedelta(minutes=i % 3 * 10),
                                   at(s.day, 11) + timedelta(minutes=i % 3 * 10))
                return "ok"
            except IntegrityError as error:
                return "refused" if error.orig.sqlstate == EXCLUSION_SQLSTATE else repr(error)

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(write, range(WRITERS)))
    engine.dispose()
    assert results.count("ok") == 1 and results.count("refused") == WRITERS - 1, results
    assert occupying(raw, s.stylist) == 1
