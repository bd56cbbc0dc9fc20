"""The signed session cookie belongs to the portal's pages: the public API has none.

`/api/...` is called by the booking site without credentials (slots-api.md: no
authentication, CORS without credentials), so its requests neither read nor write the
cookie: no signature to check on the way in, none to compute on the way out, and
nothing an API answer could set. Everything else is Flask's signed cookie.
"""
from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSessionInterface

API_PREFIX = "/api/"


class PagesOnlySessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request):
        if request.path.startswith(API_PREFIX):
            return self.null_session_class()
        return super().open_session(app, request)
