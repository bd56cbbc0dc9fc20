"""Closures, vacations and schedules: pages."""
from flask import Blueprint, render_template

from portal.auth.access import role_required

bp = Blueprint("schedules", __name__, url_prefix="/schedules")


@bp.route("/")
@role_required("admin")
def index():
    return render_template("schedules/index.html")
