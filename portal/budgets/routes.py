"""Override budgets: the admin page and the stylist's own pages."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import require_roles, role_required
from portal.auth.identity import current_actor
from portal.budgets.forms import GrantForm, LimitForm, OverrideRequestForm
from portal.domain.input_bounds import page_in_range, typed_integer
from portal.domain.refusals import Refused
from portal.domain.roles import ADMIN, STYLIST
from portal.domain.schedule_changes import DAY_NAMES
from portal.domain.translatable import PluralMsg
from portal.extensions import db
from portal.form_fields import scoped_ids
from portal.form_refusals import show_on_form
from portal.i18n import current_language, translate
from portal.i18n.formatting import clock, dual_date
from portal.models import StylistProfile
from portal.services.appointments import followup
from portal.services.scheduling import budgets
from portal.services.scheduling.stylist_overview import change_history, stylist_overview

bp = Blueprint("budgets", __name__, url_prefix="/budgets")
require_roles(bp, ADMIN)
HISTORY_PAGE = 50


@bp.route("/")
def index():
    return render_template("budgets/index.html", rows=budgets.all_budgets(db.session))


def _admin_page(stylist: StylistProfile, limit_form=None, grant_form=None, status=200):
    view = budgets.read_budget(db.session, stylist.user_id)
    limit_form = limit_form or LimitForm(formdata=None, limit=view.limit)
    grant_form = grant_form or GrantForm(formdata=None, count=1)
    return render_template("budgets/stylist.html", stylist=stylist, budget=view,
                           limit_form=scoped_ids(limit_form, "limit-form"),
                           grant_form=scoped_ids(grant_form, "grant-form")), status


@bp.route("/<uuid:stylist_id>")
def stylist(stylist_id):
    return _admin_page(db.get_or_404(StylistProfile, stylist_id))


def _admin_change(stylist_id, form, service, value_field: str, done, form_name: str):
    """An admin's change to one stylist's budget: call `service` with the form's value,
    or show why not on the form."""
    profile = db.get_or_404(StylistProfile, stylist_id)
    if form.validate():
        try:
            view = service(db.session, current_actor(), profile.user_id, form[value_field].data)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            flash(done(profile, view), "success")
            return redirect(url_for(".stylist", stylist_id=profile.user_id))
    return _admin_page(profile, status=400, **{form_name: form})


def _limit_changed(profile: StylistProfile, view: budgets.BudgetView) -> str:
    return translate(PluralMsg("%(name)s may now change %(num)s date a month.",
                               "%(name)s may now change %(num)s dates a month.", view.limit, name=profile.display_name))


def _tokens_granted(profile: StylistProfile, view: budgets.BudgetView) -> str:
    return translate(PluralMsg("%(name)s now has %(num)s emergency change.",
                               "%(name)s now has %(num)s emergency changes.", view.emergency_left,
                               name=profile.display_name))


@bp.route("/<uuid:stylist_id>/limit", methods=["POST"])
def change_limit(stylist_id):
    return _admin_change(stylist_id, LimitForm(), budgets.set_limit, "limit", _limit_changed, "limit_form")


@bp.route("/<uuid:stylist_id>/tokens", methods=["POST"])
def grant(stylist_id):
    return _admin_change(stylist_id, GrantForm(), budgets.grant_tokens, "count", _tokens_granted, "grant_form")


def _own_profile() -> StylistProfile:
    return db.get_or_404(StylistProfile, current_user.id,
                         description=_("Your stylist profile has not been set up yet."))


def _mine_page(profile: StylistProfile, form: OverrideRequestForm, status: int = 200, at_risk=()):
    page = stylist_overview(db.session, profile)
    return render_template(
        "budgets/mine.html", profile=profile, budget=page.budget, form=form, upcoming=page.upcoming,
        days=page.days, history=page.history, today=page.today, horizon_end=page.horizon_end,
        weekdays=DAY_NAMES, at_risk=at_risk, envelope=budgets.self_service_envelope(),
    ), status


@bp.route("/mine")
@role_required(STYLIST)
def mine():
    return _mine_page(_own_profile(), OverrideRequestForm(formdata=None))


@bp.route("/mine/requests", methods=["POST"])
@role_required(STYLIST)
def request_override():
    profile = _own_profile()
    form = OverrideRequestForm()
    if not form.validate():
        return _mine_page(profile, form, 400)
    closed = form.kind.data != "hours"
    wanted = budgets.OverrideRequest(
        day=form.day.data, closed=closed, start=None if closed else form.start.data,
        end=None if closed else form.end.data, emergency=form.emergency.data, reason=form.reason.data,
    )
    at_risk = _bookings_left_outside(profile, wanted)
    if at_risk and form.bookings_confirmed.data != _stamp(at_risk):
        form.bookings_confirmed.data = _stamp(at_risk)  # nothing spent until they confirm
        return _mine_page(profile, form, 200, at_risk=at_risk)
    try:
        row = budgets.request_override(db.session, current_actor(), profile.user_id, wanted)
    except budgets.BudgetRefused as refused:
        show_on_form(form, refused)
        return _mine_page(profile, form, 409 if refused.code == budgets.BUDGET_EXHAUSTED else 400)
    language = current_language()
    day = dual_date(row.start_date, language)
    if row.is_closed:
        flash(_("Done: %(day)s is now a day off.", day=day), "success")
    else:
        flash(_("Done: %(day)s is now %(start)s – %(end)s.", day=day, start=clock(row.override_start_time, language),
                end=clock(row.override_end_time, language)), "success")
    return redirect(url_for(".mine"))


def _bookings_left_outside(profile: StylistProfile, wanted: budgets.OverrideRequest):
    """Own bookings the change would leave outside the hours (bookings.md: warn before spending)."""
    priority = budgets.EMERGENCY_PRIORITY if wanted.emergency else budgets.NORMAL_PRIORITY
    return followup.outside_after(db.session, profile.user_id, wanted.day, wanted.closed, wanted.start,
                                  wanted.end, priority)


def _stamp(hits) -> str:
    return ",".join(sorted(str(h.booking.id) for h in hits))


@bp.route("/mine/history")
@role_required(STYLIST)
def history():
    profile = _own_profile()
    page = typed_integer(request.args.get("page"))
    page = 1 if page is None else page
    if not page_in_range(page):
        raise Refused("PAGE_OUT_OF_RANGE", "That page number does not exist; start from the first page.")
    rows = change_history(db.session, profile.user_id, limit=HISTORY_PAGE + 1, offset=(page - 1) * HISTORY_PAGE)
    return render_template("budgets/history.html", profile=profile, rows=rows[:HISTORY_PAGE], page=page,
                           has_next=len(rows) > HISTORY_PAGE, weekdays=DAY_NAMES)


