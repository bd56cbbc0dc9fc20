"""Helpers shared by the test packages (one module, so packages never import each other).

- `count`: rows in a table, with plain SQL (or a model, counted through the ORM);
- `set_budget` / `budget_row`: a stylist's override budget, written and read as SQL;
- `field_errors` / `sign_in`: reading a rendered form's errors, signing in;
- `stamp`: a timestamp parameter for plain SQL, as either engine stores it;
- `Clock`: the portal's clock in a test's hands (the `clock` fixture, tests/conftest.py).
"""
from __future__ import annotations

import html as html_lib
import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, text


def count(conn, table, where: str = "1=1", **params) -> int:
    """Rows of `table` matching `where` (SQL), through a connection or a session.

    `table` is a table name (plain SQL), or a model class (counted with `select`, so
    the schema mapping of the app's engine applies; `where` must then be left out).
    """
    if isinstance(table, str):
        return conn.execute(text(f"SELECT count(*) FROM {table} WHERE {where}"), params).scalar_one()
    assert where == "1=1" and not params, "count a model without a SQL filter"
    return conn.execute(select(func.count()).select_from(table)).scalar_one()


def stamp(where, moment: datetime):
    """A timestamp parameter for plain SQL as the engine stores it: UTC text on SQLite,
    the aware instant itself on PostgreSQL (`where`: a connection, an engine or its name)."""
    if (where if isinstance(where, str) else where.dialect.name) == "sqlite":
        return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment


class Clock:
    """Stands for `portal.clock.now`: the real time while `at` is None, else `at`."""

    def __init__(self):
        self.at: datetime | None = None

    def __call__(self) -> datetime:
        return self.at or datetime.now(timezone.utc)

    def advance(self, minutes: float) -> None:
        """Move the clock on (from the real time if it was not set)."""
        self.at = self() + timedelta(minutes=minutes)


def set_budget(raw, stylist_id, used: int | None = None, limit: int | None = None, emergency: int | None = None,
               reset_at: datetime | None = None) -> None:
    """Write the budget row with plain SQL, as another client would."""
    values = {"used": used, "limit": limit, "emergency": emergency,
              "reset_at": reset_at.astimezone(timezone.utc) if reset_at else None}
    columns = {"used": "current_month_overrides", "limit": "monthly_override_limit",
               "emergency": "emergency_overrides_remaining", "reset_at": "budget_reset_at"}
    sets = [f"{columns[k]} = :{k}" for k, v in values.items() if v is not None]
    params = {k: v for k, v in values.items() if v is not None}
    if "reset_at" in params:
        params["reset_at"] = stamp(raw, params["reset_at"])
    raw.execute(text(f"UPDATE stylist_override_budgets SET {', '.join(sets)} WHERE stylist_user_id = :id"),
                {**params, "id": str(stylist_id)})


def budget_row(raw, stylist_id) -> dict:
    row = raw.execute(text(
        "SELECT current_month_overrides, monthly_override_limit, emergency_overrides_remaining, budget_reset_at"
        " FROM stylist_override_budgets WHERE stylist_user_id = :id"), {"id": str(stylist_id)}).one()
    return {"used": row[0], "limit": row[1], "emergency": row[2], "reset_at": row[3]}


FEEDBACK = re.compile(r'<div class="invalid-feedback">(.*?)</div>', re.S)


def field_errors(page: str, name: str) -> list[str]:
    """Messages rendered right after the control named `name` (before the next field),
    and only if the control itself is marked invalid."""
    match = re.search(rf'<(input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert match, f"no control named {name}"
    if "is-invalid" not in match.group(0):
        return []
    rest = page[match.end():]
    stop = min([i for i in (rest.find('<div class="mb-3">'), rest.find("</form>"), rest.find('<div class="form-check'))
                if i >= 0] or [len(rest)])
    return [html_lib.unescape(m.strip()) for m in FEEDBACK.findall(rest[:stop])]


def sign_in(auth, email: str):
    """Sign in through the login form."""
    return auth.login(email)


def slot_settings(app, **changes) -> None:
    """Change the slots package's settings of a running app (built once by create_app),
    e.g. `slot_settings(app, enabled=False)`."""
    from dataclasses import replace

    app.extensions["slots"] = replace(app.extensions["slots"], **changes)
