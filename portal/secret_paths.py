"""Paths that carry a secret: a password link (`/password/<token>`) and a customer's
booking link (`/b/<token>`). Whoever reads a log line with one could use it, so
every log line that would show such a path shows it redacted (security.md "Serving"):
gunicorn's access and error logs (gunicorn.conf.py), the portal's own log lines and
security events, and the README's proxy example, whose `map` uses the same prefixes.

No Flask here: gunicorn's master process imports this module for its logger.
"""
from __future__ import annotations

import logging
import re

# The first segment of each path whose next segment is a secret token. A new route
# with a `<token>` in its path belongs here (tests/security/test_access_log.py walks
# the url_map and fails otherwise).
SECRET_PATH_PREFIXES = ("/password/", "/b/")
REDACTED = "[redacted]"

# anywhere in a line (a request line, a Referer, a Location, a message): the token runs
# to the next '/', '?', '#', space or quote. Redacting a harmless look-alike costs nothing.
_SECRET = re.compile("(" + "|".join(re.escape(p) for p in SECRET_PATH_PREFIXES) + r")[^/?#\s\"']+")


def redact(text: str) -> str:
    """`text` with the token of every secret path replaced by `[redacted]`."""
    if not isinstance(text, str) or not any(p in text for p in SECRET_PATH_PREFIXES):
        return text
    return _SECRET.sub(lambda m: m.group(1) + REDACTED, text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts secret paths in the finished message (its
    arguments included): on gunicorn's access and error loggers."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
