"""The budget's rules: renewal in the stylist's zone, refusals with nothing spent."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from portal.extensions import db
from portal.metrics import BUDGET_REFUSALS
from portal.services.scheduling import budgets
from tests.budgets.helpers import quiet_stylist, stylist_actor
from tests.helpers import budget_row, count, set_budget

UTC = timezone.utc
KTM = ZoneInfo("Asia/Kathmandu")


def _reset_at(raw, stylist_id) -> datetime:
    value = budget_row(raw, stylist_id)["reset_at"]
    if isinstance(value, str):
        value = datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.astimezone(UTC)


def test_renewal_at_local_midnight_in_kathmandu_resets_counter_not_tokens(app, factory, raw):
    profile = quiet_stylist(factory, "Asia/Kathmandu")
    local_boundary = datetime(2030, 2, 1, tzinfo=KTM)  # = 2030-01-31 18:15 UTC
    set_budget(raw, profile.user_id, used=10, limit=10, emergency=1, reset_at=local_boundary)

    before = budgets.read_budget(db.session, profile.user_id, now=datetime(2030, 1, 31, 18, 14, tzinfo=UTC))
    assert (before.used, before.emergency_left) == (10, 1)
    assert budget_row(raw, profile.user_id)["used"] == 10

    # still 31 January in UTC, but already 1 February in Kathmandu
    after = budgets.read_budget(db.session, profile.user_id, now=datetime(2030, 1, 31, 18, 16, tzinfo=UTC))
    assert (after.used, after.emergency_left) == (0, 1)
    assert budget_row(raw, profile.user_id)["used"] == 0
    assert budget_row(raw, profile.user_id)["emergency"] == 1
    assert _reset_at(raw, profile.user_id) == datetime(2030, 3, 1, tzinfo=KTM).astimezone(UTC)
    assert after.renews_local == datetime(2030, 3, 1, tzinfo=KTM)


def test_stored_utc_midnight_is_read_as_the_stylists_local_boundary(app, factory, raw):
    """SQLite's column default (midnight UTC of the first) renews at local midnight, east and west."""
    ktm, nyc = quiet_stylist(factory, "Asia/Kathmandu"), quiet_stylist(factory, "America/New_York")
    for profile in (ktm, nyc):
        set_budget(raw, profile.user_id, used=4, reset_at=datetime(2030, 2, 1, tzinfo=UTC))
    view = budgets.read_budget(db.session, ktm.user_id, now=datetime(2030, 1, 31, 18, 0, tzinfo=UTC))
    assert view.used == 4 and view.renews_local == datetime(2030, 2, 1, tzinfo=KTM)
    assert budgets.read_budget(db.session, ktm.user_id, now=datetime(2030, 1, 31, 18, 20, tzinfo=UTC)).used == 0
    assert budgets.read_budget(db.session, nyc.user_id, now=datetime(2030, 2, 1, 1, tzinfo=UTC)).used == 4
    assert budgets.read_budget(db.session, nyc.user_id, now=datetime(2030, 2, 1, 5, 1, tzinfo=UTC)).used == 0


def test_spending_after_the_month_turned_renews_first(app, factory, raw):
    profile = quiet_stylist(factory, "Asia/Kathmandu")
    set_budget(raw, profile.user_id, used=10, limit=10, reset_at=datetime(2030, 2, 1, tzinfo=KTM))
    now = datetime(2030, 2, 1, 3, tzinfo=UTC)
    budgets.request_override(db.session, stylist_actor(profile), profile.user_id,
                             budgets.OverrideRequest(day=date(2030, 2, 5), closed=True), now=now)
    assert budget_row(raw, profile.user_id)["used"] == 1


def test_reset_budgets_command(app, factory, raw, runner):
    profile = quiet_stylist(factory, "Asia/Kathmandu")
    other = quiet_stylist(factory, "Asia/Kathmandu")
    set_budget(raw, profile.user_id, used=6, emergency=2, reset_at=datetime(2020, 1, 1, tzinfo=KTM))
    set_budget(raw, other.user_id, used=5, reset_at=datetime(2999, 1, 1, tzinfo=KTM))
    result = runner.invoke(args=["reset-budgets"])
    assert result.exit_code == 0 and "Renewed 1 override budget(s)." in result.output
    assert budget_row(raw, profile.user_id)["used"] == 0
    assert budget_row(raw, profile.user_id)["emergency"] == 2
    assert budget_row(raw, other.user_id)["used"] == 5
    now = datetime.now(KTM)
    first = date(now.year + (now.month == 12), now.month % 12 + 1, 1)
    assert _reset_at(raw, profile.user_id) == datetime.combine(first, time(), KTM).astimezone(UTC)


NOW = datetime(2030, 1, 10, 6, tzinfo=UTC)  # 10 Jan 2030, 11:45 in Kathmandu


def _nothing_spent(raw, profile, used=0):
    assert budget_row(raw, profile.user_id)["used"] == used
    assert count(raw, "schedule_overrides", "created_by = :id", id=str(profile.user_id)) == 0
    assert count(raw, raw.private("schedule_change_log")) == 0


BAD_REQUESTS = [
    ({"day": date(2030, 1, 9), "closed": True}, "DATE_IN_PAST", "day"),
    ({"day": date(2030, 2, 10), "closed": True}, "BEYOND_HORIZON", "day"),
    ({"day": date(2030, 1, 12), "closed": False, "start": time(12), "end": time(11)}, "INVALID_TIME_RANGE", "end"),
    ({"day": date(2030, 1, 12), "closed": False, "start": time(12)}, "INVALID_TIME_RANGE", "end"),
    ({"day": None, "closed": True}, "INVALID_DATE", "day"),
]


def test_bad_requests_are_refused_with_nothing_spent(app, factory, raw):
    profile = quiet_stylist(factory)
    refusals_before = BUDGET_REFUSALS._value.get()
    for request_kwargs, code, field in BAD_REQUESTS:
        with pytest.raises(budgets.BudgetRefused) as refused:
            budgets.request_override(db.session, stylist_actor(profile), profile.user_id,
                                     budgets.OverrideRequest(**request_kwargs), now=NOW)
        assert (refused.value.code, list(refused.value.fields)) == (code, [field])
        _nothing_spent(raw, profile)
    assert BUDGET_REFUSALS._value.get() == refusals_before + len(BAD_REQUESTS)  # /metrics counts them


def test_horizon_follows_the_longest_offered_service(app, factory):
    profile = quiet_stylist(factory)
    assert budgets.horizon_days(db.session, profile.user_id) == 30
    factory.offer(profile, factory.service(max_advance_days=60))
    factory.offer(profile, factory.service(max_advance_days=14))
    factory.offer(profile, factory.service(max_advance_days=90), is_available=False)
    assert budgets.horizon_days(db.session, profile.user_id) == 60
    budgets.request_override(db.session, stylist_actor(profile), profile.user_id,
                             budgets.OverrideRequest(day=date(2030, 3, 11), closed=True), now=NOW)


def test_second_request_for_the_same_date_is_refused_clearly(app, factory, raw):
    profile = quiet_stylist(factory)
    actor = stylist_actor(profile)
    budgets.request_override(db.session, actor, profile.user_id,
                             budgets.OverrideRequest(day=date(2030, 1, 12), closed=True), now=NOW)
    with pytest.raises(budgets.BudgetRefused) as refused:
        budgets.request_override(db.session, actor, profile.user_id, budgets.OverrideRequest(
            day=date(2030, 1, 12), closed=False, start=time(10), end=time(12)), now=NOW)
    assert refused.value.code == "DATE_TAKEN"
    assert budget_row(raw, profile.user_id)["used"] == 1


def test_exhausted_budget_says_when_it_renews(app, factory, raw):
    profile = quiet_stylist(factory, "Asia/Kathmandu")
    set_budget(raw, profile.user_id, used=10, limit=10, emergency=3, reset_at=datetime(2030, 2, 1, tzinfo=KTM))
    with pytest.raises(budgets.BudgetRefused) as refused:
        budgets.request_override(db.session, stylist_actor(profile), profile.user_id,
                                 budgets.OverrideRequest(day=date(2030, 1, 12), closed=True), now=NOW)
    assert refused.value.code == "BUDGET_EXHAUSTED"
    assert "BUDGET_EXHAUSTED" not in refused.value.message  # the code is for programs, not people
    assert "Fri 1 Feb 2030, 12:00 AM (Asia/Kathmandu)" in refused.value.message
    assert "3 emergency" in refused.value.message
    _nothing_spent(raw, profile, used=10)


def test_emergency_request_spends_a_token_at_priority_90(app, factory, raw):
    profile = quiet_stylist(factory)
    set_budget(raw, profile.user_id, used=10, limit=10, emergency=3, reset_at=datetime(2030, 2, 1, tzinfo=KTM))
    row = budgets.request_override(db.session, stylist_actor(profile), profile.user_id, budgets.OverrideRequest(
        day=date(2030, 1, 12), closed=False, start=time(10), end=time(14), emergency=True, reason="wedding"),
        now=NOW)
    assert (row.priority, row.override_type, row.is_closed) == (90, "special_event", False)
    assert budget_row(raw, profile.user_id)["emergency"] == 2
    assert budget_row(raw, profile.user_id)["used"] == 10
    log = raw.execute(db.text(f"SELECT change_type, is_emergency, ip_address, user_agent, reason FROM "
                              f"{raw.private('schedule_change_log')}")).one()
    assert (log[0], bool(log[1]), str(log[2]), log[3], log[4]) == (
        "emergency_block", True, "203.0.113.7", "pytest-agent/1.0", "wedding")


def test_a_stylist_cannot_open_a_day_closed_by_a_business_closure(app, factory, raw):
    profile = quiet_stylist(factory)
    factory.override(None, date(2030, 1, 14), closed=True, priority=100, override_type="business_closure",
                     reason="Maghe Sankranti")
    for emergency in (False, True):
        with pytest.raises(budgets.BudgetRefused) as refused:
            budgets.request_override(db.session, stylist_actor(profile), profile.user_id, budgets.OverrideRequest(
                day=date(2030, 1, 14), closed=False, start=time(10), end=time(12), emergency=emergency), now=NOW)
        assert refused.value.code == "BUSINESS_CLOSURE"
        assert "(Maghe Sankranti)" in refused.value.message and "(100)" not in refused.value.message
    _nothing_spent(raw, profile)
    assert budget_row(raw, profile.user_id)["emergency"] == 3


def test_a_day_off_on_a_day_already_off_is_refused_with_nothing_spent(app, factory, raw):
    profile = quiet_stylist(factory, week=False)
    factory.schedule(profile, 1)  # Mondays only; 12 Jan 2030 is a Saturday
    with pytest.raises(budgets.BudgetRefused) as refused:
        budgets.request_override(db.session, stylist_actor(profile), profile.user_id,
                                 budgets.OverrideRequest(day=date(2030, 1, 12), closed=True), now=NOW)
    assert refused.value.code == "ALREADY_OFF"
    _nothing_spent(raw, profile)
    # hours on that Saturday open it (a stylist-specific override opens a day off)
    row = budgets.request_override(db.session, stylist_actor(profile), profile.user_id, budgets.OverrideRequest(
        day=date(2030, 1, 12), closed=False, start=time(10), end=time(13)), now=NOW)
    assert row.priority == 50 and budget_row(raw, profile.user_id)["used"] == 1
