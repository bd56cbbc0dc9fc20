"""Admins and auditors must use two-step sign-in: until they have enrolled, every page
but the enrolment page (and signing out) takes them there."""
from __future__ import annotations

from flask import Flask, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.services.identity import mfa

ALWAYS_OPEN = frozenset({
    "static", "bootstrap.static", "metrics", "auth.login", "auth.logout",
    "account.enrol", "account.second_step", "account.set_password",
})


def register(app: Flask) -> None:
    @app.before_request
    def require_second_factor():
        endpoint = request.endpoint or ""
        if endpoint in ALWAYS_OPEN or endpoint.startswith("api."):
            return None
        if not current_user.is_authenticated or not mfa.must_use(current_user):
            return None
        if mfa.is_enrolled(db.session, current_user.id):
            return None
        flash(_("Admins and auditors must set up two-step sign-in before using the portal."), "warning")
        return redirect(url_for("account.enrol"))
