"""Weekly base schedule editor: each change logged as schedule_update with old and new values."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from tests.helpers import count, field_errors
from tests.web import post_form

ROW = {"day_of_week": "1", "start": "09:00", "end": "17:00", "break_start": "13:00", "break_end": "14:00",
       "effective_from": "2030-01-01", "effective_until": "", "is_active": "y"}


@pytest.fixture
def stylist(factory, admin):
    return factory.stylist(user=factory.user("stylist", password=None))


def _changes(raw):
    rows = raw.execute(text(f"SELECT change_type, old_values, new_values, ip_address, user_agent FROM "
                            f"{raw.private('schedule_change_log')} ORDER BY id")).all()
    load = lambda v: json.loads(v) if isinstance(v, str) else v  # noqa: E731
    return [(r[0], load(r[1]), load(r[2]), r[3], r[4]) for r in rows]


def test_add_edit_delete_are_logged_with_old_and_new_values(client, stylist, raw):
    url = f"/schedules/stylists/{stylist.user_id}/week"
    assert post_form(client, url, ROW, headers={"User-Agent": "ua-test"}).status_code == 302
    row_id = raw.execute(text("SELECT id FROM stylist_schedules")).scalar_one()
    assert post_form(client, f"{url}/{row_id}", {**ROW, "end": "18:00", "break_start": "", "break_end": ""},
                     headers={"User-Agent": "ua-test"}).status_code == 302
    assert post_form(client, f"{url}/{row_id}/delete").status_code == 302
    changes = _changes(raw)
    assert [c[0] for c in changes] == ["schedule_update"] * 3
    created, edited, deleted = changes
    assert created[1] is None and created[2]["end"] == "17:00" and created[2]["break_start"] == "13:00"
    assert edited[1]["end"] == "17:00" and edited[2]["end"] == "18:00" and edited[2]["break_start"] is None
    assert deleted[1]["end"] == "18:00" and deleted[2] is None
    assert created[4] == "ua-test" and created[3]
    assert count(raw, raw.private("service_management_log"),
                 "category = 'configuration' AND target_type = 'stylist_schedule'") == 3
    assert count(raw, "stylist_schedules") == 0


BAD_FIELDS = [
    ({"end": "08:00"}, "end", "The end time must be after the start time."),
    ({"start": ""}, "start", "Give the start time."),
    ({"break_end": ""}, "break_end", "Give both break times, or neither."),
    ({"break_start": "18:00", "break_end": "19:00"}, "break_start", "The break must lie inside the working hours."),
    ({"break_end": "12:00"}, "break_end", "The break must end after it starts."),
    ({"effective_until": "2029-12-31"}, "effective_until", "The last date must not be before the first date."),
    ({"effective_from": "31/01/2030"}, "effective_from", "Enter the date as year-month-day, e.g. 2026-12-07, or a BS date with “BS” before it, e.g. BS 2083-08-21."),
    ({"day_of_week": "7"}, "day_of_week", "Choose a day of the week."),
]


def test_each_bad_field_gets_its_message_and_nothing_is_written(client, stylist, raw):
    for changes, field, message in BAD_FIELDS:
        r = post_form(client, f"/schedules/stylists/{stylist.user_id}/week", {**ROW, **changes})
        assert r.status_code == 400, changes
        assert message in field_errors(r.get_data(as_text=True), field), changes
        assert count(raw, "stylist_schedules") == 0
        assert count(raw, raw.private("schedule_change_log")) == 0


def test_a_second_row_for_the_same_day_and_start_is_refused_by_field(client, stylist, raw):
    url = f"/schedules/stylists/{stylist.user_id}/week"
    assert post_form(client, url, ROW).status_code == 302
    r = post_form(client, url, {**ROW, "start": "10:00"})
    assert r.status_code == 400
    assert "Monday already has hours starting on Tue 1 Jan 2030; edit that row instead." in field_errors(
        r.get_data(as_text=True), "effective_from")
    assert count(raw, "stylist_schedules") == 1
    assert count(raw, raw.private("schedule_change_log")) == 1


def test_an_overlap_on_a_nepali_page_names_the_other_rows_hours_and_dates_in_nepali(client, stylist, raw):
    url = f"/schedules/stylists/{stylist.user_id}/week"
    assert post_form(client, url, {**ROW, "start": "08:00", "end": "12:00", "break_start": "",
                                   "break_end": ""}).status_code == 302
    r = post_form(client, url, {**ROW, "effective_from": "2030-01-02"}, headers={"Accept-Language": "ne"})
    assert r.status_code == 400
    [message] = field_errors(r.get_data(as_text=True), "effective_from")
    assert "बिहान ८:०० – दिउँसो १२:००" in message  # the other row's hours
    assert "१ जनवरी २०३० देखि" in message  # its first date, open-ended
    assert "2030" not in message and "AM" not in message and "Jan" not in message
    assert count(raw, "stylist_schedules") == 1
