"""slots-api.md's error table: 400 with fields, 404, 405, 503 — JSON, never a traceback."""
from __future__ import annotations

import uuid

import pytest

from portal import create_app
from portal.extensions import db
from tests.availability_api.helpers import MONDAY, NO_LIMIT, URL, get_slots, monday_stylist

GOOD = {"stylistId": str(uuid.uuid4()), "serviceId": str(uuid.uuid4()), "targetDate": "2030-01-07"}


@pytest.fixture
def app_config(database_url):
    return dict(NO_LIMIT)


@pytest.fixture(scope="module")
def bare_client():
    """An app whose database is never touched: validation and routing need none."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "RATELIMIT_STORAGE_URI": "memory://", **NO_LIMIT})
    return app.test_client()


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.json
    assert body["code"] == code and isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


@pytest.mark.parametrize("missing", ["stylistId", "serviceId", "targetDate"])
def test_missing_required_parameter(bare_client, missing):
    params = {k: v for k, v in GOOD.items() if k != missing}
    body = _error(bare_client.get(URL, query_string=params), 400, "INVALID_PARAMETERS")
    assert body["error"] == "Missing required parameters"
    assert body["fields"] == {missing: "required"}


def test_no_parameters_names_all_three(bare_client):
    body = _error(bare_client.get(URL), 400, "INVALID_PARAMETERS")
    assert body["error"] == "Missing required parameters"
    assert set(body["fields"]) == {"stylistId", "serviceId", "targetDate"}


@pytest.mark.parametrize("name, value", [
    ("stylistId", "not-a-uuid"), ("stylistId", "1"), ("serviceId", "3fa85f64571745"),
    ("serviceId", "{3fa85f64-5717-4562-b3fc-2c963f66afa6}"),
    ("targetDate", "2030-02-30"), ("targetDate", "07/01/2030"), ("targetDate", "2030-1-7"),
    ("targetDate", "tomorrow"), ("targetDate", "2030-01-07T00:00"), ("targetDate", "٢٠٣٠-٠١-٠٧"),
    ("customerTimezone", "Mars/Olympus"), ("customerTimezone", "localtime"),
    ("customerTimezone", "../../etc/passwd"), ("customerTimezone", "+05:45"),
])
def test_malformed_parameter_names_its_field(bare_client, name, value):
    body = _error(bare_client.get(URL, query_string={**GOOD, name: value}), 400, "INVALID_PARAMETERS")
    assert list(body["fields"]) == [name]


def test_several_malformed_parameters_are_all_named(bare_client):
    params = {"stylistId": "x", "serviceId": "y", "targetDate": "z", "customerTimezone": "Nowhere"}
    body = _error(bare_client.get(URL, query_string=params), 400, "INVALID_PARAMETERS")
    assert set(body["fields"]) == {"stylistId", "serviceId", "targetDate", "customerTimezone"}


def test_unknown_ids_are_404(client, factory):
    stylist, service = monday_stylist(factory)
    body = _error(client.get(URL, query_string={**GOOD, "serviceId": str(service.id)}), 404, "NOT_FOUND")
    assert body["fields"] == {"stylistId": "not found"}
    body = _error(client.get(URL, query_string={**GOOD, "stylistId": str(stylist.user_id)}), 404, "NOT_FOUND")
    assert body["fields"] == {"serviceId": "not found"}
    assert get_slots(client, stylist, service, MONDAY).status_code == 200
    health = client.get("/api/health")
    assert health.status_code == 200 and health.json == {"status": "ok", "database": "ok"}


def test_uppercase_uuid_and_default_zone_accepted(client, factory):
    stylist, service = monday_stylist(factory)
    params = {"stylistId": str(stylist.user_id).upper(), "serviceId": str(service.id).upper(),
              "targetDate": "2030-01-07", "customerTimezone": ""}
    response = client.get(URL, query_string=params)
    assert response.status_code == 200
    assert response.json[0]["slotStartLocal"].endswith("+05:45")


def test_far_dates_are_answered_not_crashed(client, factory):
    stylist, service = monday_stylist(factory)
    for day in ("0001-01-01", "9999-12-31", "1899-12-31"):
        response = client.get(URL, query_string={
            "stylistId": str(stylist.user_id), "serviceId": str(service.id), "targetDate": day,
            "customerTimezone": "Pacific/Kiritimati"})
        assert response.status_code == 200 and response.json == []


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_405(bare_client, method):
    response = getattr(bare_client, method)(URL, query_string=GOOD)
    body = _error(response, 405, "METHOD_NOT_ALLOWED")
    assert body["error"] == "Method not allowed"
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


def test_options_is_allowed(bare_client):
    response = bare_client.options(URL)
    assert response.status_code == 200
    assert "GET" in response.headers["Allow"]


def _unreachable_app(uri: str):
    return create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": uri,
                       "RATELIMIT_STORAGE_URI": "memory://"})


@pytest.mark.parametrize("uri", [
    "postgresql+psycopg://postgres@127.0.0.1:1/x?connect_timeout=2",
    "sqlite:////nonexistent-directory-for-portal-tests/portal.sqlite3",
])
def test_database_unreachable_is_503_json(uri):
    app = _unreachable_app(uri)
    client = app.test_client()
    body = _error(client.get(URL, query_string=GOOD), 503, "UNAVAILABLE")
    response = client.get(URL, query_string=GOOD)
    assert int(response.headers["Retry-After"]) > 0
    assert "Traceback" not in response.get_data(as_text=True) and "psycopg" not in body["error"]
    health = client.get("/api/health")
    assert health.status_code == 503
    assert health.json == {"status": "unavailable", "database": "unreachable"}
    assert int(health.headers["Retry-After"]) > 0
    # Bad input is still a 400: validation does not need the database.
    assert client.get(URL).status_code == 400
    with app.app_context():
        db.engine.dispose()


