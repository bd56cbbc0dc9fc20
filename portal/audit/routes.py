"""Audit log: pages."""
from flask import Blueprint, render_template

from portal.auth.access import role_required

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@role_required("admin", "auditor")
def index():
    return render_template("audit/index.html")
