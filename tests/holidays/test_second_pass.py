"""The holiday import, second pass (issue 25, point 7): one language per page, estimated
dates marked and unticked, a BS year, one-step undo of an import (and nothing else),
Haritalika Teej offered by hand; the schedules list shows upcoming changes, paged."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from portal.domain.public_holidays import holiday_period, holidays_in, nepal_public_holidays
from portal.domain.bikram_sambat import to_bs
from tests.audit_trail import log_rows
from tests.holidays.test_import import _form
from tests.web import post_form

DEVANAGARI = re.compile("[\u0900-\u097f]")


def _lines(page: str) -> list[str]:
    return [chunk.split("</li>", 1)[0] for chunk in page.split('class="list-group-item holiday-line')[1:]]


def _names(page: str) -> list[str]:
    return [unescape(re.search(r'<div class="fw-bold">([^<]*)</div>', line).group(1)) for line in _lines(page)]


def test_names_in_the_page_language_only_and_estimated_dates_marked_unticked(client, auth, factory):
    auth.login(factory.user("admin").email)
    listed = nepal_public_holidays(2026)
    english = client.get("/holidays/?year=2026").get_data(as_text=True)
    names = _names(english)
    assert names == [h.name_en for h in listed]
    assert not any(DEVANAGARI.search(n) for n in names) and "(estimated)" not in english
    assert "Eid al-Fitr" in names

    estimated = [i for i, h in enumerate(listed) if h.estimated]
    assert estimated, "the library marks Eid dates as estimated"
    lines = _lines(english)
    for i, line in enumerate(lines):
        assert ("estimated-badge" in line) == (i in estimated)
        assert "checked" not in line  # nothing is ticked, estimated dates least of all

    post_form(client, "/language", {"language": "ne", "next": "/"})
    nepali = client.get("/holidays/?year=2026").get_data(as_text=True)
    assert _names(nepali) == [h.name_ne for h in listed]
    assert "Eid al-Fitr" not in nepali and "(अनुमानित)" not in nepali and "अनुमानित मिति" in nepali


def test_a_bs_year_lists_baishakh_to_chaitra(client, auth, factory):
    auth.login(factory.user("admin").email)
    page = client.get("/holidays/?year=2083&calendar=BS").get_data(as_text=True)
    period = holiday_period("BS", 2083)
    assert (period.first, period.last) == (date(2026, 4, 14), date(2027, 4, 13))
    listed = holidays_in(period)
    assert _names(page) == [h.name_en for h in listed]
    assert listed[0].day >= period.first and listed[-1].day.year == 2027
    assert "Public holidays BS 2083" in page and 'option value="BS" selected' in page
    assert "calendar=BS" in page and "year=2084" in page  # the next BS year
    post_form(client, "/language", {"language": "ne", "next": "/"})
    nepali = client.get("/holidays/?year=२०८३&calendar=BS").get_data(as_text=True)
    assert "सार्वजनिक बिदा वि.सं. २०८३" in nepali and len(_lines(nepali)) == len(listed)


def test_a_bs_year_outside_the_library_is_said(client, auth, factory):
    auth.login(factory.user("admin").email)
    page = client.get("/holidays/?year=2150&calendar=BS", follow_redirects=True).get_data(as_text=True)
    assert "BS years can be shown for 1975–2100 only." in page


def _upcoming_bs():
    today = datetime.now(ZoneInfo("Asia/Kathmandu")).date()
    for year in (to_bs(today).year, to_bs(today).year + 1):
        listed = holidays_in(holiday_period("BS", year))
        ahead = [i for i, h in enumerate(listed) if h.day >= today + timedelta(days=2)]
        if len(ahead) >= 2:
            return year, listed, ahead[:2]
    pytest.skip("no upcoming holidays listed")


def _ids(raw):
    return {str(r[0]).replace("-", "") for r in raw.execute(text("SELECT id FROM schedule_overrides")).all()}


def test_an_import_is_undone_in_one_step_and_nothing_else(app, client, auth, factory, raw):
    year, listed, (a, b) = _upcoming_bs()
    manual = factory.override(None, date(2030, 1, 5), closed=True, reason="Owner's wedding")
    auth.login(factory.user("admin").email)
    url = f"/holidays/?year={year}&calendar=BS"
    page = client.get(url).get_data(as_text=True)
    data = _form(page, len(listed), {a: listed[a].day.isoformat(), b: listed[b].day.isoformat()})
    check = post_form(client, url, data).get_data(as_text=True)
    stamp = re.search(r'name="confirmed" type="hidden" value="([^"]+)"', check).group(1)
    done = post_form(client, url, {**data, "confirmed": stamp})
    assert done.status_code == 302 and "calendar=BS" in done.headers["Location"]
    reasons = sorted(r[0] for r in raw.execute(text("SELECT reason FROM schedule_overrides")).all())
    assert reasons == sorted(["Owner's wedding", listed[a].name_en, listed[b].name_en])  # English page: English names

    created = log_rows(app, action="override_created")
    import_ids = {r["details"]["import"] for r in created}
    assert len(created) == 2 and len(import_ids) == 1

    page = client.get(url).get_data(as_text=True)
    assert 'id="holiday-imports"' in page and "Undo this import" in page
    assert "It removes the 2 closures it created" in unescape(page)
    action = re.search(r'action="(/holidays/imports/[^"]+/undo[^"]*)"', page).group(1)
    undone = post_form(client, unescape(action), {})
    assert undone.status_code == 302
    assert "Import undone: 2 closures removed." in client.get(undone.headers["Location"]).get_data(as_text=True)
    assert _ids(raw) == {manual.id.hex}  # the hand-made closure stays

    deleted = log_rows(app, action="override_deleted")
    assert len(deleted) == 2 and all(r["details"]["import"] in import_ids for r in deleted)
    assert all(r["details"]["source"] == "public_holidays_undo" for r in deleted)
    assert len(log_rows(app, action="override_created")) == 2  # the import's own rows are kept

    again = post_form(client, unescape(action), {})
    assert "Nothing to undo" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert 'id="holiday-imports"' not in client.get(url).get_data(as_text=True)


def test_an_import_in_nepali_names_the_closures_in_nepali(client, auth, factory, raw):
    year, listed, (a, _) = _upcoming_bs()
    auth.login(factory.user("admin").email)
    post_form(client, "/language", {"language": "ne", "next": "/"})
    url = f"/holidays/?year={year}&calendar=BS"
    page = client.get(url).get_data(as_text=True)
    data = _form(page, len(listed), {a: listed[a].day.isoformat()})
    stamp = re.search(r'name="confirmed" type="hidden" value="([^"]+)"',
                      post_form(client, url, data).get_data(as_text=True)).group(1)
    post_form(client, url, {**data, "confirmed": stamp})
    assert [r[0] for r in raw.execute(text("SELECT reason FROM schedule_overrides")).all()] == [listed[a].name_ne]


def test_a_date_typed_in_bs_moves_a_holiday(client, auth, factory, raw):
    year, listed, (a, _) = _upcoming_bs()
    moved = listed[a].day + timedelta(days=1)
    bs = to_bs(moved)
    auth.login(factory.user("admin").email)
    url = f"/holidays/?year={year}&calendar=BS"
    page = client.get(url).get_data(as_text=True)
    data = _form(page, len(listed), {a: f"BS {bs.year}-{bs.month:02d}-{bs.day:02d}"})
    check = post_form(client, url, data)
    assert check.status_code == 200 and 'id="holiday-preview"' in check.get_data(as_text=True)


def test_teej_is_offered_by_hand_with_the_closure_form_prefilled(client, auth, factory):
    auth.login(factory.user("admin").email)
    page = client.get("/holidays/?year=2026").get_data(as_text=True)
    assert "Haritalika Teej is not in the holidays library’s list" in page
    link = re.search(r'href="([^"]*overrides/new[^"]*reason=[^"]*)"', page).group(1)
    assert "kind=business_closure" in link and "Haritalika" in link
    form = client.get(unescape(link)).get_data(as_text=True)
    assert re.search(r'<textarea[^>]*name="reason"[^>]*>\s*Haritalika Teej</textarea>', form)
    post_form(client, "/language", {"language": "ne", "next": "/"})
    nepali = client.get("/holidays/?year=2026").get_data(as_text=True)
    assert "हरितालिका तीज" in nepali and "Haritalika" not in nepali


def test_the_schedules_list_shows_upcoming_changes_paged(client, auth, factory):
    today = datetime.now(ZoneInfo("Asia/Kathmandu")).date()
    for i in range(30):
        factory.override(None, today + timedelta(days=i + 1), closed=True, reason=f"Upcoming {i:02d}")
    factory.override(None, today - timedelta(days=40), closed=True, reason="Long gone")
    auth.login(factory.user("admin").email)
    first = client.get("/schedules/").get_data(as_text=True)
    assert first.count("data-override=") == 25 and "Upcoming 00" in first and "Upcoming 25" not in first
    assert "Long gone" not in first and "1–25 of 30" in first
    more = re.search(r'rel="next" href="([^"]+)"', first).group(1)
    second = client.get(unescape(more)).get_data(as_text=True)
    assert second.count("data-override=") == 5 and "Upcoming 29" in second and "26–30 of 30" in second
    past = client.get("/schedules/?when=past").get_data(as_text=True)
    assert past.count("data-override=") == 1 and "Long gone" in past and 'rel="next"' not in past
    assert client.get("/schedules/?page=abc").status_code in (200, 400)
