"""The pure rules of portal/domain/time_off.py and portal/domain/opening_envelope.py at their edges."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from portal.domain import opening_envelope, time_off

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize("start, end, wrong", [
    (TODAY, TODAY, set()),
    (TODAY - timedelta(days=1), TODAY, {"start_date"}),
    (TODAY, TODAY + timedelta(days=59), set()),  # 60 days, both ends counted
    (TODAY, TODAY + timedelta(days=60), {"end_date"}),  # 61 days
    (TODAY + timedelta(days=360), TODAY + timedelta(days=365), set()),  # the last day within 365 days
    (TODAY + timedelta(days=360), TODAY + timedelta(days=366), {"end_date"}),
    (TODAY + timedelta(days=3), TODAY + timedelta(days=2), {"end_date"}),
    (None, None, {"start_date", "end_date"}),
])
def test_dates_outside_the_rules_are_refused_on_their_field(start, end, wrong):
    assert set(time_off.range_errors("leave", start, end, None, TODAY)) == wrong


def test_kinds_states_and_labels_are_one_vocabulary():
    assert set(time_off.KIND_LABELS) == set(time_off.KINDS)
    assert set(time_off.STATE_LABELS) == set(time_off.STATES) == set(time_off.STATE_STYLES)
    assert time_off.kind_label("festival") == "Festival" and time_off.state_label("waiting") == "Waiting"
    assert set(time_off.range_errors("holiday", TODAY, TODAY, "x" * 501, TODAY)) == {"kind", "note"}


def test_already_decided_names_the_state():
    assert "approved" in time_off.already_decided(time_off.APPROVED).message
    assert "withdrew" in time_off.already_decided(time_off.WITHDRAWN).message
    assert time_off.already_decided(time_off.DECLINED).code == "ALREADY_DECIDED"


def test_the_envelope_and_the_thirty_minutes():
    envelope = opening_envelope.parse("06:00-21:00")
    assert opening_envelope.hours_refusal(time(6), time(21), envelope) is None
    assert opening_envelope.hours_refusal(time(10), time(10, 30), envelope) is None
    field, message = opening_envelope.hours_refusal(time(2), time(3), envelope)
    assert field == "start" and "6:00 AM and 9:00 PM" in message
    assert opening_envelope.hours_refusal(time(10), time(10, 29), envelope)[0] == "end"
    assert opening_envelope.hours_refusal(time(20, 45), time(21, 15), envelope)[0] == "start"
    for bad in ("", "6-21", "21:00-06:00", "25:00-26:00"):
        with pytest.raises(ValueError):
            opening_envelope.parse(bad or "nonsense")
