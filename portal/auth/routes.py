"""`/login` and `/logout`."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal import throttle
from portal.auth import account_ceiling, session_lifetime
from portal.auth.forms import LoginForm
from portal.auth.identity import current_actor
from portal.auth.next_page import safe_next
from portal.auth.pending import begin_second_step, tell_about_pauses
from portal.domain.input_bounds import BadInput, visible
from portal.http_errors import error_response
from portal.i18n import translate
from portal.extensions import db
from portal.network import counted_client
from portal.services.audit.security import record_sampled_security_event
from portal.services.identity import accounts, mfa

bp = Blueprint("auth", __name__)
bp.before_app_request(session_lifetime.enforce)


def _attempt_allowed(email: str) -> bool:
    """Count this attempt before the password is checked (atomic in the limiter's
    storage), keyed by client IP and the account tried."""
    limit = throttle.limit_item(str(current_app.config["LOGIN_RATE_LIMIT"]))
    return throttle.hit(limit, "login", counted_client(), email)


def _locked_out(email: str):
    limit = str(current_app.config["LOGIN_RATE_LIMIT"])
    record_sampled_security_event(current_actor(), "login_locked_out", email=email, limit=limit)
    retry = int(throttle.limit_item(limit).get_expiry())
    return error_response(429, _("Too many sign-in attempts. Please wait and try again."), retry_after=retry)


@bp.errorhandler(BadInput)
def bad_input(refused: BadInput):
    """A NUL or an enormous value (portal/request_input.py): on the sign-in form it is a
    failed sign-in, recorded like any other (the email made printable), and the form
    says what is wrong; elsewhere in this blueprint, the 400 page."""
    if request.endpoint != "auth.login" or request.method != "POST":
        return error_response(400, refused.message)
    record_sampled_security_event(current_actor(), "login_failed", reason="bad_input",
                                  email=visible(request.form.get("email", "").strip().lower()))
    form = LoginForm(formdata=None, next=safe_next(request.form.get("next")))
    for name, message in refused.fields.items():
        field = form._fields.get(name, form.email)
        field.errors = [*field.errors, translate(message)]
    return render_template("auth/login.html", form=form), 400


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email = form.email.data.strip().lower()[:254]
        if not _attempt_allowed(email):
            return _locked_out(email)
        if paused := account_ceiling.paused_for(email):
            return error_response(429, account_ceiling.PAUSED, retry_after=paused)
        user = accounts.authenticate(db.session, form.email.data, form.password.data, current_actor())
        if user is None:
            account_ceiling.failed(email)
            form.password.errors.append(_("Wrong email or password."))
        elif mfa.is_enrolled(db.session, user.id):
            return begin_second_step(user, form.next.data)  # not signed in until the code
        else:
            session.clear()  # renew: nothing from the anonymous session survives
            pauses = accounts.start_session(db.session, user)  # ends the user's other sessions
            login_user(user)
            session_lifetime.begin()
            tell_about_pauses(pauses)
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    accounts.end_session(db.session, current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
