"""A cache hit of either slots endpoint is read in at most five modules, each entered once
but the store (docs/architecture.md "The slots package", "Walking one hit").

Measured, not listed: one real hit request goes through the app's WSGI callable with a
profiler on (`sys.setprofile`), which notes every function called from a file of
`portal/` with the chain of portal functions above it. A call belongs to

- the request's *plumbing* when the outermost portal function above it is one the app
  runs for every request, whatever the page: its `before_request`, `after_request` and
  teardown functions (including the `/api` blueprint's rate-limit check) and the session
  cookie's interface — each of them is read once for the whole portal, not for a hit;
- the *walk* when it runs under the endpoint's view. Two low-level helpers it calls are
  named and left out of the count: the portal's clock (`clock.py`, one line) and the
  connection layer's bounded wait for a libpq result (`database.py`, the one the pool's
  ping uses).

A module is *entered* when a function of it is called from another module (the
nearest counted portal frame above it); entering a module already entered earlier in
the walk is a re-entry, allowed only for the store (its interface and implementation).
"""
from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests.cache.salon import ask, build, hit

PORTAL = Path(__file__).resolve().parents[2] / "portal"
HELPERS = {"clock.py", "database.py"}
STORE = {"slots/store.py", "slots/store_postgres.py", "slots/store_sqlite.py"}
MOST_MODULES = 5
DAYS_URL = "/api/bookings/available-days"


@pytest.fixture
def app_config(database_url):
    return {"SLOTS_RATE_LIMIT": "100000 per second"}  # the limiter on, as in production


class Walk:
    def __init__(self):
        self.modules: list[str] = []  # the walk's modules, in order of first entry
        self.entries: list[str] = []  # every entry into a module of the walk
        self.plumbing: set = set()  # code objects of the outermost portal functions outside the view
        self.helpers: set[str] = set()

    @property
    def reentered(self) -> list[str]:
        seen, again = set(), []
        for module in self.entries:
            if module in seen and module not in STORE:
                again.append(module)
            seen.add(module)
        return again


def module_of(code) -> str | None:
    """The portal file a function's code is written in (None: not the portal's, e.g. a
    library or code a dataclass generated)."""
    path = Path(code.co_filename)
    return str(path.relative_to(PORTAL)) if path.is_relative_to(PORTAL) else None


def measure(app, client, url: str, query: dict):
    """One request through the app's WSGI callable, profiled; (response, Walk)."""
    view_code = app.view_functions[app.url_map.bind("localhost").match(url)[0]].__code__
    walk = Walk()

    def profile(frame, event, arg):
        if event != "call" or (module := module_of(frame.f_code)) is None:
            return
        chain = []  # the portal frames above this one, nearest first
        outer = frame.f_back
        while outer is not None:
            if module_of(outer.f_code) is not None:
                chain.append(outer.f_code)
            outer = outer.f_back
        outermost = chain[-1] if chain else frame.f_code
        if outermost is not view_code:
            walk.plumbing.add(outermost)
            return
        if module in HELPERS:
            walk.helpers.add(module)
            return
        caller = next((m for m in map(module_of, chain) if m not in HELPERS), None)
        if caller != module:
            walk.entries.append(module)
            if module not in walk.modules:
                walk.modules.append(module)

    wsgi = app.wsgi_app

    def traced(environ, start_response):
        sys.setprofile(profile)
        try:
            return wsgi(environ, start_response)
        finally:
            sys.setprofile(None)

    app.wsgi_app = traced
    try:
        response = client.get(url, query_string=query)
    finally:
        app.wsgi_app = wsgi
    return response, walk


def every_request_functions(app) -> set:
    """The code of what the app runs around every request of its blueprint `api`."""
    hooks = [*app.before_request_funcs.get(None, []), *app.before_request_funcs.get("api", []),
             *app.after_request_funcs.get(None, []), *app.after_request_funcs.get("api", []),
             *app.teardown_request_funcs.get(None, []), *app.teardown_appcontext_funcs,
             app.session_interface.open_session, app.session_interface.save_session]
    return {getattr(getattr(hook, "__func__", hook), "__code__", None) for hook in hooks}


def assert_short_walk(app, walk: Walk, first: str) -> None:
    assert walk.modules[0] == first and walk.entries[0] == first, walk.entries
    assert len(walk.modules) <= MOST_MODULES, walk.modules
    assert walk.reentered == [], walk.entries
    assert walk.plumbing <= every_request_functions(app), {c.co_qualname for c in walk.plumbing}
    assert walk.helpers <= HELPERS


def test_a_slots_hit_walks_five_modules_and_reenters_only_the_store(app, client, factory, engine_name):
    salon = build(factory)
    for _ in range(3):  # the miss, the first hit (it decodes the entry), then hits as they come
        ask(client, salon)
    query = {"stylistId": salon.sid, "serviceId": salon.vid, "targetDate": salon.day.isoformat()}
    response, walk = measure(app, client, "/api/bookings/available-slots", query)
    assert response.status_code == 200 and hit(response)
    assert_short_walk(app, walk, "api/routes.py")
    store = "slots/store_postgres.py" if engine_name == "postgresql" else "slots/store_sqlite.py"
    assert walk.modules == ["api/routes.py", "slots/__init__.py", store, "slots/store.py", "slots/memo.py"]


def test_a_days_hit_walks_five_modules_and_reenters_only_the_store(app, client, factory, engine_name):
    salon = build(factory)
    query = {"stylistId": salon.sid, "serviceId": salon.vid, "from": salon.day.isoformat(),
             "to": (salon.day + timedelta(days=2)).isoformat()}
    for _ in range(3):
        assert client.get(DAYS_URL, query_string=query).status_code == 200
    response, walk = measure(app, client, DAYS_URL, query)
    assert response.status_code == 200 and hit(response)
    assert_short_walk(app, walk, "api/routes.py")
    store = "slots/store_postgres.py" if engine_name == "postgresql" else "slots/store_sqlite.py"
    assert walk.modules == ["api/routes.py", "slots/__init__.py", "slots/store.py", store, "slots/memo.py"]


def test_the_measure_sees_a_miss_walk_the_whole_package(app, client, factory):
    """A miss of the same endpoint, measured the same way, goes through the loader and
    the miss module and re-enters modules: an empty re-entry list above means something."""
    salon = build(factory)
    query = {"stylistId": salon.sid, "serviceId": salon.vid, "targetDate": salon.day.isoformat()}
    response, walk = measure(app, client, "/api/bookings/available-slots", query)
    assert response.status_code == 200 and not hit(response)
    assert {"slots/miss.py", "slots/loading.py", "slots/plan.py"} <= set(walk.modules)
    assert len(walk.modules) > MOST_MODULES and walk.reentered
