"""Fixtures for the promotion tests: two admins, a customer, active services."""
from __future__ import annotations

import pytest


@pytest.fixture
def make_user(factory):
    def make(role: str = "customer", **fields):
        return factory.user(role, **fields)
    return make


@pytest.fixture
def admin_a(make_user):
    return make_user("admin", name="Admin Asha")


@pytest.fixture
def admin_b(make_user):
    return make_user("admin", name="Admin Bikash")


@pytest.fixture
def customer(make_user):
    # a candidate who has set up two-step sign-in (the promotion's MFA check reads it)
    return make_user("customer", name="Sita Customer", email="sita@example.test", mfa=True)


@pytest.fixture
def services(factory):
    return [factory.service(name="Haircut", slug="haircut"),
            factory.service(name="Manicure", slug="manicure", category="nails")]
