"""Error pages in the portal's style; JSON bodies under `/api`; never a traceback."""
from __future__ import annotations

import logging

from flask import Flask, current_app, g, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.exceptions import NotFound as NoSuchRoute
from werkzeug.routing import RequestRedirect

from portal.auth.identity import current_actor
from portal.domain.refusals import NotFound, Refused, Stale
from portal.domain.translatable import N_
from portal.extensions import STATIC_ENDPOINTS, db, login_manager
from portal.http_errors import TITLES, error_response, wants_json
from portal.secret_paths import redact
from portal.services.audit.security import record_sampled_security_event

logger = logging.getLogger(__name__)

# What a page says when the error carries only Werkzeug's generic (English) description.
PAGE_MESSAGES = {
    400: N_("The request could not be understood. Go back and try again."),
    404: N_("There is nothing at this address. It may have been removed; use the menu to find your way."),
    405: N_("This address cannot be used that way."),
}


def refuse_early():
    """First of all before-request hooks, so neither CSRF nor the limiter runs first:

    - a body announced larger than `MAX_CONTENT_LENGTH` is refused (413) before any of
      it is read, on every path (a body without a length is cut off by Werkzeug when read);
    - under `/api` a URL the router would redirect (a doubled or missing slash) is a
      JSON 404, never a 308: the public site's contract has no redirects.
    """
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()
    if wants_json() and isinstance(request.routing_exception, RequestRedirect):
        request.routing_exception = NoSuchRoute()


NO_DATABASE_ENDPOINTS = STATIC_ENDPOINTS | {"api.openapi"}
# the database unreachable, or every pooled connection busy past DATABASE_POOL_TIMEOUT_SECONDS
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)


def require_database():
    """Portal pages answer 503 while the database is unreachable, also for a visitor
    who is not signed in (whose page would otherwise not touch it): the connection
    the request would use anyway is taken now (`pool_pre_ping` proves it alive).
    `/api` is left to its views (the slots hit path has its own connection)."""
    if request.endpoint in NO_DATABASE_ENDPOINTS or request.endpoint is None or wants_json():
        return
    db.session.connection()


def register(app: Flask) -> None:
    # refuse_early first, then require_database: before CSRF's check (whose failure
    # loads the signed-in user) and every hook that reads the user or the database
    app.before_request_funcs.setdefault(None, [])[0:0] = [refuse_early, require_database]

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        try:
            actor = current_actor()  # loads the signed-in user
        except DATABASE_DOWN as down:
            return database_down(down)
        _discard_session()  # give back the request's connection before the event takes one
        record_sampled_security_event(actor, "csrf_failure", path=redact(request.path), reason=error.description)
        return error_response(400, N_("The form expired or was not sent from this site. Please try again."))

    @app.errorhandler(403)
    def forbidden(error):
        try:
            actor = current_actor()
        except DATABASE_DOWN as down:
            return database_down(down)
        _discard_session()  # give back the request's connection before the event takes one
        record_sampled_security_event(actor, "access_denied", path=redact(request.path), method=request.method)
        return error_response(403, N_("You do not have access to this page."))

    @app.errorhandler(429)
    def too_many(error):
        if getattr(error, "response", None) is not None:  # an on_breach callback's answer
            return error.response
        retry = _retry_after(error)
        return error_response(429, N_("Too many requests. Please wait and try again."), retry_after=retry)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        message = error.description or TITLES.get(error.code or 500, "Error")
        if not wants_json() and error.description == type(error).description:
            message = PAGE_MESSAGES.get(error.code or 500, TITLES.get(error.code or 500, N_("Error")))
        if error.code == 405 and wants_json():
            message = "Method not allowed"
        if error.code == 413:
            message = N_("The request is too large.")
        response = error_response(error.code or 500, message)
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Refused)
    def refused(error: Refused):
        """The one way a refusal no view handled reaches the person: a missing row is a
        404 page, a lost race a 409, anything else a 400 — each with its message."""
        status = 404 if isinstance(error, NotFound) else 409 if isinstance(error, Stale) else 400
        return error_response(status, error.message, **({"fields": error.fields} if error.fields else {}))

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_down(error):
        logger.error("database unavailable: %s", error)
        _discard_session()
        _forget_user()
        return error_response(503, N_("The service is temporarily unavailable."), retry_after=30)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        logger.exception("unhandled error on %s", redact(request.path))
        _discard_session()
        return error_response(500, N_("Something went wrong on our side. It has been logged."))


def _retry_after(error) -> int:
    limit = getattr(error, "limit", None)
    if limit is not None:
        try:
            return max(1, int(limit.limit.get_expiry()))
        except Exception:  # pragma: no cover - defensive: limiter internals differ
            return 60
    return 60


def _forget_user() -> None:
    """The error page is drawn for an anonymous visitor: loading the signed-in user
    would need the database that just failed (and fail again inside the handler)."""
    g._login_user = login_manager.anonymous_user()


def _discard_session() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection may be the thing that failed
        logger.debug("rollback after failure also failed", exc_info=True)
