"""People use-cases (admins only): accounts, deactivation, four-eyes admin changes.

Each is one function, one transaction (`use_case`), its `governance` row inside it
with old and new values (never a password, secret, token or code).

- Deactivating ends the person's sessions at once (the session token rotates, and the
  user loader refuses inactive accounts) and, for a stylist, deactivates the stylist
  profile in the same transaction: the cache triggers on `stylist_profiles` retire
  their slots at once. Reactivating restores the profile if they still hold the
  stylist role (a revoked stylist has lost it and stays unlisted).
- The admin role changes only through a proposal that a different admin confirms
  within 72 hours; the last active admin can never lose the role or be deactivated
  (checked with the admins' rows locked: PostgreSQL `FOR UPDATE`, SQLite's write lock).
"""
from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.database import use_case
from portal.domain import people as vocab
from portal.domain.promotion import AUDIT_ACTIONS
from portal.domain.refusals import NotFound, Refused
from portal.domain.roles import ADMIN, CUSTOMER, STYLIST
from portal.models import AdminRoleProposal, Role, StylistProfile, StylistPromotion, UserProfile, UserRole
from portal.services.audit import audited, log_event
from portal.services.identity import accounts, proposals
from portal.services.staffing import promotions

LAST_ADMIN = "The salon must always have at least one active admin: make someone else an admin first."


def _admin(session: Session, actor: Actor) -> UserProfile:
    admin = session.get(UserProfile, actor.user_id) if actor.user_id else None
    if admin is None or not admin.is_active or not admin.has_role(ADMIN):
        raise Refused("NOT_ADMIN", "Only an active admin can do this.")
    return admin


def _user(session: Session, user_id) -> UserProfile:
    user = session.get(UserProfile, user_id) if isinstance(user_id, uuid.UUID) else None
    if user is None:
        raise NotFound("USER_NOT_FOUND", "No such person.")
    return user


def active_admin_ids(session: Session, lock: bool = False) -> set[uuid.UUID]:
    query = (select(UserProfile.id).join(UserRole, UserRole.user_id == UserProfile.id)
             .join(Role, Role.id == UserRole.role_id)
             .where(Role.name == ADMIN, UserRole.is_active, UserProfile.is_active))
    if lock:
        query = query.with_for_update()
    return set(session.scalars(query))


def _keep_an_admin(session: Session, user: UserProfile) -> None:
    admins = active_admin_ids(session, lock=True)
    if user.id in admins and len(admins) <= 1:
        raise Refused("LAST_ADMIN", LAST_ADMIN)


def _email_taken(session: Session, email: str, but: uuid.UUID | None = None) -> bool:
    query = select(UserProfile.id).where(func.lower(UserProfile.email) == email.lower())
    if but is not None:
        query = query.where(UserProfile.id != but)
    return session.scalar(query) is not None


def _clean(session: Session, name: str, email: str, user_id: uuid.UUID | None = None) -> tuple[str, str]:
    fields = {}
    clean_name, clean_email = vocab.clean_name(name), vocab.clean_email(email)
    if clean_name is None:
        fields["display_name"] = f"Enter a name (at most {vocab.MAX_NAME} characters)."
    if clean_email is None:
        fields["email"] = "Enter an email address such as name@example.com."
    elif _email_taken(session, clean_email, user_id):
        fields["email"] = "Someone already has this email address."
    if fields:
        raise Refused("INVALID_ACCOUNT", "Please correct the marked fields.", fields=fields)
    return clean_name, clean_email


def _conflict(error: IntegrityError) -> Refused:
    return Refused("EMAIL_TAKEN", "Someone already has this email address.",
                   fields={"email": "Someone already has this email address."})


@audited(action="account_created", category="governance")
def create_account(session: Session, actor: Actor, name: str, email: str, roles: list[str]) -> UserProfile:
    """A new account without a password (issue a password link next)."""
    with use_case(session, lock=True, on_conflict=_conflict):
        _admin(session, actor)
        clean_name, clean_email = _clean(session, name, email)
        roles = [r for r in dict.fromkeys(roles) if r]
        if not roles or any(r not in vocab.CREATABLE_ROLES for r in roles):
            raise Refused("INVALID_ROLES", "Choose customer, auditor or both.",
                          fields={"roles": "Choose customer, auditor or both."})
        user = _new_account(session, actor, clean_name, clean_email, roles)
    return user


def _new_account(session: Session, actor: Actor, name: str, email: str, roles: list[str]) -> UserProfile:
    user = UserProfile(email=email, display_name=name, password_hash=None)
    session.add(user)
    for role in roles:
        accounts.grant_role(session, user, role, assigned_by=actor.user_id)
    session.flush()
    log_event(session, actor, action="account_created", category="governance", target_type="user_profile",
              target_id=user.id, details={"new": {"email": email, "display_name": name, "roles": sorted(roles)}})
    return user


def _stylist_conflict(error: IntegrityError) -> Refused:
    if "promotion" in str(error.orig):
        return promotions.starting_conflict(error)
    return _conflict(error)


@audited(action=("account_created", AUDIT_ACTIONS["start"]), category="governance", rows=None)
def start_new_stylist(session: Session, actor: Actor, name: str, email: str
                      ) -> tuple[StylistPromotion, UserProfile, bool]:
    """People → New stylist: the vetted promotion for this person, their account first if
    nobody has this email yet (a customer account without a password). Returns the draft,
    the person and whether their account was created here."""
    with use_case(session, lock=True, on_conflict=_stylist_conflict):
        _admin(session, actor)
        clean_email = vocab.clean_email(email)
        user = session.scalar(select(UserProfile).where(func.lower(UserProfile.email) == clean_email.lower())
                              ) if clean_email else None
        created = user is None
        if created:
            clean_name, clean_email = _clean(session, name, email)
            user = _new_account(session, actor, clean_name, clean_email, [CUSTOMER])
        promotion = promotions.draft_for(session, actor, user)
    return promotion, user, created


@audited(action="account_edited", category="governance")
def edit_account(session: Session, actor: Actor, user_id: uuid.UUID, name: str, email: str) -> UserProfile:
    with use_case(session, lock=True, on_conflict=_conflict):
        _admin(session, actor)
        user = _user(session, user_id)
        clean_name, clean_email = _clean(session, name, email, user.id)
        old = {"email": user.email, "display_name": user.display_name}
        new = {"email": clean_email, "display_name": clean_name}
        if old == new:
            raise Refused("NO_CHANGE", "Nothing was changed.")
        user.email, user.display_name = clean_email, clean_name
        session.flush()
        log_event(session, actor, action="account_edited", category="governance", target_type="user_profile",
                  target_id=user.id, details={"old": old, "new": new})
    return user


@audited(action=("account_deactivated", "admin_role_lapsed", "credential_reset_lapsed"), category="governance",
         rows=None)
def deactivate(session: Session, actor: Actor, user_id: uuid.UUID) -> UserProfile:
    with use_case(session, lock=True):
        admin = _admin(session, actor)
        user = _user(session, user_id)
        if user.id == admin.id:
            raise Refused("SELF", "You cannot deactivate your own account; ask another admin.")
        if not user.is_active:
            raise Refused("ALREADY_INACTIVE", f"{user.display_name} is already deactivated.")
        _keep_an_admin(session, user)
        now = clock.now()
        user.is_active = False
        user.rotate_session_token()  # every session ends now
        profile = session.get(StylistProfile, user.id)
        hid_slots = bool(profile and profile.is_active)
        if hid_slots:
            profile.is_active, profile.deactivated_at, profile.deactivated_by = False, now, actor.user_id
        session.flush()
        proposals.lapse_proposals_of(session, actor, user.id)  # an inactive admin's can no longer be confirmed
        log_event(session, actor, action="account_deactivated", category="governance", severity="warning",
                  target_type="user_profile", target_id=user.id,
                  details={"email": user.email, "old": {"is_active": True}, "new": {"is_active": False},
                           "sessions_ended": True, "stylist_profile_hidden": hid_slots})
    return user


@audited(action="account_reactivated", category="governance")
def reactivate(session: Session, actor: Actor, user_id: uuid.UUID) -> UserProfile:
    with use_case(session, lock=True):
        _admin(session, actor)
        user = _user(session, user_id)
        if user.is_active:
            raise Refused("ALREADY_ACTIVE", f"{user.display_name} is already active.")
        user.is_active = True
        profile = session.get(StylistProfile, user.id)
        restored = bool(profile and not profile.is_active and STYLIST in user.role_names)
        if restored:
            profile.is_active, profile.deactivated_at, profile.deactivated_by = True, None, None
        session.flush()
        log_event(session, actor, action="account_reactivated", category="governance", target_type="user_profile",
                  target_id=user.id, details={"email": user.email, "old": {"is_active": False},
                                              "new": {"is_active": True}, "stylist_profile_restored": restored})
    return user


# --- four-eyes admin role --------------------------------------------------------------
def _proposal_conflict(error: IntegrityError) -> Refused:
    return Refused("PROPOSAL_EXISTS", "A change of this person's admin role is already waiting for a second admin.")


@audited(action="admin_role_proposed", category="governance")
def propose_admin_change(session: Session, actor: Actor, user_id: uuid.UUID, change: str) -> AdminRoleProposal:
    with use_case(session, lock=True, on_conflict=_proposal_conflict):
        _admin(session, actor)
        user = _user(session, user_id)
        is_admin = user.has_role(ADMIN)
        if change not in vocab.PROPOSAL_CHANGES:
            raise Refused("INVALID_CHANGE", "Choose whether to make this person an admin or remove the role.")
        if change == vocab.GRANT and (is_admin or not user.is_active):
            raise Refused("NOT_APPLICABLE", f"{user.display_name} is already an admin." if is_admin
                          else f"{user.display_name}'s account is deactivated.")
        if change == vocab.REMOVE:
            if not is_admin:
                raise Refused("NOT_APPLICABLE", f"{user.display_name} is not an admin.")
            _keep_an_admin(session, user)
        pending = session.scalar(select(AdminRoleProposal.id).where(
            AdminRoleProposal.user_id == user.id, AdminRoleProposal.status == vocab.PENDING))
        if pending is not None:
            raise _proposal_conflict(None)
        now = clock.now()
        proposal = AdminRoleProposal(user_id=user.id, change=change, status=vocab.PENDING,
                                     proposed_by=actor.user_id, proposed_at=now,
                                     expires_at=now + vocab.PROPOSAL_LIFETIME)
        session.add(proposal)
        session.flush()
        log_event(session, actor, action="admin_role_proposed", category="governance", severity="warning",
                  target_type="user_profile", target_id=user.id,
                  details={"proposal_id": str(proposal.id), "change": change, "email": user.email,
                           "expires_at": proposal.expires_at.isoformat()})
    return proposal


@audited(action=("admin_role_confirmed", "admin_role_lapsed"), category="governance", rows=None)
def confirm_admin_change(session: Session, actor: Actor, proposal_id: uuid.UUID) -> AdminRoleProposal:
    """A second admin confirms: the role is granted or removed (a removed admin's own
    open proposals lapse with it). A proposal past its 72 hours, or whose proposer is no
    longer an active admin, is marked lapsed instead (and logged); the returned status
    and `lapse_reason` say which."""
    with use_case(session, lock=True):
        admin = _admin(session, actor)
        proposal = session.get(AdminRoleProposal, proposal_id) if isinstance(proposal_id, uuid.UUID) else None
        if proposal is None:
            raise NotFound("PROPOSAL_NOT_FOUND", "No such proposal.")
        if proposal.status != vocab.PENDING:
            raise Refused("NOT_PENDING", f"This proposal is no longer waiting: {vocab.STATE_LABELS[proposal.status]}.")
        if proposal.proposed_by == admin.id:
            raise Refused("SAME_ADMIN", "A different admin must confirm a change you proposed.")
        if proposals.lapse_unconfirmable(session, actor, proposal, clock.now()):
            return proposal  # past its 72 hours, or its proposer is no longer an admin
        user = _user(session, proposal.user_id)
        proposal.status, proposal.decided_by, proposal.decided_at = vocab.CONFIRMED, admin.id, clock.now()
        if proposal.change == vocab.GRANT:
            if not user.is_active:
                raise Refused("USER_INACTIVE", f"{user.display_name}'s account is deactivated.")
            accounts.grant_role(session, user, ADMIN, assigned_by=actor.user_id)
        else:
            _keep_an_admin(session, user)
            accounts.revoke_role(user, ADMIN)
        session.flush()
        if proposal.change == vocab.REMOVE:
            proposals.lapse_proposals_of(session, actor, user.id)  # theirs can no longer be confirmed
        log_event(session, actor, action="admin_role_confirmed", category="governance", severity="warning",
                  target_type="user_profile", target_id=user.id,
                  details={"proposal_id": str(proposal.id), "change": proposal.change, "email": user.email,
                           "proposed_by": str(proposal.proposed_by),
                           "old": {ADMIN: proposal.change == vocab.REMOVE},
                           "new": {ADMIN: proposal.change == vocab.GRANT}})
    return proposal


@audited(action=("admin_role_lapsed", "credential_reset_lapsed"), category="governance", rows=None)
def lapse_overdue(session: Session, actor: Actor) -> int:
    """Mark every pending proposal (admin role, credential reset) past its 72 hours
    lapsed (one log row each)."""
    with use_case(session, lock=True):
        return proposals.lapse_overdue(session, actor, clock.now())
