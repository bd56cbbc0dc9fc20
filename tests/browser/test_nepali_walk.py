"""Browser, 390 px wide: each role switches to Nepali and walks every page of the demo salon.
No English may remain in the visible text except names and data (people's names, e-mails,
services, reasons and notes typed by people, time-zone names), and nothing scrolls sideways.

Every GET page of the portal (read from the url_map) is visited by at least one role.
"""
from __future__ import annotations

import re
from zoneinfo import available_timezones

import pyotp
import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.domain import message_templates
from portal.services.desk import customers
from portal.domain.phones import masked_phone
from portal.models import (
    Booking, Customer, MessageTemplate, ScheduleChangeLog, ScheduleOverride, Service, StylistProfile, StylistPromotion, StylistSchedule,
    TimeOffRequest, UserProfile,
)
from portal.services.operations.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite

# Written the same in Nepali pages: the brand, the other language's name, acronyms staff use.
SAME_IN_NEPALI = {"KB", "Stylish", "English", "UTC", "CSV", "MFA", "IANA", "Ctrl", "Mac", "ID", "QR",
                  "Google", "Microsoft", "Authenticator", "Aegis",
                  "Chrome", "Firefox", "Safari", "Edge", "Android", "Linux", "Windows", "iOS",  # product names
                  "SMS", "GSM", "UCS"}  # what Nepali speakers call an SMS, and its encodings' names

# Not pages: files, the JSON helper, and the POST-only actions.
SKIPPED_ENDPOINTS = {"static", "bootstrap.static", "metrics", "auth.logout", "i18n.set_language", "i18n.bs",
                     "audit.export",  # a CSV file for spreadsheets, not a page
                     "account.set_password",  # needs a fresh password link
                     "favicon",  # an icon, not a page
                     "reports.download",  # a CSV file
                     "messages.template_preview",  # the template editor's live preview (JSON)
                     "booking_link.page", "booking_link.move"}  # a customer's token: tests/browser/test_messages_pages.py
STYLIST = "anjali.shrestha@kbstylish.com.np"
# the time-zone list of the profile form: IANA place names, shown as they are
ZONE_WORDS = {w for zone in available_timezones() for part in re.split(r"[/_\s]+", zone)
              for w in [part, *part.split("-")]}
WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")


@pytest.fixture
def page(browser_page):
    browser_page.set_viewport_size({"width": 390, "height": 844})
    return browser_page


@pytest.fixture
def demo(app, runner, page):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        s = db.session
        stylist = s.scalars(select(StylistProfile).order_by(StylistProfile.display_name)).first()
        data = set()
        for user in s.scalars(select(UserProfile)):
            data |= {user.display_name, user.email}
        for profile in s.scalars(select(StylistProfile)):
            data |= {profile.display_name, profile.title or "", profile.bio or "", profile.timezone,
                     *(profile.specialties or [])}
        data |= {service.name for service in s.scalars(select(Service))}
        data |= {o.reason or "" for o in s.scalars(select(ScheduleOverride))}
        for promotion in s.scalars(select(StylistPromotion)):
            data |= {promotion.rejection_reason or "", promotion.revocation_reason or ""}
            for entry in promotion.notes or []:
                data |= {entry.get("note") or "", entry.get("admin_name") or ""}
        data |= {r for (r,) in s.execute(db.text("SELECT customer_name FROM bookings")) if r}
        data |= {r for (r,) in s.execute(db.text("SELECT customer_phone FROM bookings")) if r}  # dialled as typed
        data |= {r for (r,) in s.execute(db.text("SELECT note FROM booking_followups")) if r}  # typed by staff
        data |= {r for r in s.scalars(select(ScheduleChangeLog.reason)) if r}
        for request in s.scalars(select(TimeOffRequest)):  # typed by the stylist and the admin
            data |= {request.note or "", request.decision_reason or ""}
        ids = {
            "stylist_id": str(stylist.user_id),
            "row_id": str(s.scalars(select(StylistSchedule.id).where(
                StylistSchedule.stylist_user_id == stylist.user_id)).first()),
            "override_id": str(s.scalars(select(ScheduleOverride.id)).first()),
            "service_id": str(s.scalars(select(Service.id)).first()),
            "booking_id": str(s.scalars(select(Booking.id).where(Booking.stylist_user_id == stylist.user_id)).first()),
            "promotions": {p.status: str(p.id) for p in s.scalars(select(StylistPromotion))},
            "time_off": [str(i) for i in s.scalars(select(TimeOffRequest.id))],
        }
        customers.link_new_phones(s)  # the public-site phones become customers (as the pages do first)
        s.commit()
        data |= {c.name for c in s.scalars(select(Customer))}
        ids["customer_id"] = str(s.scalars(select(Customer.id).order_by(Customer.name)).first())
        for c in s.scalars(select(Customer)):  # dialled digits, as on a phone
            data |= {c.phone, masked_phone(c.phone)}
        for subject, body in [*s.execute(select(MessageTemplate.subject, MessageTemplate.body)),
                              *message_templates.DEFAULTS.values()]:
            data |= {subject or "", body or ""}  # the salon's own message texts, in either language
        data |= {"{" + name + "}" for name in message_templates.PLACEHOLDERS}  # the editor's syntax
    return {"data": sorted((d for d in data if d), key=len, reverse=True), "ids": ids}


def _sign_in_in_nepali(page, email, data):
    page.goto("/login")
    page.click("form.language-switch button")
    page.wait_for_selector("html[lang=ne]")
    assert _english_left(page, data) == [], "the sign-in page in Nepali"
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_load_state()
    if "/login/code" in page.url:  # two-step sign-in (the demo's admins and auditor): in Nepali too
        assert _english_left(page, data) == [], "the code page in Nepali"
        page.fill("input[name=code]", pyotp.TOTP(DEMO_TOTP_SECRET).now())
        page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_selector("form[action='/logout']", state="attached")


def _english_left(page, data) -> list[str]:
    text = page.evaluate("document.title + '\\n' + document.body.innerText")
    text = text.replace(page.evaluate("navigator.userAgent"), " ")
    for value in data:  # whole values first (a reason may hold digits), then any of their words
        text = re.sub(rf"(?<![\w@.]){re.escape(value)}(?![\w@])", " ", text)
    text = re.sub(r"\S+@\S+", " ", text)  # e-mail addresses
    text = re.sub(r"https?://\S+", " ", text)  # links (a message's link to the customer's booking)
    text = re.sub(r"\b(?:GSM-7|UCS-2)\b", " ", text)  # the SMS encodings' names, as providers print them
    text = re.sub(r"\b\d{1,3}(\.\d{1,3}){3}\b", " ", text)  # IP addresses
    data_words = set(WORD.findall(" ".join(data)))  # a word of a name or of data typed by people
    words = {w for w in WORD.findall(text) if w not in SAME_IN_NEPALI | ZONE_WORDS | data_words}
    digits = {f"digits: {d}" for d in re.findall(r"[0-9]+", text)}  # numbers read in Devanagari
    return sorted(words | digits)


def _pages(ids):
    p = ids["promotions"]
    s = ids["stylist_id"]
    return {
        "admin@kbstylish.com.np": [
            "/", "/operations", "/promotions/", "/promotions/?status=approved", "/promotions/start?q=a",
            *[f"/promotions/{pid}" for pid in p.values()],
            f"/promotions/{p.get('pending_approval', next(iter(p.values())))}/approve",
            f"/promotions/{p.get('pending_checks', next(iter(p.values())))}/reject",
            f"/promotions/{p.get('approved', next(iter(p.values())))}/revoke",
            "/schedules/", "/schedules/overrides/new", f"/schedules/overrides/{ids['override_id']}/edit",
            f"/schedules/stylists/{s}/week", f"/schedules/stylists/{s}/week/{ids['row_id']}",
            f"/schedules/stylists/{s}/effective", f"/schedules/stylists/{s}/effective?calendar=bs",
            "/budgets/", f"/budgets/{s}", "/audit/", "/holidays/", "/holidays/?year=2040", "/no-such-page",
            "/people/", "/people/new", "/people/new-stylist", f"/people/{s}", f"/people/{s}/edit", f"/people/{s}/deactivate",
            f"/people/{s}/two-step-reset", "/catalogue/", "/catalogue/services/new",
            f"/catalogue/services/{ids['service_id']}", f"/catalogue/services/{ids['service_id']}/deactivate",
            f"/catalogue/stylists/{s}", "/account", "/account/password", "/account/two-step",
            "/bookings/day", "/bookings/follow-up", f"/bookings/{ids['booking_id']}", f"/bookings/stylists/{s}",
            f"/bookings/why?stylist={s}",
            "/time-off/", "/time-off/?state=waiting", *[f"/time-off/{t}" for t in ids["time_off"]],
            "/reports/", "/desk/customers", f"/desk/customers/{ids['customer_id']}", "/desk/book",
            f"/desk/bookings/{ids['booking_id']}/move", "/messages/", "/messages/templates",
            "/messages/templates/reminder/ne",
        ],
        STYLIST: ["/", "/budgets/mine", "/budgets/mine/history", "/time-off/mine"],
        "auditor@kbstylish.com.np": ["/", "/audit/", "/audit/?category=security", "/reports/"],
    }


@pytest.mark.walk
def test_every_page_reads_in_nepali_for_each_role(app, demo, page, open_page, screenshot):
    visited, problems = set(), {}
    adapter = app.url_map.bind("localhost")
    for email, urls in _pages(demo["ids"]).items():
        person = open_page()
        person.set_viewport_size({"width": 390, "height": 844})
        _sign_in_in_nepali(person, email, demo["data"])
        visited |= {"auth.login", "account.second_step"} if email != STYLIST else {"auth.login"}
        for url in urls:
            response = person.goto(url)
            assert response is not None and response.status < 500, (email, url)
            try:
                visited.add(adapter.match(url.split("?")[0], method="GET")[0])
            except Exception:
                pass  # the 404 page
            english = _english_left(person, demo["data"])
            overflow = person.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            screenshot(person, f"{email.split('@')[0]}-{url}")
            if english or overflow > 0:
                problems[f"{email.split('@')[0]} {url}"] = (english[:20], overflow)
        person.context.close()
    for where, found in sorted(problems.items()):
        print("NEPALI-WALK", where, found)
    assert problems == {}, "English words (or sideways scrolling) on Nepali pages"
    every_get = {r.endpoint for r in app.url_map.iter_rules()
                 if "GET" in (r.methods or ()) and not r.endpoint.startswith("api.")} - SKIPPED_ENDPOINTS
    assert every_get - visited == set(), "pages no role walked"
