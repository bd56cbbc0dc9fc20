"""Time-off pages: the stylist asks and withdraws; admins list, look, approve, decline, cancel.

The home pages include `time_off/_waiting.html` (admins) and `time_off/_decisions.html`
(stylists); their rows come from `time_off_home()`, a template function registered
here, so the dashboard's own view is untouched.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import require_roles, role_required
from portal.auth.identity import current_actor
from portal.domain import time_off as rules
from portal.domain.refusals import NotFound, Refused, Stale
from portal.domain.roles import ADMIN, STYLIST
from portal.extensions import db
from portal.form_refusals import show_on_form
from portal.i18n import translate
from portal.models import StylistProfile
from portal.services.leave import time_off
from portal.time_off import queries
from portal.time_off.forms import AskForm, DeclineForm

bp = Blueprint("time_off", __name__, url_prefix="/time-off")
require_roles(bp, ADMIN)

# MESSAGES HOOK: the follow-up list's "Tell the customers" (messages.md) is built by the
# messages branch. Once an endpoint of this name exists, the request's page offers it
# for the bookings the approved time off falls on (see time_off/_tell_customers.html).
TELL_CUSTOMERS_ENDPOINT = "messages.tell_customers"


def _dates(row) -> str:
    return current_app.jinja_env.filters["date_range"](row.start_date, row.end_date)


# --------------------------------------------------------------------------- the stylist

def _own_profile() -> StylistProfile:
    return db.get_or_404(StylistProfile, current_user.id,
                         description=_("Your stylist profile has not been set up yet."))


def _mine_page(profile: StylistProfile, form: AskForm, status: int = 200):
    return render_template("time_off/mine.html", profile=profile, form=form,
                           rows=queries.own_requests(db.session, profile.user_id),
                           horizon_days=rules.HORIZON_DAYS, max_days=rules.MAX_DAYS), status


@bp.route("/mine", methods=["GET", "POST"])
@role_required(STYLIST)
def mine():
    profile = _own_profile()
    if request.method == "GET":
        return _mine_page(profile, AskForm(formdata=None))
    form = AskForm()
    if not form.validate():
        return _mine_page(profile, form, 400)
    draft = time_off.TimeOffDraft(kind=form.kind.data, start_date=form.start_date.data,
                                  end_date=form.end_date.data or form.start_date.data, note=form.note.data)
    try:
        row = time_off.ask(db.session, current_actor(), profile.user_id, draft)
    except NotFound:
        raise
    except Refused as refused:
        show_on_form(form, refused)
        return _mine_page(profile, form, 400)
    flash(_("Asked: %(dates)s. An admin will decide; you will see it here and on your home page.",
            dates=_dates(row)), "success")
    return redirect(url_for(".mine"))


@bp.route("/mine/<uuid:request_id>/withdraw", methods=["POST"])
@role_required(STYLIST)
def withdraw(request_id):
    try:
        row = time_off.withdraw(db.session, current_actor(), current_user.id, request_id)
    except NotFound:
        abort(404)
    except Refused as refused:
        flash(translate(refused.message), "danger")
    else:
        flash(_("Withdrawn: %(dates)s. Nothing changes in your schedule.", dates=_dates(row)), "success")
    return redirect(url_for(".mine"))


# --------------------------------------------------------------------------- admins

@bp.route("/")
def index():
    state = request.args.get("state") or None
    if state is not None and state not in rules.STATES:
        state = None
    return render_template("time_off/index.html", rows=queries.admin_list(db.session, state), state=state,
                           counts=queries.state_counts(db.session), states=rules.STATES)


def _detail_page(request_id, decline_form: DeclineForm | None = None, status: int = 200):
    page = queries.request_page(db.session, request_id)
    if page is None:
        abort(404)
    tell = TELL_CUSTOMERS_ENDPOINT if TELL_CUSTOMERS_ENDPOINT in current_app.view_functions else None
    return render_template("time_off/detail.html", page=page, row=page.request,
                           decline_form=decline_form or DeclineForm(formdata=None), tell_customers=tell), status


@bp.route("/<uuid:request_id>")
def detail(request_id):
    return _detail_page(request_id)


def _decided_elsewhere(request_id, refused: Stale):
    flash(translate(refused.message), "warning")
    return redirect(url_for(".detail", request_id=request_id))


@bp.route("/<uuid:request_id>/approve", methods=["POST"])
def approve(request_id):
    try:
        row = time_off.approve(db.session, current_actor(), request_id)
    except NotFound:
        abort(404)
    except Stale as refused:
        return _decided_elsewhere(request_id, refused)
    except Refused as refused:
        flash(translate(refused.message), "danger")
        return redirect(url_for(".detail", request_id=request_id))
    flash(_("Approved: %(dates)s is now a vacation; the slots are gone from the booking site. "
            "Bookings on those days are on the follow-up list.", dates=_dates(row)), "success")
    return redirect(url_for(".detail", request_id=request_id))


@bp.route("/<uuid:request_id>/decline", methods=["POST"])
def decline(request_id):
    form = DeclineForm()
    if not form.validate():
        return _detail_page(request_id, form, 400)
    try:
        row = time_off.decline(db.session, current_actor(), request_id, form.reason.data)
    except NotFound:
        abort(404)
    except Stale as refused:
        return _decided_elsewhere(request_id, refused)
    except Refused as refused:
        show_on_form(form, refused)
        return _detail_page(request_id, form, 400)
    flash(_("Declined: %(dates)s. The stylist sees your reason.", dates=_dates(row)), "success")
    return redirect(url_for(".detail", request_id=request_id))


@bp.route("/<uuid:request_id>/cancel", methods=["POST"])
def cancel(request_id):
    try:
        row = time_off.cancel(db.session, current_actor(), request_id)
    except NotFound:
        abort(404)
    except Refused as refused:
        flash(translate(refused.message), "danger")
    else:
        flash(_("Cancelled: the vacation of %(dates)s is deleted and its slots are back on the booking site.",
                dates=_dates(row)), "success")
    return redirect(url_for(".detail", request_id=request_id))


# --------------------------------------------------------------------------- home pages

def time_off_home() -> dict:
    """What the home-page partials show for the signed-in person."""
    if current_user.has_role(ADMIN):
        rows, total = queries.waiting(db.session)
        return {"waiting": rows, "total": total}
    if current_user.has_role(STYLIST):
        return {"decisions": queries.home_decisions(db.session, current_user.id)}
    return {}


@bp.app_context_processor
def _home_function():
    return {"time_off_home": time_off_home}


# The vocabulary of portal/domain/time_off.py in the page's language.
@bp.app_template_filter("time_off_kind")
def _kind_words(kind: str) -> str:
    return translate(rules.kind_label(kind))


@bp.app_template_filter("time_off_state")
def _state_words(state: str) -> str:
    return translate(rules.state_label(state))


@bp.app_template_filter("time_off_style")
def _state_style(state: str) -> str:
    return rules.state_style(state)
