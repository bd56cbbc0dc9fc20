"""Fixtures for the audit tests.

`people` creates users inside a short app context of its own. (The shared `factory`
fixture keeps one app context pushed for the whole test, and Flask then reuses it
for every request, so `g` — Flask-Login's cached user, Flask-WTF's CSRF token —
leaks from one request into the next: signing out and in as someone else, or
posting a form after signing in, does not work while it is in use.)
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from werkzeug.security import generate_password_hash

from portal.extensions import db
from tests.factories import Factory
from tests.web import PASSWORD

# Signing in is not what these tests are about: a one-round hash keeps them fast.
CHEAP_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


@pytest.fixture
def people(app):
    def person(role: str, email: str | None = None, name: str | None = None) -> SimpleNamespace:
        with app.app_context():
            user = Factory(db.session).user(role, email=email, name=name, password=None)
            user.password_hash = CHEAP_HASH
            db.session.commit()
            return SimpleNamespace(id=user.id, email=user.email, name=user.display_name)

    return person


@pytest.fixture
def insert_log(raw, engine_name):
    """Write log rows the fast way (one executemany), as another database client would.

    Each row is a dict of `service_management_log` columns; defaults fill the rest.
    Returns nothing: read ids back with `tests.audit_trail.log_rows`.
    """
    from portal.models import ServiceManagementLog

    table = ServiceManagementLog.__table__
    if engine_name == "sqlite":
        raw.execution_options(schema_translate_map={"private": None})
    defaults = {
        "admin_user_id": None, "target_id": None, "target_type": None, "severity": "info",
        "details": {}, "ip_address": "198.51.100.1", "user_agent": "seed",
    }

    def insert(rows) -> None:
        rows = [{**defaults, **row} for row in rows]
        if rows:
            raw.execute(table.insert(), rows)

    return insert
