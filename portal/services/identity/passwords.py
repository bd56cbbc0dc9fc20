"""Passwords: one-time links issued by an admin, and changing one's own password.

A link's token is 32 random bytes shown once; only its SHA-256 hash is stored, so the
database holds nothing that opens the page. A link works once (the use is a
conditional UPDATE: of two tabs, one wins) and for 24 hours. Setting or changing a
password rotates the session token: every other session of the person ends.

For an admin's account a link is four-eyes (`credential_resets`): `issue_link` refuses,
and the confirming admin is shown the link. Issuing a link and setting a password with
one are credential resets: the proposals that depended on the person lapse
(`proposals.lapse_after_credential_reset`).
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from portal import clock
from portal.actor import Actor
from portal.database import use_case
from portal.domain.password_policy import password_problem
from portal.domain.people import PASSWORD_LINK_LIFETIME, has_lapsed
from portal.domain.refusals import NotFound, Refused
from portal.domain.roles import ADMIN
from portal.domain.translatable import Msg, N_
from portal.models import PasswordLink, UserProfile
from portal.services.audit import audited, log_event
from portal.services.identity import proposals
from portal.services.identity.accounts import hash_password

LINK_UNKNOWN = "This link is not valid. Ask an admin for a new one."
LINK_USED = "This link was already used. If you did not use it, ask an admin for a new one."
LINK_EXPIRED = "This link has expired (links work for 24 hours). Ask an admin for a new one."


@dataclass(frozen=True)
class IssuedLink:
    token: str
    user: UserProfile
    expires_at: object


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _policy(password: str, field: str) -> None:
    problem = password_problem(password)
    if problem:
        raise Refused("WEAK_PASSWORD", problem, fields={field: problem})


FOUR_EYES = N_("%(name)s is an admin: a password link for an admin needs a second admin. Propose it; "
                "a different admin confirms it and is shown the link.")


@audited(action=("password_link_issued", "admin_role_lapsed", "credential_reset_lapsed"), category="governance",
         rows=None)
def issue_link(session: Session, actor: Actor, user_id: uuid.UUID) -> IssuedLink:
    """A new link for a user who is not an admin (older unused links stop working);
    for an admin it is a four-eyes proposal instead (`credential_resets`)."""
    with use_case(session, lock=True):
        user = session.get(UserProfile, user_id)
        if user is None:
            raise NotFound("USER_NOT_FOUND", "No such person.")
        if user.has_role(ADMIN):
            raise Refused("FOUR_EYES", Msg(FOUR_EYES, name=user.display_name))
        return new_link(session, actor, user)


@audited(action=("password_link_issued", "admin_role_lapsed", "credential_reset_lapsed"), category="governance",
         rows=None)
def issue_link_by_operator(session: Session, email: str, operator: str) -> IssuedLink:
    """`flask password-link EMAIL`: whoever runs it has the server (hence the database)
    and is trusted, so no second admin is asked, even for an admin — the way back in for
    a salon whose only other admin cannot confirm. The proposals that depended on the
    person lapse all the same."""
    with use_case(session, lock=True):
        user = session.scalar(select(UserProfile).where(func.lower(UserProfile.email) == email.strip().lower()))
        if user is None:
            raise NotFound("USER_NOT_FOUND", f"No account has the email {email}.")
        return new_link(session, Actor.system(operator), user, by="operator")


def new_link(session: Session, actor: Actor, user: UserProfile, **details) -> IssuedLink:
    """Issue the link inside the caller's use-case: older unused links retire, the
    `password_link_issued` row, and the proposals that depended on the person's
    credentials lapse (`proposals.lapse_after_credential_reset`)."""
    if not user.is_active:
        raise Refused("USER_INACTIVE", f"{user.display_name}'s account is deactivated: reactivate it first.")
    now = clock.now()
    session.execute(update(PasswordLink).where(
        PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None), PasswordLink.expires_at > now,
    ).values(expires_at=now).execution_options(synchronize_session=False))
    token = secrets.token_urlsafe(32)
    link = PasswordLink(user_id=user.id, token_hash=token_hash(token), issued_by=actor.user_id,
                        created_at=now, expires_at=now + PASSWORD_LINK_LIFETIME)
    session.add(link)
    session.flush()
    log_event(session, actor, action="password_link_issued", category="governance",
              severity="warning" if details else "info", target_type="user_profile", target_id=user.id,
              details={"email": user.email, "link_id": str(link.id), "expires_at": link.expires_at.isoformat(),
                       **details})
    proposals.lapse_after_credential_reset(session, actor, user)
    return IssuedLink(token, user, link.expires_at)


def link_owner(session: Session, token: str) -> UserProfile:
    """The person a usable link is for, or the refusal a visitor reads."""
    link = session.scalar(select(PasswordLink).where(PasswordLink.token_hash == token_hash(token)))
    _usable(link)
    return session.get(UserProfile, link.user_id)


def _usable(link: PasswordLink | None) -> None:
    if link is None:
        raise NotFound("LINK_UNKNOWN", LINK_UNKNOWN)
    if link.used_at is not None:
        raise Refused("LINK_USED", LINK_USED)
    if has_lapsed(link.expires_at, clock.now()):
        raise Refused("LINK_EXPIRED", LINK_EXPIRED)


@audited(action=("password_set_by_link", "admin_role_lapsed", "credential_reset_lapsed"), category="security",
         rows=None)
def set_with_link(session: Session, actor: Actor, token: str, new_password: str) -> UserProfile:
    with use_case(session, lock=True):
        link = session.scalar(select(PasswordLink).where(PasswordLink.token_hash == token_hash(token)))
        _usable(link)
        _policy(new_password, "new_password")
        user = session.get(UserProfile, link.user_id)
        if user is None or not user.is_active:
            raise Refused("USER_INACTIVE", "This account is deactivated. Ask an admin.")
        won = session.execute(update(PasswordLink).where(PasswordLink.id == link.id, PasswordLink.used_at.is_(None))
                              .values(used_at=clock.now()).execution_options(synchronize_session=False)).rowcount
        if won != 1:
            raise Refused("LINK_USED", LINK_USED)
        user.password_hash = hash_password(new_password)
        user.rotate_session_token()
        log_event(session, actor, action="password_set_by_link", category="security", target_type="user_profile",
                  target_id=user.id, details={"email": user.email, "link_id": str(link.id)})
        proposals.lapse_after_credential_reset(session, actor, user)
    return user


@audited(action="password_changed", category="security")
def change_own(session: Session, actor: Actor, user_id: uuid.UUID, current: str, new_password: str) -> UserProfile:
    """The signed-in person's own password: the current one is required; every other
    session ends (the caller signs this session in again with the new token)."""
    with use_case(session, lock=True):
        user = session.get(UserProfile, user_id)
        if user is None:
            raise NotFound("USER_NOT_FOUND", "No such person.")
        if not (user.password_hash and check_password_hash(user.password_hash, current or "")):
            raise Refused("WRONG_PASSWORD", "Your current password is not right.",
                          fields={"current_password": "Your current password is not right."})
        _policy(new_password, "new_password")
        if check_password_hash(user.password_hash, new_password):
            raise Refused("SAME_PASSWORD", "Choose a password different from the current one.",
                          fields={"new_password": "Choose a password different from the current one."})
        user.password_hash = hash_password(new_password)
        user.rotate_session_token()
        log_event(session, actor, action="password_changed", category="security", target_type="user_profile",
                  target_id=user.id, details={"sessions_ended": True})
    return user
