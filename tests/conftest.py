"""Fixtures in the shape of Flask's tutorial: `app`, `client`, `runner`, `auth`.

Every database test runs on SQLite, and again on PostgreSQL when
`TEST_DATABASE_URL` is set (`.ci/run` sets it). `raw` is a plain connection of its
own, for writing rows with SQL as the public booking site does.
"""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

from portal import create_app, metrics
from portal.extensions import db
from tests import databases
from tests.factories import Factory
from tests.helpers import Clock
from tests.web import AuthActions, IsolatedClient

# Hashing with scrypt costs ~0.1 s a password; the suite signs in hundreds of times,
# so its apps set a cheap PASSWORD_HASH_METHOD. Production keeps scrypt
# (tests/foundation/test_login.py checks the default).
FAST_HASH = "pbkdf2:sha256:1000"


# Rough seconds a test costs, to hand the costliest files out first (below).
COST = {"walk": 60.0, "browser": 20.0, "examples": 8.0, "database": 0.5, "pure": 0.05}
DATABASE_FIXTURES = {"app", "database_url", "engine_name", "sqlite_template", "pg_url"}


def _cost(item) -> float:
    engine = getattr(getattr(item, "callspec", None), "params", {}).get("engine_name")
    if (engine == "postgresql" and item.get_closest_marker("sqlite_only")) or (
            engine == "sqlite" and (item.get_closest_marker("postgresql_only") or item.get_closest_marker("one_engine"))):
        return 0.0  # skipped at once
    for marker in ("walk", "browser"):
        if item.get_closest_marker(marker):
            return COST[marker]
    with_database = not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
    if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):  # many examples
        return COST["examples"] if with_database else COST["database"]
    return COST["database"] if with_database else COST["pure"]


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`make test`: `--dist loadfile --no-loadscope-reorder`) a worker
    takes the next file when it is nearly done: hand out the costliest files first, so no
    long browser walk starts last while the other worker sits idle. (xdist's own order, by
    number of tests, put the browser files, two tests each, at the very end.)"""
    if not hasattr(config, "workerinput"):
        return  # one process: the usual order
    cost: dict[str, float] = {}
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        path = item.nodeid.split("::")[0]
        cost[path] = cost.get(path, 0.0) + _cost(item)
        first.setdefault(path, index)
    order = {path: (-cost[path], first[path]) for path in cost}
    items.sort(key=lambda item: order[item.nodeid.split("::")[0]])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    return databases.build_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def pg_url():
    if not databases.TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    url = databases.prepare_pg_database()  # the portal role's URL (tests/databases.py)
    yield url
    databases.drop_pg_database(url)


@pytest.fixture(params=databases.ENGINES)
def engine_name(request):
    if request.node.get_closest_marker("postgresql_only") and request.param != "postgresql":
        pytest.skip("PostgreSQL only")
    if request.node.get_closest_marker("sqlite_only") and request.param != "sqlite":
        pytest.skip("runs once, on the SQLite file database (time budget)")  # before any app or database
    if request.node.get_closest_marker("one_engine") and request.param == "sqlite" and len(databases.ENGINES) > 1:
        pytest.skip("runs once, on PostgreSQL where it is set up (time budget)")
    return request.param


@pytest.fixture
def database_url(engine_name, request, tmp_path):
    if engine_name == "sqlite":
        yield databases.sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path)
        return
    url = request.getfixturevalue("pg_url")
    yield url
    engine = create_engine(databases.admin_url(url))
    databases.empty_pg_database(engine)
    engine.dispose()


@pytest.fixture
def app_config(database_url):
    """Override in a test module to change settings for every app it builds."""
    return {}


@pytest.fixture
def app(database_url, app_config):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        "PASSWORD_HASH_METHOD": FAST_HASH,
    }
    config.update(app_config)
    # the per-minute request counts wait in a process-wide tally until a flush: an earlier
    # test's counts must not reach this test's database (the home page would alert on them)
    metrics.history.pending.clear()
    app = create_app(config)
    app.test_client_class = IsolatedClient
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def factory(app):
    """Committed rows through a session of its own (objects stay loaded after commit)."""
    with app.app_context():
        session = Session(db.engine, expire_on_commit=False)
        # A row the factory commits must be visible to the test's own db.session at
        # once: end that session's read transaction too (SQLite WAL snapshots).
        event.listen(session, "after_commit", lambda _: db.session.commit())
        yield Factory(session)
        session.close()


@pytest.fixture
def raw(app, engine_name):
    """A plain SQLAlchemy connection outside the app, autocommitting each statement
    (on PostgreSQL as the administrator: database rules must hold whoever writes)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if engine_name == "postgresql":
        url = databases.admin_url(url)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.private = (lambda table: f"private.{table}") if engine_name == "postgresql" else (lambda table: table)
        if engine_name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys = ON")
        yield conn
    engine.dispose()


@pytest.fixture
def admin_name():
    """The name of the `admin` fixture's person (a module overrides this to know it)."""
    return None


@pytest.fixture
def admin(factory, auth, admin_name):
    """An admin, signed in on `client` (both steps of the sign-in). The tests of signing in
    itself (foundation/test_login.py, security/test_sessions.py) define an `admin` of their
    own, not yet signed in."""
    user = factory.user("admin", name=admin_name)
    auth.login(user.email)
    return user


@pytest.fixture
def clock(monkeypatch):
    """The portal's clock (`portal.clock.now`) in the test's hands: real time until the
    test sets `clock.at` (an aware instant) or calls `clock.advance(minutes)`."""
    import portal.clock

    travel = Clock()
    monkeypatch.setattr(portal.clock, "now", travel)
    return travel
