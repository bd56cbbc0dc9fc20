"""`/login` and `/logout`."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from portal import throttle
from portal.account.pending import begin_second_step
from portal.auth import session_lifetime
from portal.auth.forms import LoginForm
from portal.auth.identity import current_actor
from portal.errors import error_response
from portal.extensions import db
from portal.network import client_ip
from portal.services import accounts, mfa
from portal.services.security import record_sampled_security_event

bp = Blueprint("auth", __name__)
bp.before_app_request(session_lifetime.enforce)


def safe_next(target: str | None) -> str:
    """Only a path on this site: no scheme, no host, no `//` or backslash tricks."""
    if not target:
        return url_for("dashboard.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return url_for("dashboard.index")
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return url_for("dashboard.index")
    return target


def _attempt_allowed(email: str) -> bool:
    """Count this attempt before the password is checked (atomic in the limiter's
    storage), keyed by client IP and the account tried."""
    limit = throttle.limit_item(str(current_app.config["LOGIN_RATE_LIMIT"]))
    return throttle.hit(limit, "login", client_ip(), email)


def _locked_out(email: str):
    limit = str(current_app.config["LOGIN_RATE_LIMIT"])
    record_sampled_security_event(current_actor(), "login_locked_out", email=email, limit=limit)
    retry = int(throttle.limit_item(limit).get_expiry())
    return error_response(429, "Too many sign-in attempts. Please wait and try again.", retry_after=retry)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email = form.email.data.strip().lower()[:254]
        if not _attempt_allowed(email):
            return _locked_out(email)
        user = accounts.authenticate(db.session, form.email.data, form.password.data, current_actor())
        if user is None:
            form.password.errors.append("Wrong email or password.")
        elif mfa.is_enrolled(db.session, user.id):
            return begin_second_step(user, form.next.data)  # not signed in until the code
        else:
            session.clear()  # renew: nothing from the anonymous session survives
            accounts.start_session(db.session, user)  # ends the user's other sessions
            login_user(user)
            session_lifetime.begin()
            flash(f"Welcome, {user.display_name}.", "success")
            return redirect(safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    accounts.end_session(db.session, current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
