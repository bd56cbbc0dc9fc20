"""Issue 12's twelve bugs, one regression test each (each failed before its fix)."""
from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from portal.actor import Actor
from portal.extensions import db
from portal.models import ScheduleChangeLog, ScheduleOverride, ServiceManagementLog, StylistOverrideBudget
from portal.services.scheduling import budgets
from portal.services.staffing import promotions
from portal.services.staffing.stylists import deactivate
from tests.helpers import budget_row, field_errors, set_budget
from tests.web import post_form

KTM = ZoneInfo("Asia/Kathmandu")
ROOT = Path(__file__).resolve().parents[2]


def _today() -> date:
    return datetime.now(KTM).date()


def _actor(user) -> Actor:
    return Actor(user.id, user.display_name, "198.51.100.7", "Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile")


@pytest.fixture
def stylist(factory):
    profile = factory.stylist()
    factory.week(profile)
    return profile


def _ask(profile, day, **fields):
    wanted = budgets.OverrideRequest(day=day, closed=fields.pop("closed", True), **fields)
    return budgets.request_override(db.session, _actor(profile.user), profile.user_id, wanted)


# 1 -----------------------------------------------------------------------------------------
def test_a_day_off_on_a_closed_day_is_not_called_opening_it(app, factory, stylist, raw):
    day = _today() + timedelta(days=4)
    factory.override(None, day, closed=True, priority=100, override_type="business_closure", reason="Tihar")
    with pytest.raises(budgets.BudgetRefused) as refused:
        _ask(stylist, day)
    message = refused.value.message
    assert "open" not in message and "outranks" not in message
    assert "closed" in message and "Tihar" in message and "nothing to change" in message
    assert budget_row(raw, stylist.user_id)["used"] == 0


# 2 -----------------------------------------------------------------------------------------
def test_a_second_request_for_a_changed_date_says_so_even_with_the_budget_spent(app, stylist, raw):
    day = _today() + timedelta(days=3)
    _ask(stylist, day)
    set_budget(raw, stylist.user_id, used=10, limit=10, emergency=0)
    with pytest.raises(budgets.BudgetRefused) as refused:
        _ask(stylist, day, closed=False, start=datetime(2000, 1, 1, 10).time(), end=datetime(2000, 1, 1, 12).time())
    assert refused.value.code == "DATE_TAKEN" and "one change per date" in refused.value.message
    assert "BUDGET_EXHAUSTED" not in refused.value.message


# 3 -----------------------------------------------------------------------------------------
def test_overlapping_weekly_rows_for_one_weekday_are_refused(client, auth, factory, raw):
    profile = factory.stylist(user=factory.user("stylist", password=None))
    auth.login(factory.user("admin").email)
    url = f"/schedules/stylists/{profile.user_id}/week"
    row = {"day_of_week": "1", "start": "08:00", "end": "12:00", "effective_from": "2030-01-01", "is_active": "y"}
    assert post_form(client, url, row).status_code == 302
    r = post_form(client, url, {**row, "start": "10:00", "end": "18:00", "effective_from": "2030-01-02"})
    assert r.status_code == 400
    [message] = field_errors(r.get_data(as_text=True), "effective_from")
    assert "Monday already has hours 8:00 AM – 12:00 PM from 1 Jan 2030" in message and "overlap" in message
    assert raw.execute(text("SELECT count(*) FROM stylist_schedules")).scalar() == 1
    # a later, non-overlapping row and an inactive draft are fine
    later = {**row, "effective_from": "2029-01-01", "effective_until": "2029-12-31"}
    assert post_form(client, url, later).status_code == 302


# 4 -----------------------------------------------------------------------------------------
def test_ids_are_unique_on_the_promotion_detail_page_and_labels_focus_their_own_box(client, auth, factory):
    admin, customer = factory.user("admin"), factory.user("customer")
    promotion = promotions.start(db.session, _actor(admin), customer.id)
    promotions.submit(db.session, _actor(admin), promotion.id)
    auth.login(admin.email)
    page = client.get(f"/promotions/{promotion.id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for target in re.findall(r'<label[^>]*for="([^"]+)"', page):
        assert target in ids
    assert 'for="note-form-note"' in page and 'for="checks-form-note"' in page


# 5 -----------------------------------------------------------------------------------------
def test_history_names_each_change_once_and_who_made_weekly_edits(client, auth, factory, stylist, raw):
    set_budget(raw, stylist.user_id, used=10, limit=10)
    _ask(stylist, _today() + timedelta(days=2), emergency=True)
    admin = factory.user("admin", name="Sita Admin")
    auth.login(admin.email)
    week = client.get(f"/schedules/stylists/{stylist.user_id}/week").get_data(as_text=True)
    row_id = re.search(r'data-row="([^"]+)"', week).group(1)
    r = post_form(client, f"/schedules/stylists/{stylist.user_id}/week/{row_id}",
                  {"day_of_week": "0", "start": "10:00", "end": "16:00", "effective_from": "2020-01-01",
                   "is_active": "y"})
    assert r.status_code == 302, r.get_data(as_text=True)
    auth.logout()
    auth.login(stylist.user.email)
    page = client.get("/budgets/mine/history").get_data(as_text=True)
    assert "emergency block" not in page.lower() and page.count("Emergency change") == 1
    assert "Weekly hours changed" in page and "Sundays" in page and "Sita Admin" in page
    assert "10:00 AM – 4:00 PM" in page
    assert "schedule update" not in page.lower()


# 6 -----------------------------------------------------------------------------------------
def test_the_demo_budgets_add_up(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        for budget in db.session.scalars(select(StylistOverrideBudget)):
            own = db.session.scalar(select(func.count()).select_from(ScheduleOverride).where(
                ScheduleOverride.created_by == budget.stylist_user_id, ScheduleOverride.priority == 50))
            logged = db.session.scalar(select(func.count()).select_from(ScheduleChangeLog).where(
                ScheduleChangeLog.stylist_user_id == budget.stylist_user_id,
                ScheduleChangeLog.change_type == "availability_override"))
            emergencies = db.session.scalar(select(func.count()).select_from(ScheduleChangeLog).where(
                ScheduleChangeLog.stylist_user_id == budget.stylist_user_id, ScheduleChangeLog.is_emergency))
            assert budget.current_month_overrides == own == logged
            assert budget.emergency_overrides_remaining == 3 - emergencies
        assert db.session.scalar(select(func.max(StylistOverrideBudget.current_month_overrides))) == 10


# 7 -----------------------------------------------------------------------------------------
def test_a_limit_below_what_is_used_is_refused_with_a_word(client, auth, factory, stylist, raw):
    set_budget(raw, stylist.user_id, used=7, limit=10)
    auth.login(factory.user("admin").email)
    r = post_form(client, f"/budgets/{stylist.user_id}/limit", {"limit": "5"})
    assert r.status_code == 400
    [message] = field_errors(r.get_data(as_text=True), "limit")
    assert "7 changes are already used this month; set a limit of at least 7" in message
    assert budget_row(raw, stylist.user_id)["limit"] == 10
    assert post_form(client, f"/budgets/{stylist.user_id}/limit", {"limit": "7"}).status_code == 302


# 8 -----------------------------------------------------------------------------------------
def test_audit_page_numbers_do_not_drift_while_walking(client, auth, factory):
    auditor = factory.user("auditor")
    db.session.add_all([ServiceManagementLog(action="override_created", category="configuration", details={"n": n})
                        for n in range(25)])
    db.session.commit()
    auth.login(auditor.email)
    first = client.get("/audit/?per_page=10").get_data(as_text=True)
    total = re.search(r"Rows 1–10 of (\d+)", first).group(1)
    link = html.unescape(re.search(r'rel="next" href="([^"]+)"', first).group(1))
    second = client.get(link).get_data(as_text=True)
    assert f"Rows 11–20 of {total}" in second  # the view of page 1 did not shift page 2


# 9 -----------------------------------------------------------------------------------------
def test_stylists_own_changes_are_in_the_audit_viewer(client, auth, factory, stylist):
    _ask(stylist, _today() + timedelta(days=5))
    auth.login(factory.user("auditor").email)
    page = client.get("/audit/", query_string={"actor": stylist.user.email}).get_data(as_text=True)
    assert "Rows 1–1 of 1" in page and "Stylist changed a date" in page
    assert "data-change-id=" in page and "Chrome on Android" in page
    page = client.get("/audit/", query_string={"category": "configuration",
                                               "action": "availability_override"}).get_data(as_text=True)
    assert "Stylist changed a date" in page
    export = client.get("/audit/export.csv", query_string={"actor": stylist.user.email})
    [row] = list(csv.DictReader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert (row["log"], row["action"], row["target_id"]) == (
        "schedule_change_log", "availability_override", str(stylist.user_id))


# 10 ----------------------------------------------------------------------------------------
def test_the_csv_reason_is_filled_and_its_file_name_is_in_kathmandu_time(client, auth, factory):
    admin = factory.user("admin")
    auth.login(admin.email)
    form = {"override_type": "special_event", "stylist_id": "", "start_date": "2031-02-01", "end_date": "2031-02-01",
            "start": "09:00", "end": "20:00", "reason": "Wedding season"}
    assert post_form(client, "/schedules/overrides/new", form).status_code == 302
    before = datetime.now(timezone.utc)
    response = client.get("/audit/export.csv?action=override_created")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["reason"] for r in rows] == ["Wedding season"]
    name = re.search(r'filename="audit-log-(\d{8}-\d{4})\.csv"', response.headers["Content-Disposition"]).group(1)
    local = {(before + timedelta(minutes=m)).astimezone(KTM).strftime("%Y%m%d-%H%M") for m in (0, 1)}
    assert name in local


# 11 ----------------------------------------------------------------------------------------
def test_a_revoked_stylist_is_marked_and_not_offered(client, auth, factory):
    gone = factory.stylist(display_name="Former Friend", user=factory.user("stylist", password=None))
    deactivate(db.session, gone.user, by=None, at=datetime.now(timezone.utc))
    db.session.commit()
    auth.login(factory.user("admin").email)
    listing = client.get("/schedules/").get_data(as_text=True)
    item = listing.split(f'data-stylist="{gone.user_id}"')[1].split("</li>")[0]
    assert "no longer a stylist" in item
    form = client.get("/schedules/overrides/new?kind=stylist_vacation").get_data(as_text=True)
    assert "Former Friend" not in form
    budgets_page = client.get("/budgets/").get_data(as_text=True)
    row = budgets_page.split(f'data-stylist="{gone.user_id}"')[1].split("</tr>")[0]
    assert "no longer a stylist" in row and "Manage" not in row


# 12 ----------------------------------------------------------------------------------------
@pytest.mark.sqlite_only  # nothing here depends on the engine (seeding on PostgreSQL: tests/foundation)
def test_the_seed_hint_the_readme_commands_and_the_favicon_are_in_place(app, client, runner):
    result = runner.invoke(args=["seed-demo", "--url", "http://127.0.0.1:8123"])
    assert "http://127.0.0.1:8123/login" in result.output and ":5000" not in result.output
    readme = (ROOT / "README.md").read_text()  # the commands start on a clone: tests/security/test_settings.py
    assert "`.venv/bin/flask --app wsgi …`\nworks as it is" in readme
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"
    assert 'rel="icon"' in client.get("/login").get_data(as_text=True)
