"""Browser security headers on every response (security.md "Requests").

The pages load scripts and styles from the portal itself only (Bootstrap is served
from `static/`, no inline `<script>`, `<style>` or `style=`), so the policy needs
no `unsafe-inline`. `data:` images are allowed for Bootstrap's SVG icons in CSS.

Every answer but a static file is sent `Cache-Control: no-store` unless its view set
its own (the slots API does): the portal's pages show customers' phones and emails,
staff details and logs, which no browser history, shared computer or proxy cache may
keep (issue 22). Static files keep their own caching.
"""
from __future__ import annotations

from flask import Flask, Response, request

from portal.extensions import STATIC_ENDPOINTS

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        # one pass over the response's headers (setdefault would scan them per name)
        present = {name.lower() for name in response.headers.keys()}
        response.headers.extend([(name, value) for name, value in HEADERS.items() if name.lower() not in present])
        if "cache-control" not in present and request.endpoint not in STATIC_ENDPOINTS:
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure and "strict-transport-security" not in present:  # HTTPS, directly or via the trusted proxy
            response.headers.add("Strict-Transport-Security", HSTS)
        return response
