"""Every form and query value is checked before any view reads it (security.md "Text
fields and query values never reach the database with a NUL byte").

One hook for every route, present and future: a NUL character or a value longer than
`MAX_VALUE_LENGTH`, in a query string, a form (names and values) or a text part of the
path, is a `BadInput` refusal — a 400 naming the value (JSON with `fields` under
`/api`), before any view, service or query sees it. It runs after the CSRF check, so a
forged request is still reported as one. The sign-in page answers it with its own form
and records the failed sign-in (`portal.auth.routes`).
"""
from __future__ import annotations

from flask import Flask, request

from portal.domain.input_bounds import BadInput, value_problem, visible
from portal.domain.translatable import Msg

NAME_SHOWN = 60  # characters of an offending name repeated on the page


FORM_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})  # the methods whose forms the views read


def refuse_bad_input() -> None:
    values = [*request.args.items(multi=True),
              *(request.form.items(multi=True) if request.method in FORM_METHODS else ()),
              *((name, value) for name, value in (request.view_args or {}).items() if isinstance(value, str))]
    for name, value in values:
        problem = value_problem(name) or value_problem(value)
        if problem:
            shown = visible(name, NAME_SHOWN)
            raise BadInput(message=Msg("“%(field)s”: %(problem)s", field=shown, problem=problem),
                           fields={shown: problem})


def register(app: Flask) -> None:
    app.before_request(refuse_bad_input)
