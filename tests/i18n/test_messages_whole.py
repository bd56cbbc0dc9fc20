"""Sentences are built in Python as `Msg`s and read whole in Nepali: templates never split
English text (the date hint, the precedence, the browser summary, the history's hours)."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from flask_babel import force_locale

from portal.domain import schedule_changes
from portal.domain.schedule_layers import OverrideRow
from portal.domain.translatable import Msg
from portal.i18n import translate
from portal.presentation.user_agents import browser_summary
from portal.schedules.forms import OverrideForm

CHROME_ANDROID = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"


def _both(app, message):
    with app.test_request_context():
        with force_locale("en"):
            english = translate(message)
        with force_locale("ne"):
            return english, translate(message)


def test_a_time_value_is_the_pages_clock(app):
    english, nepali = _both(app, Msg("Overlaps the break %(start)s–%(end)s.", start=time(13), end=time(14)))
    assert english == "Overlaps the break 1:00 PM–2:00 PM."
    assert nepali == "विश्राम दिउँसो १:००–दिउँसो २:०० मा पर्छ।"


def test_precedence_and_override_names_read_whole(app):
    english, nepali = _both(app, schedule_changes.precedence_text())
    assert english == "Business closure beats vacation beats special event beats seasonal hours"
    assert "beats" not in nepali and nepali.startswith("सैलुन बन्द, त्यसपछि बिदा")
    row = OverrideRow("a", "seasonal_hours", False, date(2030, 1, 7), date(2030, 1, 7), False, time(10), time(15), 10,
                      datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert _both(app, schedule_changes.override_label(row)) == ("Seasonal hours", "मौसमी समय")  # no priority (engine word)


def test_browser_summary_is_one_sentence(app):
    english, nepali = _both(app, browser_summary(CHROME_ANDROID))
    assert english == "Chrome on Android" and nepali == "Android मा Chrome"
    assert _both(app, browser_summary("python-requests/2.31"))[1] == "पाइथन स्क्रिप्ट"


def test_date_boxes_carry_their_hint_whole_and_the_bs_attribute(app):
    with app.test_request_context():
        with force_locale("ne"):
            form = OverrideForm(meta={"csrf": False})
            box = str(form.end_date())
            help_text = translate(form.end_date.description)
    assert "data-bs-date" in box and "placeholder" in box
    assert help_text == "एक दिनका लागि पहिलो मिति नै। वर्ष-महिना-दिन, जस्तै २०२६-१२-०७; वा वि.सं. मिति अगाडि “वि.सं.” लेखेर, जस्तै वि.सं. २०८३-०८-२१।"
