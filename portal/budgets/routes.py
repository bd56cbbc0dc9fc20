"""Override budgets: pages."""
from flask import Blueprint, render_template

from portal.auth.access import role_required

bp = Blueprint("budgets", __name__, url_prefix="/budgets")


@bp.route("/")
@role_required("admin")
def index():
    return render_template("budgets/index.html")


@bp.route("/mine")
@role_required("stylist")
def mine():
    return render_template("budgets/mine.html")
