"""Exactly-once transitions under real concurrency (PostgreSQL), and the database's
one-open-promotion rule tested with plain SQL (both engines)."""
from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.domain.promotion import PromotionError
from portal.extensions import db
from portal.models import ServiceManagementLog, StylistProfile, StylistPromotion, StylistService
from portal.services.staffing import promotions
from tests.promotions.workflow import actor_for, details, ready_for_approval

THREADS = 20


def race(app, count: int, action) -> list:
    """Run `action(session)` in `count` threads released together; return outcomes."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=count + 2)
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def worker(i: int) -> None:
        with app.app_context(), Session(engine) as session:
            session.execute(text("SELECT 1"))  # connection checked out before the start line
            session.rollback()
            barrier.wait()
            try:
                outcomes[i] = action(session)
            except PromotionError as error:
                outcomes[i] = error
            except Exception as error:  # anything else is a failure the test reports
                outcomes[i] = error

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    engine.dispose()
    return outcomes


@pytest.mark.postgresql_only
def test_twenty_simultaneous_approvals_make_one(app, admin_a, admin_b, customer, services):
    promotion = ready_for_approval(db.session, admin_a, customer)
    pid, version = promotion.id, promotion.version
    actor = actor_for(admin_b)

    outcomes = race(app, THREADS, lambda s: promotions.approve(
        s, actor, pid, details(services), expected_version=version).status)

    assert outcomes.count("approved") == 1, outcomes
    errors = [o for o in outcomes if o != "approved"]
    assert len(errors) == THREADS - 1
    assert all(isinstance(e, PromotionError) and e.code == "STALE" for e in errors), errors
    assert {e.details["current_status"] for e in errors} == {"approved"}
    db.session.expire_all()
    assert db.session.get(StylistPromotion, pid).status == "approved"
    assert db.session.scalar(select(func.count()).select_from(StylistProfile)) == 1
    assert db.session.scalar(select(func.count()).select_from(StylistService)) == len(services)
    approvals = db.session.scalar(select(func.count()).select_from(ServiceManagementLog).where(
        ServiceManagementLog.action == "promotion_approved"))
    grants = db.session.scalar(select(func.count()).select_from(ServiceManagementLog).where(
        ServiceManagementLog.action == "role_granted"))
    assert (approvals, grants) == (1, 1)
    assert [n["action"] for n in db.session.get(StylistPromotion, pid).notes].count("approve") == 1


@pytest.mark.postgresql_only
def test_simultaneous_approvals_without_a_seen_version_still_make_one(app, admin_a, admin_b, customer):
    promotion_id = ready_for_approval(db.session, admin_a, customer).id  # read before the threads start
    actor = actor_for(admin_b)
    outcomes = race(app, 8, lambda s: promotions.approve(s, actor, promotion_id, details()).status)
    assert outcomes.count("approved") == 1, outcomes
    codes = {o.code for o in outcomes if isinstance(o, PromotionError)}
    assert codes <= {"STALE", "ILLEGAL_TRANSITION"}, outcomes
    assert len(
        [o for o in outcomes if isinstance(o, PromotionError)]) == 7, outcomes
    assert db.session.scalar(select(func.count()).select_from(StylistProfile)) == 1


@pytest.mark.postgresql_only
def test_simultaneous_starts_make_one_promotion(app, admin_a, customer):
    actor = actor_for(admin_a)
    customer_id = customer.id
    outcomes = race(app, 8, lambda s: promotions.start(s, actor, customer_id).status)
    assert outcomes.count("draft") == 1, outcomes
    assert all(isinstance(o, PromotionError) and o.code == "PROMOTION_EXISTS"
               for o in outcomes if o != "draft"), outcomes
    assert db.session.scalar(select(func.count()).select_from(StylistPromotion)) == 1


def _insert(raw, user_id, admin_id, status: str) -> None:
    raw.execute(text(
        "INSERT INTO stylist_promotions (id, user_id, requested_by, status) VALUES (:id, :u, :a, :s)"),
        {"id": str(uuid.uuid4()), "u": str(user_id), "a": str(admin_id), "s": status})


def test_one_open_promotion_per_user_even_by_plain_sql(app, raw, admin_a, customer):
    _insert(raw, customer.id, admin_a.id, "rejected")
    _insert(raw, customer.id, admin_a.id, "revoked")
    _insert(raw, customer.id, admin_a.id, "pending_checks")
    for status in ("draft", "pending_checks", "pending_training", "pending_approval"):
        with pytest.raises(IntegrityError):
            _insert(raw, customer.id, admin_a.id, status)
    _insert(raw, customer.id, admin_a.id, "rejected")
    count = raw.execute(text("SELECT count(*) FROM stylist_promotions WHERE user_id = :u"),
                        {"u": str(customer.id)}).scalar()
    assert count == 4
