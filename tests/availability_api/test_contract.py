"""CORS, the OpenAPI document, and schemathesis against it."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.availability_api.helpers import MONDAY, URL, get_slots, monday_stylist

ORIGIN = "https://www.kbstylish.test"


@pytest.fixture
def app_config(request, database_url):
    return getattr(request, "param", None) or {
        "CORS_ORIGINS": f"{ORIGIN}, https://admin.kbstylish.test", "SLOTS_RATE_LIMIT": "100000 per second"}


def test_cors_for_listed_origins_only(client, factory):
    stylist, service = monday_stylist(factory)
    allowed = get_slots(client, stylist, service, MONDAY, Origin=ORIGIN)
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    exposed = allowed.headers["Access-Control-Expose-Headers"]
    assert "X-Cache-Hit" in exposed and "X-Computed-At" in exposed
    other = get_slots(client, stylist, service, MONDAY, Origin="https://evil.test")
    assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other.headers
    preflight = client.options(URL, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "POST" not in preflight.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("app_config", [{"CORS_ORIGINS": "", "SLOTS_RATE_LIMIT": "100000 per second"}],
                         indirect=True)
def test_no_listed_origin_no_cross_origin_call(client, factory):
    stylist, service = monday_stylist(factory)
    answer = get_slots(client, stylist, service, MONDAY, Origin=ORIGIN)
    assert answer.status_code == 200 and answer.get_json()
    preflight = client.options(URL, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    for response in (answer, preflight):
        assert not [name for name in response.headers.keys() if name.lower().startswith("access-control-")]


def test_openapi_document_describes_every_api_route(app, client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.1")
    api_rules = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api")}
    assert api_rules == set(document["paths"])
    slots = document["paths"][URL]["get"]
    assert {"200", "400", "404", "429", "503"} <= set(slots["responses"])
    assert {"X-Cache-Hit", "X-Cached", "X-Computed-At", "Cache-Control", "Pragma", "Expires"} <= set(
        slots["responses"]["200"]["headers"])
    assert "Retry-After" in document["components"]["responses"]["RateLimited"]["headers"]
    assert "Retry-After" in document["components"]["responses"]["Unavailable"]["headers"]
    assert "MethodNotAllowed" in document["components"]["responses"]
    assert [p["name"] for p in slots["parameters"]] == ["stylistId", "serviceId", "targetDate", "customerTimezone"]


def test_a_real_answer_conforms_to_the_document(app, client, factory):
    stylist, service = monday_stylist(factory)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = schema["/api/bookings/available-slots"]["GET"]
    case = operation.Case(query={"stylistId": str(stylist.user_id), "serviceId": str(service.id),
                                 "targetDate": MONDAY.isoformat(), "customerTimezone": "America/New_York"})
    response = case.call_and_validate()
    assert response.status_code == 200 and len(response.json()) == 15


@pytest.fixture
def api_schema(app, factory):
    monday_stylist(factory)  # some data behind the generated requests
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_cases_conform_and_never_5xx(case):
    response = case.call_and_validate()
    assert response.status_code < 500
