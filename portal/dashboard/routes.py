"""Home pages by role (spec/ui.md) and the admins' Operations page.

- admin: the salon's day (who works, today's bookings, promotions waiting, closures
  ahead, stylists without hours) and an alert about the cache only when it needs action;
- stylist: their change budget, next days and upcoming changes;
- auditor: the audit log itself;
- Operations (admins): the availability cache's figures and charts.
"""
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

from portal import clock
from portal.auth.access import require_roles, role_required
from portal.bookings.followup_filters import by_stylist_and_day
from portal.dashboard.charts import hit_rate_chart
from portal.domain.roles import ADMIN, AUDITOR, CUSTOMER, STYLIST
from portal.extensions import db
from portal.models import StylistProfile
from portal.services.appointments import bookings, followup
from portal.services.messaging import message_figures
from portal.services.operations.cache_monitoring import cache_panel
from portal.services.scheduling.salon_day import salon_day
from portal.services.scheduling.stylist_overview import stylist_overview

bp = Blueprint("dashboard", __name__)
require_roles(bp, ADMIN)


def _today():
    return clock.now().astimezone(ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])).date()


def _panel():
    return cache_panel(db.session, current_app.extensions["slots"].store,
                       float(current_app.config["CACHE_HIT_RATE_ALERT"]), _today())


@bp.route("/")
@role_required(ADMIN, AUDITOR, STYLIST, CUSTOMER)
def index():
    if current_user.has_role(ADMIN):
        day = salon_day(db.session, current_user.id, current_app.config["DEFAULT_TIMEZONE"],
                        clock.now())
        alerts = [w for w in _panel().windows if w.alert]
        return render_template("dashboard/admin.html", day=day, alerts=alerts,
                               message_alerts=message_figures.alerts(db.session), **_bookings_home())
    if current_user.has_role(AUDITOR):
        return redirect(url_for("audit.index"))
    if current_user.has_role(STYLIST):
        profile = db.session.get(StylistProfile, current_user.id)
        if profile is not None and profile.is_active:
            return render_template("dashboard/stylist.html", profile=profile,
                                   page=stylist_overview(db.session, profile, history_rows=0), **_bookings_home())
    return render_template("dashboard/index.html", **_bookings_home())


def _bookings_home() -> dict:
    """The bookings parts of the home page (templates/bookings/_*.html)."""
    if current_user.has_role(ADMIN):
        hits = followup.followup_list(db.session, current_app.config["DEFAULT_TIMEZONE"])
        return {"followup_waiting": len(hits), "followup_groups": by_stylist_and_day(hits)}
    profile = db.session.get(StylistProfile, current_user.id) if current_user.has_role(STYLIST) else None
    if profile is not None:
        return {"agenda_days": bookings.agenda(db.session, profile), "agenda_stylist": profile,
                "agenda_zone": bookings.zone_name(profile)}
    return {}


@bp.route("/operations")
def operations():
    panel = _panel()
    return render_template("dashboard/operations.html", panel=panel,
                           charts=[(window, hit_rate_chart(window)) for window in panel.windows])
