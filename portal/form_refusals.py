"""Showing a service's refusal to the person who asked (views only)."""
from __future__ import annotations

from typing import Callable

from flask import abort, flash
from flask_wtf import FlaskForm

from portal.domain.refusals import NotFound, Refused
from portal.i18n import translate


def show_on_form(form: FlaskForm, refused: Refused) -> None:
    """Put each of the refusal's field errors next to its field; the rest is flashed.

    A field the form does not have (or a refusal without fields) is flashed as the
    refusal's message, so nothing the person needs to read is lost.
    """
    placed = False
    for name, message in refused.fields.items():
        field = form._fields.get(name)
        if field is None:
            continue
        message = translate(message)  # a message marked with N_ reads in the person's language
        field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        placed = True
    if not placed:
        flash(translate(refused.message), "danger")


def flash_outcome(call: Callable[[], object], done: str) -> None:
    """Run one use-case from a button: flash `done`, or the refusal's message; a missing
    target is a 404."""
    try:
        call()
    except NotFound:
        abort(404)
    except Refused as refused:
        flash(translate(refused.message), "danger")
    else:
        flash(done, "success")
