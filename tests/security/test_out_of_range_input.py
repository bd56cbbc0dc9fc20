"""Out-of-range input anywhere gets a 400 or a form error, never a 500: Hypothesis
over every route of the url_map (ids in the path, query strings, form fields read
from the portal's own form classes) with dates in year 1 and 9999, months like
9999-12, page numbers past 2**63, huge integers and odd text."""
from __future__ import annotations

import importlib
import pkgutil
import uuid
from datetime import date

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import portal
from portal.extensions import db
from tests.test_route_access import routes
from tests.web import AuthActions, csrf_token

NASTY = st.one_of(
    st.sampled_from([
        "0001-01-01", "9999-12-31", "9999-12", "0000-00", "0001-01", "2030-02-30", "1969-12-31", "2200-01-01",
        "2030-01-15", "2030-01", "10:00", "24:00", "23:59:59.999999", "-1", "0", "1",
        str(2**63), str(10**20), str(-(2**63) - 1), "1e400", "NaN", "", " ", "x", "\x00", "é" * 50,
        str(uuid.uuid4()), "00000000-0000-0000-0000-000000000000", "9" * 5000,
    ]),
    st.sampled_from([str(2**31), str(2**63), str(10**20), "9999-12", "0001-01-01", "9999-12-31"]),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.text(max_size=12),
)
QUERY_NAMES = ["month", "page", "date_from", "date_to", "per_page", "before", "after", "status", "q",
               "kind", "stylist", "category", "severity", "action", "actor", "next"]


def form_field_names() -> list[str]:
    """Every field name of every form class in the portal's feature packages."""
    names = set()
    for module_info in pkgutil.walk_packages(portal.__path__, "portal."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, FlaskForm) and value is not FlaskForm:
                names |= {name for name in dir(value) if not name.startswith("_")
                          and getattr(getattr(value, name), "field_class", None) is not None}
    return sorted(names - {"csrf_token", "submit"})


@pytest.fixture
def world(app, factory):
    admin = factory.user("admin")
    stylist = factory.stylist(user=factory.user("stylist"))
    factory.week(stylist)
    service = factory.service()
    factory.offer(stylist, service)
    override = factory.override(stylist, date(2030, 1, 15), closed=True)
    with app.app_context():
        from portal.models import UserProfile
        stylist_email = db.session.get(UserProfile, stylist.user_id).email
    return {"admin": admin.email, "stylist": stylist_email,
            "ids": [str(stylist.user_id), str(override.id), str(service.id)]}


def fill(route, ids: list[str], pick) -> str:
    url = route.url
    for part in url.split("/"):
        try:
            uuid.UUID(part)
        except ValueError:
            continue
        url = url.replace(part, pick(ids + [str(uuid.uuid4())]), 1)
    return url


FIELDS = form_field_names()


@pytest.mark.parametrize("role", ["admin", "stylist"])
@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_input_makes_a_500(app, client, world, role, data):
    if not getattr(client, "_signed_in", False):
        assert AuthActions(client).login(world[role]).status_code == 302
        client._signed_in = True
        client._routes = [  # the routes this role may use (others stop at the 403)
            r for r in routes(app)
            if role in getattr(app.view_functions[r.endpoint], "required_roles", ())
        ]
    route = data.draw(st.sampled_from(client._routes))
    url = fill(route, world["ids"], lambda options: data.draw(st.sampled_from(options)))
    query = data.draw(st.fixed_dictionaries({}, optional={name: NASTY for name in QUERY_NAMES}))
    if route.method == "GET":
        response = client.get(url, query_string=query)
    else:
        form = data.draw(st.fixed_dictionaries({}, optional={name: NASTY for name in FIELDS}))
        form["csrf_token"] = csrf_token(client)
        response = client.open(url, method=route.method, data=form, query_string=query)
    assert response.status_code < 500, (route.method, url, query, response.status_code)


@pytest.mark.parametrize("url, role", [
    ("/schedules/stylists/{id}/effective?month=9999-12", "admin"),
    ("/schedules/stylists/{id}/effective?month=0001-01", "admin"),
    ("/schedules/stylists/{id}/effective?month=" + str(10**20) + "-01", "admin"),
    ("/budgets/mine/history?page=" + str(10**20), "stylist"),
    ("/budgets/mine/history?page=" + str(2**63), "stylist"),
    ("/audit/?date_from=0001-01-01", "admin"),
    ("/audit/?per_page=" + str(2**64), "admin"),
])
def test_the_reported_cases_are_400s_or_form_errors(client, factory, url, role):
    stylist_user = factory.user("stylist")
    stylist = factory.stylist(user=stylist_user)
    email = factory.user("admin").email if role == "admin" else stylist_user.email
    assert AuthActions(client).login(email).status_code == 302
    response = client.get(url.format(id=stylist.user_id))
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:  # a form error on the page
        assert b"Enter a date between" in response.data or b"far too large" in response.data


def test_a_closure_in_year_1_or_9999_is_a_form_error(client, factory):
    admin = factory.user("admin")
    assert AuthActions(client).login(admin.email).status_code == 302
    for day in ("0001-01-01", "9999-12-31"):
        response = client.post("/schedules/overrides/new", data={
            "csrf_token": csrf_token(client), "override_type": "business_closure",
            "start_date": day, "end_date": day, "reason": "Far away",
        })
        assert response.status_code in (200, 400) and b"Enter a date between" in response.data, day


@pytest.fixture
def app_config():
    return {"SLOTS_RATE_LIMIT": "100000 per second"}  # every example reaches the parser and the engine


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_slots_query_makes_a_500(client, world, data):
    """The public endpoint too (what it answers for dates outside the bookable range is
    the slots path's own test; here: never a 500)."""
    stylist, override, service = world["ids"]
    query = {
        "stylistId": data.draw(st.one_of(st.just(stylist), NASTY)),
        "serviceId": data.draw(st.one_of(st.just(service), NASTY)),
        "targetDate": data.draw(st.one_of(st.dates().map(str), NASTY)),
        "customerTimezone": data.draw(st.one_of(st.just("Asia/Kathmandu"), NASTY)),
    }
    response = client.get("/api/bookings/available-slots", query_string=query)
    assert response.status_code < 500, (query, response.status_code)
    assert response.is_json
