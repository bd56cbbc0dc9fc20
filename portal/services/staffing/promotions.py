"""Promotion use-cases: one function per action, one transaction each.

Every successful action appends one note to the promotion's timeline and writes one
`service_management_log` row (category governance) in the same transaction; approve
and revoke also write a `role_granted` / `role_removed` governance row for the role
change they cause. A refused action raises `PromotionError` (a `Refused`) and changes nothing.

Exactly-once: `StylistPromotion.version` is SQLAlchemy's version counter, so every
UPDATE of a promotion is `... WHERE id = :id AND version = :seen`. Of two admins who
both saw version n, one UPDATE matches and the other matches no row
(StaleDataError), which is reported as STALE with the promotion's current status.
Pages also send the version they showed (`expected_version`): acting on an outdated
page is STALE too. Each action is one `use_case(session, lock=True)`: on SQLite the
write lock serialises the use-cases up front.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.database import use_case
from portal.domain import promotion as machine
from portal.domain.promotion import (
    ALREADY_STYLIST, AUDIT_ACTIONS, NOT_ADMIN, OPEN_STATES, PROMOTION_EXISTS, PROMOTION_NOT_FOUND,
    USER_NOT_FOUND, WARNING_ACTIONS, Checks, PromotionError, PromotionState,
)
from portal.domain.roles import ADMIN, STYLIST
from portal.models import StylistPromotion, UserProfile
from portal.services.audit import audited, log_event
from portal.services.identity import mfa
from portal.services.staffing import stylists
from portal.services.staffing.stylists import StylistDetails

MAX_NOTE = 2000


# --- reading --------------------------------------------------------------------
def state_of(promotion: StylistPromotion) -> PromotionState:
    return PromotionState(promotion.status, checks_of(promotion), str(promotion.requested_by))


def checks_of(promotion: StylistPromotion) -> Checks:
    return Checks(promotion.background_check_status, promotion.id_verification_status,
                  bool(promotion.training_completed), bool(promotion.mfa_enabled))


def _as_uuid(value: uuid.UUID | str, not_found_code: str) -> uuid.UUID:
    """An id from a form or URL; one that is not a UUID names nothing (`not_found_code`)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise machine.not_found(not_found_code) from None


def get(session: Session, promotion_id: uuid.UUID | str) -> StylistPromotion:
    promotion = session.get(StylistPromotion, _as_uuid(promotion_id, PROMOTION_NOT_FOUND))
    if promotion is None:
        raise machine.not_found(PROMOTION_NOT_FOUND)
    return promotion


# --- shared steps -----------------------------------------------------------------
def _admin(session: Session, actor: Actor) -> UserProfile:
    admin = session.get(UserProfile, actor.user_id) if actor.user_id else None
    if admin is None or not admin.is_active or not admin.has_role(ADMIN):
        raise PromotionError(NOT_ADMIN)
    return admin


def _clean_note(text: str | None) -> str | None:
    text = (text or "").strip()
    if len(text) > MAX_NOTE:
        raise PromotionError(machine.NOTE_TOO_LONG, fields=("note",), details={"max": MAX_NOTE})
    return text or None


def _record(session: Session, actor: Actor, promotion: StylistPromotion, action: str,
            note: str | None, details: dict[str, Any]) -> None:
    """Append the timeline entry (on the promotion row) and add the audit row."""
    entry = {"timestamp": clock.now().isoformat(), "admin_id": str(actor.user_id), "admin_name": actor.name,
             "action": action, "note": note, **details}
    promotion.notes = [*(promotion.notes or []), entry]
    session.flush()  # the guarded UPDATE (or INSERT) runs first: a lost race stops here
    log_event(session, actor, action=AUDIT_ACTIONS[action], category="governance",
              severity="warning" if action in WARNING_ACTIONS else "info",
              target_type="stylist_promotion", target_id=promotion.id,
              details={"user_id": str(promotion.user_id), **{k: v for k, v in entry.items()
                                                              if k not in ("admin_id", "admin_name")}})


def _current_status(session: Session, promotion_id: uuid.UUID | str) -> str:
    """After a lost race (the transaction already rolled back): the status now."""
    try:
        key = _as_uuid(promotion_id, PROMOTION_NOT_FOUND)
    except PromotionError:
        return "missing"
    return session.scalar(select(StylistPromotion.status).where(StylistPromotion.id == key)) or "missing"


# What an action does to the promotion row beyond the status: extra timeline details.
Effects = Callable[[StylistPromotion], dict[str, Any]]


@dataclass(frozen=True)
class Step:
    """One action on an existing promotion, as its public function asked for it."""

    action: str
    expected_version: int | None
    note: str | None = None
    reason: str | None = None  # reject / revoke: required, and the timeline note
    checks: Checks | None = None  # record_check: the full new set
    require_second_admin: bool = True
    effects: Effects | None = None
    details: dict[str, Any] = field(default_factory=dict)


# --- the MFA check is the candidate's own enrolment (issue 15) --------------------------
MFA_CHECKED_ACTIONS = frozenset({"record_check", "approve"})


def _with_enrolment(session: Session, promotion: StylistPromotion, checks: Checks) -> Checks:
    """The "MFA enabled" check is never what an admin says: it is whether the candidate
    has turned on two-step sign-in themselves, read when checks are recorded and again
    at approval (a factor reset since then blocks the approval)."""
    return replace(checks, mfa=mfa.is_enrolled(session, promotion.user_id))


def _transition(session: Session, actor: Actor, promotion_id: uuid.UUID | str, step: Step) -> StylistPromotion:
    """Apply `step` to one promotion in one transaction; a refusal changes nothing."""
    with use_case(session, lock=True, on_stale=lambda: machine.stale(_current_status(session, promotion_id))):
        _admin(session, actor)
        promotion = get(session, promotion_id)
        if step.expected_version is not None and promotion.version != step.expected_version:
            raise machine.stale(promotion.status)
        before = state_of(promotion)
        checks = step.checks
        if step.action in MFA_CHECKED_ACTIONS:  # the MFA check is the candidate's enrolment
            before = replace(before, checks=_with_enrolment(session, promotion, before.checks))
            checks = checks if checks is None else _with_enrolment(session, promotion, checks)
        after = machine.apply(before, step.action, actor_id=str(actor.user_id), reason=step.reason,
                              checks=checks, require_second_admin=step.require_second_admin)
        text = machine.require_reason(step.reason) if step.reason is not None else None
        text = _clean_note(text if text is not None else step.note)
        if step.action == "note" and not text:
            raise PromotionError(machine.REASON_REQUIRED, "A note cannot be empty.", ("note",))
        if (step.action == "record_check" and not text and after.status == before.status
                and after.checks == checks_of(promotion)):
            raise PromotionError(machine.CHECKS_UNCHANGED)  # no timeline entry for a save that changed nothing
        promotion.status = after.status
        if checks is not None:
            promotion.background_check_status = after.checks.background
            promotion.id_verification_status = after.checks.id_verification
            promotion.training_completed, promotion.mfa_enabled = after.checks.training, after.checks.mfa
        added = step.effects(promotion) if step.effects else {}
        details = dict(step.details)
        if checks is not None and "checks_recorded" in details:  # the MFA value actually used
            details["checks_recorded"] = {**details["checks_recorded"], "mfa": checks.mfa}
        _record(session, actor, promotion, step.action, text,
                {"from_status": before.status, "to_status": after.status, **details, **added})
    return promotion


def _open_promotion(session: Session, user_id: uuid.UUID) -> StylistPromotion | None:
    return session.scalars(select(StylistPromotion).where(
        StylistPromotion.user_id == user_id, StylistPromotion.status.in_(OPEN_STATES))).first()


# --- the actions -------------------------------------------------------------------
@audited(action=AUDIT_ACTIONS["start"], category="governance")
def start(session: Session, actor: Actor, user_id: uuid.UUID | str, note: str | None = None) -> StylistPromotion:
    """A draft promotion for an existing user, requested by the actor."""
    with use_case(session, lock=True, on_conflict=starting_conflict):
        _admin(session, actor)
        user = session.get(UserProfile, _as_uuid(user_id, USER_NOT_FOUND))
        if user is None:
            raise machine.not_found(USER_NOT_FOUND)
        promotion = draft_for(session, actor, user, note)
    return promotion


def starting_conflict(error) -> PromotionError:
    """The partial unique index: another admin started one first."""
    return PromotionError(PROMOTION_EXISTS)


def draft_for(session: Session, actor: Actor, user: UserProfile, note: str | None = None) -> StylistPromotion:
    """The draft and its timeline entry and audit row, inside the caller's `use_case` (actor checked)."""
    if stylists.is_active_stylist(session, user):
        raise PromotionError(ALREADY_STYLIST)
    if _open_promotion(session, user.id) is not None:
        raise PromotionError(PROMOTION_EXISTS)
    note = _clean_note(note)
    promotion = StylistPromotion(user_id=user.id, requested_by=actor.user_id, status=machine.DRAFT, notes=[])
    session.add(promotion)
    _record(session, actor, promotion, "start", note, {"from_status": None, "to_status": machine.DRAFT})
    return promotion


@audited(action=AUDIT_ACTIONS["submit"], category="governance")
def submit(session: Session, actor: Actor, promotion_id, *, expected_version: int | None = None,
           note: str | None = None) -> StylistPromotion:
    return _transition(session, actor, promotion_id, Step("submit", expected_version, note=note))


@audited(action=AUDIT_ACTIONS["record_check"], category="governance")
def record_checks(session: Session, actor: Actor, promotion_id, checks: Checks, *,
                  expected_version: int | None = None, note: str | None = None) -> StylistPromotion:
    if not isinstance(checks, Checks):
        raise PromotionError(machine.INVALID_CHECK_VALUE, "Check values must be a Checks object.")
    recorded = {"background": checks.background, "id_verification": checks.id_verification,
                "training": checks.training, "mfa": checks.mfa}
    return _transition(session, actor, promotion_id, Step(
        "record_check", expected_version, note=note, checks=checks, details={"checks_recorded": recorded}))


@audited(action=AUDIT_ACTIONS["note"], category="governance")
def add_note(session: Session, actor: Actor, promotion_id, note: str, *,
             expected_version: int | None = None) -> StylistPromotion:
    return _transition(session, actor, promotion_id, Step("note", expected_version, note=note or ""))


@audited(action=(AUDIT_ACTIONS["approve"], "role_granted"), category="governance", rows=2)
def approve(session: Session, actor: Actor, promotion_id, details: StylistDetails, *,
            expected_version: int | None = None, require_second_admin: bool = True,
            note: str | None = None) -> StylistPromotion:
    """pending_approval → approved, then the profile, role, offers and budget row."""
    clean = stylists.validated(details)

    def effects(promotion: StylistPromotion) -> dict:
        now = clock.now()
        promotion.approved_by, promotion.approved_at = actor.user_id, now
        session.flush()  # win the race before touching the profile
        user = session.get(UserProfile, promotion.user_id)
        summary = stylists.activate(session, user, clean, granted_by=actor.user_id)
        log_event(session, actor, action="role_granted", category="governance", target_type="user_profile",
                  target_id=user.id, details={"role": STYLIST, "promotion_id": str(promotion.id)})
        return {"approved_at": now.isoformat(), "display_name": clean.display_name, **summary}

    return _transition(session, actor, promotion_id, Step(
        "approve", expected_version, note=note, require_second_admin=require_second_admin, effects=effects))


@audited(action=AUDIT_ACTIONS["reject"], category="governance")
def reject(session: Session, actor: Actor, promotion_id, reason: str, *,
           expected_version: int | None = None) -> StylistPromotion:
    def effects(promotion: StylistPromotion) -> dict:
        promotion.rejected_at, promotion.rejection_reason = clock.now(), reason.strip()
        return {}

    return _transition(session, actor, promotion_id, Step(
        "reject", expected_version, reason=reason or "", effects=effects))


@audited(action=(AUDIT_ACTIONS["revoke"], "role_removed"), category="governance", rows=2)
def revoke(session: Session, actor: Actor, promotion_id, reason: str, *,
           expected_version: int | None = None) -> StylistPromotion:
    """approved → revoked: profile inactive, role removed. approved_at is cleared (the
    schema allows it only on approved rows); the approval time stays in the notes."""
    def effects(promotion: StylistPromotion) -> dict:
        now = clock.now()
        approved_at = promotion.approved_at
        promotion.approved_at = None
        promotion.revoked_at, promotion.revoked_by = now, actor.user_id
        promotion.revocation_reason = reason.strip()
        session.flush()
        user = session.get(UserProfile, promotion.user_id)
        stylists.deactivate(session, user, by=actor.user_id, at=now)
        log_event(session, actor, action="role_removed", category="governance", target_type="user_profile",
                  target_id=user.id, details={"role": STYLIST, "promotion_id": str(promotion.id)})
        return {"approved_at": approved_at.isoformat() if approved_at else None,
                "revoked_at": now.isoformat()}

    return _transition(session, actor, promotion_id, Step(
        "revoke", expected_version, reason=reason or "", effects=effects))
