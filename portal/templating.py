"""Template globals: navigation by role and time display in a chosen zone."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    hint: str
    roles: frozenset[str]


NAVIGATION = (
    NavItem("people.index", "People", "Accounts, roles, password links, two-step sign-in.", frozenset({"admin"})),
    NavItem("catalogue.index", "Catalogue", "Services, prices and stylists' profiles.", frozenset({"admin"})),
    NavItem("promotions.index", "Promotions", "Vet customers who become stylists.", frozenset({"admin"})),
    NavItem("schedules.index", "Schedules", "Closures, vacations, seasonal hours, events.", frozenset({"admin"})),
    NavItem("bookings.day", "Day board", "Who works today and their appointments.", frozenset({"admin"})),
    NavItem("bookings.followup_list", "Follow-up", "Bookings a schedule change left outside the hours.",
            frozenset({"admin"})),
    NavItem("budgets.index", "Budgets", "Stylists' override budgets.", frozenset({"admin"})),
    NavItem("audit.index", "Audit log", "Who changed what, and security events.", frozenset({"admin", "auditor"})),
    NavItem("budgets.mine", "My availability", "Your hours, days off and override budget.", frozenset({"stylist"})),
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


def local_time(value: datetime | None, zone: str | None = None, fmt: str = "%d %b %Y, %I:%M %p") -> str:
    """An instant shown in `zone` (default: the portal's DEFAULT_TIMEZONE)."""
    if value is None:
        return "—"
    zone = zone or current_app.config["DEFAULT_TIMEZONE"]
    return value.astimezone(ZoneInfo(zone)).strftime(fmt)


def register(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = local_time

    @app.context_processor
    def inject_navigation():
        return {"nav_items": nav_items()}
