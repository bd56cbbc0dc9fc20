"""Template globals: navigation by role, and the one set of date/time filters (`portal.presentation.formats`)."""
from __future__ import annotations

from dataclasses import dataclass
from flask import Flask, current_app
from flask_babel import LazyString, gettext
from flask_login import current_user

from portal.domain import audit_vocabulary, override_kinds, promotion, roles, schedule_changes
from portal.domain.translatable import N_
from portal.i18n import current_language, translate
from portal.i18n.formatting import clock, numerals
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
    NavItem("catalogue.index", N_("Catalogue"), N_("Services, prices and stylists' profiles."), frozenset({"admin"})),
    NavItem("promotions.index", N_("Promotions"), N_("Vet customers who become stylists."), frozenset({"admin"})),
    NavItem("schedules.index", N_("Schedules"), N_("Closures, vacations, seasonal hours, events."), frozenset({"admin"})),
    NavItem("holidays.index", N_("Public holidays"), N_("Close for Nepal's festivals."), frozenset({"admin"})),
    NavItem("bookings.day", N_("Day board"), N_("Who works today, their appointments, arrivals and free times."),
            frozenset({"admin"})),
    NavItem("desk.customer_list", N_("Customers"), N_("Who booked, their visits, no-shows and notes."),
            frozenset({"admin"})),
    NavItem("bookings.followup_list", N_("Follow-up"), N_("Bookings a schedule change left outside the hours."),
            frozenset({"admin"})),
    NavItem("messages.index", N_("Messages"), N_("SMS and email to customers, templates."), frozenset({"admin"})),
    NavItem("budgets.index", N_("Budgets"), N_("How many dates each stylist may change."), frozenset({"admin"})),
    NavItem("audit.index", N_("Audit log"), N_("Who changed what, and security events."), frozenset({"admin", "auditor"})),
    NavItem("dashboard.operations", N_("Operations"), N_("How the booking site's cache is doing."), frozenset({"admin"})),
    NavItem("budgets.mine", N_("My availability"), N_("Your hours, days off and changes left."), frozenset({"stylist"})),
    NavItem("account.index", N_("Your account"), N_("Password and two-step sign-in."),
            frozenset({"admin", "auditor", "stylist", "customer"}))
)


def nav_items() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    roles = current_user.role_names
    return [
        item for item in NAVIGATION
        if item.roles & roles and item.endpoint in current_app.view_functions
    ]


def _translated(label):
    """A vocabulary lookup (English, marked N_ in portal/domain) read in the page's language."""
    def words(*args, **kwargs) -> str:
        return translate(label(*args, **kwargs))
    words.__doc__ = label.__doc__
    return words


def day_hours(window) -> str:
    """The day's hours in the page's language (`schedule_text.day_hours`)."""
    language = current_language()
    return schedule_text.day_hours(window, tr=gettext, clock=lambda t: clock(t, language))


def day_reason(window) -> str:
    """Why the day has its hours, in the page's language (`schedule_text.day_reason`)."""
    language = current_language()
    return schedule_text.day_reason(window, tr=gettext, num=lambda n: numerals(n, language))


# The people's words for codes, as filters (each vocabulary lives in portal/domain, marked N_).
WORDS = {
    "kind_label": _translated(override_kinds.label), "kind_noun": _translated(override_kinds.noun),
    "change_label": _translated(schedule_changes.change_label),
    "day_hours": day_hours, "day_reason": day_reason,
    "status_label": _translated(promotion.status_label), "check_value": _translated(promotion.check_value_label),
    "timeline_label": _translated(promotion.timeline_label),
    "action_label": _translated(audit_vocabulary.action_label),
    "target_label": _translated(audit_vocabulary.target_label),
    "category_label": _translated(audit_vocabulary.category_label),
    "severity_label": _translated(audit_vocabulary.severity_label),
    "role_label": _translated(roles.role_label), "browser": user_agents.browser_summary,
}


def precedence() -> str:
    """"Business closure beats vacation beats …" in the page's language (`schedule_changes.precedence_text`)."""
    return translate(schedule_changes.precedence_text())


def register(app: Flask) -> None:
    # the one set of date/time filters, in the page's language with the BS date; they
    # replace any same-named filter registered before (create_app registers these last)
    app.jinja_env.filters.update(formats.page_filters(
        current_language, lambda: current_app.config["DEFAULT_TIMEZONE"]))
    app.jinja_env.filters.update(WORDS)
    app.jinja_env.globals["precedence"] = LazyString(precedence)  # read in the page's language
    app.jinja_env.globals["override_kind"] = override_kinds.kind_of  # what a page asks of a kind (closed, who)
    # Browsers ask for /favicon.ico whatever the page links; answer it from static/.
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"))

    @app.context_processor
    def inject_navigation():
        return {"nav_items": nav_items()}
