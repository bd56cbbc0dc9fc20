"""The follow-up list at scale (issue 25, points 3, 6 and 12): filters by reason, stylist
and day (bad values a clear 400), pages, the place kept after each action, every
follow-up link filtered to its stylist and day, a kept booking shown as kept, and a
cancel that says truthfully whether the time is free again."""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.actor import Actor
from portal.bookings.followup_filters import PAGE_SIZE, Criteria, neighbour, page_of
from portal.extensions import db
from portal.services.appointments import followup
from tests.bookings.helpers import KTM, NO_LIMIT, at, salon
from tests.helpers import sign_in
from tests.web import post_form

LIST = "/bookings/follow-up"


@pytest.fixture
def app_config(database_url):
    return dict(NO_LIMIT)


def _rows(page: str) -> list[str]:
    return re.findall(r'<li class="card mb-3 followup-row" data-booking="([^"]+)"', page)


def _closed_day(factory, s, hours=(10, 12, 15), stylist=None, reason="Tihar closure"):
    made = [factory.booking(stylist or s.stylist, s.cut, at(s.day, h), customer_name=f"Customer {h}",
                            customer_phone=f"98410000{h:02d}") for h in hours]
    closure = factory.override(None, s.day, closed=True, override_type="business_closure", priority=100,
                               reason=reason)
    return made, closure


# ------------------------------------------------------------------ pure parts

def test_the_neighbour_is_the_next_row_that_stays_else_the_one_before():
    shown = ["a", "b", "c", "d"]
    assert neighbour(shown, {"b"}) == "c"
    assert neighbour(shown, {"b", "c"}) == "d"
    assert neighbour(shown, {"d"}) == "c"
    assert neighbour(shown, {"c", "d"}) == "b"
    assert neighbour(shown, {"a", "b", "c", "d"}) is None
    assert neighbour(shown, {"x"}) is None and neighbour([], {"a"}) is None


def test_pages_hold_twenty_rows_and_a_page_past_the_end_shows_the_last():
    rows = list(range(45))
    first, last = page_of(rows, None), page_of(rows, 99)
    assert (first.number, first.pages, first.first, first.last, len(first.hits)) == (1, 3, 1, PAGE_SIZE, PAGE_SIZE)
    assert (last.number, last.first, last.last, last.hits) == (3, 41, 45, rows[40:])
    assert page_of([], 3).number == 1 and page_of([], 1).total == 0


def test_criteria_match_and_give_back_their_parameters():
    stylist, change = uuid.uuid4(), uuid.uuid4()
    start = at(date(2026, 12, 7), 10)
    hit = SimpleNamespace(cause="override", override_id=change, stylist=SimpleNamespace(user_id=stylist),
                          zone=KTM, booking=SimpleNamespace(start_time=start))
    assert Criteria().matches(hit) and not Criteria().any
    assert Criteria(change=change, stylist=stylist, day=hit.booking.start_time.date()).matches(hit)
    assert not Criteria(cause="break").matches(hit) and not Criteria(stylist=uuid.uuid4()).matches(hit)
    assert Criteria(change=change, day=hit.booking.start_time.date()).params() == {
        "cause": str(change), "date": "2026-12-07"}


# ------------------------------------------------------------------ the page

def test_filters_by_change_stylist_and_day_narrow_the_list(app, client, auth, factory):
    s = salon(factory)
    on_closure, closure = _closed_day(factory, s)
    other_day = factory.booking(s.other, s.cut, at(s.day + timedelta(days=1), 10), customer_name="Bina's customer")
    factory.override(s.other, s.day + timedelta(days=1), closed=True, override_type="stylist_vacation",
                     priority=50, reason="Family visit")
    sign_in(auth, s.admin.email)
    assert len(_rows(client.get(LIST).get_data(as_text=True))) == 4
    page = client.get(LIST, query_string={"cause": str(closure.id)}).get_data(as_text=True)
    assert set(_rows(page)) == {str(b.id) for b in on_closure}
    assert "4 bookings await follow-up in all" in page and 'id="clear-filters"' in page
    page = client.get(LIST, query_string={"stylist": str(s.other.user_id)}).get_data(as_text=True)
    assert _rows(page) == [str(other_day.id)]
    page = client.get(LIST, query_string={"stylist": str(s.stylist.user_id), "date": s.day.isoformat()})
    assert page.status_code == 200 and len(_rows(page.get_data(as_text=True))) == 3
    page = client.get(LIST, query_string={"cause": "weekly_hours"}).get_data(as_text=True)
    assert _rows(page) == [] and 'id="followup-none-match"' in page


@pytest.mark.parametrize("params, message", [
    ({"cause": "nonsense"}, "Choose a reason from the list."),
    ({"stylist": "Anjali"}, "Choose a stylist from the list."),
    ({"date": "2026-02-30"}, None),  # the date box's own message
    ({"page": "two"}, None),
    ({"page": "0"}, None),
])
def test_bad_filter_values_are_a_clear_400_not_a_500(client, auth, factory, params, message):
    s = salon(factory)
    _closed_day(factory, s, hours=(10,))
    sign_in(auth, s.admin.email)
    response = client.get(LIST, query_string=params)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'invalid-feedback' in page
    if message:
        assert message in page
    assert len(_rows(page)) == 1  # the list stays, without the bad filter


def test_a_long_list_is_paged(client, auth, factory):
    s = salon(factory, days_ahead=2)
    for d in range(3):
        day = s.day + timedelta(days=d)
        for stylist in (s.stylist, s.other):
            for h in (9, 10, 11, 12, 14):
                factory.booking(stylist, s.cut, at(day, h), customer_name=f"C {d} {h}")
        factory.override(None, day, closed=True, override_type="business_closure", priority=100, reason="Tihar")
    sign_in(auth, s.admin.email)
    first = client.get(LIST).get_data(as_text=True)
    assert len(_rows(first)) == PAGE_SIZE and 'id="followup-pages"' in first and "1–20 of 30" in first
    second = client.get(LIST, query_string={"page": 2}).get_data(as_text=True)
    assert len(_rows(second)) == 10 and not set(_rows(first)) & set(_rows(second))


def test_each_action_comes_back_to_the_same_filters_and_the_row_near_it(app, client, auth, factory):
    s = salon(factory)
    made, closure = _closed_day(factory, s, hours=(10, 11, 12, 14, 15))
    sign_in(auth, s.admin.email)
    where = f"{LIST}?cause={closure.id}"
    page = client.get(where).get_data(as_text=True)
    ids = _rows(page)
    # contacted: the row stays, the page comes back to it
    r = post_form(client, f"/bookings/{ids[1]}/contacted", {"note": "Called", "next": _next_of(page, ids[1], 0)},
                  page=where)
    assert r.status_code == 302 and r.headers["Location"] == f"{where}#booking-{ids[1]}"
    # kept: the row leaves, the page comes back to the next one
    r = post_form(client, f"/bookings/{ids[1]}/kept", {"next": _next_of(page, ids[1], 1)}, page=where)
    assert r.headers["Location"] == f"{where}#booking-{ids[2]}"
    # the last row: back to the one before it
    page = client.get(where).get_data(as_text=True)
    assert _next_of(page, ids[4], 1).endswith(f"#booking-{ids[3]}")
    # a bulk cancel of rows 2 and 3: the preview remembers the place, the cancel goes there
    data = {"booking_ids": [ids[2], ids[3]], "reason": "Closed for Tihar", "shown": _rows(page), "next": where}
    preview = post_form(client, "/bookings/cancel", data, page=where)
    assert preview.status_code == 200
    kept_place = re.search(r'name="next" value="([^"]+)"', preview.get_data(as_text=True)).group(1)
    assert kept_place.replace("&amp;", "&") == f"{where}#booking-{ids[4]}"
    done = post_form(client, "/bookings/cancel", {**data, "next": kept_place.replace("&amp;", "&"),
                                                  "confirmed": "yes"}, page=where)
    assert done.status_code == 302 and done.headers["Location"] == f"{where}#booking-{ids[4]}"


def _next_of(page: str, booking_id: str, form_index: int) -> str:
    """The `next` of the row's contacted (0), kept (1) or cancel (2) form."""
    row = page[page.index(f'id="booking-{booking_id}"'):]
    row = row[:row.index("</li>")]
    return re.findall(r'name="next" value="([^"]+)"', row)[form_index].replace("&amp;", "&")


def test_cancelling_on_a_closed_day_does_not_say_the_time_is_free(app, client, auth, factory):
    s = salon(factory)
    made, _closure = _closed_day(factory, s, hours=(10, 12))
    open_day = factory.booking(s.stylist, s.cut, at(s.day + timedelta(days=1), 10), customer_name="Open day")
    sign_in(auth, s.admin.email)
    data = {"booking_ids": [str(b.id) for b in made], "reason": "Closed for Tihar"}
    preview = post_form(client, "/bookings/cancel", data, page=LIST).get_data(as_text=True)
    assert "Their times stay closed to new bookings" in preview and "become free" not in preview
    assert "Each customer is sent a cancellation message." in preview
    done = post_form(client, "/bookings/cancel", {**data, "confirmed": "yes"}, page=LIST, follow_redirects=True)
    said = done.get_data(as_text=True)
    assert "Cancelled 2 bookings; each customer is sent a cancellation message." in said
    assert "Their times stay closed to new bookings" in said and "free to book again" not in said
    # a booking inside the hours (from its details page): its time is free again, and said so
    one = {"booking_ids": [str(open_day.id)], "reason": "Customer is ill", "confirmed": "yes"}
    said = post_form(client, "/bookings/cancel", one, page=f"/bookings/{open_day.id}",
                     follow_redirects=True).get_data(as_text=True)
    assert "Cancelled 1 booking; the customer is sent a cancellation message. Its time is free to book again." in said


def test_a_kept_booking_shows_as_kept_and_every_follow_up_link_is_filtered(app, client, auth, factory):
    s = salon(factory)
    made, _closure = _closed_day(factory, s, hours=(10, 12))
    sign_in(auth, s.admin.email)
    board = client.get("/bookings/day", query_string={"date": s.day.isoformat()}).get_data(as_text=True)
    link = f'{LIST}?stylist={s.stylist.user_id}&amp;date={s.day.isoformat()}'
    assert link in board and board.count("data-outside-hours") == 2
    assert "Nobody takes new bookings on this day. The bookings below still stand." in board
    home = client.get("/").get_data(as_text=True)
    assert link in home  # the home page's follow-up card, per stylist and day
    agenda = client.get(f"/bookings/stylists/{s.stylist.user_id}").get_data(as_text=True)
    assert link in agenda

    with app.app_context():
        for b in made:
            followup.record_followup(db.session, Actor(s.admin.id, "admin"), b.id, "kept")
    board = client.get("/bookings/day", query_string={"date": s.day.isoformat()}).get_data(as_text=True)
    assert board.count("data-kept") == 2 and "data-outside-hours" not in board
    assert "Follow up these bookings" not in board and "data-followup-link" not in board
    agenda = client.get(f"/bookings/stylists/{s.stylist.user_id}").get_data(as_text=True)
    assert agenda.count("data-kept") == 2 and "data-followup-link" not in agenda
    assert link not in client.get("/").get_data(as_text=True)


def test_saving_a_closure_links_to_its_own_bookings_only(client, auth, factory):
    s = salon(factory)
    other = factory.booking(s.other, s.cut, at(s.day + timedelta(days=2), 10), customer_name="Elsewhere")
    factory.override(s.other, s.day + timedelta(days=2), closed=True, override_type="stylist_vacation",
                     priority=50, reason="Pokhara")
    mine = factory.booking(s.stylist, s.cut, at(s.day, 10), customer_name="Sarita Adhikari")
    sign_in(auth, s.admin.email)
    form = {"override_type": "business_closure", "stylist_id": "", "start_date": s.day.isoformat(),
            "end_date": s.day.isoformat(), "reason": "Tihar"}
    preview = post_form(client, "/schedules/overrides/new", form).get_data(as_text=True)
    stamp = re.search(r'name="previewed" type="hidden" value="([^"]+)"', preview).group(1)
    saved = post_form(client, "/schedules/overrides/new", {**form, "previewed": stamp})
    target = saved.headers["Location"]
    assert set(parse_qs(urlsplit(target).query)) == {"cause"}
    page = client.get(target).get_data(as_text=True)
    assert _rows(page) == [str(mine.id)] and str(other.id) not in _rows(page)
    assert "only this change" in page
