"""The one gate every portal page goes through: `require_roles(blueprint, ...)` for a whole
blueprint, `role_required(...)` for a view whose roles differ from its blueprint's.

Anonymous → sign-in page (with `next`); signed in without a role → 403 (the error
handler writes the security event). Each view carries the roles it admits as
`required_roles` (the route-access tests read them from `app.url_map`).
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Blueprint, Flask, abort, current_app, request
from flask_login import current_user, login_required
from flask_login.config import EXEMPT_METHODS


@login_required
def _signed_in() -> None:
    """None for a signed-in user; Flask-Login's answer (the sign-in page) otherwise."""
    return None


def _refusal(roles: frozenset[str]):
    """None when the user may pass; the sign-in redirect, or a 403, otherwise."""
    answer = _signed_in()
    if answer is not None:
        return answer
    if not current_user.has_role(*roles):
        abort(403)
    return None


def role_required(*roles: str) -> Callable:
    """One view's roles (where they differ from its blueprint's gate)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            answer = _refusal(wrapped.required_roles)
            return answer if answer is not None else view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)
        return wrapped

    return decorator


def require_roles(blueprint: Blueprint, *roles: str) -> None:
    """Every view of `blueprint` admits only `roles`, unless it has its own `role_required`.

    The check runs as the blueprint's first `before_request` hook (after the app's own
    hooks: input checks, CSRF, two-step enrolment), with the answers `role_required` gives."""
    gate = frozenset(roles)
    blueprint.required_roles = gate

    def check_roles():
        if request.method in EXEMPT_METHODS:  # OPTIONS: Flask answers it without the view
            return None
        view = current_app.view_functions.get(request.endpoint)
        return _refusal(getattr(view, "required_roles", gate))

    blueprint.before_request_funcs.setdefault(None, []).insert(0, check_roles)


def label_gated_views(app: Flask) -> None:
    """After the blueprints are registered: each view of a gated blueprint carries its
    roles as `required_roles`, like a `role_required` view."""
    for endpoint, view in app.view_functions.items():
        blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
        gate = getattr(blueprint, "required_roles", None)
        if gate is not None and not hasattr(view, "required_roles"):
            view.required_roles = gate
