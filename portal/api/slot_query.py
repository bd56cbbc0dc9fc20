"""Parsing and validating the slots and days endpoints' query strings (slots-api.md "Request",
"The days endpoint")."""
from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Mapping

from portal.domain.refusals import Refused
from portal.slots import DaysQuery, SlotQuery
from portal.zones import is_time_zone

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
    if not is_time_zone(zone):
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
    if not is_time_zone(zone):
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
