"""Override budgets: the admin page and the stylist's own pages."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.access import role_required
from portal.budgets.forms import GrantForm, LimitForm, OverrideRequestForm
from portal.extensions import db
from portal.form_fields import scoped_ids
from portal.models import StylistProfile
from portal.network import current_actor
from portal.domain.schedule_changes import DAY_NAMES
from portal.presentation.formats import format_date, format_time_range
from portal.services import budgets
from portal.services.stylist_overview import change_history, stylist_overview

bp = Blueprint("budgets", __name__, url_prefix="/budgets")
HISTORY_PAGE = 50


@bp.route("/")
@role_required("admin")
def index():
    return render_template("budgets/index.html", rows=budgets.all_budgets(db.session))


def _admin_page(stylist: StylistProfile, limit_form=None, grant_form=None, status=200):
    view = budgets.read_budget(db.session, stylist.user_id)
    limit_form = limit_form or LimitForm(formdata=None, limit=view.limit)
    grant_form = grant_form or GrantForm(formdata=None, count=1)
    return render_template("budgets/stylist.html", stylist=stylist, budget=view,
                           limit_form=scoped_ids(limit_form, "limit-form"),
                           grant_form=scoped_ids(grant_form, "grant-form")), status


def _stylist_or_404(stylist_id) -> StylistProfile:
    return db.session.get(StylistProfile, stylist_id) or abort(404)


@bp.route("/<uuid:stylist_id>")
@role_required("admin")
def stylist(stylist_id):
    return _admin_page(_stylist_or_404(stylist_id))


@bp.route("/<uuid:stylist_id>/limit", methods=["POST"])
@role_required("admin")
def change_limit(stylist_id):
    profile = _stylist_or_404(stylist_id)
    form = LimitForm()
    if form.validate():
        try:
            view = budgets.set_limit(db.session, current_actor(), profile.user_id, form.limit.data)
        except budgets.BudgetRefused as refused:
            form.limit.errors = list(form.limit.errors) + [refused.message]
        else:
            flash(f"{profile.display_name} may now change {view.limit} date(s) a month.", "success")
            return redirect(url_for(".stylist", stylist_id=profile.user_id))
    return _admin_page(profile, limit_form=form, status=400)


@bp.route("/<uuid:stylist_id>/tokens", methods=["POST"])
@role_required("admin")
def grant(stylist_id):
    profile = _stylist_or_404(stylist_id)
    form = GrantForm()
    if form.validate():
        try:
            view = budgets.grant_tokens(db.session, current_actor(), profile.user_id, form.count.data)
        except budgets.BudgetRefused as refused:
            form.count.errors = list(form.count.errors) + [refused.message]
        else:
            flash(f"{profile.display_name} now has {view.emergency_left} emergency change(s).", "success")
            return redirect(url_for(".stylist", stylist_id=profile.user_id))
    return _admin_page(profile, grant_form=form, status=400)


def _own_profile() -> StylistProfile:
    profile = db.session.get(StylistProfile, current_user.id)
    if profile is None:
        abort(404, description="Your stylist profile has not been set up yet.")
    return profile


def _mine_page(profile: StylistProfile, form: OverrideRequestForm, status: int = 200):
    page = stylist_overview(db.session, profile)
    return render_template(
        "budgets/mine.html", profile=profile, budget=page.budget, form=form, upcoming=page.upcoming,
        days=page.days, history=page.history, today=page.today, horizon_end=page.horizon_end,
        weekdays=DAY_NAMES,
    ), status


@bp.route("/mine")
@role_required("stylist")
def mine():
    return _mine_page(_own_profile(), OverrideRequestForm(formdata=None))


@bp.route("/mine/requests", methods=["POST"])
@role_required("stylist")
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
    try:
        row = budgets.request_override(db.session, current_actor(), profile.user_id, wanted)
    except budgets.BudgetRefused as refused:
        field = getattr(form, refused.field, None) if refused.field else None
        if field is not None:
            field.errors = list(field.errors) + [refused.message]
        else:
            flash(refused.message, "danger")
        return _mine_page(profile, form, 409 if refused.code == "BUDGET_EXHAUSTED" else 400)
    what = "a day off" if row.is_closed else format_time_range(row.override_start_time, row.override_end_time)
    flash(f"Done: {format_date(row.start_date)} is now {what}.", "success")
    return redirect(url_for(".mine"))


@bp.route("/mine/history")
@role_required("stylist")
def history():
    profile = _own_profile()
    page = max(request.args.get("page", 1, type=int), 1)
    rows = change_history(db.session, profile.user_id, limit=HISTORY_PAGE + 1, offset=(page - 1) * HISTORY_PAGE)
    return render_template("budgets/history.html", profile=profile, rows=rows[:HISTORY_PAGE], page=page,
                           has_next=len(rows) > HISTORY_PAGE, weekdays=DAY_NAMES)


