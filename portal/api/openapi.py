"""The OpenAPI 3.1 document served at `/api/openapi.json` (slots-api.md's contract)."""
from __future__ import annotations

from copy import deepcopy
from typing import Any

UUID_EXAMPLE = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


def _error(code: str, *, with_fields: bool = False) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "error": {"type": "string", "description": "A message for people."},
        "code": {"type": "string", "const": code},
    }
    if with_fields:
        properties["fields"] = {
            "type": "object", "additionalProperties": {"type": "string"},
            "description": "Parameter name → what is wrong with it.",
        }
    return {"type": "object", "required": ["error", "code"], "properties": properties}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


_HEADER = {"schema": {"type": "string"}}
NO_STORE_HEADERS = {
    "Cache-Control": {"description": "`no-store, no-cache, must-revalidate, max-age=0`", **_HEADER},
    "Pragma": {"description": "`no-cache`", **_HEADER},
    "Expires": {"description": "`0`", **_HEADER},
}
RETRY_AFTER = {"Retry-After": {
    "description": "Seconds to wait before trying again.", "required": True,
    "schema": {"type": "string", "pattern": "^[0-9]+$"},
}}

CACHE_HEADERS = {
    **NO_STORE_HEADERS,
    "X-Cache-Hit": {
        "description": "Whether the slot data came from the cache.",
        "required": True, "schema": {"type": "string", "enum": ["true", "false"]},
    },
    "X-Cached": {
        "description": "Same as X-Cache-Hit (older clients).",
        "required": True, "schema": {"type": "string", "enum": ["true", "false"]},
    },
    "X-Computed-At": {
        "description": "When the slot data was computed (ISO 8601, UTC).",
        "required": True, "schema": {"type": "string", "format": "date-time"},
    },
}
ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "404": {"$ref": "#/components/responses/NotFound"},
    "429": {"$ref": "#/components/responses/RateLimited"},
    "503": {"$ref": "#/components/responses/Unavailable"},
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "KB Stylish service engine — public API",
        "version": "1.0.0",
        "description": (
            "Slots for the public booking site, and the service's health. Errors are JSON "
            "`{\"error\", \"code\"}`, never a traceback. Any method other than GET, HEAD or "
            "OPTIONS answers 405 `METHOD_NOT_ALLOWED` with an `Allow` header "
            "(components.responses.MethodNotAllowed)."
        ),
    },
    "paths": {
        "/api/bookings/available-slots": {
            "get": {
                "operationId": "availableSlots",
                "summary": "A stylist's slots for one service on one date",
                "description": (
                    "Slots of `targetDate` (in the stylist's zone), ascending, rendered in "
                    "`customerTimezone`. An empty array means no slots. Rate limited per "
                    "client IP (`SLOTS_RATE_LIMIT`, default 10 per 10 seconds, moving window)."
                ),
                "parameters": [
                    {"name": "stylistId", "in": "query", "required": True,
                     "schema": {"type": "string", "format": "uuid"}, "example": UUID_EXAMPLE},
                    {"name": "serviceId", "in": "query", "required": True,
                     "schema": {"type": "string", "format": "uuid"}, "example": UUID_EXAMPLE},
                    {"name": "targetDate", "in": "query", "required": True,
                     "schema": {"type": "string", "format": "date"}, "example": "2030-01-07"},
                    {"name": "customerTimezone", "in": "query", "required": False,
                     "description": "An IANA zone name; default `Asia/Kathmandu`.",
                     "schema": {"type": "string", "default": "Asia/Kathmandu"},
                     "example": "Asia/Kathmandu"},
                ],
                "responses": {
                    "200": {
                        "description": "The slots (possibly none; none for a date outside the bookable range).",
                        "headers": CACHE_HEADERS,
                        "content": _json({"type": "array", "items": {"$ref": "#/components/schemas/Slot"}}),
                    },
                    **ERRORS,
                },
            },
        },
        "/api/bookings/available-days": {
            "get": {
                "operationId": "availableDays",
                "summary": "Which dates of a range have openings (a date picker)",
                "description": (
                    "One object per date from `from` to `to` (the stylist's calendar dates, at most "
                    "31), ascending. `availableSlots` is the number of `isAvailable` slots the "
                    "slots endpoint would return for that date now. Same headers, errors, rate "
                    "limit and cache as the slots endpoint; `X-Cache-Hit` is `true` only when "
                    "every date came from the cache."
                ),
                "parameters": [
                    {"name": "stylistId", "in": "query", "required": True,
                     "schema": {"type": "string", "format": "uuid"}, "example": UUID_EXAMPLE},
                    {"name": "serviceId", "in": "query", "required": True,
                     "schema": {"type": "string", "format": "uuid"}, "example": UUID_EXAMPLE},
                    {"name": "from", "in": "query", "required": True,
                     "schema": {"type": "string", "format": "date"}, "example": "2030-01-07"},
                    {"name": "to", "in": "query", "required": True,
                     "description": "Not before `from`, at most 30 days after it.",
                     "schema": {"type": "string", "format": "date"}, "example": "2030-01-20"},
                    {"name": "customerTimezone", "in": "query", "required": False,
                     "description": "An IANA zone name for `firstAvailableLocal`; default `Asia/Kathmandu`.",
                     "schema": {"type": "string", "default": "Asia/Kathmandu"},
                     "example": "Asia/Kathmandu"},
                ],
                "responses": {
                    "200": {
                        "description": "One entry per date.",
                        "headers": CACHE_HEADERS,
                        "content": _json({"type": "array", "items": {"$ref": "#/components/schemas/Day"}}),
                    },
                    **ERRORS,
                },
            },
        },
        "/api/health": {
            "get": {
                "operationId": "health",
                "summary": "Liveness and database reachability",
                "responses": {
                    "200": {"description": "Up.", "content": _json({
                        "type": "object", "required": ["status", "database"],
                        "properties": {"status": {"const": "ok"}, "database": {"const": "ok"}},
                    })},
                    "503": {"description": "The database cannot be reached.", "headers": RETRY_AFTER,
                            "content": _json({
                                "type": "object", "required": ["status", "database"],
                                "properties": {"status": {"const": "unavailable"},
                                               "database": {"const": "unreachable"}},
                            })},
                },
            },
        },
        "/api/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1", "content": _json({"type": "object"})}},
            },
        },
    },
    "components": {
        "schemas": {
            "Slot": {
                "type": "object",
                "additionalProperties": False,
                "required": ["slotStartUtc", "slotEndUtc", "slotStartLocal", "slotEndLocal",
                             "slotDisplay", "status", "isAvailable", "priceCents"],
                "properties": {
                    "slotStartUtc": {"type": "string", "format": "date-time",
                                     "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$",
                                     "example": "2030-01-07T03:15:00Z"},
                    "slotEndUtc": {"type": "string", "format": "date-time",
                                   "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$",
                                   "example": "2030-01-07T04:15:00Z"},
                    "slotStartLocal": {"type": "string", "format": "date-time",
                                       "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}$",
                                       "example": "2030-01-07T09:00:00+05:45"},
                    "slotEndLocal": {"type": "string", "format": "date-time",
                                     "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}$",
                                     "example": "2030-01-07T10:00:00+05:45"},
                    "slotDisplay": {"type": "string", "pattern": "^(0[1-9]|1[0-2]):[0-5]\\d (AM|PM)$",
                                    "example": "09:00 AM"},
                    "status": {"type": "string", "enum": ["available", "booked", "reserved"]},
                    "isAvailable": {"type": "boolean"},
                    "priceCents": {"type": "integer", "minimum": 0, "example": 150000},
                },
            },
            "Day": {
                "type": "object",
                "additionalProperties": False,
                "required": ["date", "availableSlots", "firstAvailableUtc", "firstAvailableLocal"],
                "properties": {
                    "date": {"type": "string", "format": "date", "example": "2030-01-07"},
                    "availableSlots": {"type": "integer", "minimum": 0, "example": 12},
                    "firstAvailableUtc": {"type": ["string", "null"], "format": "date-time",
                                          "example": "2030-01-07T03:15:00Z"},
                    "firstAvailableLocal": {"type": ["string", "null"], "format": "date-time",
                                            "example": "2030-01-07T09:00:00+05:45"},
                },
            },
            "Error": _error("ERROR"),
        },
        "responses": {
            "BadRequest": {
                "description": "A required parameter is missing (`Missing required parameters`), "
                               "or one is not a UUID, not a real date, or not an IANA zone.",
                "content": _json(_error("INVALID_PARAMETERS", with_fields=True)),
            },
            "NotFound": {
                "description": "No stylist or no service with that id.",
                "content": _json(_error("NOT_FOUND", with_fields=True)),
            },
            "MethodNotAllowed": {
                "description": "Any method but GET, HEAD, OPTIONS.",
                "headers": {"Allow": {"schema": {"type": "string"}}},
                "content": _json(_error("METHOD_NOT_ALLOWED")),
            },
            "RateLimited": {
                "description": "Over the per-client limit.",
                "headers": RETRY_AFTER,
                "content": _json(_error("RATE_LIMITED")),
            },
            "Unavailable": {
                "description": "The database cannot be reached.",
                "headers": RETRY_AFTER,
                "content": _json(_error("UNAVAILABLE")),
            },
        },
    },
}
# `Error` in general: any code.
DOCUMENT["components"]["schemas"]["Error"]["properties"]["code"] = {"type": "string"}


def openapi_document() -> dict[str, Any]:
    return deepcopy(DOCUMENT)
