"""The one refusal family every service raises (pure: no Flask, no session).

A refusal means "nothing was changed, and here is why in the person's words":

- `code`: a stable machine code (`BUDGET_EXHAUSTED`, `STALE`, `NOT_FOUND`, ...) for
  logs, tests and JSON — never shown on a page;
- `message`: the sentence a person reads;
- `fields`: the form fields (or query parameters) the refusal is about: a sequence
  of names, each shown next to its field with `message`, or a mapping name → its
  own message when several fields are wrong at once. Read back as a dict (name →
  message): `"start" in refused.fields`, `refused.fields["start"]`;
- `details`: anything else a caller or a log row may want (never shown raw).

Views put a refusal on their form with `portal.form_refusals.show_on_form`; a
`NotFound` becomes a 404 page, a `Stale` asks the person to reload.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

STALE = "STALE"
NOT_FOUND = "NOT_FOUND"
INVALID = "INVALID"  # a form or query value is wrong (its fields say which)


class Refused(Exception):
    """A use-case refused; the transaction was rolled back and nothing changed."""

    default_code = "REFUSED"
    default_message = "That could not be done."

    def __init__(self, code: str | None = None, message: str | None = None,
                 fields: Mapping[str, str] | Iterable[str] | None = None,
                 details: Mapping[str, Any] | None = None):
        self.code = code or self.default_code
        if isinstance(fields, str):
            fields = (fields,)  # one name, not its letters
        if fields is not None and not isinstance(fields, Mapping):
            fields = dict.fromkeys(fields, message or self.default_message)
        self.fields: dict[str, str] = dict(fields or {})
        self.message = message or " ".join(self.fields.values()) or self.default_message
        self.details = dict(details or {})
        super().__init__(f"{self.code}: {self.message}")


class NotFound(Refused):
    """The row the use-case was asked about does not exist (a 404 for views)."""

    default_code = NOT_FOUND
    default_message = "That item no longer exists."


class Stale(Refused):
    """Someone else changed the row first (optimistic concurrency lost)."""

    default_code = STALE
    default_message = "Someone else changed this first. Reload the page and try again."
