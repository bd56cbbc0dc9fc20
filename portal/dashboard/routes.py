"""The dashboard: what each role needs first; for admins, the cache and the salon at a glance."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from portal.auth.access import role_required
from portal.extensions import db
from portal.models import StylistProfile
from portal.services import bookings, followup
from portal.services.cache_monitoring import cache_panel

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@role_required("admin", "auditor", "stylist", "customer")
def index():
    panel = None
    if current_user.has_role("admin"):
        today = datetime.now(timezone.utc).astimezone(ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])).date()
        panel = cache_panel(db.session, db.engine, float(current_app.config["CACHE_HIT_RATE_ALERT"]), today)
    return render_template("dashboard/index.html", panel=panel, **_bookings_home())


def _bookings_home() -> dict:
    """The bookings parts of the home page (templates/bookings/_*.html)."""
    if current_user.has_role("admin"):
        return {"followup_waiting": followup.followup_count(db.session, current_app.config["DEFAULT_TIMEZONE"])}
    profile = db.session.get(StylistProfile, current_user.id) if current_user.has_role("stylist") else None
    if profile is not None:
        return {"agenda_days": bookings.agenda(db.session, profile), "agenda_stylist": profile,
                "agenda_zone": bookings.zone_name(profile)}
    return {}
