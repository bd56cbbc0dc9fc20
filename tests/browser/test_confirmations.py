"""Every destructive action asks first (spec/ui.md): in chromium, "Cancel" changes nothing and
"OK" does it, for deleting a schedule change, deleting weekly hours, granting emergency
changes, rejecting a promotion and revoking a stylist. The question names what will happen."""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ScheduleOverride, StylistOverrideBudget, StylistPromotion, StylistSchedule
from portal.services.staffing import promotions
from portal.actor import Actor
from tests.promotions.workflow import ALL_GOOD
from tests.web import PASSWORD, fresh_code

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite


def count(model, *where) -> int:
    db.session.rollback()  # a fresh snapshot: the browser's requests committed meanwhile
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def answer(page, accept: bool, asked: list[str]) -> None:
    """Answer the next confirmation dialog, remembering its question."""
    def handle(dialog):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()
    page.once("dialog", handle)


def test_each_destructive_action_asks_and_cancel_changes_nothing(app, factory, browser_page, screenshot):
    admin = factory.user("admin", name="Admin Asha")
    other_admin = factory.user("admin", name="Admin Bikash")
    stylist = factory.stylist(display_name="Rita Stylist", user=factory.user("stylist", password=None))
    factory.week(stylist, days=[1, 2])
    factory.override(None, date(2031, 3, 2), closed=True, override_type="business_closure", priority=100,
                     reason="Holi closure")
    customer = factory.user("customer", name="Maya Gurung", mfa=True)  # two-step sign-in: a promotion check
    applicant = factory.user("customer", name="Hari Applicant")
    actor = Actor(other_admin.id, other_admin.display_name)
    approved = promotions.approve(db.session, Actor(admin.id, admin.display_name),
                                  promotions_ready(actor, customer).id, details_for())
    pending = promotions.start(db.session, actor, applicant.id)
    promotions.submit(db.session, actor, pending.id)
    page = browser_page
    page.goto("/login")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if "/login/code" in page.url:  # admins use two-step sign-in
        page.get_by_label("Code from your authenticator app").fill(fresh_code(app, admin.email))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Namaste")
    asked: list[str] = []

    # deleting a schedule change
    page.goto("/schedules/")
    row = page.locator("#overrides tbody tr", has_text="Holi closure")
    answer(page, False, asked)
    row.get_by_role("button", name="Delete").click()
    expect(row).to_be_visible()
    assert count(ScheduleOverride) == 1 and "Holi closure" in asked[-1]
    answer(page, True, asked)
    row.get_by_role("button", name="Delete").click()
    expect(page.locator(".alert[role=status]")).to_contain_text("Deleted Holi closure")
    assert count(ScheduleOverride) == 0
    screenshot(page, "override-deleted")

    # deleting weekly hours
    # (the flash, not the live BS-date <output> beside the date boxes, which is a status too)
    page.goto(f"/schedules/stylists/{stylist.user_id}/week")
    answer(page, False, asked)
    page.locator("#weekly-rows tbody tr").first.get_by_role("button", name="Delete").click()
    assert count(StylistSchedule) == 2 and "Monday hours" in asked[-1] and "Rita Stylist" in asked[-1]
    answer(page, True, asked)
    page.locator("#weekly-rows tbody tr").first.get_by_role("button", name="Delete").click()
    expect(page.locator(".alert[role=status]")).to_contain_text("Deleted the Monday hours")
    assert count(StylistSchedule) == 1

    # granting emergency changes
    page.goto(f"/budgets/{stylist.user_id}")
    page.get_by_label("Emergency changes to give").fill("50")
    answer(page, False, asked)
    page.get_by_role("button", name="Give").click()
    assert "Give Rita Stylist 50 emergency changes?" in asked[-1]
    page.get_by_label("Emergency changes to give").fill("1")
    answer(page, False, asked)
    page.get_by_role("button", name="Give").click()
    assert "Give Rita Stylist 1 emergency change? They can use it at once" in asked[-1]
    page.get_by_label("Emergency changes to give").fill("50")
    assert count(StylistOverrideBudget, StylistOverrideBudget.stylist_user_id == stylist.user_id,
                 StylistOverrideBudget.emergency_overrides_remaining == 3) == 1
    answer(page, True, asked)
    page.get_by_role("button", name="Give").click()
    expect(page.locator("#budget-emergency")).to_have_text("53")

    # rejecting a promotion, revoking a stylist: a reason, then the question
    for url, button, question, status in (
        (f"/promotions/{pending.id}/reject", "Reject promotion", "Reject the promotion of Hari Applicant?", "rejected"),
        (f"/promotions/{approved.id}/revoke", "Revoke stylist", "Revoke Maya Gurung as a stylist?", "revoked"),
    ):
        page.goto(url)
        page.get_by_label("Reason").fill("Did not work out")
        answer(page, False, asked)
        page.get_by_role("button", name=button).click()
        assert question in asked[-1]
        assert count(StylistPromotion, StylistPromotion.status == status) == 0
        answer(page, True, asked)
        page.get_by_role("button", name=button).click()
        expect(page.locator("#promotion-status [data-status]")).to_have_attribute("data-status", status)
    screenshot(page, "revoked")
    assert len(asked) == 11  # the grant asked twice: 50 changes, then 1


def promotions_ready(actor, user):
    promotion = promotions.start(db.session, actor, user.id)
    promotions.submit(db.session, actor, promotion.id)
    return promotions.record_checks(db.session, actor, promotion.id, ALL_GOOD)


def details_for():
    from portal.services.staffing.stylists import StylistDetails

    return StylistDetails(display_name="Maya G.")
