"""Public holidays (admin): Nepal's holidays for a Gregorian or BS year, imported as
business closures; the latest imports can be undone in one step."""
from __future__ import annotations

import hashlib
from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext

from portal import clock
from portal.auth.access import require_roles
from portal.auth.identity import current_actor
from portal.domain import public_holidays as calendar_of_holidays
from portal.domain.bikram_sambat import FIRST_YEAR as BS_FIRST_YEAR, LAST_YEAR as BS_LAST_YEAR
from portal.domain.input_bounds import typed_integer
from portal.domain.public_holidays import BIKRAM_SAMBAT, FIRST_YEAR, GREGORIAN, LAST_YEAR
from portal.domain.refusals import Refused
from portal.domain.roles import ADMIN
from portal.extensions import db
from portal.holidays.forms import HolidayImportForm
from portal.i18n import current_language, translate
from portal.i18n.formatting import numerals
from portal.services.scheduling import holiday_imports, public_holidays

bp = Blueprint("holidays", __name__, url_prefix="/holidays")
require_roles(bp, ADMIN)


def _today() -> date:
    return clock.now().astimezone(ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])).date()


def _period() -> calendar_of_holidays.HolidayPeriod:
    """The year asked for (`?year=2083&calendar=BS`), this year by default; a BS year the
    BS library does not cover falls back to this Gregorian year, said on the page."""
    which = BIKRAM_SAMBAT if (request.args.get("calendar") or "").upper() == BIKRAM_SAMBAT else GREGORIAN
    year = typed_integer(request.args.get("year"))
    today = _today()
    if year is None:
        year = calendar_of_holidays.bs_year_of(today) if which == BIKRAM_SAMBAT else today.year
    period = calendar_of_holidays.holiday_period(which, min(max(year or today.year, 1900), 9999))
    if period is None:
        flash(_("BS years can be shown for %(first)s–%(last)s only.", first=numerals(BS_FIRST_YEAR, current_language()),
                last=numerals(BS_LAST_YEAR, current_language())), "warning")
        period = calendar_of_holidays.holiday_period(GREGORIAN, today.year)
    return period


def _picks(form: HolidayImportForm, plan: public_holidays.HolidayYear) -> list[public_holidays.Pick]:
    picks = []
    for line, entry in zip(plan.lines, form.lines.entries):
        if entry.chosen.data and line.covered_by is None:
            picks.append(public_holidays.Pick(line.index, entry.day.data or line.holiday.day))
    return picks


def _page(context: dict, status: int = 200, **more):
    imports = holiday_imports.recent_imports(db.session)
    return render_template("holidays/index.html", imports=imports, **{**context, **more}), status


def _stamp(period, picks: list[public_holidays.Pick]) -> str:
    text = f"{period.calendar}{period.year}:" + ",".join(f"{p.index}={p.day.isoformat()}" for p in picks)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@bp.route("/", methods=["GET", "POST"])
def index():
    period = _period()
    plan = public_holidays.year_plan(db.session, period)
    form = HolidayImportForm()
    changed = request.method == "POST" and len(form.lines.entries) != len(plan.lines)
    if request.method == "GET" or changed:
        form = HolidayImportForm(formdata=None) if changed else form
        for line in plan.lines:
            form.lines.append_entry({"chosen": False, "day": line.holiday.day})
    context = dict(plan=plan, period=period, form=form, first_year=FIRST_YEAR, last_year=LAST_YEAR,
                   today=_today(), bs_first=BS_FIRST_YEAR, bs_last=BS_LAST_YEAR)
    if request.method == "GET":
        return _page(context)
    if changed:  # not the form this page sent: start again
        flash(_("The list changed or the form was incomplete; tick the holidays again."), "warning")
        return _page(context, 400)
    if not form.validate():
        return _page(context, 400)
    picks = _picks(form, plan)
    if not picks:
        flash(_("Tick the holidays the salon closes for."), "warning")
        return _page(context, 400)
    errors = public_holidays.check_picks(period, picks)
    if errors:
        for index, message in errors.items():
            form.lines.entries[index].day.errors = [message]
        return _page(context, 400)
    stamp = _stamp(period, picks)
    if form.confirmed.data != stamp:
        form.confirmed.data = stamp
        return _page(context, preview=public_holidays.preview(db.session, period, picks))
    try:
        created = public_holidays.import_closures(db.session, current_actor(), period, picks, current_language())
    except Refused as refused:
        flash(translate(refused.message), "danger")
        return _page(context, 400)
    if created:
        flash(ngettext("%(count)s closure created: the salon is closed on that day. You can undo this import below.",
                       "%(count)s closures created: the salon is closed on those days. You can undo this import below.",
                       len(created), count=numerals(len(created), current_language())), "success")
    else:
        flash(_("Nothing to create: a closure already covers every day you ticked."), "info")
    return redirect(url_for(".index", year=period.year, calendar=period.calendar))


@bp.route("/imports/<uuid:import_id>/undo", methods=["POST"])
def undo_import(import_id):
    back = url_for(".index", year=request.args.get("year"), calendar=request.args.get("calendar"))
    try:
        removed = holiday_imports.undo_import(db.session, current_actor(), str(import_id))
    except Refused as refused:
        flash(translate(refused.message), "warning")
        return redirect(back)
    flash(ngettext("Import undone: %(count)s closure removed. Bookings were not changed.",
                   "Import undone: %(count)s closures removed. Bookings were not changed.",
                   len(removed), count=numerals(len(removed), current_language())), "success")
    return redirect(back)
