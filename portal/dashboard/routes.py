"""The dashboard: what each role needs first."""
from flask import Blueprint, render_template

from portal.auth.access import role_required

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@role_required("admin", "auditor", "stylist", "customer")
def index():
    return render_template("dashboard/index.html")
