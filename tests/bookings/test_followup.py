"""The follow-up list (bookings.md): computed from the schedule, the admin's records,
the bulk cancel that frees the slots at once."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from portal.actor import Actor
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.services.appointments import followup
from portal.services.scheduling import overrides
from tests.bookings.helpers import KTM, NO_LIMIT, at, get_slots, log_rows, salon
from tests.helpers import sign_in
from tests.web import post_form


@pytest.fixture
def app_config(database_url):
    return dict(NO_LIMIT)


def _ids(hits):
    return {h.booking.id for h in hits}


def test_a_closure_over_three_bookings_lists_exactly_those_and_undoing_it_empties_the_list(app, client, auth, factory):
    s = salon(factory)
    hit = [factory.booking(s.stylist, s.cut, at(s.day, h), customer_name=f"Customer {h}",
                           customer_phone=f"98410000{h:02d}") for h in (10, 12)]
    hit.append(factory.booking(s.other, s.colour, at(s.day, 14), customer_name="Customer 14",
                               customer_phone="9841000014", status="pending"))
    factory.booking(s.stylist, s.cut, at(s.day, 15), status="cancelled")  # not occupying
    factory.booking(s.stylist, s.cut, at(s.day + timedelta(days=1), 10))  # another day
    with app.app_context():
        assert followup.followup_list(db.session, KTM) == []
        actor = Actor(s.admin.id, "admin")
        closure = overrides.create_override(db.session, actor, overrides.OverrideDraft(
            "business_closure", None, s.day, s.day, reason="Dashain closure"))
        hits = followup.followup_list(db.session, KTM)
        assert _ids(hits) == {b.id for b in hit}
        assert {h.cause for h in hits} == {"override"} and all(h.override_id == closure.id for h in hits)
        assert all("Dashain closure" in h.cause_text for h in hits)

    sign_in(auth, s.admin.email)
    page = client.get("/bookings/follow-up").get_data(as_text=True)
    assert page.count('data-booking="') == 3 and "9841000010" in page and "Dashain closure" in page
    assert "Customer 14" in page

    with app.app_context():
        overrides.delete_override(db.session, Actor(s.admin.id, "admin"), closure.id)
        assert followup.followup_list(db.session, KTM) == []
    assert 'id="followup-empty"' in client.get("/bookings/follow-up").get_data(as_text=True)


def test_vacation_shorter_hours_deactivated_service_and_revocation_are_causes(app, factory, raw):
    s = salon(factory)
    in_vacation = factory.booking(s.stylist, s.cut, at(s.day, 10))
    late = factory.booking(s.other, s.cut, at(s.day, 15))
    factory.booking(s.other, s.cut, at(s.day, 10))  # inside the shorter hours: not hit
    colour = factory.booking(s.other, s.colour, at(s.day + timedelta(days=1), 11))
    factory.override(s.stylist, s.day, closed=True, priority=50, reason="Family wedding")
    factory.override(s.other, s.day, start="09:00", end="13:00", priority=50, override_type="special_event")
    raw.execute(text("UPDATE services SET is_active = false WHERE id = :v"), {"v": str(s.colour.id)})
    with app.app_context():
        causes = {h.booking.id: h.cause for h in followup.followup_list(db.session, KTM)}
    assert causes == {in_vacation.id: "override", late.id: "override", colour.id: "service_inactive"}
    revoked = factory.stylist(KTM, display_name="Revoked")
    factory.offer(revoked, s.cut)
    factory.week(revoked)
    theirs = factory.booking(revoked, s.cut, at(s.day, 10))
    raw.execute(text("UPDATE stylist_profiles SET is_active = false, deactivated_at = created_at"
                     " WHERE user_id = :s"), {"s": str(revoked.user_id)})  # what a revocation does
    with app.app_context():
        causes = {h.booking.id: h.cause for h in followup.followup_list(db.session, KTM)}
    assert causes[theirs.id] == "stylist_inactive"


def test_contacted_stays_kept_leaves_and_stays_confirmed(app, client, auth, factory, raw):
    s = salon(factory)
    a = factory.booking(s.stylist, s.cut, at(s.day, 10), customer_name="Sarita Adhikari")
    b = factory.booking(s.stylist, s.cut, at(s.day, 12))
    factory.override(None, s.day, closed=True, override_type="business_closure", priority=100)
    sign_in(auth, s.admin.email)
    r = post_form(client, f"/bookings/{a.id}/contacted", {"note": "Will come on Friday instead"},
                  page="/bookings/follow-up")
    assert r.status_code == 302
    page = client.get("/bookings/follow-up").get_data(as_text=True)
    assert page.count('data-booking="') == 2 and "Will come on Friday instead" in page
    r = post_form(client, f"/bookings/{b.id}/kept", page="/bookings/follow-up")
    assert r.status_code == 302
    with app.app_context():
        assert _ids(followup.followup_list(db.session, KTM)) == {a.id}
    assert raw.execute(text("SELECT status FROM bookings WHERE id = :i"), {"i": str(b.id)}).scalar() == "confirmed"
    assert [r[2] for r in log_rows(raw, "booking_followup_recorded")] == ["configuration", "configuration"]
    assert {r[0] for r in log_rows(raw, "booking_followup_recorded")} == {"booking"}
    detail = client.get(f"/bookings/{b.id}").get_data(as_text=True)
    assert "Kept" in detail


def test_bulk_cancel_writes_a_row_per_booking_and_frees_the_slots_at_once(app, client, auth, factory, raw):
    s = salon(factory)
    chosen = [factory.booking(s.stylist, s.colour, at(s.day, h), customer_name=f"C{h}") for h in (10, 13)]
    raw.execute(text("UPDATE stylist_services SET is_available = false WHERE service_id = :v"),
                {"v": str(s.colour.id)})  # the stylist stops offering colour: both bookings need follow-up
    for _ in range(2):  # warm: a miss, then a hit
        before = get_slots(client, s.stylist, s.cut, s.day)
    assert before.headers["X-Cache-Hit"] == "true"
    statuses = {x["slotStartLocal"][11:16]: x["status"] for x in before.json}
    assert statuses["10:00"] == statuses["13:00"] == "booked"

    sign_in(auth, s.admin.email)
    data = {"booking_ids": [str(b.id) for b in chosen], "reason": "Colour no longer offered"}
    confirm = post_form(client, "/bookings/cancel", data, page="/bookings/follow-up")
    assert confirm.status_code == 200 and "Cancel 2 bookings?" in confirm.get_data(as_text=True)
    assert raw.execute(text("SELECT count(*) FROM bookings WHERE status = 'cancelled'")).scalar() == 0
    done = post_form(client, "/bookings/cancel", {**data, "confirmed": "yes"}, page="/bookings/follow-up")
    assert done.status_code == 302
    assert raw.execute(text("SELECT count(*) FROM bookings WHERE status = 'cancelled'")).scalar() == 2
    rows = log_rows(raw, "booking_cancelled", "configuration")
    assert len(rows) == 2 and {str(r[1]).lower() for r in rows} == {str(b.id) for b in chosen}

    after = get_slots(client, s.stylist, s.cut, s.day)
    statuses = {x["slotStartLocal"][11:16]: x["status"] for x in after.json}
    assert statuses["10:00"] == statuses["13:00"] == "available"
    with app.app_context():
        assert followup.followup_list(db.session, KTM) == []


def test_cancelling_needs_a_reason_and_refuses_an_ended_booking(app, client, auth, factory, raw):
    s = salon(factory)
    b = factory.booking(s.stylist, s.cut, at(s.day, 10))
    done = factory.booking(s.stylist, s.cut, at(s.day, 12), status="completed")
    sign_in(auth, s.admin.email)
    r = post_form(client, "/bookings/cancel", {"booking_ids": [str(b.id)], "reason": " "}, page="/bookings/follow-up")
    assert r.status_code == 400 and "Give the reason for cancelling." in r.get_data(as_text=True)
    with app.app_context(), pytest.raises(Refused) as refused:
        followup.cancel_bookings(db.session, Actor(s.admin.id, "admin"), [b.id, done.id], "closing early")
    assert refused.value.code == "NOT_OCCUPYING"
    assert raw.execute(text("SELECT status FROM bookings WHERE id = :i"), {"i": str(b.id)}).scalar() == "confirmed"
    assert log_rows(raw, "booking_cancelled") == []
    # moved: the customer rebooked, reason "rescheduled", no reason typed
    r = post_form(client, "/bookings/cancel", {"booking_ids": [str(b.id)], "moved": "1", "confirmed": "yes"},
                  page="/bookings/follow-up")
    assert r.status_code == 302
    detail = client.get(f"/bookings/{b.id}").get_data(as_text=True)
    assert "Moved (customer rebooked)" in detail and "rescheduled" in detail and "Cancelled" in detail


def test_the_public_sites_table_stays_free_records_of_a_deleted_booking_are_never_shown(app, client, auth,
                                                                                         factory, raw):
    s = salon(factory)
    gone = factory.booking(s.stylist, s.cut, at(s.day, 10), customer_name="Deleted Elsewhere")
    factory.override(None, s.day, closed=True, override_type="business_closure", priority=100)
    sign_in(auth, s.admin.email)
    assert post_form(client, f"/bookings/{gone.id}/contacted", {"note": "called"},
                     page="/bookings/follow-up").status_code == 302
    raw.execute(text("DELETE FROM bookings WHERE id = :i"), {"i": str(gone.id)})  # another client
    assert raw.execute(text("SELECT count(*) FROM booking_followups")).scalar() == 1
    assert "Deleted Elsewhere" not in client.get("/bookings/follow-up").get_data(as_text=True)
    assert client.get(f"/bookings/{gone.id}").status_code == 404
