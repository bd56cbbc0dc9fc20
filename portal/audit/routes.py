"""Audit log: the viewer and its CSV export (admins and auditors, by category)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask import Blueprint, Response, current_app, render_template, request, stream_with_context
from flask_login import current_user

from portal.audit import presentation
from portal.audit.export import csv_chunks, export_filename
from portal.audit.forms import CATEGORY_LABELS, PER_PAGE_DEFAULT, SEVERITY_LABELS, LogFilterForm
from portal.auth.access import require_roles
from portal.auth.identity import current_actor
from portal.domain.roles import ADMIN, AUDITOR
from portal.extensions import db
from portal.http_errors import error_response
from portal.services.audit import audit_log
from portal.services.audit.audit_log import Cursor, LogFilter

bp = Blueprint("audit", __name__, url_prefix="/audit")
require_roles(bp, ADMIN, AUDITOR)


def _read_filters() -> tuple[LogFilterForm, LogFilter | None, dict[str, str]]:
    """The form bound to the query string, the filter it describes (None when invalid),
    and the query-string arguments to carry into links."""
    allowed = audit_log.visible_categories(current_user.role_names)
    form = LogFilterForm(allowed, formdata=request.args)
    if not form.validate():
        return form, None, {}
    wanted = LogFilter(
        categories=(form.category.data,) if form.category.data else (),
        severity=form.severity.data or None, action=form.action.data or None, actor=form.actor.data or None,
        about=form.about.data or None,
        date_from=form.date_from.data, date_to=form.date_to.data, zone=current_app.config["DEFAULT_TIMEZONE"],
    )
    keep = {name: request.args[name] for name in ("category", "severity", "action", "actor", "about", "date_from",
                                                   "date_to", "per_page") if request.args.get(name)}
    return form, wanted, keep


def _cursor(name: str) -> Cursor | None:
    value = request.args.get(name)
    return Cursor.parse(value) if value else None


@bp.route("/")
def index():
    form, wanted, keep = _read_filters()
    try:
        before, after, until = _cursor("before"), _cursor("after"), _cursor("until")
    except ValueError:
        form.form_errors.append(_("The page position in the address is not valid; start from the first page."))
        wanted = None
    if wanted is None:
        form.offer_actions([])
        return render_template("audit/index.html", form=form, page=None, keep={}, actions=[], present=presentation,
                               audit_categories=CATEGORY_LABELS, audit_severities=SEVERITY_LABELS), 400
    page, actions = audit_log.view_log(
        db.session, current_actor(), current_user.role_names, wanted,
        per_page=form.per_page.data or PER_PAGE_DEFAULT, before=before, after=after, until=until,
    )
    form.offer_actions(actions)
    return render_template("audit/index.html", form=form, page=page, keep=keep, actions=actions, present=presentation,
                           audit_categories=CATEGORY_LABELS, audit_severities=SEVERITY_LABELS)


@bp.route("/export.csv")
def export():
    form, wanted, _keep = _read_filters()
    if wanted is None:
        problems = "; ".join(f"{form[name].label.text}: {' '.join(str(e) for e in errors)}"
                             for name, errors in form.errors.items())
        return error_response(400, _("The export filters are not valid — %(problems)s", problems=problems))
    rows = audit_log.export_log(db.session, current_actor(), current_user.role_names, wanted)
    response = Response(stream_with_context(csv_chunks(rows, wanted.zone)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{export_filename(wanted.zone)}"'
    response.headers["Cache-Control"] = "no-store"
    return response
