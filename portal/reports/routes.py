"""Reports (admins and auditors, read-only): the page, and each table as a CSV download."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _

from portal import clock
from portal.auth.access import require_roles
from portal.auth.identity import current_actor
from portal.domain import reports as vocabulary
from portal.domain.refusals import Refused
from portal.domain.roles import ADMIN, AUDITOR
from portal.extensions import db
from portal.form_refusals import show_on_form
from portal.http_errors import error_response
from portal.i18n import current_language, translate
from portal.reports import charts, export
from portal.reports.forms import ReportForm
from portal.services import reports

bp = Blueprint("reports", __name__, url_prefix="/reports")
require_roles(bp, ADMIN, AUDITOR)


def _read_form():
    """The form bound to the query string, and the period and scope it asks for (None when it asks badly)."""
    zone = current_app.config["DEFAULT_TIMEZONE"]
    today = clock.now().astimezone(ZoneInfo(zone)).date()
    stylists, services = reports.choices(db.session)
    form = ReportForm(today, current_language(), stylists, services, formdata=request.args or None)
    if request.args and not form.validate():
        return form, None
    try:
        return form, (form.chosen_period(), form.narrowed_to())
    except Refused as refused:
        show_on_form(form, refused)
        return form, None


def _keep() -> dict[str, str]:
    return {name: value for name, value in request.args.items()
            if name in ("period", "bs_month", "month", "start", "end", "stylist", "service") and value}


@bp.route("/")
def index():
    form, asked = _read_form()
    if asked is None:
        return render_template("reports/index.html", form=form, report=None), 400
    period, narrow = asked
    report = reports.salon_report(db.session, period, current_app.config["DEFAULT_TIMEZONE"], **narrow)
    return render_template(
        "reports/index.html", form=form, report=report, keep=_keep(),
        source_groups=vocabulary.SOURCE_GROUP_LABELS, cancelled_by=vocabulary.CANCELLED_BY_LABELS,
        revenue=charts.revenue_chart(report.revenue_days), use=charts.utilisation_chart(report.utilisation),
        heat=charts.heat_chart(report.busy, report.busy_hours),
    )


@bp.route("/<any(summary, revenue, utilisation, busy_hours, services):table>.csv")
def download(table: str):
    form, asked = _read_form()
    if asked is None:
        problems = "; ".join(f"{form[name].label.text}: {' '.join(str(translate(e)) for e in errors)}"
                             for name, errors in form.errors.items())
        return error_response(400, _("The report's choices are not valid — %(problems)s", problems=problems))
    period, narrow = asked
    report = reports.export_report(db.session, current_actor(), table, period,
                                   current_app.config["DEFAULT_TIMEZONE"], **narrow)
    response = Response(export.csv_text(report, table), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename(report, table)}"'
    response.headers["Cache-Control"] = "no-store"
    return response
