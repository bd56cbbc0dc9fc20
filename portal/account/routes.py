"""The second sign-in step, one's own two-step settings and password, password links."""
from __future__ import annotations

import uuid

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal import throttle
from portal.account import enrolment as enrolment_attempt
from portal.account.forms import (
    ChangePasswordForm, CodeForm, EnrolForm, NewPasswordForm, RenewCodesForm, TurnOffForm,
)
from portal.account.qr import qr_svg
from portal.auth import account_ceiling, session_lifetime
from portal.auth.identity import current_actor
from portal.auth.next_page import safe_next
from portal.auth.pending import pending_sign_in, tell_about_pauses
from portal.domain.refusals import NotFound, Refused
from portal.extensions import db
from portal.form_refusals import show_on_form
from portal.http_errors import error_response
from portal.i18n import translate
from portal.models import UserProfile
from portal.network import counted_client
from portal.services.audit.security import record_sampled_security_event
from portal.services.identity import accounts, mfa, passwords

bp = Blueprint("account", __name__)


def _attempt_allowed(*key: str) -> bool:
    """Count this code attempt before the code is checked, like a password attempt
    (`LOGIN_RATE_LIMIT`, atomic in the limiter's storage: portal/throttle.py)."""
    return throttle.hit(throttle.limit_item(str(current_app.config["LOGIN_RATE_LIMIT"])), *key)


def _locked_out(user_id: str):
    limit = str(current_app.config["LOGIN_RATE_LIMIT"])
    record_sampled_security_event(current_actor(), "mfa_locked_out", user_id=user_id, limit=limit)
    retry = int(throttle.limit_item(limit).get_expiry())
    return error_response(429, "Too many code attempts. Please wait and try again.", retry_after=retry)


def _sign_in(user: UserProfile) -> None:
    session.clear()
    pauses = accounts.start_session(db.session, user)  # ends the user's other sessions
    login_user(user)
    session_lifetime.begin()
    tell_about_pauses(pauses)


@bp.route("/login/code", methods=["GET", "POST"])
def second_step():
    pending = pending_sign_in()
    if pending is None:
        flash(_("Please sign in with your email and password first."), "info")
        return redirect(url_for("auth.login"))
    user = db.session.get(UserProfile, uuid.UUID(pending["user_id"]))
    if user is None or not user.is_active:
        session.clear()
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if not _attempt_allowed("mfa", counted_client(), str(user.id)):
            return _locked_out(str(user.id))
        if paused := account_ceiling.paused_for(user.email):
            return error_response(429, account_ceiling.PAUSED, retry_after=paused)
        try:
            how = mfa.verify(db.session, current_actor(), user.id, form.code.data)
        except Refused as refused:
            account_ceiling.failed(user.email)
            show_on_form(form, refused)
        else:
            _sign_in(user)
            if how == "recovery":
                left = mfa.recovery_codes_left(db.session, user.id)
                flash(_("You signed in with a recovery code; %(left)s left. Make new ones on your account page "
                        "if you are running low.", left=left), "warning")
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(pending.get("next")))
    return render_template("account/second_step.html", form=form), (400 if form.errors else 200)


@bp.route("/account")
@login_required
def index():
    user = current_user._get_current_object()
    row = mfa.factor(db.session, user.id)
    return render_template(
        "account/index.html", enrolled=bool(row and row.confirmed_at), row=row, must_use=mfa.must_use(user),
        codes_left=mfa.recovery_codes_left(db.session, user.id),
        renew_form=RenewCodesForm(prefix="renew"), off_form=TurnOffForm(prefix="off"))


@bp.route("/account/two-step", methods=["GET", "POST"])
@login_required
def enrol():
    user = current_user._get_current_object()
    if mfa.is_enrolled(db.session, user.id):
        flash(_("Two-step sign-in is already on."), "info")
        return redirect(url_for(".index"))
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = mfa.confirm_enrolment(db.session, current_actor(), user.id,
                                          enrolment_attempt.sealed_attempt(user), form.code.data)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            enrolment_attempt.end_attempt()
            return render_template("account/recovery_codes.html", codes=codes, first_time=True)
    enrolment = enrolment_attempt.shown_attempt(user)
    grouped = " ".join(enrolment.secret[i:i + 4] for i in range(0, len(enrolment.secret), 4))
    return render_template("account/enrol.html", form=form, secret=enrolment.secret, grouped=grouped,
                           qr=qr_svg(enrolment.uri, "QR code for your authenticator app"),
                           must_use=mfa.must_use(user)), (400 if form.errors else 200)


def _settings_attempt_allowed() -> bool:
    """Password + code guesses on the settings forms count like sign-in attempts."""
    return _attempt_allowed("mfa-settings", counted_client(), str(current_user.id))


@bp.route("/account/two-step/recovery-codes", methods=["POST"])
@login_required
def renew_codes():
    form = RenewCodesForm(prefix="renew")
    if form.validate_on_submit():
        if not _settings_attempt_allowed():
            return _locked_out(str(current_user.id))
        try:
            codes = mfa.renew_recovery_codes(db.session, current_actor(), current_user.id,
                                             form.password.data, form.code.data)
        except Refused as refused:
            flash(translate(refused.message), "danger")
        else:
            return render_template("account/recovery_codes.html", codes=codes, first_time=False)
    else:
        flash(_("Enter your current password and a code from your app."), "danger")
    return redirect(url_for(".index"))


@bp.route("/account/two-step/off", methods=["POST"])
@login_required
def turn_off():
    form = TurnOffForm(prefix="off")
    if form.validate_on_submit():
        if not _settings_attempt_allowed():
            return _locked_out(str(current_user.id))
        try:
            mfa.turn_off(db.session, current_actor(), current_user.id, form.password.data, form.code.data)
        except Refused as refused:
            flash(translate(refused.message), "danger")
        else:
            flash(_("Two-step sign-in is off. Your recovery codes no longer work."), "success")
    else:
        flash(_("Enter your current password and a code from your app."), "danger")
    return redirect(url_for(".index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = passwords.change_own(db.session, current_actor(), current_user.id,
                                        form.current_password.data, form.new_password.data)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            login_user(user)  # this session carries the new token; every other one has ended
            session_lifetime.begin()
            flash(_("Your password is changed. You are signed out everywhere else."), "success")
            return redirect(url_for(".index"))
    return render_template("account/change_password.html", form=form), (400 if form.errors else 200)


@bp.route("/password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    try:
        owner = passwords.link_owner(db.session, token)
    except Refused as refused:
        return render_template("account/link_problem.html", message=refused.message), (
            404 if isinstance(refused, NotFound) else 410)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            passwords.set_with_link(db.session, current_actor(), token, form.new_password.data)
        except Refused as refused:
            if not refused.fields:
                return render_template("account/link_problem.html", message=refused.message), 410
            show_on_form(form, refused)
        else:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash(_("Your password is saved. Sign in with it now."), "success")
            return redirect(url_for("auth.login"))
    return render_template("account/set_password.html", form=form, owner=owner), (400 if form.errors else 200)
