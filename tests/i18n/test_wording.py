"""Wording in both languages: plural forms ("1 booking" / "5 bookings", Nepali's two forms),
Devanagari digits inside the validators' messages, one filter per date/time format."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import text
from wtforms import IntegerField, StringField
from wtforms.validators import Length, NumberRange

from portal.bounded_fields import InRange
from portal.domain.translatable import N_, PluralMsg
from portal.i18n import translate
from tests.bookings.helpers import at, salon
from tests.helpers import set_budget, sign_in
from tests.web import post_form


def _in(app, language: str):
    """A request in `language` that has run the app's before-request hooks (the forms' catalogue)."""
    context = app.test_request_context("/login", headers={"Accept-Language": language})
    context.push()
    app.preprocess_request()
    return context


@pytest.mark.parametrize("language, one, five", [
    ("en", "You have 1 emergency change left: tick “Use an emergency change” to use it.",
     "You have 5 emergency changes left: tick “Use an emergency change” to use one."),
    ("ne", "तपाईंसँग १ आकस्मिक परिवर्तन बाँकी छ", "तपाईंसँग ५ आकस्मिक परिवर्तन बाँकी छन्"),
])
def test_a_plural_message_from_a_service_reads_in_the_persons_plural_form(app, language, one, five):
    def exhausted(n):
        return PluralMsg(
            "You have used all %(limit)s changes for this month; more become available on %(when)s "
            "(%(zone)s). You have %(num)s emergency change left: tick “Use an emergency change” to use it.",
            "You have used all %(limit)s changes for this month; more become available on %(when)s "
            "(%(zone)s). You have %(num)s emergency changes left: tick “Use an emergency change” to use one.",
            n, limit=10, when=datetime(2026, 12, 7, 4, 15), zone="Asia/Kathmandu")
    assert str(exhausted(5)).endswith("You have 5 emergency changes left: tick “Use an emergency change” to use one.")
    context = _in(app, language)
    try:
        assert one in translate(exhausted(1)) and five in translate(exhausted(5))
        assert ("१०" in translate(exhausted(5))) == (language == "ne")  # every number in the page's digits
    finally:
        context.pop()


@pytest.mark.parametrize("language, one, five", [
    ("en", "Revoke Maya as a stylist? Their slots disappear from the public site at once and their 1 upcoming "
           "booking must be arranged with the customer.",
     "their 5 upcoming bookings must be arranged with the customers."),
    ("ne", "आउँदो १ बुकिङ ग्राहकसँग", "आउँदा ५ बुकिङ ग्राहकहरूसँग"),
])
def test_template_plurals_name_one_and_many(app, language, one, five):
    revoke = app.jinja_env.from_string(
        "{{ ngettext('Revoke %(name)s as a stylist? Their slots disappear from the public site at once and their "
        "%(num)s upcoming booking must be arranged with the customer.', 'Revoke %(name)s as a stylist? Their slots "
        "disappear from the public site at once and their %(num)s upcoming bookings must be arranged with the "
        "customers.', n, name='Maya') }}")
    context = _in(app, language)
    try:
        assert one in revoke.render(n=1) and five in revoke.render(n=5)
    finally:
        context.pop()


def test_emergency_changes_left_on_the_budget_card(client, auth, factory, raw):
    profile = factory.stylist()
    factory.week(profile)
    sign_in(auth, profile.user.email)
    shown = {}
    for language in ("en", "ne"):
        post_form(client, "/language", {"language": language, "next": "/"})
        for n in (1, 5):
            set_budget(raw, profile.user_id, emergency=n)
            page = client.get("/budgets/mine").get_data(as_text=True)
            shown[language, n] = page.split('id="budget-emergency-left">')[1].split("</p>")[0]
    assert shown["en", 1] == '<strong id="budget-emergency">1</strong> emergency change left (it does not renew)'
    assert shown["en", 5] == '<strong id="budget-emergency">5</strong> emergency changes left (they do not renew)'
    assert shown["ne", 1] == '<strong id="budget-emergency">१</strong> आकस्मिक परिवर्तन बाँकी (यो नयाँ हुँदैन)'
    assert shown["ne", 5] == '<strong id="budget-emergency">५</strong> आकस्मिक परिवर्तन बाँकी (यी नयाँ हुँदैनन्)'


def test_the_bulk_cancel_question_counts_the_bookings(client, auth, factory, raw):
    s = salon(factory)
    chosen = [factory.booking(s.stylist, s.colour, at(s.day, h), customer_name=f"C{h}") for h in (10, 11, 12, 13, 14)]
    raw.execute(text("UPDATE stylist_services SET is_available = false WHERE service_id = :v"), {"v": str(s.colour.id)})
    sign_in(auth, s.admin.email)
    asked = {}
    for language in ("en", "ne"):
        post_form(client, "/language", {"language": language, "next": "/"})
        for n in (1, 5):
            data = {"booking_ids": [str(b.id) for b in chosen[:n]], "reason": "Colour no longer offered"}
            page = post_form(client, "/bookings/cancel", data, page="/bookings/follow-up").get_data(as_text=True)
            asked[language, n] = page.split("<title>")[1].split("</title>")[0].strip()
    assert asked["en", 1].startswith("Cancel 1 booking?") and asked["en", 5].startswith("Cancel 5 bookings?")
    assert "(s)" not in asked["en", 1] + asked["en", 5]
    assert "१" in asked["ne", 1] and "५" in asked["ne", 5] and "5" not in asked["ne", 5]


class _Numbers(FlaskForm):
    class Meta:
        csrf = False

    minutes = IntegerField(validators=[NumberRange(1, 480)])
    buffer = IntegerField(validators=[InRange(0, 240, message=N_("Enter 0 to %(max)s minutes."))])
    name = StringField(validators=[Length(min=3, max=20)])


@pytest.mark.parametrize("language, minutes, buffer, name", [
    ("en", "Number must be between 1 and 480.", "Enter 0 to 240 minutes.",
     "Field must be between 3 and 20 characters long."),
    ("ne", "संख्या १ देखि ४८० बीच हुनुपर्छ।", "० देखि २४० मिनेटसम्म लेख्नुहोस्।", "३ देखि २० अक्षरसम्म लेख्नुहोस्।"),
])
def test_validator_messages_write_numbers_in_the_pages_digits(app, language, minutes, buffer, name):
    context = _in(app, language)
    try:
        from werkzeug.datastructures import MultiDict
        form = _Numbers(formdata=MultiDict({"minutes": "500", "buffer": "300", "name": "ab"}))
        assert not form.validate()
        assert form.minutes.errors == [minutes]
        assert [translate(e) for e in form.buffer.errors] == [buffer]  # a Msg: the page translates it
        assert form.name.errors == [name]
    finally:
        context.pop()


def test_one_filter_per_format(app):
    filters = app.jinja_env.filters
    twins = {"day_text", "local_day", "clock", "clock_in", "clock_text", "datetime_in", "local_iso_day"}
    assert not twins & set(filters)
    instant = datetime(2026, 12, 6, 19, 30, tzinfo=timezone.utc)  # already the 7th in Kathmandu
    context = _in(app, "en")
    try:
        assert filters["date"](instant, "Asia/Kathmandu") == "Mon 7 Dec 2026 · 21 Mangsir 2083"
        assert filters["time"](instant, "Asia/Kathmandu") == "1:15 AM"
        assert filters["time"](time(13, 5)) == "1:05 PM"
        assert filters["iso_date"](instant, "Asia/Kathmandu") == "2026-12-07"
        assert filters["booking_status"]("no_show") != "no_show" and filters["day_name"](0) == "Sunday"
    finally:
        context.pop()


def test_iso_date_keeps_an_instant_whole_unless_asked_for_its_day(app):
    iso_date = app.jinja_env.filters["iso_date"]
    instant = datetime(2026, 12, 6, 19, 30, tzinfo=timezone.utc)
    assert iso_date(instant) == "2026-12-06T19:30:00+00:00"  # a booking link's choice value
    assert iso_date(instant, "Asia/Kathmandu") == "2026-12-07"


def test_a_refusal_names_the_zone_in_the_readers_words(app):
    """The budget refusal carries the stylist's zone; a page writes it as people say it,
    never as its IANA name (issue 25 point 4), in English and in Nepali."""
    from zoneinfo import ZoneInfo

    from portal.domain.translatable import Msg
    from portal.i18n import translate

    message = Msg("More become available on %(when)s (%(zone)s).", when=date(2030, 2, 1),
                  zone=ZoneInfo("Asia/Kathmandu"))
    assert str(message) == "More become available on Fri 1 Feb 2030 (Asia/Kathmandu)."  # logs: the plain value
    for language in ("en", "ne"):
        with app.test_request_context(headers={"Accept-Language": language}):
            page_text = translate(message)
            assert "Asia/Kathmandu" not in page_text and "(" in page_text, page_text
