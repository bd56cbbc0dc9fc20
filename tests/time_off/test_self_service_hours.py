"""A stylist's own change of a day's hours stays inside the salon's opening envelope
(`SELF_SERVICE_HOURS`, default 06:00–21:00) and lasts at least 30 minutes; the form says so."""
from __future__ import annotations

from datetime import time, timedelta

import pytest

from portal import create_app
from portal.config import ConfigurationError
from portal.extensions import db
from portal.models import ScheduleOverride
from portal.services.scheduling import budgets
from tests.helpers import count, field_errors
from tests.time_off.helpers import actor_of, salon, today_ktm
from tests.web import post_form


def _hours(start: str, end: str) -> budgets.OverrideRequest:
    return budgets.OverrideRequest(day=today_ktm() + timedelta(days=3), closed=False,
                                   start=time.fromisoformat(start), end=time.fromisoformat(end))


def _refused(s, start, end) -> budgets.BudgetRefused:
    with pytest.raises(budgets.BudgetRefused) as caught:
        budgets.request_override(db.session, actor_of(s.stylist), s.stylist.user_id, _hours(start, end))
    return caught.value


def test_two_to_three_in_the_morning_is_refused_naming_the_envelope(app, factory, raw):
    with app.app_context():
        s = salon(factory)
        refused = _refused(s, "02:00", "03:00")
        assert refused.code == "OUTSIDE_ENVELOPE" and list(refused.fields) == ["start"]
        assert "between 6:00 AM and 9:00 PM" in refused.message and "time off" in refused.message
        assert count(db.session, ScheduleOverride) == 0
        assert budgets.read_budget(db.session, s.stylist.user_id).used == 0  # nothing spent
        assert _refused(s, "20:00", "21:30").code == "OUTSIDE_ENVELOPE"
        short = _refused(s, "10:00", "10:20")
        assert list(short.fields) == ["end"] and "at least 30 minutes" in short.message
        row = budgets.request_override(db.session, actor_of(s.stylist), s.stylist.user_id, _hours("06:00", "21:00"))
        assert row.override_start_time == time(6) and row.override_end_time == time(21)


def test_the_envelope_is_a_setting_and_the_form_tells_it(app, client, auth, factory):
    app.config["SELF_SERVICE_HOURS"] = "08:00-20:00"  # as the environment would set it
    with app.app_context():
        s = salon(factory)
        assert "between 8:00 AM and 8:00 PM" in _refused(s, "07:30", "12:00").message
        email = s.stylist.user.email
    auth.login(email)
    page = client.get("/budgets/mine").get_data(as_text=True)
    assert "Your own hours lie between 8:00 AM and 8:00 PM and last at least 30 minutes." in page
    assert 'href="/time-off/mine"' in page
    response = post_form(client, "/budgets/mine/requests", {
        "day": (today_ktm() + timedelta(days=3)).isoformat(), "kind": "hours", "start": "02:00", "end": "03:00"},
        page="/budgets/mine")
    assert response.status_code == 400
    [message] = field_errors(response.get_data(as_text=True), "start")
    assert "between 8:00 AM and 8:00 PM" in message


@pytest.mark.parametrize("bad", ["6-21", "21:00-06:00", "06:00"])
def test_a_malformed_envelope_stops_start_up(bad):
    with pytest.raises(ConfigurationError):
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "SELF_SERVICE_HOURS": bad})
