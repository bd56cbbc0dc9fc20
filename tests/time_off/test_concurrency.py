"""Decided once: admins approving and declining the same request at the same moment give
one decision and at most one vacation; the others are told it was already decided.
PostgreSQL (real threads, each with its own session, released together by a barrier)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from portal.domain import time_off as rules
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import ScheduleOverride, TimeOffRequest
from portal.services.leave import time_off
from tests.audit_trail import log_rows
from tests.helpers import count
from tests.time_off.helpers import actor_of, draft, salon

pytestmark = pytest.mark.postgresql_only
ADMINS = 8


def _race(app, calls):
    barrier = threading.Barrier(len(calls))

    def attempt(call):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                call()
                return "ok"
            except Refused as refused:
                return refused.code
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(attempt, calls))


@pytest.mark.parametrize("mix", ["approve", "decline", "both"])
def test_admins_deciding_at_once_make_one_decision_and_at_most_one_vacation(app, factory, raw, mix):
    with app.app_context():
        s = salon(factory)
        admins = [factory.user("admin") for _ in range(ADMINS)]
        row = time_off.ask(db.session, actor_of(s.stylist), s.stylist.user_id, draft(5, 3))
        request_id = row.id

    def approve(admin):
        return lambda: time_off.approve(db.session, actor_of(admin), request_id)

    def decline(admin):
        return lambda: time_off.decline(db.session, actor_of(admin), request_id, "Busy week")

    calls = [(approve if mix == "approve" or (mix == "both" and i % 2 == 0) else decline)(a)
             for i, a in enumerate(admins)]
    results = _race(app, calls)
    assert results.count("ok") == 1, results
    assert set(results) == {"ok", "ALREADY_DECIDED"}
    with app.app_context():
        final = db.session.get(TimeOffRequest, request_id)
        approved = final.status == rules.APPROVED
        assert final.status in (rules.APPROVED, rules.DECLINED)
        assert count(db.session, ScheduleOverride) == (1 if approved else 0)
        if approved:
            assert final.vacation_override_id == db.session.scalars(db.select(ScheduleOverride.id)).one()
    decided = log_rows(app, action=rules.APPROVED_ACTION) + log_rows(app, action=rules.DECLINED_ACTION)
    assert len(decided) == 1
    assert len(log_rows(app, action="override_created")) == (1 if approved else 0)
    if mix == "approve":
        assert approved
    if mix == "decline":
        assert not approved


def test_one_stylist_asking_for_overlapping_days_at_once_gets_one_request(app, factory):
    with app.app_context():
        s = salon(factory)
    calls = [(lambda i=i: time_off.ask(db.session, actor_of(s.stylist), s.stylist.user_id, draft(5 + i % 3, 3)))
             for i in range(8)]
    results = _race(app, calls)
    assert results.count("ok") == 1, results
    assert set(results) == {"ok", "OVERLAPS"}
    with app.app_context():
        assert count(db.session, TimeOffRequest) == 1
