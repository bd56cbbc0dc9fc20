"""The promotion services against a real database: effects, notes, audit rows, refusals."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from portal.domain.promotion import Checks, PromotionError
from portal.extensions import db
from portal.models import (
    ServiceManagementLog, StylistOverrideBudget, StylistProfile, StylistPromotion,
    StylistService, UserProfile,
)
from portal.services.staffing import promotions
from tests.helpers import count
from tests.promotions.workflow import ALL_GOOD, actor_for, audit_actions, details, ready_for_approval


def refused(code, call, *args, **kwargs) -> PromotionError:
    with pytest.raises(PromotionError) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value


def test_start_creates_a_draft_with_note_and_audit_row(app, admin_a, customer):
    promotion = promotions.start(db.session, actor_for(admin_a), customer.id, note="Great reviews")
    assert promotion.status == "draft" and promotion.requested_by == admin_a.id
    [note] = promotion.notes
    assert note["action"] == "start" and note["note"] == "Great reviews"
    assert note["admin_id"] == str(admin_a.id) and note["admin_name"] == "Admin Asha"
    assert datetime.fromisoformat(note["timestamp"]).tzinfo is not None
    row = db.session.scalars(select(ServiceManagementLog)).one()
    assert (row.action, row.category, row.severity, row.target_type, row.target_id, row.admin_user_id) == (
        "promotion_started", "governance", "info", "stylist_promotion", promotion.id, admin_a.id)
    assert str(row.ip_address) == "127.0.0.1" and row.user_agent == "pytest"


def test_start_refusals(app, factory, admin_a, customer):
    actor = actor_for(admin_a)
    refused("USER_NOT_FOUND", promotions.start, db.session, actor, "00000000-0000-0000-0000-000000000000")
    refused("USER_NOT_FOUND", promotions.start, db.session, actor, "not-a-uuid")
    stylist = factory.stylist()
    refused("ALREADY_STYLIST", promotions.start, db.session, actor, stylist.user_id)
    promotions.start(db.session, actor, customer.id)
    refused("PROMOTION_EXISTS", promotions.start, db.session, actor, customer.id)
    customer_actor = actor_for(factory.user("customer"))
    refused("NOT_ADMIN", promotions.start, db.session, customer_actor, customer.id)
    assert count(db.session, StylistPromotion) == 1
    assert count(db.session, ServiceManagementLog) == 1


def test_full_workflow_approves_with_every_effect(app, admin_a, admin_b, customer, services):
    a, b = actor_for(admin_a), actor_for(admin_b)
    promotion = promotions.start(db.session, a, customer.id)
    assert promotions.submit(db.session, a, promotion.id).status == "pending_checks"
    step = promotions.record_checks(db.session, a, promotion.id, Checks("passed", "verified"))
    assert step.status == "pending_training"
    step = promotions.record_checks(db.session, a, promotion.id, ALL_GOOD, note="Training done")
    assert step.status == "pending_approval"
    refused("SAME_ADMIN", promotions.approve, db.session, a, promotion.id, details(services))
    approved = promotions.approve(
        db.session, b, promotion.id,
        details(services[:1], title="Senior stylist", bio="Loves colour", years_experience=4,
                specialties=("colour", " bridal ", "colour"), timezone="Asia/Kathmandu", buffer_minutes=10))
    assert approved.status == "approved" and approved.approved_by == admin_b.id and approved.approved_at
    profile = db.session.get(StylistProfile, customer.id)
    assert profile.is_active and profile.display_name == "Sita the Stylist" and profile.title == "Senior stylist"
    assert profile.specialties == ["colour", "bridal"] and profile.booking_buffer_minutes == 10
    assert profile.years_experience == 4
    assert db.session.get(StylistOverrideBudget, customer.id) is not None
    offered = db.session.scalars(select(StylistService.service_id).where(StylistService.is_available)).all()
    assert offered == [services[0].id]
    assert "stylist" in db.session.get(UserProfile, customer.id).role_names
    assert [n["action"] for n in approved.notes] == ["start", "submit", "record_check", "record_check", "approve"]
    assert approved.notes[-1]["from_status"] == "pending_approval" and approved.notes[-1]["to_status"] == "approved"
    assert audit_actions(db.session, promotion.id) == [
        "promotion_started", "promotion_submitted", "promotion_checks_recorded", "promotion_checks_recorded",
        "promotion_approved"]
    approve_row = db.session.scalars(select(ServiceManagementLog).where(
        ServiceManagementLog.action == "promotion_approved")).one()
    assert approve_row.severity == "warning" and approve_row.admin_user_id == admin_b.id
    role_row = db.session.scalars(select(ServiceManagementLog).where(
        ServiceManagementLog.action == "role_granted")).one()
    assert role_row.category == "governance" and role_row.target_id == customer.id


def test_checks_incomplete_lists_the_missing_checks(app, admin_a, admin_b, customer):
    promotion = ready_for_approval(db.session, admin_a, customer)
    # The candidate's factor disappears after the checks (an admin's reset, or plain SQL):
    # approve reads the enrolment again, whatever the recorded checks say.
    table = "private.user_mfa" if db.engine.dialect.name == "postgresql" else "user_mfa"
    db.session.execute(text(f"DELETE FROM {table} WHERE user_id = :id"),
                       {"id": str(customer.id) if db.engine.dialect.name == "sqlite" else customer.id})
    db.session.commit()
    error = refused("CHECKS_INCOMPLETE", promotions.approve, db.session, actor_for(admin_b), promotion.id,
                    details())
    assert error.details["missing"] == ["Two-step sign-in set up"]


def test_failed_check_moves_back_and_stays_audited(app, admin_a, customer):
    promotion = ready_for_approval(db.session, admin_a, customer)
    back = promotions.record_checks(db.session, actor_for(admin_a), promotion.id, Checks("failed", "verified",
                                                                                         True, True))
    assert back.status == "pending_checks" and back.background_check_status == "failed"


@pytest.mark.parametrize("fields, code, field", [
    ({"display_name": "  "}, "DISPLAY_NAME_REQUIRED", "display_name"),
    ({"timezone": "Mars/Olympus"}, "INVALID_PROFILE", "timezone"),
    ({"timezone": "../etc/passwd"}, "INVALID_PROFILE", "timezone"),
    ({"buffer_minutes": 121}, "INVALID_PROFILE", "buffer_minutes"),
    ({"buffer_minutes": -1}, "INVALID_PROFILE", "buffer_minutes"),
    ({"years_experience": -2}, "INVALID_PROFILE", "years_experience"),
])
def test_approval_details_are_validated_and_change_nothing(app, admin_a, admin_b, customer, fields, code, field):
    promotion = ready_for_approval(db.session, admin_a, customer)
    version = promotion.version
    error = refused(code, promotions.approve, db.session, actor_for(admin_b), promotion.id, details(**fields))
    assert list(error.fields) == [field]
    db.session.expire_all()
    assert db.session.get(StylistPromotion, promotion.id).version == version
    assert db.session.get(StylistProfile, customer.id) is None
    assert "promotion_approved" not in audit_actions(db.session, promotion.id)


def test_unknown_or_inactive_service_is_refused(app, factory, admin_a, admin_b, customer):
    inactive = factory.service(is_active=False)
    promotion = ready_for_approval(db.session, admin_a, customer)
    refused("INVALID_PROFILE", promotions.approve, db.session, actor_for(admin_b), promotion.id,
            details([inactive]))
    assert db.session.get(StylistProfile, customer.id) is None


def test_reject_and_revoke_require_a_reason(app, admin_a, admin_b, customer):
    a = actor_for(admin_a)
    promotion = promotions.start(db.session, a, customer.id)
    refused("REASON_REQUIRED", promotions.reject, db.session, a, promotion.id, "   ")
    rejected = promotions.reject(db.session, a, promotion.id, " Failed interview ")
    assert rejected.status == "rejected" and rejected.rejection_reason == "Failed interview"
    assert rejected.rejected_at is not None and rejected.notes[-1]["note"] == "Failed interview"
    refused("ILLEGAL_TRANSITION", promotions.revoke, db.session, a, promotion.id, "why")
    # A rejected promotion is final: a new one may be started.
    again = promotions.start(db.session, a, customer.id)
    assert again.id != promotion.id


def test_revoke_deactivates_profile_removes_role_empties_slots(app, client, factory, admin_a, admin_b, customer,
                                                               services):
    promotion = ready_for_approval(db.session, admin_a, customer)
    approved = promotions.approve(db.session, actor_for(admin_b), promotion.id, details(services))
    approved_at = approved.approved_at
    factory.week(db.session.get(StylistProfile, customer.id))
    day = datetime.now(ZoneInfo("Asia/Kathmandu")).date() + timedelta(days=3)
    slots_url = (f"/api/bookings/available-slots?stylistId={customer.id}&serviceId={services[0].id}"
                 f"&targetDate={day.isoformat()}")
    assert client.get(slots_url).json  # offered, and now cached
    assert client.get(slots_url).headers["X-Cache-Hit"] == "true"
    refused("REASON_REQUIRED", promotions.revoke, db.session, actor_for(admin_a), promotion.id, "")
    revoked = promotions.revoke(db.session, actor_for(admin_a), promotion.id, "Complaints")
    assert revoked.status == "revoked" and revoked.approved_at is None and revoked.revoked_by == admin_a.id
    assert revoked.revocation_reason == "Complaints" and revoked.revoked_at is not None
    assert revoked.notes[-1]["approved_at"] == approved_at.isoformat()
    profile = db.session.get(StylistProfile, customer.id)
    assert not profile.is_active and profile.deactivated_by == admin_a.id and profile.deactivated_at
    assert "stylist" not in db.session.get(UserProfile, customer.id).role_names
    assert client.get(slots_url).json == []  # their slots vanish at once, cache or not
    rows = db.session.scalars(select(ServiceManagementLog).where(
        ServiceManagementLog.action.in_(["promotion_revoked", "role_removed"]))).all()
    assert {(r.action, r.severity) for r in rows} == {("promotion_revoked", "warning"), ("role_removed", "info")}


def test_second_promotion_after_revoke_reactivates_the_profile(app, factory, admin_a, admin_b, customer,
                                                               services):
    first = ready_for_approval(db.session, admin_a, customer)
    promotions.approve(db.session, actor_for(admin_b), first.id, details(services))
    db.session.execute(text("DELETE FROM stylist_override_budgets"))  # lost by some other client
    db.session.commit()
    promotions.revoke(db.session, actor_for(admin_a), first.id, "Paused")
    second = ready_for_approval(db.session, admin_a, customer)
    promotions.approve(db.session, actor_for(admin_b), second.id,
                       details(services[1:], display_name="Sita Returns"))
    profile = db.session.get(StylistProfile, customer.id)
    assert profile.is_active and profile.deactivated_at is None and profile.display_name == "Sita Returns"
    assert db.session.get(StylistOverrideBudget, customer.id) is not None
    offers = {o.service_id: o.is_available for o in db.session.scalars(select(StylistService))}
    assert offers == {services[0].id: False, services[1].id: True}
    assert count(db.session, StylistProfile) == 1


def test_outdated_version_is_stale_with_current_status(app, admin_a, admin_b, customer):
    promotion = promotions.start(db.session, actor_for(admin_a), customer.id)
    seen = promotion.version
    promotions.submit(db.session, actor_for(admin_b), promotion.id, expected_version=seen)
    error = refused("STALE", promotions.reject, db.session, actor_for(admin_a), promotion.id, "No",
                    expected_version=seen)
    assert error.details == {"current_status": "pending_checks"}
    db.session.expire_all()
    assert db.session.get(StylistPromotion, promotion.id).status == "pending_checks"


def test_notes_any_state_and_empty_or_long_note_refused(app, admin_a, customer):
    a = actor_for(admin_a)
    promotion = promotions.start(db.session, a, customer.id)
    refused("REASON_REQUIRED", promotions.add_note, db.session, a, promotion.id, "  ")
    refused("NOTE_TOO_LONG", promotions.add_note, db.session, a, promotion.id, "x" * 2001)
    promotions.reject(db.session, a, promotion.id, "no")
    noted = promotions.add_note(db.session, a, promotion.id, "<script>alert(1)</script>")
    assert noted.notes[-1]["note"] == "<script>alert(1)</script>" and noted.status == "rejected"
    assert audit_actions(db.session, promotion.id)[-1] == "promotion_note_added"


def test_unknown_promotion(app, admin_a):
    refused("PROMOTION_NOT_FOUND", promotions.submit, db.session, actor_for(admin_a),
            "00000000-0000-0000-0000-000000000000")
    refused("PROMOTION_NOT_FOUND", promotions.submit, db.session, actor_for(admin_a), "nope")



def test_second_admin_rule_can_be_switched_off(app, admin_a, customer):
    promotion = ready_for_approval(db.session, admin_a, customer)
    approved = promotions.approve(db.session, actor_for(admin_a), promotion.id, details(),
                                  require_second_admin=False)
    assert approved.status == "approved" and approved.approved_by == admin_a.id == approved.requested_by
