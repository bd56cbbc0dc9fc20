"""`/api`: the public slots and days endpoints (their query strings, slots-api.md "Request"
and "The days endpoint"; their answers), health, and the OpenAPI document.

A hit of either endpoint walks this module (parse, then the response), the slots
façade (`portal.slots`), its store and `slots.memo`: docs/architecture.md "The slots package"."""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Mapping

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.api import rate_limit
from portal.api.openapi import openapi_document
from portal.domain.refusals import Refused
from portal.extensions import csrf, db
from portal.slots import Answer, DaysQuery, SlotQuery, answer_day, answer_days
from portal.zones import known_zones

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


# --- the query strings ----------------------------------------------------------------

DEFAULT_CUSTOMER_TIMEZONE = "Asia/Kathmandu"
REQUIRED = ("stylistId", "serviceId", "targetDate")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


class InvalidQuery(Refused):
    """One or more parameters are missing or malformed; `fields` maps name → problem
    (the app-wide handler answers the JSON 400 of slots-api.md "Errors")."""

    default_code = "INVALID_PARAMETERS"


def parse_slot_query(args: Mapping[str, str]) -> SlotQuery:
    """Return the validated query, or raise :class:`InvalidQuery` naming every bad field."""
    missing = {name: "required" for name in REQUIRED if not (args.get(name) or "").strip()}
    if missing:
        raise InvalidQuery(message="Missing required parameters", fields=missing)

    problems: dict[str, str] = {}
    stylist_id = _uuid(args["stylistId"], "stylistId", problems)
    service_id = _uuid(args["serviceId"], "serviceId", problems)
    target_date = _date(args["targetDate"], problems)
    zone = (args.get("customerTimezone") or "").strip() or DEFAULT_CUSTOMER_TIMEZONE
    if zone not in known_zones():
        problems["customerTimezone"] = "must be an IANA time zone name, e.g. Asia/Kathmandu"
    if problems:
        raise InvalidQuery(message="Invalid parameters", fields=problems)
    assert stylist_id and service_id and target_date
    return SlotQuery(stylist_id, service_id, target_date, zone)


DAYS_REQUIRED = ("stylistId", "serviceId", "from", "to")
MAX_DAYS = 31


def parse_days_query(args: Mapping[str, str]) -> DaysQuery:
    """The days endpoint's query (slots-api.md "The days endpoint"), or InvalidQuery."""
    missing = {name: "required" for name in DAYS_REQUIRED if not (args.get(name) or "").strip()}
    if missing:
        raise InvalidQuery(message="Missing required parameters", fields=missing)
    problems: dict[str, str] = {}
    stylist_id = _uuid(args["stylistId"], "stylistId", problems)
    service_id = _uuid(args["serviceId"], "serviceId", problems)
    first = _date(args["from"], problems, "from")
    last = _date(args["to"], problems, "to")
    zone = (args.get("customerTimezone") or "").strip() or DEFAULT_CUSTOMER_TIMEZONE
    if zone not in known_zones():
        problems["customerTimezone"] = "must be an IANA time zone name, e.g. Asia/Kathmandu"
    if first and last and last < first:
        problems["to"] = "must not be before from"
    elif first and last and (last - first).days + 1 > MAX_DAYS:
        problems["to"] = f"at most {MAX_DAYS} days from from"
    if problems:
        raise InvalidQuery(message="Invalid parameters", fields=problems)
    assert stylist_id and service_id and first and last
    return DaysQuery(stylist_id, service_id, first, last, zone)


def _uuid(value: str, name: str, problems: dict[str, str]) -> uuid.UUID | None:
    value = value.strip()
    if not _UUID_RE.fullmatch(value):
        problems[name] = "must be a UUID, e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6"
        return None
    return uuid.UUID(value)


def _date(value: str, problems: dict[str, str], name: str = "targetDate") -> date | None:
    value = value.strip()
    if not _DATE_RE.fullmatch(value):
        problems[name] = "must be a date as YYYY-MM-DD"
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems[name] = "must be a real calendar date (YYYY-MM-DD)"
        return None
