"""Approving takes the days off the public slots at once and puts their bookings on the
follow-up list; cancelling brings both back. The request's page shows the bookings it
falls on and the per-day cover."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.services.appointments import followup
from portal.services.leave import time_off
from portal.time_off import queries
from tests.bookings.helpers import KTM, NO_LIMIT, at, get_slots
from tests.time_off.helpers import actor_of, salon


@pytest.fixture
def app_config(database_url):
    return dict(NO_LIMIT)


def _ask_for(s, first, days):
    return time_off.ask(db.session, actor_of(s.stylist), s.stylist.user_id, time_off.TimeOffDraft(
        kind="leave", start_date=first, end_date=first + timedelta(days=days - 1)))


def test_approve_empties_the_slots_and_fills_the_followup_list_cancel_undoes_both(app, client, factory):
    with app.app_context():
        s = salon(factory, days_ahead=4)
        booked = factory.booking(s.stylist, s.cut, at(s.day, 11), customer_name="Sarita Adhikari")
        before = get_slots(client, s.stylist, s.cut, s.day).get_json()
        assert len(before) > 0
        row = _ask_for(s, s.day, 2)
        assert get_slots(client, s.stylist, s.cut, s.day).get_json() == before  # asking changes no slot
        assert followup.followup_list(db.session, KTM) == []

        time_off.approve(db.session, actor_of(s.admin), row.id)
        assert get_slots(client, s.stylist, s.cut, s.day).get_json() == []
        assert get_slots(client, s.stylist, s.cut, s.day + timedelta(days=1)).get_json() == []
        assert len(get_slots(client, s.other, s.cut, s.day).get_json()) == len(before)  # the other stylist works
        hits = followup.followup_list(db.session, KTM)
        assert [h.booking.id for h in hits] == [booked.id]
        assert hits[0].override_id == db.session.get(type(row), row.id).vacation_override_id

        time_off.cancel(db.session, actor_of(s.admin), row.id)
        assert get_slots(client, s.stylist, s.cut, s.day).get_json() == before
        assert followup.followup_list(db.session, KTM) == []


def test_the_request_page_data_names_the_bookings_and_the_cover(app, factory):
    with app.app_context():
        s = salon(factory, days_ahead=4)
        third = factory.stylist(KTM, display_name="Chandra")
        factory.week(third, "10:00", "16:00", days=[d for d in range(7) if d != (s.day.isoweekday() % 7)])
        factory.booking(s.stylist, s.cut, at(s.day, 11), customer_name="Sarita Adhikari")
        factory.override(s.other, s.day + timedelta(days=1), closed=True, priority=50)  # Bina is away on day 2
        row = _ask_for(s, s.day, 2)
        other = time_off.ask(db.session, actor_of(s.other), s.other.user_id, time_off.TimeOffDraft(
            kind="sick", start_date=s.day, end_date=s.day))
        page = queries.request_page(db.session, row.id)
        assert [(b.customer, b.stylist) for b in page.affected] == [("Sarita Adhikari", "Anjali")]
        day1, day2 = page.cover
        assert (day1.scheduled, day1.still, day1.requester_works) == (2, 1, True)  # Chandra is off on day 1
        assert day1.also_asked == ("Bina",)
        assert (day2.scheduled, day2.still) == (2, 1)  # Bina's vacation, Chandra works
        time_off.approve(db.session, actor_of(s.admin), row.id)
        after = queries.request_page(db.session, row.id)
        assert [(c.scheduled, c.still) for c in after.cover] == [(2, 1), (2, 1)]  # its own vacation left out
        assert after.vacation is not None and after.can_cancel
        assert other.status == "waiting"
