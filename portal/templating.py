"""Template globals: navigation by role, and the one set of date/time filters (`portal.presentation.formats`)."""
from __future__ import annotations

from dataclasses import dataclass
from babel.dates import get_timezone_location
from flask import Flask, current_app, request
from flask_babel import LazyString, gettext
from flask_login import current_user

from portal.domain import audit_vocabulary, bookings, catalogue, messages, override_kinds, people, promotion, roles, schedule_changes
from portal.domain.roles import ADMIN, AUDITOR, CUSTOMER, STYLIST
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
    section: str = "daily"  # "daily": in the bar; "setup" and "system": grouped in their own menus


SECTIONS = {"setup": N_("Salon setup"), "system": N_("System")}
ADMIN_ONLY = frozenset({ADMIN})

# The salon's day first (on a phone the menu opens on the day board); the pages that set
# the salon up, and the system's own pages, grouped apart so the bar fits one line at 1280 px.
NAVIGATION = (
    NavItem("bookings.day", N_("Day board"), N_("Who works today, their appointments, arrivals and free times."),
            ADMIN_ONLY),
    NavItem("desk.customer_list", N_("Customers"), N_("Who booked, their visits, no-shows and notes."), ADMIN_ONLY),
    NavItem("bookings.followup_list", N_("Follow-up"), N_("Bookings a schedule change left outside the hours."),
            ADMIN_ONLY),
    NavItem("time_off.index", N_("Time off"), N_("Stylists' requests for days off: approve or decline."), ADMIN_ONLY),
    NavItem("schedules.index", N_("Schedules"), N_("Closures, vacations, seasonal hours, events."), ADMIN_ONLY),
    NavItem("reports.index", N_("Reports"), N_("Revenue, utilisation, no-shows and busy hours by month."),
            frozenset({ADMIN, AUDITOR})),
    NavItem("people.index", N_("People"), N_("Accounts, roles, password links, two-step sign-in."), ADMIN_ONLY, "setup"),
    NavItem("catalogue.index", N_("Catalogue"), N_("Services, prices and stylists' profiles."), ADMIN_ONLY, "setup"),
    NavItem("promotions.index", N_("New stylists"), N_("Vet customers who become stylists."), ADMIN_ONLY, "setup"),
    NavItem("messages.index", N_("Messages"), N_("SMS and email to customers, templates."), ADMIN_ONLY, "setup"),
    NavItem("holidays.index", N_("Public holidays"), N_("Close for Nepal's festivals."), ADMIN_ONLY, "setup"),
    NavItem("budgets.index", N_("Budgets"), N_("How many dates each stylist may change."), ADMIN_ONLY, "setup"),
    NavItem("audit.index", N_("Audit log"), N_("Who changed what, and security events."), frozenset({ADMIN, AUDITOR}),
            "system"),
    NavItem("dashboard.operations", N_("Operations"), N_("How the booking site's cache is doing."), ADMIN_ONLY, "system"),
    NavItem("budgets.mine", N_("My availability"), N_("Your hours, days off and changes left."), frozenset({STYLIST})),
    NavItem("time_off.mine", N_("Time off"), N_("Ask for days off and see the answers."), frozenset({STYLIST})),
    NavItem("account.index", N_("Your account"), N_("Password and two-step sign-in."),
            frozenset({ADMIN, AUDITOR, STYLIST, CUSTOMER}), "system"),
)


@dataclass(frozen=True)
class NavEntry:
    """A menu item as one page shows it: whether it is the page's own."""
    endpoint: str
    label: str
    hint: str
    section: str
    active: bool


@dataclass(frozen=True)
class NavGroup:
    label: str | None  # None: the items stand in the bar itself
    entries: tuple[NavEntry, ...]

    @property
    def active(self) -> bool:
        return any(entry.active for entry in self.entries)


def active_endpoint(items: list[NavItem], endpoint: str | None) -> str | None:
    """The one menu item the page belongs to: its own endpoint, else the first item of its
    feature (blueprint) — never two at once (the follow-up list is not also the day board)."""
    if not endpoint:
        return None
    if any(item.endpoint == endpoint for item in items):
        return endpoint
    feature = endpoint.split(".")[0]
    return next((item.endpoint for item in items
                 if feature != "dashboard" and item.endpoint.split(".")[0] == feature), None)


def nav_items() -> list[NavEntry]:
    if not current_user.is_authenticated:
        return []
    roles = current_user.role_names
    items = [item for item in NAVIGATION if item.roles & roles and item.endpoint in current_app.view_functions]
    here = active_endpoint(items, request.endpoint)
    return [NavEntry(item.endpoint, item.label, item.hint, item.section, item.endpoint == here) for item in items]


BAR_ITEMS = 6  # what fits one line at 1280 px in either language


def nav_groups(entries: list[NavEntry]) -> list[NavGroup]:
    """The bar: the daily items in place, then one menu per other section. A short menu (a
    stylist's, an auditor's) and a section of one item stand in the bar."""
    if len(entries) <= BAR_ITEMS:
        return [NavGroup(None, tuple(entries))]
    groups = [NavGroup(None, tuple(e for e in entries if e.section == "daily"))]
    for section, label in SECTIONS.items():
        members = tuple(e for e in entries if e.section == section)
        if len(members) == 1:
            groups[0] = NavGroup(None, groups[0].entries + members)
        elif members:
            groups.append(NavGroup(label, members))
    return groups


def _translated(label):
    """A vocabulary lookup (English, marked N_ in portal/domain) read in the page's language."""
    def words(*args, **kwargs) -> str:
        return translate(label(*args, **kwargs))
    words.__doc__ = label.__doc__
    return words


def _looked_up(labels):
    """The words of a code from one vocabulary's table (marked N_ in portal/domain), in the
    page's language; an unknown code stands as it is."""
    def words(code) -> str:
        label = labels.get(code) if hasattr(labels, "get") else labels[code]
        return translate(label) if label else code
    return words


def day_hours(window) -> str:
    """The day's hours in the page's language (`schedule_text.day_hours`)."""
    language = current_language()
    return schedule_text.day_hours(window, tr=gettext, clock=lambda t: clock(t, language))


def day_reason(window) -> str:
    """Why the day has its hours, in the page's language (`schedule_text.day_reason`)."""
    language = current_language()
    return schedule_text.day_reason(window, tr=gettext, num=lambda n: numerals(n, language))


def day_layers(window) -> str:
    """Why, with the layering and priorities (the effective-schedule view, details folds)."""
    language = current_language()
    return schedule_text.day_layers(window, tr=gettext, num=lambda n: numerals(n, language))


def zone_name(zone) -> str:
    """A time zone in people's words, in the page's language: "Nepal Time", "नेपाल समय"
    (CLDR's names, through Babel); the IANA name only when Babel has none."""
    try:
        return get_timezone_location(str(zone), locale=current_language())
    except (LookupError, ValueError):
        return str(zone)


def service_name(service) -> str:
    """A service's name in the page's language (its Nepali name when set)."""
    return service.name_in(current_language())


# The people's words for codes, as filters: the one way a template names a code (each
# vocabulary lives in portal/domain, marked N_; a template never looks up a table itself).
WORDS = {
    "day_name": _looked_up(schedule_changes.DAY_NAMES),  # 0 = Sunday
    "booking_status": _looked_up(bookings.STATUS_LABELS), "booking_source": _looked_up(bookings.SOURCE_LABELS),
    "desk_step": _looked_up(bookings.STEP_LABELS), "followup_action": _looked_up(bookings.FOLLOWUP_LABELS),
    "message_kind": _looked_up(messages.KIND_LABELS), "message_state": _looked_up(messages.STATE_LABELS),
    "message_channel": _looked_up(messages.CHANNEL_LABELS),
    "message_reason": _looked_up({**messages.SKIP_REASONS, **messages.FAILURE_REASONS}),
    "link_answer": _looked_up(messages.LINK_ANSWERS),
    "admin_change": _looked_up(people.CHANGE_LABELS), "reset_label": _looked_up(people.RESET_LABELS),
    "service_category": _looked_up(catalogue.CATEGORY_LABELS),
    "kind_label": _translated(override_kinds.label), "kind_noun": _translated(override_kinds.noun),
    "change_label": _translated(schedule_changes.change_label),
    "day_hours": day_hours, "day_reason": day_reason, "day_layers": day_layers, "zone_name": zone_name, "service_name": service_name,
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
    app.jinja_env.filters["promotion_style"] = promotion.status_style  # a state's badge colour
    app.jinja_env.globals["override_types"] = override_kinds  # `override_types.BUSINESS_CLOSURE`, …
    app.jinja_env.globals["roles"] = roles  # role names in pages: `roles.ADMIN in user.role_names`
    # Browsers ask for /favicon.ico whatever the page links; answer it from static/.
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"))

    @app.context_processor
    def inject_navigation():
        entries = nav_items()
        return {"nav_items": entries, "nav_groups": nav_groups(entries)}
