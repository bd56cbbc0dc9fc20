"""Closures, vacations and schedules: pages (admin)."""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import clock
from portal.auth.access import require_roles
from portal.auth.identity import current_actor
from portal.domain.default_week import proposed_week
from portal.domain.input_bounds import page_in_range, typed_integer
from portal.domain.override_kinds import BUSINESS_CLOSURE, KINDS, NOUNS, label, second_look
from portal.domain.refusals import INVALID, NotFound, Refused
from portal.domain.roles import ADMIN
from portal.domain.schedule_changes import DAY_NAMES
from portal.extensions import db
from portal.form_refusals import show_on_form
from portal.i18n import translate
from portal.models import ScheduleOverride, StylistProfile, StylistSchedule
from portal.schedules.forms import DeleteForm, OverrideFilterForm, OverrideForm, WeeklyForm
from portal.schedules.month_views import month_view
from portal.services.scheduling import overrides, schedules

bp = Blueprint("schedules", __name__, url_prefix="/schedules")
require_roles(bp, ADMIN)


def _today() -> date:
    return clock.now().astimezone(ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])).date()


def _stylist_choices(empty_label: str, keep: str | None = None) -> list[tuple[str, str]]:
    """Active stylists; a revoked one only when the row being edited already names them."""
    choices = [("", empty_label)]
    for s in schedules.stylists(db.session):
        if s.is_active:
            choices.append((str(s.user_id), s.display_name))
        elif keep and str(s.user_id) == keep:
            choices.append((str(s.user_id), _("%(name)s (no longer a stylist)", name=s.display_name)))
    return choices


def _date_range(start: date, end: date | None) -> str:
    """The pages' date range (`date_range` filter), in the page's language."""
    return current_app.jinja_env.filters["date_range"](start, end)


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


def _show_new_errors(form, errors: dict[str, str]) -> None:
    """The service's field checks, on the fields the form's own checks left clean."""
    fresh = {k: v for k, v in errors.items() if not getattr(form, k).errors}
    if fresh:
        show_on_form(form, Refused(INVALID, fields=fresh))


@bp.route("/")
def index():
    filters = OverrideFilterForm(request.args)
    stylists = schedules.stylists(db.session)
    filters.stylist_id.choices = [("", _("All stylists"))] + [
        (str(s.user_id), s.display_name if s.is_active else _("%(name)s (no longer a stylist)", name=s.display_name))
        for s in stylists]
    past = request.args.get("when") == "past"
    page = typed_integer(request.args.get("page")) or 1
    if not page_in_range(page):
        page = 1
    listing = overrides.override_page(
        db.session, _today(), past=past, page=page, override_type=filters.override_type.data or None,
        stylist_id=_uuid(filters.stylist_id.data),
    )
    return render_template("schedules/index.html", rows=listing.rows, listing=listing, past=past, filters=filters,
                           people={s.user_id: s for s in stylists}, stylists=stylists, today=_today(),
                           kinds=NOUNS, delete_form=DeleteForm())


def _draft(form: OverrideForm) -> overrides.OverrideDraft:
    return overrides.OverrideDraft(
        override_type=form.override_type.data, stylist_id=_uuid(form.stylist_id.data),
        start_date=form.start_date.data, end_date=form.end_date.data or form.start_date.data,
        start=form.start.data, end=form.end.data, priority=form.priority.data, reason=form.reason.data,
    )


def _fingerprint(draft: overrides.OverrideDraft) -> str:
    text = json.dumps([str(v) for v in draft.__dict__.values()])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _override_form_page(form: OverrideForm, row: ScheduleOverride | None):
    """Validate; preview the bookings a closure falls on; save once confirmed."""
    form.stylist_id.choices = _stylist_choices(
        _("Every stylist (salon-wide)"), str(row.stylist_user_id) if row and row.stylist_user_id else None)
    template = "schedules/override_form.html"
    if request.method == "GET":
        return render_template(template, form=form, row=row)
    parsed = form.validate()
    draft = _draft(form)
    errors = overrides.validate(db.session, draft)
    _show_new_errors(form, errors)
    if not parsed or errors:
        return render_template(template, form=form, row=row), 400
    stamp = _fingerprint(draft)
    if draft.is_closed and form.previewed.data != stamp:
        form.previewed.data = stamp
        affected = overrides.affected_bookings(db.session, draft)
        return render_template(template, form=form, row=row, preview=True, affected=affected,
                               days=(draft.end_date - draft.start_date).days + 1,
                               notes=second_look(draft.start_date, draft.end_date, _today()))
    actor = current_actor()
    try:
        if row is None:
            saved = overrides.create_override(db.session, actor, draft)
            flash(_("%(kind)s saved: %(dates)s.", kind=_(label(saved.override_type)),
                    dates=_date_range(saved.start_date, saved.end_date)), "success")
        else:
            saved = overrides.update_override(db.session, actor, row.id, draft)
            flash(_("%(kind)s updated: %(dates)s.", kind=_(label(saved.override_type)),
                    dates=_date_range(saved.start_date, saved.end_date)), "success")
    except NotFound:
        raise  # the override itself is gone: the 404 page
    except Refused as refused:  # e.g. the stylist was removed meanwhile
        show_on_form(form, refused)
        return render_template(template, form=form, row=row), 400
    if draft.is_closed and overrides.affected_bookings(db.session, draft):
        flash(_("The bookings it falls on are listed below for follow-up (only this change's; “Show all” lists "
                "every booking awaiting follow-up)."), "info")
        return redirect(url_for("bookings.followup_list", cause=str(saved.id)))
    return redirect(url_for(".index"))


@bp.route("/overrides/new", methods=["GET", "POST"])
def new_override():
    form = OverrideForm()
    if request.method == "GET":
        kind = request.args.get("kind", BUSINESS_CLOSURE)
        form.override_type.data = kind if kind in KINDS else BUSINESS_CLOSURE
        form.stylist_id.data = request.args.get("stylist", "")
        form.reason.data = (request.args.get("reason") or "")[:500]  # e.g. a festival the holidays page lacks
    return _override_form_page(form, None)


@bp.route("/overrides/<uuid:override_id>/edit", methods=["GET", "POST"])
def edit_override(override_id):
    row = db.get_or_404(ScheduleOverride, override_id)
    form = OverrideForm()
    if request.method == "GET":
        form.override_type.data = row.override_type
        form.stylist_id.data = str(row.stylist_user_id) if row.stylist_user_id else ""
        form.start_date.data, form.end_date.data = row.start_date, row.end_date
        form.start.data, form.end.data = row.override_start_time, row.override_end_time
        form.priority.data, form.reason.data = row.priority, row.reason
    return _override_form_page(form, row)


@bp.route("/overrides/<uuid:override_id>/delete", methods=["POST"])
def delete_override(override_id):
    if not DeleteForm().validate():
        abort(400)
    row = db.session.get(ScheduleOverride, override_id)
    what = f"{row.reason or _(label(row.override_type))} ({_date_range(row.start_date, row.end_date)})" if row else ""
    overrides.delete_override(db.session, current_actor(), override_id)  # a missing row: 404
    flash(_("Deleted %(what)s. It no longer applies to the schedule.", what=what), "success")
    return redirect(url_for(".index"))


def _stylist(stylist_id) -> StylistProfile:
    return db.get_or_404(StylistProfile, stylist_id)


def _weekly_draft(form: WeeklyForm) -> schedules.WeeklyDraft:
    return schedules.WeeklyDraft(
        day_of_week=form.day_of_week.data, start=form.start.data, end=form.end.data,
        break_start=form.break_start.data, break_end=form.break_end.data,
        effective_from=form.effective_from.data, effective_until=form.effective_until.data,
        is_active=form.is_active.data,
    )


def _weekly_page(stylist: StylistProfile, form: WeeklyForm, row: StylistSchedule | None):
    template = "schedules/week.html"
    context = dict(stylist=stylist, form=form, row=row, page=schedules.weekly_page(db.session, stylist.user_id, _today()),
                   days=DAY_NAMES, delete_form=DeleteForm(), proposed=proposed_week())
    if request.method == "GET":
        return render_template(template, **context)
    parsed = form.validate()
    draft = _weekly_draft(form)
    errors = schedules.validate_weekly(draft)
    _show_new_errors(form, errors)
    if parsed and not errors:
        try:
            schedules.save_weekly_row(db.session, current_actor(), stylist.user_id, draft,
                                      row.id if row else None)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            flash(_("%(day)s saved.", day=_(DAY_NAMES[draft.day_of_week])), "success")
            return redirect(url_for(".week", stylist_id=stylist.user_id))
    return render_template(template, **context), 400


@bp.route("/stylists/<uuid:stylist_id>/week", methods=["GET", "POST"])
def week(stylist_id):
    stylist = _stylist(stylist_id)
    form = WeeklyForm()
    if request.method == "GET":
        form.effective_from.data = _today()
    return _weekly_page(stylist, form, None)


@bp.route("/stylists/<uuid:stylist_id>/week/proposed", methods=["POST"])
def apply_proposed_week(stylist_id):
    if not DeleteForm().validate():
        abort(400)
    try:
        count = schedules.apply_proposed_week(db.session, current_actor(), stylist_id, _today())
    except NotFound:
        raise  # no such stylist: the 404 page
    except Refused as refused:
        flash(translate(refused.message), "warning")
    else:
        flash(_("Weekly hours set for %(num)d days, Sunday to Friday; Saturday is the day off.", num=count),
              "success")
    return redirect(url_for(".week", stylist_id=stylist_id))


@bp.route("/stylists/<uuid:stylist_id>/week/<uuid:row_id>", methods=["GET", "POST"])
def edit_week_row(stylist_id, row_id):
    stylist = _stylist(stylist_id)
    row = db.get_or_404(StylistSchedule, row_id)
    if row.stylist_user_id != stylist.user_id:
        abort(404)
    form = WeeklyForm()
    if request.method == "GET":
        form.day_of_week.data = row.day_of_week
        form.start.data, form.end.data = row.start_time_local, row.end_time_local
        form.break_start.data, form.break_end.data = row.break_start_time_local, row.break_end_time_local
        form.effective_from.data, form.effective_until.data = row.effective_from, row.effective_until
        form.is_active.data = row.is_active
    return _weekly_page(stylist, form, row)


@bp.route("/stylists/<uuid:stylist_id>/week/<uuid:row_id>/delete", methods=["POST"])
def delete_week_row(stylist_id, row_id):
    if not DeleteForm().validate():
        abort(400)
    row = db.session.get(StylistSchedule, row_id)
    day = _(DAY_NAMES[row.day_of_week]) if row else ""
    schedules.delete_weekly_row(db.session, current_actor(), stylist_id, row_id)  # missing or not theirs: 404
    flash(_("Deleted the %(day)s hours. Add them again below if that was a mistake.", day=day), "success")
    return redirect(url_for(".week", stylist_id=stylist_id))


@bp.route("/stylists/<uuid:stylist_id>/effective")
def effective(stylist_id):
    stylist = _stylist(stylist_id)
    # a Gregorian month, or a Bikram Sambat one (`?calendar=bs&month=2083-08`); a bad month: 400
    view = month_view(request.args.get("calendar"), request.args.get("month"), _today())
    days = schedules.effective_days(db.session, stylist.user_id, view.first, view.last)
    return render_template(
        "schedules/effective.html", stylist=stylist, days=days, view=view, by_day={d.day: d for d in days},
        day_names=DAY_NAMES,
    )
