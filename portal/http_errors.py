"""One error answer for every layer that needs one: a JSON body under `/api`, the
portal's error page elsewhere (depends on Flask and the translations only, so views,
the rate limiter and the app-wide handlers in `portal/errors.py` all call it)."""
from __future__ import annotations

from flask import jsonify, make_response, render_template, request

from portal.domain.translatable import N_
from portal.i18n import translate

API_CODES = {
    400: "INVALID_PARAMETERS", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED", 429: "RATE_LIMITED", 500: "INTERNAL_ERROR", 503: "UNAVAILABLE",
}
TITLES = {
    400: N_("Bad request"), 403: N_("Not allowed"), 404: N_("Page not found"), 405: N_("Method not allowed"),
    429: N_("Too many requests"), 500: N_("Something went wrong"), 503: N_("Temporarily unavailable"),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def error_response(status: int, message: str, *, retry_after: int | None = None, **extra):
    if wants_json():
        body = {"error": message, "code": API_CODES.get(status, "ERROR"), **extra}
        response = jsonify(body)
    else:
        response = render_template(
            "errors/error.html", status=status, title=translate(TITLES.get(status, N_("Error"))),
            message=translate(message),
        )
        response = make_response(response)
    response.status_code = status
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response
