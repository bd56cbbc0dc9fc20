"""Never overspent: N simultaneous requests against k units left succeed exactly min(N, k) times.

Real threads, each with its own app context and session, against the test's real
database (a SQLite file, and PostgreSQL when TEST_DATABASE_URL is set)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.extensions import db
from portal.services.scheduling import budgets
from tests.budgets.helpers import quiet_stylist, stylist_actor
from tests.helpers import budget_row, count, set_budget

THREADS = 50
ROUNDS = 3


def _race(app, stylist_id, actor, days, emergency=False):
    barrier = threading.Barrier(len(days))

    def attempt(day):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                budgets.request_override(
                    db.session, actor, stylist_id, budgets.OverrideRequest(day=day, closed=True, emergency=emergency))
                return "ok"
            except budgets.BudgetRefused as refused:
                return refused.code
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(days)) as pool:
        return list(pool.map(attempt, days))


def test_fifty_requests_with_three_left_succeed_three_times(app, factory, raw):
    profile = quiet_stylist(factory)
    factory.offer(profile, factory.service(max_advance_days=365))
    actor = stylist_actor(profile)
    today = datetime.now(ZoneInfo(profile.timezone)).date()
    overrides = raw.private("schedule_change_log")
    for round_no in range(ROUNDS):
        set_budget(raw, profile.user_id, used=7, limit=10)
        days = [today + timedelta(days=1 + round_no * THREADS + i) for i in range(THREADS)]
        results = _race(app, profile.user_id, actor, days)
        assert results.count("ok") == 3, results
        assert set(results) == {"ok", "BUDGET_EXHAUSTED"}
        assert budget_row(raw, profile.user_id)["used"] == 10
        assert count(raw, "schedule_overrides") == 3 * (round_no + 1)
        assert count(raw, overrides) == 3 * (round_no + 1)


def test_emergency_tokens_are_never_overspent(app, factory, raw):
    profile = quiet_stylist(factory)
    factory.offer(profile, factory.service(max_advance_days=365))
    set_budget(raw, profile.user_id, used=10, limit=10, emergency=2)
    today = datetime.now(ZoneInfo(profile.timezone)).date()
    results = _race(app, profile.user_id, stylist_actor(profile),
                    [today + timedelta(days=1 + i) for i in range(20)], emergency=True)
    assert results.count("ok") == 2, results
    assert set(results) == {"ok", "NO_EMERGENCY_TOKENS"}
    assert budget_row(raw, profile.user_id)["emergency"] == 0
    assert count(raw, raw.private("schedule_change_log"), "change_type = 'emergency_block'") == 2


def test_same_date_requested_at_once_is_taken_once_and_spent_once(app, factory, raw):
    profile = quiet_stylist(factory)
    day = datetime.now(ZoneInfo(profile.timezone)).date() + timedelta(days=3)
    results = _race(app, profile.user_id, stylist_actor(profile), [day] * 10)
    assert results.count("ok") == 1, results
    assert set(results) == {"ok", "DATE_TAKEN"}
    assert budget_row(raw, profile.user_id)["used"] == 1
    assert count(raw, "schedule_overrides") == 1


def test_database_refuses_negative_counters(app, factory, raw):
    from sqlalchemy import exc, text

    profile = quiet_stylist(factory)
    before = budget_row(raw, profile.user_id)
    for column in ("current_month_overrides", "emergency_overrides_remaining"):
        with pytest.raises(exc.IntegrityError):
            raw.execute(text(f"UPDATE stylist_override_budgets SET {column} = {column} - 100"
                             " WHERE stylist_user_id = :id"), {"id": str(profile.user_id)})
        assert budget_row(raw, profile.user_id) == before
