"""`/api`: health now; the slots endpoint arrives with the availability engine."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from portal.extensions import csrf, db

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)


@bp.route("/health")
def health():
    db.session.execute(text("SELECT 1"))
    return jsonify({"status": "ok", "database": "ok"})
