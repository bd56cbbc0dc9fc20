"""The stylist's pages and the admin budget page."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from tests.helpers import budget_row, count, field_errors, set_budget, sign_in
from tests.web import post_form

KTM = ZoneInfo("Asia/Kathmandu")


@pytest.fixture
def stylist(factory, auth):
    profile = factory.stylist()
    factory.week(profile)
    sign_in(auth, profile.user.email)
    return profile


def _day(n):
    return (datetime.now(KTM).date() + timedelta(days=n))


def test_request_form_spends_one_and_logs_ip_and_user_agent(client, stylist, factory, raw):
    factory.override(None, _day(9), closed=True, priority=100, override_type="business_closure", reason="Tihar")
    page = client.get("/budgets/mine").get_data(as_text=True)
    assert "0 / 10" in page and 'id="budget-emergency">3<' in page and "Tihar" in page
    r = post_form(client, "/budgets/mine/requests", {"day": _day(3).isoformat(), "kind": "off", "reason": "exam"},
                  headers={"User-Agent": "Phone/1.0"}, environ_base={"REMOTE_ADDR": "198.51.100.4"})
    assert r.status_code == 302
    log = raw.execute(text(f"SELECT change_type, ip_address, user_agent, reason, new_values, changed_by FROM "
                           f"{raw.private('schedule_change_log')}")).one()
    new_values = json.loads(log[4]) if isinstance(log[4], str) else log[4]
    assert (log[0], str(log[1]), log[2], log[3]) == ("availability_override", "198.51.100.4", "Phone/1.0", "exam")
    assert new_values["closed"] is True and new_values["priority"] == 50 and str(log[5]) == str(stylist.user_id)
    page = client.get("/budgets/mine").get_data(as_text=True)
    assert "1 / 10" in page
    assert f'data-day="{_day(3).isoformat()}" data-verdict="closed"' in page
    assert f'data-day="{_day(9).isoformat()}" data-verdict="closed"' in page
    assert "(whole salon)" in page and "exam" in page
    assert "Own change" in client.get("/budgets/mine/history").get_data(as_text=True)


def test_spent_budget_offers_emergency_and_says_when_it_renews(client, stylist, raw):
    set_budget(raw, stylist.user_id, used=10, limit=10)
    page = client.get("/budgets/mine").get_data(as_text=True)
    assert 'name="emergency"' in page
    r = post_form(client, "/budgets/mine/requests", {"day": _day(2).isoformat(), "kind": "off"})
    page = r.get_data(as_text=True)
    assert r.status_code == 409 and "BUDGET_EXHAUSTED" not in page and "more become available on " in page
    assert count(raw, "schedule_overrides") == 0
    r = post_form(client, "/budgets/mine/requests", {"day": _day(2).isoformat(), "kind": "off", "emergency": "y"})
    assert r.status_code == 302
    assert budget_row(raw, stylist.user_id)["emergency"] == 2
    assert count(raw, raw.private("schedule_change_log"), "change_type = 'emergency_block'") == 1


STYLIST_BAD_FIELDS = [
    ({"day": "tomorrow", "kind": "off"}, "day", "Enter the date as year-month-day, e.g. 2026-12-07, or a BS date with “BS” before it, e.g. BS 2083-08-21."),
    ({"day": "", "kind": "off"}, "day", "Choose a date."),
    ({"day": "2001-01-01", "kind": "off"}, "day", "Mon 1 Jan 2001 is in the past."),
    ({"day": "DAY5", "kind": "hours", "start": "12:00", "end": "10:00"}, "end",
     "The end time must be after the start time."),
    ({"day": "DAY5", "kind": "hours", "start": "12:00"}, "end", "Give the end time, or choose a day off."),
    ({"day": "DAY5", "kind": "hours", "start": "25:00", "end": "26:00"}, "start", "Not a valid time value."),
    ({"day": "DAY90", "kind": "off"}, "day", "You can change dates up to 30 days ahead"),
]


def test_stylist_form_errors_next_to_the_field_and_nothing_spent(client, stylist, raw):
    for data, field, message in STYLIST_BAD_FIELDS:
        data = {k: (_day(int(v[3:])).isoformat() if v.startswith("DAY") else v) for k, v in data.items()}
        r = post_form(client, "/budgets/mine/requests", data)
        assert r.status_code == 400, data
        assert any(message in e for e in field_errors(r.get_data(as_text=True), field)), data
        assert budget_row(raw, stylist.user_id)["used"] == 0
        assert count(raw, "schedule_overrides") == 0 and count(raw, raw.private("schedule_change_log")) == 0


@pytest.fixture
def admin_and_stylist(factory, admin):
    return factory.stylist(display_name="Asha", user=factory.user("stylist", password=None))


def test_admin_changes_limit_and_grants_tokens_logged(client, admin_and_stylist, raw):
    sid = admin_and_stylist.user_id
    page = client.get("/budgets/").get_data(as_text=True)
    assert "Asha" in page and "0 / 10" in page
    assert post_form(client, f"/budgets/{sid}/limit", {"limit": "4"}).status_code == 302
    assert post_form(client, f"/budgets/{sid}/tokens", {"count": "2"}).status_code == 302
    assert budget_row(raw, sid)["limit"] == 4 and budget_row(raw, sid)["emergency"] == 5
    rows = raw.execute(text(f"SELECT action, details FROM {raw.private('service_management_log')} "
                            "WHERE category = 'configuration' AND target_type = 'override_budget' ORDER BY id")).all()
    details = [json.loads(d) if isinstance(d, str) else d for _, d in rows]
    assert [a for a, _ in rows] == ["budget_limit_changed", "emergency_tokens_granted"]
    assert details[0] == {"old_limit": 10, "new_limit": 4}
    assert details[1] == {"granted": 2, "before": 3, "after": 5}


ADMIN_BAD_FIELDS = [
    ("limit", {"limit": "0"}, "limit", "The monthly limit must be a whole number from 1 to 1000."),
    ("limit", {"limit": "abc"}, "limit", "Not a valid integer value."),
    ("limit", {"limit": ""}, "limit", "The monthly limit must be a whole number from 1 to 1000."),
    ("tokens", {"count": "-3"}, "count", "Give from 1 to 100 emergency changes."),
    ("tokens", {"count": "1000"}, "count", "Give from 1 to 100 emergency changes."),
]


def test_admin_budget_form_errors_next_to_the_field(client, admin_and_stylist, raw):
    sid = admin_and_stylist.user_id
    before = budget_row(raw, sid)
    for url, data, field, message in ADMIN_BAD_FIELDS:
        r = post_form(client, f"/budgets/{sid}/{url}", data)
        assert r.status_code == 400, data
        assert message in field_errors(r.get_data(as_text=True), field), data
        assert budget_row(raw, sid) == before
        assert count(raw, raw.private("service_management_log"), "category = 'configuration'") == 0


def test_roles_are_enforced_and_emergency_not_offered_while_budget_lasts(client, stylist):
    assert 'name="emergency"' not in client.get("/budgets/mine").get_data(as_text=True)
    assert client.get("/budgets/").status_code == 403
    assert client.get(f"/budgets/{stylist.user_id}").status_code == 403
    assert client.get("/budgets/mine").status_code == 200
