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

from portal.extensions import db
from tests.factories import Factory


@pytest.fixture
def people(app):
    def person(role: str, email: str | None = None, name: str | None = None) -> SimpleNamespace:
        with app.app_context():
            user = Factory(db.session).user(role, email=email, name=name)
            return SimpleNamespace(id=user.id, email=user.email, name=user.display_name)

    return person
