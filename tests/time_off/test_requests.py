"""Asking, withdrawing, approving, declining and cancelling: each refusal, each state
change, and its log rows (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from portal.domain import time_off as rules
from portal.domain.refusals import NotFound, Refused
from portal.extensions import db
from portal.models import ScheduleOverride, TimeOffRequest
from portal.services.leave import time_off
from portal.services.scheduling import overrides
from tests.audit_trail import log_rows
from tests.helpers import count
from tests.time_off.helpers import actor_of, draft, salon, today_ktm


@pytest.fixture
def s(app, factory):
    with app.app_context():
        yield salon(factory)


def _ask(s, start_in=5, days=3, **kw):
    return time_off.ask(db.session, actor_of(s.stylist), s.stylist.user_id, draft(start_in, days, **kw))


def _refusal(call) -> Refused:
    with pytest.raises(Refused) as caught:
        call()
    return caught.value


def test_asking_writes_a_waiting_request_and_its_log_row_and_nothing_else(app, s, raw):
    row = _ask(s, note="Sister's wedding in Pokhara")
    assert row.status == rules.WAITING and row.kind == "leave" and row.note == "Sister's wedding in Pokhara"
    assert (row.end_date - row.start_date).days == 2
    [logged] = log_rows(app, action=rules.ASKED)
    assert logged["category"] == "configuration" and logged["target_type"] == "time_off_request"
    assert logged["target_id"] == row.id and logged["admin_user_id"] == s.stylist.user_id
    assert logged["details"]["days"] == 3 and logged["ip_address"] is not None
    assert count(raw, "schedule_overrides") == 0  # asking changes no slot
    assert raw.execute(text("SELECT current_month_overrides FROM stylist_override_budgets WHERE stylist_user_id = :i"),
                       {"i": str(s.stylist.user_id)}).scalar() == 0  # and spends no budget


@pytest.mark.parametrize("start_in, days, field, code_words", [
    (-1, 1, "start_date", "in the past"),
    (0, 61, "end_date", "at most 60 days"),
    (360, 7, "end_date", "up to 365 days ahead"),
])
def test_dates_that_break_a_rule_are_refused_with_nothing_written(app, s, start_in, days, field, code_words):
    refused = _refusal(lambda: _ask(s, start_in=start_in, days=days))
    assert code_words in refused.fields[field]
    assert count(db.session, TimeOffRequest) == 0
    assert log_rows(app, action=rules.ASKED) == []


def test_a_whole_60_days_and_today_are_allowed(s):
    assert _ask(s, start_in=0, days=60).status == rules.WAITING


def test_end_before_start_unknown_kind_and_a_long_note_are_refused(s):
    start = today_ktm() + timedelta(days=5)
    bad = time_off.TimeOffDraft(kind="holiday", start_date=start, end_date=start - timedelta(days=1), note="x" * 501)
    refused = _refusal(lambda: time_off.ask(db.session, actor_of(s.stylist), s.stylist.user_id, bad))
    assert set(refused.fields) == {"kind", "end_date", "note"}


def test_overlapping_a_waiting_or_approved_request_is_refused_but_not_a_declined_or_withdrawn_one(app, s):
    first = _ask(s, start_in=5, days=3)
    refused = _refusal(lambda: _ask(s, start_in=7, days=2))
    assert refused.code == "OVERLAPS" and "start_date" in refused.fields
    time_off.approve(db.session, actor_of(s.admin), first.id)
    assert _refusal(lambda: _ask(s, start_in=4, days=2)).code == "OVERLAPS"
    second = _ask(s, start_in=20, days=2)
    time_off.withdraw(db.session, actor_of(s.stylist), s.stylist.user_id, second.id)
    third = _ask(s, start_in=20, days=2)  # the withdrawn one no longer counts
    time_off.decline(db.session, actor_of(s.admin), third.id, "Tihar rush")
    assert _ask(s, start_in=21, days=1).status == rules.WAITING
    # another stylist's days never clash
    other = time_off.ask(db.session, actor_of(s.other), s.other.user_id, draft(5, 3))
    assert other.status == rules.WAITING


def test_withdraw_only_a_waiting_request_of_ones_own(app, s):
    row = _ask(s)
    with pytest.raises(NotFound):
        time_off.withdraw(db.session, actor_of(s.other), s.other.user_id, row.id)
    done = time_off.withdraw(db.session, actor_of(s.stylist), s.stylist.user_id, row.id)
    assert done.status == rules.WITHDRAWN and done.ended_by == s.stylist.user_id
    assert _refusal(lambda: time_off.withdraw(db.session, actor_of(s.stylist), s.stylist.user_id, row.id)).code \
        == "ALREADY_DECIDED"
    assert len(log_rows(app, action=rules.WITHDRAWN_ACTION)) == 1


def test_approving_makes_exactly_the_vacation_named_linked_and_logged(app, s):
    row = _ask(s, start_in=5, days=3, kind="festival", note="Tihar at home")
    approved = time_off.approve(db.session, actor_of(s.admin), row.id)
    assert approved.status == rules.APPROVED and approved.decided_by == s.admin.id
    [vacation] = db.session.scalars(db.select(ScheduleOverride)).all()
    assert (vacation.override_type, vacation.stylist_user_id, vacation.start_date, vacation.end_date) == \
        ("stylist_vacation", s.stylist.user_id, row.start_date, row.end_date)
    assert vacation.is_closed and vacation.priority == 50 and vacation.reason == "Festival"  # the kind, not the note
    assert approved.vacation_override_id == vacation.id and vacation.created_by == s.admin.id
    [made] = log_rows(app, action="override_created")
    assert made["target_id"] == vacation.id and made["details"]["source"] == "time_off_request"
    assert made["details"]["time_off_request_id"] == str(row.id)
    [decided] = log_rows(app, action=rules.APPROVED_ACTION)
    assert decided["target_id"] == row.id and decided["details"]["vacation_override_id"] == str(vacation.id)


def test_a_second_decision_is_refused_and_changes_nothing(app, s):
    row = _ask(s)
    time_off.approve(db.session, actor_of(s.admin), row.id)
    for call in (lambda: time_off.approve(db.session, actor_of(s.admin), row.id),
                 lambda: time_off.decline(db.session, actor_of(s.admin), row.id, "no")):
        refused = _refusal(call)
        assert refused.code == "ALREADY_DECIDED" and "already approved" in refused.message
    assert count(db.session, ScheduleOverride) == 1
    assert len(log_rows(app, action=rules.APPROVED_ACTION)) == 1 and log_rows(app, action=rules.DECLINED_ACTION) == []


def test_decline_needs_a_reason_and_keeps_it_for_the_stylist(app, s):
    row = _ask(s)
    refused = _refusal(lambda: time_off.decline(db.session, actor_of(s.admin), row.id, "  "))
    assert refused.code == "REASON_REQUIRED" and "reason" in refused.fields
    assert db.session.get(TimeOffRequest, row.id, populate_existing=True).status == rules.WAITING
    declined = time_off.decline(db.session, actor_of(s.admin), row.id, "Two others are off that week")
    assert declined.status == rules.DECLINED and declined.decision_reason == "Two others are off that week"
    assert count(db.session, ScheduleOverride) == 0
    [logged] = log_rows(app, action=rules.DECLINED_ACTION)
    assert logged["details"]["reason"] == "Two others are off that week"


def test_cancel_before_the_first_day_deletes_the_vacation_and_logs_both(app, s):
    row = _ask(s, start_in=5)
    time_off.approve(db.session, actor_of(s.admin), row.id)
    vacation_id = db.session.get(TimeOffRequest, row.id, populate_existing=True).vacation_override_id
    cancelled = time_off.cancel(db.session, actor_of(s.admin), row.id)
    assert cancelled.status == rules.CANCELLED and cancelled.ended_by == s.admin.id
    assert count(db.session, ScheduleOverride) == 0
    [deleted] = log_rows(app, action="override_deleted")
    assert deleted["target_id"] == vacation_id and deleted["details"]["source"] == "time_off_request"
    assert len(log_rows(app, action=rules.CANCELLED_ACTION)) == 1
    assert _refusal(lambda: time_off.cancel(db.session, actor_of(s.admin), row.id)).code == "ALREADY_DECIDED"


def test_cancel_is_refused_once_the_time_off_has_begun_and_for_a_waiting_request(app, s):
    waiting = _ask(s, start_in=30)
    assert _refusal(lambda: time_off.cancel(db.session, actor_of(s.admin), waiting.id)).code == "NOT_APPROVED"
    row = _ask(s, start_in=0, days=2)
    time_off.approve(db.session, actor_of(s.admin), row.id)
    refused = _refusal(lambda: time_off.cancel(db.session, actor_of(s.admin), row.id))
    assert refused.code == "ALREADY_STARTED"
    assert count(db.session, ScheduleOverride) == 1 and log_rows(app, action=rules.CANCELLED_ACTION) == []


def test_a_deleted_vacation_leaves_the_request_saying_so(app, s):
    row = _ask(s)
    time_off.approve(db.session, actor_of(s.admin), row.id)
    vacation_id = db.session.get(TimeOffRequest, row.id).vacation_override_id
    overrides.delete_override(db.session, actor_of(s.admin), vacation_id)
    again = db.session.get(TimeOffRequest, row.id, populate_existing=True)
    assert again.status == rules.APPROVED and again.vacation_override_id is None and again.vacation_deleted
    cancelled = time_off.cancel(db.session, actor_of(s.admin), row.id)  # nothing left to delete: one row
    assert cancelled.status == rules.CANCELLED and log_rows(app, action="override_deleted")[-1]["target_id"] == vacation_id


def test_the_database_refuses_a_declined_request_without_reason_and_unknown_states(s, raw):
    start = today_ktm() + timedelta(days=3)
    insert = ("INSERT INTO time_off_requests (id, stylist_user_id, kind, start_date, end_date, status, decision_reason)"
              " VALUES (:id, :s, :k, :a, :b, :st, :r)")
    base = {"s": str(s.stylist.user_id), "k": "leave", "a": start, "b": start, "r": None}
    for bad in ({"st": "declined"}, {"st": "maybe"}, {"st": "waiting", "k": "holiday"},
                {"st": "waiting", "b": start - timedelta(days=1)}):
        with pytest.raises(Exception):
            raw.execute(text(insert), {**base, "id": str(uuid.uuid4()), **bad})
    raw.execute(text(insert), {**base, "id": str(uuid.uuid4()), "st": "waiting"})
    assert count(raw, "time_off_requests") == 1


def test_approving_a_request_whose_days_have_passed_is_refused(app, s, raw):
    row = _ask(s, start_in=0, days=1)
    later = datetime.now(timezone.utc) + timedelta(days=3)
    refused = _refusal(lambda: time_off.approve(db.session, actor_of(s.admin), row.id, now=later))
    assert refused.code == "DATES_PASSED"
    assert db.session.get(TimeOffRequest, row.id, populate_existing=True).status == rules.WAITING
