"""Browser-like helpers for the test client: CSRF tokens, signing in and out."""
from __future__ import annotations

import contextvars
import re

from flask import has_app_context
from flask.testing import FlaskClient

from portal.extensions import db

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery"


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


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD, next_url: str | None = None, **kwargs):
        token = csrf_token(self._client, "/login")
        data = {"email": email, "password": password, "csrf_token": token}
        if next_url is not None:
            data["next"] = next_url
        return self._client.post("/login", data=data, **kwargs)

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
