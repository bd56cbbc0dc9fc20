"""Browser-like helpers for the test client: CSRF tokens, signing in and out."""
from __future__ import annotations

import contextvars
import re

from flask import has_app_context
from flask.testing import FlaskClient

from portal.extensions import db

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery"
# The TOTP secret of the admins and auditors the factory enrols (tests only).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def csrf_token(client, page: str | None = None) -> str:
    """A valid token for the client's session, read from a page as a browser would."""
    for url in ([page] if page else []) + ["/", "/login"]:
        response = client.get(url, follow_redirects=True)  # an auditor's home is the audit log
        match = CSRF_RE.search(response.get_data(as_text=True))
        if match:
            return match.group(1) or match.group(2)
    raise AssertionError("no page offered a CSRF token")


def post_form(client, url: str, data: dict | None = None, page: str | None = None, **kwargs):
    """POST a form with a fresh CSRF token (read from `page`, default the dashboard)."""
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf_token(client, page))
    return client.post(url, data=payload, **kwargs)


def fresh_code(app, email: str, secret: str = TOTP_SECRET) -> str:
    """A TOTP code the user has not used yet, as their phone would show it.

    The code of the current step, or of the next step inside the ±1 window when the
    current one is used. When all three steps of the window are used (a test signing
    the same person in again and again), the stored last step is cleared: the test
    stands for "half a minute later" (the portal itself is never told).
    """
    from sqlalchemy import text

    from portal import clock
    from portal.domain.mfa import code_at_step, step_at

    with app.app_context():
        table = "private.user_mfa" if db.engine.dialect.name == "postgresql" else "user_mfa"
        with db.engine.begin() as conn:
            user_id = conn.execute(text("SELECT id FROM user_profiles WHERE lower(email) = :e"),
                                   {"e": email.strip().lower()}).scalar()
            last = conn.execute(text(f"SELECT last_used_step FROM {table} WHERE user_id = :u"),
                                {"u": user_id}).scalar()
            now = step_at(clock.now())  # the portal's clock: a test that moves it moves the phone's too
            step = now if last is None or last < now else last + 1
            if step > now + 1:
                conn.execute(text(f"UPDATE {table} SET last_used_step = NULL WHERE user_id = :u"), {"u": user_id})
                step = now
    return code_at_step(secret, step)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD, next_url: str | None = None, code: str | None = None,
              **kwargs):
        """Sign in; for a user with two-step sign-in, the second step follows with a
        fresh code (or `code`). Returns the last response."""
        token = csrf_token(self._client, "/login")
        data = {"email": email, "password": password, "csrf_token": token}
        if next_url is not None:
            data["next"] = next_url
        follow = kwargs.pop("follow_redirects", False)
        response = self._client.post("/login", data=data, **kwargs)
        if response.status_code == 302 and response.headers.get("Location", "").endswith("/login/code"):
            return self.second_step(code or fresh_code(self._client.application, email),
                                    follow_redirects=follow, **kwargs)
        if follow and response.status_code == 302:
            return self._client.get(response.headers["Location"], follow_redirects=True)
        return response

    def second_step(self, code: str, **kwargs):
        token = csrf_token(self._client, "/login/code")
        return self._client.post("/login/code", data={"code": code, "csrf_token": token}, **kwargs)

    def logout(self):
        return post_form(self._client, "/logout")


class IsolatedClient(FlaskClient):
    """A test client whose requests each run with their own app context.

    Flask reuses an app context that a test has pushed, which would share `g` (CSRF
    tokens) and the database session between requests; in production every request
    has its own. Running each request in an empty `contextvars.Context` restores that.
    The test's own `db.session` (when the test has an app context) is committed first.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            # The test's own session ends its transaction (and expires what it holds),
            # so it neither blocks the request's writes nor reads stale rows after it.
            db.session.commit()
        context = contextvars.Context()
        response = context.run(super().open, *args, **kwargs)
        if response.is_streamed:
            # A streamed body (stream_with_context) runs inside the request's context:
            # read it, and close it, in that same context.
            response.response = _IterateIn(context, response.response)
        return response


class _IterateIn:
    """Iterate (and close, also when dropped unread) a streamed body inside `context`."""

    def __init__(self, context: contextvars.Context, iterable):
        self._context = context
        self._iterator = context.run(iter, iterable)

    def __iter__(self):
        return self

    def __next__(self):
        return self._context.run(next, self._iterator)

    def close(self) -> None:
        iterator, self._iterator = self._iterator, None
        if iterator is not None and hasattr(iterator, "close"):
            self._context.run(iterator.close)

    __del__ = close
