"""Template globals: navigation by role and time display in a chosen zone."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_login import current_user

from portal.domain.translatable import N_


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    hint: str
    roles: frozenset[str]


NAVIGATION = (
    NavItem("people.index", N_("People"), N_("Accounts, roles, password links, two-step sign-in."),
            frozenset({"admin"})),
    NavItem("catalogue.index", N_("Catalogue"), N_("Services, prices and stylists' profiles."), frozenset({"admin"})),
    NavItem("promotions.index", N_("Promotions"), N_("Vet customers who become stylists."), frozenset({"admin"})),
    NavItem("schedules.index", N_("Schedules"), N_("Closures, vacations, seasonal hours, events."), frozenset({"admin"})),
    NavItem("holidays.index", N_("Public holidays"), N_("Close for Nepal's festivals."), frozenset({"admin"})),
    NavItem("bookings.day", N_("Day board"), N_("Who works today and their appointments."), frozenset({"admin"})),
    NavItem("bookings.followup_list", N_("Follow-up"), N_("Bookings a schedule change left outside the hours."),
            frozenset({"admin"})),
    NavItem("budgets.index", N_("Budgets"), N_("Stylists' change budgets."), frozenset({"admin"})),
    NavItem("audit.index", N_("Audit log"), N_("Who changed what, and security events."), frozenset({"admin", "auditor"})),
    NavItem("budgets.mine", N_("My availability"), N_("Your hours, days off and change budget."), frozenset({"stylist"})),
    NavItem("account.index", N_("Your account"), N_("Password and two-step sign-in."),
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
