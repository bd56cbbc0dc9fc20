"""A database that accepts connections and never answers (issue 22 point 5): with the
default timeouts `/api/health`, a page and the slots API answer 503 within 10 s, and
the same app recovers by itself once the database answers again.

The "database" is a listener of the test's own between the portal and PostgreSQL: while
silent it accepts every connection and never sends a byte; then it forwards to the
real server."""
from __future__ import annotations

import socket
import threading
import time
import uuid

import pytest
from sqlalchemy.engine import make_url

from portal import create_app
from portal.config import DEFAULTS
from portal.database import postgresql_timeouts
from portal.extensions import db
from tests.conftest import FAST_HASH

pytestmark = pytest.mark.postgresql_only
ANSWER_WITHIN_SECONDS = 10


class SilentDatabase:
    """127.0.0.1:<port>: silent (accept, never answer; connections already forwarded
    stop answering too, as a frozen server or a cut proxy would) or forwarding to `upstream`."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.silent = True
        self.held: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            self.held.append(client)
            if not self.silent:
                server = socket.create_connection(self.upstream)
                self.held.append(server)
                for a, b in ((client, server), (server, client)):
                    threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if not self.silent:  # silent: received (TCP acknowledges it) and never delivered
                    target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()
        for s in self.held:
            s.close()


@pytest.fixture
def silent(database_url):
    url = make_url(database_url)
    listener = SilentDatabase((url.host or "127.0.0.1", url.port or 5432))
    yield listener, url.set(host="127.0.0.1", port=listener.port).render_as_string(hide_password=False)
    listener.close()


def timed(client, url: str):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def answers_503_in_time(client, paths) -> None:
    for path in paths:
        response, seconds = timed(client, path)
        assert response.status_code == 503, (path, response.status_code)
        assert "Retry-After" in response.headers
        assert seconds < ANSWER_WITHIN_SECONDS, (path, seconds)


def test_a_silent_database_gives_503_within_seconds_and_the_app_recovers(silent):
    listener, url = silent
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_STORAGE_URI": "memory://", "PASSWORD_HASH_METHOD": FAST_HASH})
    client = app.test_client()
    slots = (f"/api/bookings/available-slots?stylistId={uuid.uuid4()}&serviceId={uuid.uuid4()}"
             f"&targetDate=2030-01-07")
    paths = ("/api/health", "/login", slots)
    answers_503_in_time(client, paths)
    assert len(listener.held) >= 3  # the connections were accepted, and never answered

    for _ in range(2):
        listener.silent = False  # the database answers again: the same app, no restart
        assert client.get(slots).status_code == 404  # an unknown stylist, answered by the database
        assert client.get("/login").status_code == 200
        assert client.get("/api/health").json == {"status": "ok", "database": "ok"}
        # now open connections that were fine (one in the pool, the slots hit path's own)
        # are there when the database falls silent under them
        with app.app_context():
            assert db.engine.pool.checkedin() >= 1
        listener.silent = True
        answers_503_in_time(client, paths)
    listener.silent = False
    assert client.get("/api/health").json == {"status": "ok", "database": "ok"}
    with app.app_context():
        db.engine.dispose()


def test_the_timeouts_reach_libpq_with_sane_defaults():
    args = postgresql_timeouts(DEFAULTS)
    assert args["connect_timeout"] == 3
    assert args["options"] == "-c statement_timeout=15000"
    assert args["keepalives"] == 1 and args["tcp_user_timeout"] == 10000
    # a vanished peer is given up after about DATABASE_TCP_TIMEOUT_SECONDS
    assert args["keepalives_idle"] + args["keepalives_interval"] * args["keepalives_count"] == 10
    assert "options" not in postgresql_timeouts({**DEFAULTS, "DATABASE_STATEMENT_TIMEOUT_SECONDS": 0})
