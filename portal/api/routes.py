"""`/api`: the public slots and days endpoints, health, and the OpenAPI document."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.api import rate_limit
from portal.api.openapi import openapi_document
from portal.api.slot_query import parse_days_query, parse_slot_query
from portal.extensions import csrf, db
from portal.slots import Answer, answer_day, answer_days

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)
bp.record_once(lambda state: rate_limit.init_app(state.app))
bp.before_request(rate_limit.check)

UTC = timezone.utc
NO_STORE = {
    "Cache-Control": "no-store, no-cache, must-revalidate, max-age=0",
    "Pragma": "no-cache",
    "Expires": "0",
}
DATABASE_RETRY_AFTER = 30


@bp.route("/bookings/available-slots", methods=["GET"])
@rate_limit.limited
def available_slots():
    query = parse_slot_query(request.args)  # InvalidQuery, NotFound: the app-wide 400/404 (portal/errors.py)
    return slot_response(answer_day(current_app.extensions["slots"], db.session, query))


@bp.route("/bookings/available-days", methods=["GET"])
@rate_limit.limited
def available_days():
    query = parse_days_query(request.args)
    return slot_response(answer_days(current_app.extensions["slots"], db.session, query))


def slot_response(answer: Answer):
    """The JSON answer with the no-store and cache headers of every 200 (slots-api.md
    "200 answer"), added in one call (setting them one by one scans the headers once per name)."""
    response = current_app.response_class(answer.body, mimetype=current_app.json.mimetype)
    flag = "true" if answer.hit else "false"
    response.headers.extend([*NO_STORE.items(), ("X-Cache-Hit", flag), ("X-Cached", flag),
                             ("X-Computed-At", iso_utc(answer.computed_at))])
    return response


@lru_cache(maxsize=4096)
def iso_utc(value: datetime) -> str:
    """ISO 8601 UTC with milliseconds and `Z`, e.g. `2030-01-07T03:15:00.123Z` (an entry's
    instant repeats on every hit)."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


@bp.route("/health")
def health():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.error("health check: database unreachable")
        try:
            db.session.rollback()
        except SQLAlchemyError:  # the connection may be what failed
            pass
        response = jsonify({"status": "unavailable", "database": "unreachable"})
        response.status_code = 503
        response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
        response.headers.update(NO_STORE)
        return response
    response = jsonify({"status": "ok", "database": "ok"})
    response.headers.update(NO_STORE)
    return response


@bp.route("/openapi.json")
def openapi():
    return jsonify(openapi_document())
