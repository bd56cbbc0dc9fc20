"""`/login` and `/logout`."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth.forms import LoginForm
from portal.auth.identity import current_actor
from portal.extensions import db, limiter
from portal.network import client_ip
from portal.services import accounts
from portal.services.security import record_security_event

bp = Blueprint("auth", __name__)


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


def _login_key() -> str:
    email = (request.form.get("email") or "").strip().lower()
    return f"login:{client_ip()}:{email}"


def _locked_out(limit) -> None:
    email = (request.form.get("email") or "").strip().lower()[:254]
    record_security_event(current_actor(), "login_locked_out", email=email, limit=str(limit.limit))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_login_key, methods=["POST"],
    deduct_when=lambda response: response.status_code != 302, on_breach=_locked_out,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data, form.password.data, current_actor())
        if user is None:
            form.password.errors.append("Wrong email or password.")
        else:
            session.clear()  # renew: nothing from the anonymous session survives
            accounts.start_session(db.session, user)
            login_user(user)
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
