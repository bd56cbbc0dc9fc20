"""Every route's form fields and query values, walked (security.md "Text fields and query
values never reach the database with a NUL byte", "Out-of-range input anywhere"):

- the routes come from the url_map (as tests/test_route_access.py reads them), their
  ids filled with real rows so that the views get as far as their forms;
- the field names of each route come from its feature's form classes and from the
  `name=` of every box on that feature's pages, as the role sees them;
- each field and each query value gets a NUL byte (also in a name), a value over
  `MAX_VALUE_LENGTH` (both: 400), a long one under it and another script's digits
  (never a 500); `next` pointing off-site never sends anyone there.

Every number-ish field class of the portal's forms reads Devanagari digits as 0-9 and
refuses other scripts' digits with a form error (the second test). Run on PostgreSQL
too: that is where a NUL used to become a 500.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import uuid
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from flask import url_for
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, TimeField

import portal
from portal.actor import Actor
from portal.bounded_fields import TypedDigits
from portal.domain.input_bounds import MAX_VALUE_LENGTH
from portal.extensions import db
from portal.models import UserProfile
from portal.services.staffing import promotions
from tests.audit_trail import log_rows
from tests.security.test_out_of_range_input import QUERY_NAMES
from tests.test_route_access import SIGNED_IN_ONLY, routes
from tests.web import PASSWORD, AuthActions, csrf_token

NUL = "a\x00b"
OVER_LONG = "x" * (MAX_VALUE_LENGTH + 1)
LONG = "7" * 5000  # under the request bound, over every field's own limit
OTHER_DIGITS = "١٢"  # Arabic-Indic 1 2
OFF_SITE = ["https://evil.example/phish", "//evil.example/phish", "/\\evil.example", "https:evil.example"]
NAME_RE = re.compile(r'\bname="([^"]+)"')
NUMBERISH = (IntegerField, DateField, TimeField)
# reading these with another script's digits: a 400 or a form error (the others ignore them)
NUMBER_QUERIES = {("holidays.index", "year"), ("audit.index", "per_page"), ("audit.index", "date_from"),
                  ("bookings.day", "date"), ("bookings.why", "date"), ("schedules.effective", "month")}


def form_classes(package: str) -> list[type]:
    try:
        module = importlib.import_module(f"portal.{package}.forms")
    except ModuleNotFoundError:
        return []
    return [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, FlaskForm) and v is not FlaskForm]


def class_fields(package: str) -> dict[str, type]:
    """Field name -> field class, from the feature's form classes."""
    found = {}
    for form in form_classes(package):
        for name in dir(form):
            field_class = getattr(getattr(form, name), "field_class", None)
            if field_class is not None and name not in ("csrf_token", "submit"):
                found[name] = field_class
    return found


@pytest.fixture
def world(app, factory):
    admin = factory.user("admin")
    stylist = factory.stylist(user=factory.user("stylist"))
    week = factory.week(stylist)
    service = factory.service()
    factory.offer(stylist, service)
    override = factory.override(stylist, date(2030, 1, 15), closed=True)
    booking = factory.booking(stylist, service, datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=2))
    applicant = factory.user("customer")
    with app.app_context():
        actor = Actor(admin.id, admin.display_name, "198.51.100.7", "test")
        promotion_id = promotions.start(db.session, actor, applicant.id).id
        stylist_email = db.session.get(UserProfile, stylist.user_id).email
    ids = {"user_id": stylist.user_id, "stylist_id": stylist.user_id, "service_id": service.id,
           "override_id": override.id, "row_id": week[0].id, "booking_id": booking.id,
           "promotion_id": promotion_id, "proposal_id": uuid.uuid4(), "table": "summary"}
    return {"admin": admin.email, "stylist": stylist_email, "ids": {k: str(v) for k, v in ids.items()}}


def real_url(app, route, ids: dict[str, str]) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == route.endpoint and r.rule == route.rule)
    with app.test_request_context():
        # an id this walk made no row for (a time-off request, a customer…): a fresh one — the
        # input check runs before the view, whose 404 is not what is tested here
        return url_for(route.endpoint, **{arg: ids.get(arg, str(uuid.uuid4())) for arg in rule.arguments})


def role_routes(app, role: str):
    if role is None:
        return [r for r in routes(app, include_login=True) if r.endpoint == "auth.login"] + [
            r for r in routes(app) if r.endpoint == "i18n.set_language"]
    return [r for r in routes(app) if r.endpoint not in ("auth.logout",) and (
        role in getattr(app.view_functions[r.endpoint], "required_roles", ()) or r.endpoint in SIGNED_IN_ONLY)]


def page_names(client, urls: list[str]) -> set[str]:
    names = set()
    for url in urls:
        names |= set(NAME_RE.findall(client.get(url).get_data(as_text=True)))
    return names - {"csrf_token"}


def refused_on_the_page(client, response) -> bool:
    """A 400, or the page again with a form error, or back to a page that says what is wrong."""
    if response.status_code == 400:
        return True
    body = response.get_data(as_text=True)
    if response.status_code == 200:
        return "is-invalid" in body or "alert-danger" in body
    if response.status_code == 302:
        return "alert-danger" in client.get(response.headers["Location"]).get_data(as_text=True)
    return False


def walk(client, route, url: str, names: list[str], token: str) -> list:
    """A NUL in each name's value, one by one (the claim); the other values for all names
    at once (an over-long one: 400; a long one and other digits: never a 500)."""
    def send(values: dict):
        if route.method == "GET":
            return client.get(url, query_string=values)
        return client.open(url, method=route.method, data={"csrf_token": token, **values})

    wrong = []
    for name in names:
        if (status := send({name: NUL}).status_code) != 400:
            wrong.append((route.method, url, name, "NUL", status))
    if (status := send({NUL: "1"}).status_code) != 400:
        wrong.append((route.method, url, "a NUL in a name", status))
    for value, expect in ((OVER_LONG, 400), (LONG, None), (OTHER_DIGITS, None)):
        status = send(dict.fromkeys(names, value)).status_code
        if status >= 500 or (expect and status != expect):
            wrong.append((route.method, url, "every field", value[:8], status))
    for name in names:
        if (route.endpoint, name) in NUMBER_QUERIES and not refused_on_the_page(client, send({name: OTHER_DIGITS})):
            wrong.append((route.method, url, name, "other digits accepted"))
    if route.method != "GET":
        for target in OFF_SITE:
            response = send({"next": target})
            location = urlsplit(response.headers.get("Location", ""))
            if location.netloc not in ("", "localhost") or response.status_code >= 500:
                wrong.append((route.method, url, "next", target, response.headers.get("Location")))
    return wrong


@pytest.mark.walk
@pytest.mark.one_engine  # PostgreSQL is where a NUL used to become a 500; the walk is long
@pytest.mark.parametrize("role", [None, "admin", "stylist"])
def test_every_field_and_query_value_is_refused_cleanly(app, client, world, role):
    if role:
        assert AuthActions(client).login(world[role]).status_code == 302
    token = csrf_token(client, "/login" if role is None else None)
    chosen = role_routes(app, role)
    urls = {(r.endpoint, r.method): real_url(app, r, world["ids"]) for r in chosen}
    wrong = []
    for package in sorted({r.endpoint.split(".")[0] for r in chosen}):
        mine = [r for r in chosen if r.endpoint.split(".")[0] == package]
        fields = class_fields(package)
        names = sorted(set(fields) | page_names(client, [urls[(r.endpoint, "GET")] for r in mine if r.method == "GET"]))
        for route in mine:
            url = urls[(route.endpoint, route.method)]
            wrong += walk(client, route, url, names if route.method != "GET" else sorted(set(names) | set(QUERY_NAMES)),
                          token)
    assert wrong == []
    if role is None:  # the NUL sign-ins are recorded, printable
        emails = {row["details"]["email"] for row in log_rows(app, category="security", action="login_failed")}
        assert emails and all("\x00" not in email for email in emails)


def test_every_number_field_reads_devanagari_digits_and_refuses_other_scripts(app):
    """Each IntegerField, DateField and TimeField of the portal's forms is a `TypedDigits`
    field: `४२` is 42, `٤٢` a form error."""
    numberish = set()
    for module_info in pkgutil.walk_packages(portal.__path__, "portal."):
        if module_info.name.endswith(".forms"):
            for form in form_classes(module_info.name.split(".")[1]):
                for name in dir(form):
                    field_class = getattr(getattr(form, name), "field_class", None)
                    if field_class is not None and issubclass(field_class, NUMBERISH):
                        numberish.add((form.__name__, name, field_class))
    assert numberish
    plain = [(form, name) for form, name, field_class in numberish if not issubclass(field_class, TypedDigits)]
    assert plain == [], "use portal.bounded_fields' fields for numbers, dates and times"

    samples = {IntegerField: ("४२", 42, "٤٢"), DateField: ("२०३०-०१-१५", date(2030, 1, 15), "٢٠٣٠-٠١-١٥"),
               TimeField: ("०९:३०", "09:30", "٠٩:٣٠")}
    with app.test_request_context():
        for field_class in {field_class for _, _, field_class in numberish}:
            kind = next(k for k in samples if issubclass(field_class, k))
            devanagari, meant, other = samples[kind]

            class One(FlaskForm):
                value = field_class("Value")

            form = One(formdata=MultiDict({"value": devanagari}), meta={"csrf": False})
            assert form.validate(), (field_class, form.errors)
            assert (form.value.data.strftime("%H:%M") if kind is TimeField else form.value.data) == meant
            form = One(formdata=MultiDict({"value": other}), meta={"csrf": False})
            assert not form.validate() and "0-9 or ०-९" in form.value.errors[0], (field_class, form.errors)


@pytest.mark.parametrize("target", OFF_SITE + ["/\tevil.example", "javascript:alert(1)"])
def test_a_follow_up_button_never_sends_off_site(app, client, world, target):
    """Issue 22, point 11: `next` on the follow-up buttons goes through `safe_next`."""
    assert AuthActions(client).login(world["admin"]).status_code == 302
    url = f"/bookings/{world['ids']['booking_id']}/contacted"
    response = client.post(url, data={"csrf_token": csrf_token(client), "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/bookings/follow-up"
    back = f"/bookings/{world['ids']['booking_id']}"
    response = client.post(url, data={"csrf_token": csrf_token(client), "next": back})
    assert response.headers["Location"] == back  # a path on this site is kept


def test_the_public_pages_outside_the_walk_refuse_a_nul_too(app, client, factory):
    """The password link's token (a path value) and the second sign-in step."""
    assert client.get("/password/a%00b").status_code == 400
    assert client.post("/password/a%00b", data={"csrf_token": csrf_token(client, "/login")}).status_code == 400
    admin = factory.user("admin")
    response = client.post("/login", data={"email": admin.email, "password": PASSWORD,
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.headers["Location"].endswith("/login/code")
    for code in (NUL, OVER_LONG):
        assert client.post("/login/code", data={"code": code, "csrf_token": csrf_token(client, "/login/code")}
                           ).status_code == 400


def test_a_sign_in_with_a_nul_is_a_form_error_and_a_recorded_failure(app, client):
    """Issue 22, point 6: `POST /login` with `email=a%00b@x.np` was a 500 on PostgreSQL
    and left no trace."""
    response = client.post("/login", data={"email": "a\x00b@x.np", "password": "x",
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 400 and "NUL character" in response.get_data(as_text=True)
    [row] = log_rows(app, category="security", action="login_failed")
    assert row["details"] == {"email": "a\\x00b@x.np", "reason": "bad_input"}
