"""Every GET page of the url_map, with real ids from the demo salon, for each role that may see it.

Shared by the visible-text scan (test client) and the browser walk (axe-core, overflow).
A new page is picked up from `app.url_map`; a new URL argument needs a line in `_ids`.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Booking, Customer, ScheduleOverride, Service, StylistProfile, StylistPromotion, StylistSchedule,
    TimeOffRequest,
)
from portal.services.desk import customers
from portal.services.operations.demo import CUSTOMERS, DEMO_PASSWORD, DEMO_TOTP_SECRET, STYLISTS
from tests.web import fresh_code

LOGINS = {
    "admin": "admin@kbstylish.com.np",
    "auditor": "auditor@kbstylish.com.np",
    "stylist": STYLISTS[0].email,
    "customer": CUSTOMERS[0][0],
}
PASSWORD = DEMO_PASSWORD
NOT_PAGES = {"static", "bootstrap.static", "favicon", "metrics", "audit.export", "i18n.bs",  # files, JSON: not pages
             "reports.download",  # a CSV file
             "messages.template_preview",  # the template editor's live preview (JSON)
             "account.set_password",  # needs a one-time token: tests/account
             "booking_link.page", "booking_link.move"}  # a customer's token: tests/messages, tests/browser
# Pages for anyone signed in (they check the session themselves, not a role).
ANY_SIGNED_IN = {"account.index": ("admin", "stylist"), "account.enrol": ("admin",),
                 "account.change_password": ("stylist",)}
# Which promotion each promotion page is shown for (the page answers a redirect otherwise).
PROMOTION_FOR = {"promotions.approve": ("pending_approval",), "promotions.reject": ("pending_checks",),
                 "promotions.revoke": ("approved",),
                 "promotions.detail": ("draft", "pending_checks", "pending_approval", "approved", "revoked")}
EXTRA_QUERIES = {
    "schedules.new_override": [f"?kind={k}" for k in
                               ("business_closure", "stylist_vacation", "seasonal_hours", "special_event")],
    "promotions.index": ["", "?status=pending_approval"],
}


def second_step_code(app, role: str) -> str:
    """The code a demo person's phone shows now (demo admins use two-step sign-in)."""
    return fresh_code(app, LOGINS[role], DEMO_TOTP_SECRET)


@dataclass(frozen=True)
class Visit:
    role: str | None  # None: signed out
    endpoint: str
    url: str


def _ids(session) -> dict:
    stylist = session.scalar(select(StylistProfile).order_by(StylistProfile.display_name)
                             .where(StylistProfile.is_active, StylistProfile.display_name == STYLISTS[0].name))
    promotions = {p.status: p.id for p in session.scalars(select(StylistPromotion))}
    override = session.scalar(select(ScheduleOverride.id).where(ScheduleOverride.override_type == "business_closure"))
    row = session.scalar(select(StylistSchedule.id).where(StylistSchedule.stylist_user_id == stylist.user_id))
    service = session.scalar(select(Service.id).order_by(Service.name))
    booking = session.scalar(select(Booking.id).where(Booking.stylist_user_id == stylist.user_id)
                             .order_by(Booking.start_time))
    time_off = session.scalar(select(TimeOffRequest.id).where(TimeOffRequest.status == "waiting"))
    customers.link_new_phones(session)  # the demo's public-site phones become customers (front desk)
    customer = session.scalar(select(Customer.id).order_by(Customer.name))
    return {"stylist_id": stylist.user_id, "user_id": stylist.user_id, "override_id": override, "row_id": row,
            "service_id": service, "booking_id": booking, "promotions": promotions, "request_id": time_off,
            "customer_id": customer, "kind": "reminder", "language": "ne"}


def visits(app) -> list[Visit]:
    with app.app_context():
        ids = _ids(db.session)
        found = []
        with app.test_request_context():
            from flask import url_for

            for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
                if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_PAGES or rule.endpoint.startswith("api."):
                    continue
                roles = sorted(getattr(app.view_functions[rule.endpoint], "required_roles", None)
                               or ANY_SIGNED_IN.get(rule.endpoint) or [None], key=str)
                urls = []
                if "promotion_id" in rule.arguments:
                    urls = [url_for(rule.endpoint, promotion_id=ids["promotions"][s])
                            for s in PROMOTION_FOR[rule.endpoint]]
                else:
                    args = {name: ids[name] for name in rule.arguments}
                    urls = [url_for(rule.endpoint, **args) + q for q in EXTRA_QUERIES.get(rule.endpoint, [""])]
                found += [Visit(role, rule.endpoint, url) for role in roles for url in urls]
        return found
