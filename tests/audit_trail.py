"""Reading the audit trail from tests (for every issue's tests).

    from tests.audit_trail import log_rows, security_event, browser

    browser(client, ip="203.0.113.9", user_agent="Probe/1.0")   # what the app will see
    ...                                                          # make the event happen
    row = security_event(app, "access_denied", ip="203.0.113.9", user_agent="Probe/1.0", path="/budgets/")

Rows are read through a fresh session of their own, so nothing the test's
`db.session` holds can hide or fake them.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import ServiceManagementLog


def browser(client, *, ip: str = "203.0.113.9", user_agent: str = "AuditTrailProbe/1.0"):
    """Make every later request of `client` come from `ip` with `user_agent`."""
    client.environ_base["REMOTE_ADDR"] = ip
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    return client


def log_rows(app, **where: Any) -> list[dict[str, Any]]:
    """`service_management_log` rows (oldest first) whose columns equal `where`, as dicts."""
    with app.app_context(), Session(db.engine) as session:
        statement = select(ServiceManagementLog).order_by(ServiceManagementLog.id)
        for column, value in where.items():
            statement = statement.where(getattr(ServiceManagementLog, column) == value)
        return [
            {c.key: getattr(row, c.key) for c in ServiceManagementLog.__table__.columns}
            for row in session.scalars(statement)
        ]


def security_event(app, action: str, *, ip: str | None = None, user_agent: str | None = None,
                   **details: Any) -> dict[str, Any]:
    """The one security row for `action` whose details contain `details`, with the client's
    IP and user agent when given; fails the test with what *was* logged otherwise."""
    rows = log_rows(app, category="security", action=action)
    matching = [
        row for row in rows
        if all((row["details"] or {}).get(key) == value for key, value in details.items())
        and (ip is None or str(row["ip_address"]) == ip)
        and (user_agent is None or row["user_agent"] == user_agent)
    ]
    assert len(matching) == 1, (
        f"expected one {action!r} security event with ip={ip!r} user_agent={user_agent!r} details={details!r}; "
        f"logged: {[(str(r['ip_address']), r['user_agent'], r['details']) for r in rows]}"
    )
    return matching[0]
