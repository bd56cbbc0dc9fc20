"""Fixtures for the promotion tests: two admins, a customer, active services.

Users get the shared test password through one precomputed hash (scrypt costs
~0.2 s a call, which would dominate these tests).
"""
from __future__ import annotations

from functools import lru_cache

import pytest
from flask import has_app_context
from flask.testing import FlaskClient

from portal.extensions import db

from portal.services.accounts import hash_password
from tests.web import PASSWORD


class IsolatedClient(FlaskClient):
    """Each request in an app context of its own, as in production.

    The shared `factory` fixture keeps an app context pushed for the whole test, and
    Flask reuses a pushed context for requests: `g` (Flask-WTF's cached CSRF token,
    Flask-Login's user) would then leak from one request into the next. The test's
    own session ends its transaction first (SQLite: an open read snapshot could not
    write after the request's commit).
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@lru_cache(maxsize=1)
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def make_user(factory):
    def make(role: str = "customer", **fields):
        user = factory.user(role, password=None, **fields)
        user.password_hash = password_hash()
        factory.session.commit()
        return user
    return make


@pytest.fixture
def admin_a(make_user):
    return make_user("admin", name="Admin Asha")


@pytest.fixture
def admin_b(make_user):
    return make_user("admin", name="Admin Bikash")


@pytest.fixture
def customer(make_user):
    return make_user("customer", name="Sita Customer", email="sita@example.test")


@pytest.fixture
def services(factory):
    return [factory.service(name="Haircut", slug="haircut"),
            factory.service(name="Manicure", slug="manicure", category="nails")]
