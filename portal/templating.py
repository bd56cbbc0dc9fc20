"""Template globals: navigation by role, and the one set of date/time filters (`portal.presentation.formats`)."""
from __future__ import annotations

from dataclasses import dataclass
from flask import Flask, current_app
from flask_login import current_user

from portal.domain import audit_vocabulary, override_kinds, promotion, roles, schedule_changes
from portal.presentation import formats, schedule_text, user_agents


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    hint: str
    roles: frozenset[str]


NAVIGATION = (
    NavItem("people.index", N_("People"), N_("Accounts, roles, password links, two-step sign-in."),
            frozenset({"admin"})),
    NavItem("budgets.index", "Budgets", "How many dates each stylist may change.", frozenset({"admin"})),
    NavItem("audit.index", "Audit log", "Who changed what, and security events.", frozenset({"admin", "auditor"})),
    NavItem("dashboard.operations", "Operations", "How the booking site's cache is doing.", frozenset({"admin"})),
    NavItem("budgets.mine", "My availability", "Your hours, days off and changes left.", frozenset({"stylist"})),
    NavItem("account.index", "Your account", "Password and two-step sign-in.",
            frozenset({"admin", "auditor", "stylist", "customer"})),
)


def nav_items() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    roles = current_user.role_names
    return [
        item for item in NAVIGATION
        if item.roles & roles and item.endpoint in current_app.view_functions
    ]


def _in_salon_zone(formatter):
    """A formatter whose `zone` defaults to the salon's (DEFAULT_TIMEZONE) for instants."""
    def formatted(value, zone: str | None = None):
        return formatter(value, zone or current_app.config["DEFAULT_TIMEZONE"])
    formatted.__doc__ = formatter.__doc__
    return formatted


# The people's words for codes, as filters (each vocabulary lives in portal/domain).
WORDS = {
    "kind_label": override_kinds.label, "kind_noun": override_kinds.noun,
    "change_label": schedule_changes.change_label,
    "day_hours": schedule_text.day_hours, "day_reason": schedule_text.day_reason,
    "status_label": promotion.status_label, "check_value": promotion.check_value_label,
    "timeline_label": promotion.timeline_label,
    "action_label": audit_vocabulary.action_label, "target_label": audit_vocabulary.target_label,
    "category_label": audit_vocabulary.category_label, "severity_label": audit_vocabulary.severity_label,
    "role_label": roles.role_label, "browser": user_agents.browser_summary,
}


def register(app: Flask) -> None:
    app.jinja_env.filters.update(formats.FILTERS)
    for name in ("date", "time", "datetime"):  # instants default to the salon's zone
        app.jinja_env.filters[name] = _in_salon_zone(formats.FILTERS[name])
    app.jinja_env.filters.update(WORDS)
    app.jinja_env.globals["precedence"] = schedule_changes.precedence_text()
    # Browsers ask for /favicon.ico whatever the page links; answer it from static/.
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"))

    @app.context_processor
    def inject_navigation():
        return {"nav_items": nav_items()}
