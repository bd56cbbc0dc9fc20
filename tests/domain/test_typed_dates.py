"""Typed dates (ui.md, nepal.md): Gregorian or BS (marked), either script's digits, and a
message naming what is wrong with an impossible date — in English and in Nepali."""
from __future__ import annotations

from datetime import date

import nepali_datetime
import pytest
from werkzeug.datastructures import MultiDict

from portal.domain import typed_dates
from portal.domain.typed_dates import DateNotRead, read_date
from portal.i18n import translate


@pytest.mark.parametrize("text", [
    "2026-12-07", "2026/12/7", "2026.12.07", " 2026-12-07 ", "AD 2026-12-07",
    "BS 2083-08-21", "bs 2083-8-21", "B.S. 2083/08/21", "2083-08-21 BS", "वि.सं. 2083-08-21", "बि.सं. 2083-08-21",
])
def test_every_accepted_shape_names_the_same_day(text):
    assert read_date(text) == date(2026, 12, 7)


def test_bs_dates_use_the_library():
    for year, month, day in ((2083, 1, 1), (2082, 12, 30), (2081, 4, 32)):
        try:
            expected = nepali_datetime.date(year, month, day).to_datetime_date()
        except ValueError:
            with pytest.raises(DateNotRead):
                read_date(f"BS {year}-{month:02d}-{day:02d}")
            continue
        assert read_date(f"BS {year}-{month:02d}-{day:02d}") == expected


@pytest.mark.parametrize("text, reason, days", [
    ("2027-02-30", typed_dates.NO_SUCH_DAY, 28),
    ("2028-02-30", typed_dates.NO_SUCH_DAY, 29),
    ("2026-04-31", typed_dates.NO_SUCH_DAY, 30),
    ("2026-12-00", typed_dates.NO_SUCH_DAY, 31),
    ("2026-13-01", typed_dates.NO_SUCH_MONTH, None),
    ("BS 2083-13-01", typed_dates.NO_SUCH_MONTH, None),
    ("BS 2250-01-01", typed_dates.BS_OUT_OF_RANGE, None),
    ("07/12/2026", typed_dates.SHAPE, None),
    ("tomorrow", typed_dates.SHAPE, None),
    ("XY 2026-12-07", typed_dates.SHAPE, None),
    ("BS 2083-08-21 AD", typed_dates.SHAPE, None),
    ("0000-01-01", typed_dates.SHAPE, None),
])
def test_what_is_wrong_is_named(text, reason, days):
    with pytest.raises(DateNotRead) as caught:
        read_date(text)
    assert caught.value.reason == reason
    assert caught.value.days == days


def test_a_bs_month_too_short_gives_its_length():
    length = max(d for d in range(28, 33) if _exists(2083, 9, d))
    with pytest.raises(DateNotRead) as caught:
        read_date(f"BS 2083-09-{length + 1}")
    assert (caught.value.calendar, caught.value.days) == ("BS", length)


def _exists(year, month, day):
    try:
        nepali_datetime.date(year, month, day)
        return True
    except ValueError:
        return False


def _field(app, text, language):
    from portal.schedules.forms import OverrideForm

    with app.test_request_context(headers={"Accept-Language": language}):
        form = OverrideForm(formdata=MultiDict({"start_date": text}), meta={"csrf": False})
        form.validate()
        return form.start_date.data, [translate(e) for e in form.start_date.errors]


@pytest.mark.parametrize("text, language, message", [
    ("2027-02-30", "en", "February 2027 has 28 days."),
    ("2027-02-30", "ne", "फेब्रुअरी २०२७ मा २८ दिन हुन्छन्।"),
    ("2026-13-01", "en", "There is no month 13: months run from 1 to 12."),
    ("2026-13-01", "ne", "१३ औँ महिना हुँदैन: महिना १ देखि १२ सम्म हुन्छन्।"),
    ("BS 2250-01-01", "en", "BS dates can be read for the years 1975–2100 only."),
])
def test_the_form_says_what_is_wrong_in_the_page_language(app, text, language, message):
    data, errors = _field(app, text, language)
    assert data is None and errors == [message]


def test_a_bs_month_message_names_the_bs_month(app):
    length = max(d for d in range(28, 33) if _exists(2083, 9, d))
    month = nepali_datetime.date(2083, 9, 1)
    _, errors = _field(app, f"BS 2083-09-{length + 1}", "en")
    assert errors == [f"{month.strftime('%B')} 2083 has {length} days."]
    _, errors = _field(app, f"वि.सं. २०८३-०९-{length + 1}", "ne")
    assert errors[0].startswith(f"{month.strftime('%N')} २०८३ मा")


@pytest.mark.parametrize("text", ["BS 2083-08-21", "वि.सं. २०८३-०८-२१", "२०२६-१२-०७", "2026-12-07"])
def test_the_form_reads_bs_and_devanagari_digits(app, text):
    data, errors = _field(app, text, "en")
    assert (data, errors) == (date(2026, 12, 7), [])


def test_another_script_digits_are_refused(app):
    data, errors = _field(app, "٢٠٢٦-١٢-٠٧", "en")
    assert data is None and errors == ["Type the numbers with the digits 0-9 or ०-९."]


def test_the_bs_endpoint_reads_a_typed_bs_date_and_says_what_is_wrong(client, auth, factory):
    auth.login(factory.user("admin").email)
    answer = client.get("/dates/bs", query_string={"date": "BS 2083-08-21"}).get_json()
    assert answer["date"] == "2026-12-07" and answer["calendar"] == "BS"
    assert answer["gregorian_en"] == "Mon 7 Dec 2026" and answer["gregorian_ne"] == "सोम ७ डिसेम्बर २०२६"
    wrong = client.get("/dates/bs", query_string={"date": "2027-02-30"})
    assert wrong.status_code == 400 and wrong.get_json() == {"error": "February 2027 has 28 days.", "field": "date"}
