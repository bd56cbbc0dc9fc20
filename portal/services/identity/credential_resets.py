"""Four-eyes credential resets for an admin's account (issue 22).

A password link together with a two-step reset lets whoever holds them sign in as the
person. For an admin that would let one admin act as two (propose a grant as herself,
confirm it as the other), so both are proposed by one admin and confirmed by another:

- the proposer is an active admin; the person concerned is an admin other than the
  proposer (for anyone else an admin acts alone: `passwords.issue_link`,
  `mfa.reset_by_admin`);
- a confirmer must exist: an active admin who is neither the proposer nor the person
  concerned. While the proposer and that person are the only admins, the proposal is
  refused (the server's operator, who is trusted, can: `flask password-link`,
  `flask reset-two-step`);
- the confirmer is such an admin; a proposal past its 72 hours, or whose proposer is no
  longer an active admin, lapses instead of being confirmed;
- confirming a password link issues it and shows it to the confirmer (only its hash is
  stored, so it cannot be shown to anyone later); confirming a two-step reset removes
  the factor. Rows: `credential_reset_proposed`, then `credential_reset_confirmed` with
  the effect's own row (`password_link_issued`, `mfa_reset`) carrying the proposal's id,
  or `credential_reset_lapsed`. Either is a credential reset: the proposals that depended on the person
  lapse (`proposals.lapse_after_credential_reset`).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.database import use_case
from portal.domain import people as vocab
from portal.domain.refusals import NotFound, Refused
from portal.domain.roles import ADMIN
from portal.domain.translatable import Msg, N_
from portal.models import CredentialResetProposal, UserMfa, UserProfile
from portal.services.audit import audited, log_event
from portal.services.identity import mfa, passwords, proposals
from portal.services.identity.people import active_admin_ids

NO_CONFIRMER = N_("Only you and %(name)s are admins, so nobody else could confirm this. Make a third person an "
                   "admin first, or ask the server's operator (flask password-link, flask reset-two-step).")


@dataclass(frozen=True)
class ResetOutcome:
    """What a confirmation did: the proposal (confirmed or lapsed) and, for a password
    link, the link to show once."""

    proposal: CredentialResetProposal
    link: passwords.IssuedLink | None = None


def _active_admin(session: Session, actor: Actor) -> UserProfile:
    admin = session.get(UserProfile, actor.user_id) if actor.user_id else None
    if admin is None or not admin.is_active or not admin.has_role(ADMIN):
        raise Refused("NOT_ADMIN", N_("Only an active admin can do this."))
    return admin


def _conflict(error: IntegrityError | None) -> Refused:
    return Refused("PROPOSAL_EXISTS", N_("The same reset for this person is already waiting for a second admin."))


@audited(action="credential_reset_proposed", category="governance")
def propose_reset(session: Session, actor: Actor, user_id: uuid.UUID, kind: str) -> CredentialResetProposal:
    with use_case(session, lock=True, on_conflict=_conflict):
        admin = _active_admin(session, actor)
        user = session.get(UserProfile, user_id) if isinstance(user_id, uuid.UUID) else None
        if user is None:
            raise NotFound("USER_NOT_FOUND", "No such person.")
        if kind not in vocab.CREDENTIAL_RESETS:
            raise Refused("INVALID_KIND", N_("Choose a password link or a two-step reset."))
        if user.id == admin.id:
            raise Refused("SELF", N_("Change your own password and two-step sign-in under Your account."))
        if not user.has_role(ADMIN):
            raise Refused("NOT_NEEDED", Msg(N_("%(name)s is not an admin: no second admin is needed."),
                                            name=user.display_name))
        if not user.is_active:
            raise Refused("USER_INACTIVE", Msg(N_("%(name)s's account is deactivated: reactivate it first."),
                                               name=user.display_name))
        if kind == vocab.TWO_STEP_RESET and session.get(UserMfa, user.id) is None:
            raise Refused("MFA_OFF", Msg(N_("%(name)s has no two-step sign-in to reset."), name=user.display_name))
        if not active_admin_ids(session, lock=True) - {admin.id, user.id}:
            raise Refused("NO_CONFIRMER", Msg(NO_CONFIRMER, name=user.display_name))
        if session.scalar(select(CredentialResetProposal.id).where(
                CredentialResetProposal.user_id == user.id, CredentialResetProposal.kind == kind,
                CredentialResetProposal.status == vocab.PENDING)) is not None:
            raise _conflict(None)
        now = clock.now()
        proposal = CredentialResetProposal(user_id=user.id, kind=kind, status=vocab.PENDING, proposed_by=admin.id,
                                           proposed_at=now, expires_at=now + vocab.PROPOSAL_LIFETIME)
        session.add(proposal)
        session.flush()
        log_event(session, actor, action="credential_reset_proposed", category="governance", severity="warning",
                  target_type="user_profile", target_id=user.id,
                  details={"proposal_id": str(proposal.id), "kind": kind, "email": user.email,
                           "expires_at": proposal.expires_at.isoformat()})
    return proposal


@audited(action=("credential_reset_confirmed", "password_link_issued", "mfa_reset", "credential_reset_lapsed",
                 "admin_role_lapsed"), category="governance", rows=None)
def confirm_reset(session: Session, actor: Actor, proposal_id: uuid.UUID) -> ResetOutcome:
    """A different admin (not the person concerned) confirms: the link is issued (and
    returned, to be shown once) or the factor removed; or the proposal lapses."""
    with use_case(session, lock=True):
        admin = _active_admin(session, actor)
        proposal = session.get(CredentialResetProposal, proposal_id) if isinstance(proposal_id, uuid.UUID) else None
        if proposal is None:
            raise NotFound("PROPOSAL_NOT_FOUND", N_("No such proposal."))
        if proposal.status != vocab.PENDING:
            raise Refused("NOT_PENDING", N_("This proposal is no longer waiting."))
        if proposal.proposed_by == admin.id:
            raise Refused("SAME_ADMIN", N_("A different admin must confirm a reset you proposed."))
        if proposal.user_id == admin.id:
            raise Refused("SELF", N_("Another admin must confirm a reset of your own account."))
        now = clock.now()
        if proposals.lapse_unconfirmable(session, actor, proposal, now):
            return ResetOutcome(proposal)
        user = session.get(UserProfile, proposal.user_id)
        proposal.status, proposal.decided_by, proposal.decided_at = vocab.CONFIRMED, admin.id, now
        session.flush()
        four_eyes = {"proposal_id": str(proposal.id), "proposed_by": str(proposal.proposed_by)}
        log_event(session, actor, action="credential_reset_confirmed", category="governance", severity="warning",
                  target_type="user_profile", target_id=user.id,
                  details={**four_eyes, "kind": proposal.kind, "email": user.email})
        if proposal.kind == vocab.PASSWORD_LINK:
            return ResetOutcome(proposal, passwords.new_link(session, actor, user, **four_eyes))
        mfa.remove_factor(session, actor, user, by=ADMIN, **four_eyes)
        return ResetOutcome(proposal)
