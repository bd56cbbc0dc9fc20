"""What makes a four-eyes proposal lapse (admin-role changes and credential resets alike).

A proposal waits for a second admin; it lapses — it is marked `lapsed` with its reason
and a governance row, and nothing acts on it any more — when:

- nobody confirmed it within 72 hours (`EXPIRED`: at the confirmation attempt, or when
  the people list is opened);
- its proposer is no longer an active admin (`PROPOSER_GONE`: in the same transaction
  that removes the role or deactivates the account, and again at confirmation);
- a credential of someone it depends on was reset (`CREDENTIAL_RESET`: a password link
  issued or used, a two-step reset, by an admin pair or by the operator): the proposals
  that person made, the ones about them, and — when they are an admin, since they could
  have confirmed them — every other open one. The resets of that same person that are
  still waiting stay (they are the reset in progress).

These are helpers of the use-cases that cause them: they write inside the caller's
transaction and commit nothing themselves.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.domain import people as vocab
from portal.domain.roles import ADMIN
from portal.models import AdminRoleProposal, CredentialResetProposal, UserProfile
from portal.services.audit import log_event

Proposal = AdminRoleProposal | CredentialResetProposal
KINDS = (AdminRoleProposal, CredentialResetProposal)


def lapse(session: Session, actor: Actor, proposal: Proposal, reason: str, now: datetime | None = None) -> None:
    proposal.status, proposal.decided_at, proposal.lapse_reason = vocab.LAPSED, now or clock.now(), reason
    session.flush()
    if isinstance(proposal, AdminRoleProposal):
        action, what = "admin_role_lapsed", {"change": proposal.change}
    else:
        action, what = "credential_reset_lapsed", {"kind": proposal.kind}
    log_event(session, actor, action=action, category="governance", target_type="user_profile",
              target_id=proposal.user_id, details={"proposal_id": str(proposal.id), **what, "reason": reason,
                                                   "proposed_by": str(proposal.proposed_by),
                                                   "expires_at": proposal.expires_at.isoformat()})


def is_active_admin(session: Session, user_id: uuid.UUID | None) -> bool:
    user = session.get(UserProfile, user_id) if user_id else None
    return bool(user and user.is_active and user.has_role(ADMIN))


def lapse_unconfirmable(session: Session, actor: Actor, proposal: Proposal, now: datetime) -> bool:
    """At a confirmation: lapse the proposal if it is past its 72 hours or its proposer
    is no longer an active admin. True when it lapsed (the caller stops there)."""
    if vocab.has_lapsed(proposal.expires_at, now):
        lapse(session, actor, proposal, vocab.EXPIRED, now)
    elif not is_active_admin(session, proposal.proposed_by):
        lapse(session, actor, proposal, vocab.PROPOSER_GONE, now)
    else:
        return False
    return True


def lapse_proposals_of(session: Session, actor: Actor, user_id: uuid.UUID) -> int:
    """The person is no longer an active admin: their open proposals lapse."""
    count = 0
    for kind in KINDS:
        for proposal in session.scalars(select(kind).where(kind.status == vocab.PENDING, kind.proposed_by == user_id)):
            lapse(session, actor, proposal, vocab.PROPOSER_GONE)
            count += 1
    return count


def lapse_after_credential_reset(session: Session, actor: Actor, user: UserProfile) -> int:
    """A credential of `user` was reset: lapse what depended on it (module docstring)."""
    could_confirm = user.is_active and user.has_role(ADMIN)
    count = 0
    for kind in KINDS:
        query = select(kind).where(kind.status == vocab.PENDING)
        if not could_confirm:
            query = query.where(or_(kind.proposed_by == user.id, kind.user_id == user.id))
        if kind is CredentialResetProposal:
            query = query.where(kind.user_id != user.id)
        for proposal in session.scalars(query.order_by(kind.proposed_at)):
            lapse(session, actor, proposal, vocab.CREDENTIAL_RESET)
            count += 1
    return count


def lapse_overdue(session: Session, actor: Actor, now: datetime) -> int:
    """Mark every pending proposal past its 72 hours lapsed (one row each); the caller's
    transaction."""
    count = 0
    for kind in KINDS:
        for proposal in session.scalars(select(kind).where(kind.status == vocab.PENDING, kind.expires_at <= now)):
            lapse(session, actor, proposal, vocab.EXPIRED, now)
            count += 1
    return count
