"""A database client cannot reset a stylist's override spending by deleting the row."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.foundation.test_database_rules import world  # noqa: F401  (fixture)

COLUMNS = "monthly_override_limit, current_month_overrides, emergency_overrides_remaining, budget_reset_at"


def budget(raw, stylist):
    return raw.execute(
        text(f"SELECT {COLUMNS} FROM stylist_override_budgets WHERE stylist_user_id = :id"), {"id": stylist}
    ).one_or_none()


def test_deleting_a_budget_row_does_not_return_spent_overrides(raw, world):  # noqa: F811
    stylist = world["stylist"]
    raw.execute(text(
        "UPDATE stylist_override_budgets SET current_month_overrides = 7, emergency_overrides_remaining = 1,"
        " monthly_override_limit = 8 WHERE stylist_user_id = :id"), {"id": stylist})
    before = budget(raw, stylist)
    raw.execute(text("DELETE FROM stylist_override_budgets WHERE stylist_user_id = :id"), {"id": stylist})
    after = budget(raw, stylist)
    assert after is not None and tuple(after) == tuple(before)
    assert (after.current_month_overrides, after.emergency_overrides_remaining) == (7, 1)
    # deleting every row is no better
    raw.execute(text("DELETE FROM stylist_override_budgets"))
    assert budget(raw, stylist).current_month_overrides == 7


def test_deleting_the_stylist_still_takes_the_budget_with_it(raw, world):  # noqa: F811
    stylist = world["stylist"]
    raw.execute(text("DELETE FROM stylist_profiles WHERE user_id = :id"), {"id": stylist})
    assert budget(raw, stylist) is None


def test_truncate_is_refused_on_postgresql(raw, world, engine_name):  # noqa: F811
    if engine_name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DBAPIError, match="cannot be truncated"):
        raw.execute(text("TRUNCATE stylist_override_budgets CASCADE"))
    assert budget(raw, world["stylist"]) is not None
