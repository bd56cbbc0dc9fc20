"""The one refusal family every service raises (pure: no Flask, no session).

A refusal means "nothing was changed, and here is why in the person's words":

- `code`: a stable machine code (`BUDGET_EXHAUSTED`, `STALE`, `NOT_FOUND`, ...) for
  logs, tests and JSON — never shown on a page;
- `message`: the sentence a person reads;
- `fields`: form field name → message, for errors that belong next to a field;
- `details`: anything else a caller or a log row may want (never shown raw).

Views put a refusal on their form with `portal.form_refusals.show_on_form`; a
`NotFound` becomes a 404 page, a `Stale` asks the person to reload.
"""
from __future__ import annotations

from typing import Any, Mapping

STALE = "STALE"
NOT_FOUND = "NOT_FOUND"


class Refused(Exception):
    """A use-case refused; the transaction was rolled back and nothing changed."""

    default_code = "REFUSED"
    default_message = "That could not be done."

    def __init__(self, code: str | None = None, message: str | None = None,
                 fields: Mapping[str, str] | None = None, details: Mapping[str, Any] | None = None):
        self.code = code or self.default_code
        self.message = message or self.default_message
        self.fields = dict(fields or {})
        self.details = dict(details or {})
        super().__init__(f"{self.code}: {self.message}")

    @classmethod
    def on_field(cls, field: str, message: str, code: str = "INVALID") -> Refused:
        """A refusal about one form field (the message shows next to it)."""
        return cls(code, message, {field: message})

    @classmethod
    def on_fields(cls, errors: Mapping[str, str], code: str = "INVALID") -> Refused:
        """A refusal about several form fields (field name → message)."""
        return cls(code, " ".join(errors.values()) or None, errors)


class NotFound(Refused):
    """The row the use-case was asked about does not exist (a 404 for views)."""

    default_code = NOT_FOUND
    default_message = "That item no longer exists."


class Stale(Refused):
    """Someone else changed the row first (optimistic concurrency lost)."""

    default_code = STALE
    default_message = "Someone else changed this first. Reload the page and try again."
