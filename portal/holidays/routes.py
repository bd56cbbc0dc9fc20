"""Public holidays (admin): Nepal's holidays for a year, imported as business closures."""
from __future__ import annotations

import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext

from portal.auth.access import role_required
from portal.auth.identity import current_actor
from portal.domain.input_bounds import typed_integer
from portal.domain.public_holidays import FIRST_YEAR, LAST_YEAR
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.holidays.forms import HolidayImportForm
from portal.i18n import current_language
from portal.i18n.formatting import numerals
from portal.services import public_holidays

bp = Blueprint("holidays", __name__, url_prefix="/holidays")


def _today() -> date:
    return datetime.now(ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])).date()


def _year() -> int:
    year = typed_integer(request.args.get("year"))
    if year is None:
        year = _today().year
    return min(max(year, 1900), 9999)


def _picks(form: HolidayImportForm, plan: public_holidays.HolidayYear) -> list[public_holidays.Pick]:
    picks = []
    for line, entry in zip(plan.lines, form.lines.entries):
        if entry.chosen.data and line.covered_by is None:
            picks.append(public_holidays.Pick(line.index, entry.day.data or line.holiday.day))
    return picks


def _fresh_page(plan: public_holidays.HolidayYear, context: dict):
    form = HolidayImportForm(formdata=None)
    for line in plan.lines:
        form.lines.append_entry({"chosen": False, "day": line.holiday.day})
    return render_template("holidays/index.html", **{**context, "form": form})


def _stamp(year: int, picks: list[public_holidays.Pick]) -> str:
    text = f"{year}:" + ",".join(f"{p.index}={p.day.isoformat()}" for p in picks)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@bp.route("/", methods=["GET", "POST"])
@role_required("admin")
def index():
    year = _year()
    plan = public_holidays.year_plan(db.session, year, current_language())
    form = HolidayImportForm()
    if request.method == "GET":
        for line in plan.lines:
            form.lines.append_entry({"chosen": False, "day": line.holiday.day})
    context = dict(plan=plan, form=form, year=year, first_year=FIRST_YEAR, last_year=LAST_YEAR, today=_today())
    if request.method == "GET":
        return render_template("holidays/index.html", **context)
    if len(form.lines.entries) != len(plan.lines):  # not the form this page sent: start again
        flash(_("The list changed or the form was incomplete; tick the holidays again."), "warning")
        return _fresh_page(plan, context), 400
    if not form.validate():
        return render_template("holidays/index.html", **context), 400
    picks = _picks(form, plan)
    if not picks:
        flash(_("Tick the holidays the salon closes for."), "warning")
        return render_template("holidays/index.html", **context), 400
    errors = public_holidays.check_picks(year, picks)
    if errors:
        for index, message in errors.items():
            form.lines.entries[index].day.errors = [_(message)]
        return render_template("holidays/index.html", **context), 400
    stamp = _stamp(year, picks)
    if form.confirmed.data != stamp:
        form.confirmed.data = stamp
        preview = public_holidays.preview(db.session, year, picks)
        return render_template("holidays/index.html", preview=preview, **context)
    try:
        created = public_holidays.import_closures(db.session, current_actor(), year, picks)
    except Refused as refused:
        flash(_(refused.message), "danger")
        return render_template("holidays/index.html", **context), 400
    if created:
        flash(ngettext("%(count)s closure created: the salon is closed on that day.",
                       "%(count)s closures created: the salon is closed on those days.", len(created),
                       count=numerals(len(created), current_language())), "success")
    else:
        flash(_("Nothing to create: a closure already covers every day you ticked."), "info")
    return redirect(url_for(".index", year=year))
