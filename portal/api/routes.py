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


# PROVISIONAL (issue 3 owns the real endpoint; replaced at merge).
@bp.route("/bookings/available-slots", methods=["GET"])
def available_slots():
    import json as _json
    import uuid as _uuid
    from datetime import date as _date

    from flask import Response, request

    from portal.services import slot_cache
    from portal.services.availability import NotFound, answer

    args = request.args
    try:
        stylist_id = _uuid.UUID(args["stylistId"])
        service_id = _uuid.UUID(args["serviceId"])
        day = _date.fromisoformat(args["targetDate"])
    except (KeyError, ValueError):
        return jsonify({"error": "Invalid parameters", "code": "INVALID_PARAMETERS"}), 400
    zone = args.get("customerTimezone") or "Asia/Kathmandu"
    try:
        plan, hit, computed_at = slot_cache.slot_source(db.session, stylist_id, service_id, day)
    except NotFound as error:
        return jsonify({"error": error.message, "code": "NOT_FOUND"}), 404
    body = _json.dumps(answer(plan, day, slot_cache.clock(), zone))
    response = Response(body, mimetype="application/json")
    response.headers["X-Cache-Hit"] = response.headers["X-Cached"] = "true" if hit else "false"
    response.headers["X-Computed-At"] = computed_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return response
