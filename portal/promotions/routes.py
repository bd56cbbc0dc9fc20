"""Stylist promotions: pages."""
from flask import Blueprint, render_template

from portal.auth.access import role_required

bp = Blueprint("promotions", __name__, url_prefix="/promotions")


@bp.route("/")
@role_required("admin")
def index():
    return render_template("promotions/index.html")
