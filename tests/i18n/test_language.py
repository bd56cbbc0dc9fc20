"""The person's language: Accept-Language before sign-in, the stored choice after, the switch."""
from __future__ import annotations

from datetime import date, time

import nepali_datetime
from sqlalchemy import text

from portal.i18n import formatting
from tests.web import csrf_token, post_form


def _lang(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_accept_language_chooses_before_sign_in(client):
    page = client.get("/login", headers={"Accept-Language": "ne"})
    assert _lang(page) == "ne"
    assert "<h1 class=\"h3 mb-3\">लग इन</h1>" in page.get_data(as_text=True)
    assert "पासवर्ड" in page.get_data(as_text=True)
    assert _lang(client.get("/login", headers={"Accept-Language": "ne-NP,ne;q=0.9,en;q=0.5"})) == "ne"
    assert _lang(client.get("/login", headers={"Accept-Language": "de, en;q=0.3"})) == "en"
    assert _lang(client.get("/login")) == "en"


def test_the_switch_before_sign_in_is_a_cookie(client):
    token = csrf_token(client, "/login")
    response = client.post("/language", data={"csrf_token": token, "language": "ne", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert _lang(client.get("/login", headers={"Accept-Language": "en"})) == "ne"


def test_the_switch_refuses_unknown_languages_and_missing_tokens(client):
    token = csrf_token(client, "/login")
    assert client.post("/language", data={"csrf_token": token, "language": "fr"}).status_code == 400
    assert client.post("/language", data={"language": "ne"}).status_code == 400
    assert _lang(client.get("/login")) == "en"


def test_the_choice_is_kept_on_the_account_and_survives_sign_in(app, client, auth, factory, raw):
    user = factory.user("admin")
    assert auth.login(user.email).status_code == 302
    response = post_form(client, "/language", {"language": "ne", "next": "/"})
    assert response.status_code == 302
    assert raw.execute(text("SELECT language FROM user_profiles WHERE email = :e"),
                       {"e": user.email}).scalar() == "ne"
    auth.logout()
    # another browser, which prefers English and has no cookie
    other = app.test_client()
    assert _lang(other.get("/login", headers={"Accept-Language": "en"})) == "en"
    from tests.web import AuthActions
    assert AuthActions(other).login(user.email).status_code == 302
    assert _lang(other.get("/", headers={"Accept-Language": "en"})) == "ne"


def test_the_public_api_is_not_translated(client):
    response = client.get("/api/bookings/available-slots", headers={"Accept-Language": "ne"})
    body = response.get_json()
    assert response.status_code == 400 and body
    assert not any("\u0900" <= ch <= "\u097f" for ch in str(body))


def test_the_bs_endpoint_names_the_date_in_both_languages_and_none_outside_its_range(app, client, auth, factory):
    auth.login(factory.user("stylist").email)
    answer = client.get("/dates/bs?date=2026-12-07").get_json()
    assert {k: answer[k] for k in ("date", "en", "ne", "calendar")} == {
        "date": "2026-12-07", "en": "21 Mangsir 2083", "ne": "२१ मंसिर २०८३", "calendar": "AD"}
    n = nepali_datetime.date.from_datetime_date(date(2026, 4, 14))
    assert client.get("/dates/bs?date=2026-04-14").get_json()["en"] == f"{n.day} {n.strftime('%B')} {n.year}"
    outside = client.get("/dates/bs?date=2090-01-01")
    assert outside.status_code == 200 and outside.get_json()["en"] is None and outside.get_json()["ne"] is None
    bad = client.get("/dates/bs?date=7/12/2026")
    assert bad.status_code == 400 and bad.get_json()["field"] == "date"


def test_money_times_and_digits():
    assert formatting.rupees(150000, "ne") == "रु १,५००"
    assert formatting.rupees(15000000, "ne") == "रु १,५०,०००"
    assert formatting.rupees(150050, "ne") == "रु १,५००.५०"
    assert formatting.rupees(150000, "en") == "Rs 1,500"
    assert formatting.rupees(15000000, "en") == "Rs 150,000"
    assert formatting.clock(time(10, 0), "en") == "10:00 AM"
    assert formatting.clock(time(0, 30), "en") == "12:30 AM"
    assert formatting.clock(time(9, 30), "ne") == "बिहान ९:३०"
    assert formatting.clock(time(13, 0), "ne") == "दिउँसो १:००"
    assert formatting.clock(time(17, 15), "ne") == "बेलुका ५:१५"
    assert formatting.clock(time(21, 0), "ne") == "राति ९:००"
    assert formatting.clock(time(2, 0), "ne") == "राति २:००"
    # a range says the part of the day once when both ends share it
    assert formatting.clock_range(time(11, 0), time(11, 45), "ne") == "बिहान ११:०० – ११:४५"
    assert formatting.clock_range(time(11, 0), time(12, 30), "ne") == "बिहान ११:०० – दिउँसो १२:३०"
    assert formatting.clock_range(time(11, 0), time(11, 45), "en") == "11:00 AM – 11:45 AM"
    assert formatting.numerals(2083, "ne") == "२०८३" and formatting.numerals(2083, "en") == "2083"
    assert formatting.bs_text(date(2090, 1, 1), "ne") == ""


def test_a_refusal_with_values_reads_in_nepali(app, client, auth, factory):
    """A service's message with values (a `Msg`) is translated on the page, its date in Nepali."""
    stylist = factory.stylist()
    factory.week(stylist)
    auth.login(stylist.user.email)
    english = post_form(client, "/budgets/mine/requests", {"day": "2001-01-01", "kind": "off"}, page="/budgets/mine")
    assert "Mon 1 Jan 2001 is in the past." in english.get_data(as_text=True)
    client.set_cookie("lang", "ne")
    nepali = post_form(client, "/budgets/mine/requests", {"day": "2001-01-01", "kind": "off"},
                       page="/budgets/mine").get_data(as_text=True)
    assert "सोम १ जनवरी २००१ बितिसकेको मिति हो।" in nepali


def test_the_pages_date_carries_the_bs_date_or_gregorian_alone():
    from datetime import datetime, timezone
    assert formatting.dual_date(date(2026, 12, 7), "en") == "Mon 7 Dec 2026 · 21 Mangsir 2083"
    assert formatting.dual_date(date(2026, 12, 7), "ne") == "सोम ७ डिसेम्बर २०२६ · २१ मंसिर २०८३"
    assert formatting.dual_date(date(2050, 1, 3), "en") == "Mon 3 Jan 2050"  # outside the library
    instant = datetime(2026, 12, 7, 4, 15, tzinfo=timezone.utc)  # 10:00 in Kathmandu
    assert formatting.datetime_in(instant, "Asia/Kathmandu", "en") == "Mon 7 Dec 2026, 10:00 AM · 21 Mangsir 2083"
    assert formatting.datetime_in(instant, "Asia/Kathmandu", "ne") == \
        "सोम ७ डिसेम्बर २०२६, बिहान १०:०० · २१ मंसिर २०८३"
