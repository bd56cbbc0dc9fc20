"""Template globals: navigation by role, and the one set of date/time filters (`portal.presentation.formats`)."""
from __future__ import annotations

from dataclasses import dataclass
from flask import Flask, current_app
from flask_login import current_user

from portal.domain import audit_vocabulary, promotion, roles, schedule_changes
from portal.presentation import formats, schedule_text, user_agents


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    hint: str
    roles: frozenset[str]


NAVIGATION = (
    NavItem("promotions.index", "Promotions", "Vet customers who become stylists.", frozenset({"admin"})),
    NavItem("schedules.index", "Schedules", "Closures, vacations, seasonal hours, events.", frozenset({"admin"})),
    NavItem("budgets.index", "Budgets", "How many dates each stylist may change.", frozenset({"admin"})),
    NavItem("audit.index", "Audit log", "Who changed what, and security events.", frozenset({"admin", "auditor"})),
    NavItem("dashboard.operations", "Operations", "How the booking site's cache is doing.", frozenset({"admin"})),
    NavItem("budgets.mine", "My availability", "Your hours, days off and changes left.", frozenset({"stylist"})),
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


def register(app: Flask) -> None:
    for name, formatter in formats.FILTERS.items():
        app.jinja_env.filters[name] = formatter
    for name in ("date", "time", "datetime"):
        app.jinja_env.filters[name] = _in_salon_zone(formats.FILTERS[name])
    app.jinja_env.filters["iso_date"] = formats.iso_date
    app.jinja_env.filters["hhmm"] = formats.hhmm
    # the people's words for codes (each vocabulary lives in portal/domain)
    app.jinja_env.filters.update({
        "day_hours": schedule_text.day_hours, "day_reason": schedule_text.day_reason,
        "kind_label": schedule_changes.kind_label, "kind_noun": schedule_changes.kind_noun, "change_label": schedule_changes.change_label,
        "status_label": promotion.status_label, "check_value": lambda v: promotion.CHECK_VALUE_LABELS.get(v, v),
        "timeline_label": lambda a: promotion.TIMELINE_LABELS.get(a, "Note"),
        "action_label": audit_vocabulary.action_label, "target_label": audit_vocabulary.target_label,
        "category_label": lambda c: audit_vocabulary.CATEGORY_LABELS.get(c, c),
        "severity_label": lambda s: audit_vocabulary.SEVERITY_LABELS.get(s, s),
        "role_label": roles.role_label, "browser": user_agents.browser_summary,
    })
    app.jinja_env.globals["precedence"] = schedule_changes.precedence_text()
    # Browsers ask for /favicon.ico whatever the page links; answer it from static/.
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"))

    @app.context_processor
    def inject_navigation():
        return {"nav_items": nav_items()}
