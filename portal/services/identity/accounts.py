"""Accounts: sign-in checks, sign-out, creating users."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from portal import clock
from portal.actor import Actor
from portal.database import fresh_snapshot, use_case
from portal.domain.password_policy import password_problem
from portal.domain.refusals import Refused
from portal.domain.roles import ROLE_NAMES
from portal.models import Role, ServiceManagementLog, UserProfile, UserRole
from portal.services.audit import audit_exempt, audited, log_event
from portal.services.audit.security import record_sampled_security_event

# scrypt (Werkzeug's default parameters): slow and memory-hard. The setting
# PASSWORD_HASH_METHOD (default scrypt, portal/config.py) may name another
# Werkzeug method; the test suite sets a cheap one to stay fast.
DEFAULT_HASH_METHOD = "scrypt"
_dummy_hashes: dict[str, str] = {}  # one per method: a cache, computed once


def _hash_method() -> str:
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_HASH_METHOD
    return DEFAULT_HASH_METHOD


def _dummy_hash() -> str:
    """A real hash to compare against when the account is unknown, so that an unknown
    email costs the same time as a wrong password (no account enumeration by timing)."""
    method = _hash_method()
    if method not in _dummy_hashes:
        _dummy_hashes[method] = hash_password("not-a-real-password")
    return _dummy_hashes[method]


class AccountError(Refused):
    """A refused account operation, with a message fit for the user."""

    default_code = "ACCOUNT_REFUSED"


def hash_password(password: str) -> str:
    """A salted hash with a slow KDF (scrypt unless PASSWORD_HASH_METHOD says otherwise)."""
    return generate_password_hash(password, method=_hash_method())


def find_user_by_email(session: Session, email: str) -> UserProfile | None:
    return session.scalars(
        select(UserProfile).where(func.lower(UserProfile.email) == email.strip().lower())
    ).one_or_none()


def authenticate(session: Session, email: str, password: str, actor: Actor) -> UserProfile | None:
    """The user when the password matches an active account; otherwise None.

    A failure is written to the security log (its own transaction) with the email
    tried, never the password.
    """
    user = find_user_by_email(session, email)
    ok = check_password_hash(user.password_hash if user and user.password_hash else _dummy_hash(), password)
    if user is not None and user.password_hash and ok and user.is_active:
        return user
    reason = "unknown_user" if user is None else ("inactive" if not user.is_active else "wrong_password")
    # End the read first: the event's own transaction then takes the connection this
    # one returns, so a sign-in never holds two pooled connections at once.
    fresh_snapshot(session)
    record_sampled_security_event(actor, "login_failed", email=email.strip().lower()[:254], reason=reason)
    return None


@audit_exempt("session bookkeeping (the sign-in token), not an administrative change")
def end_all_sessions(session: Session, user: UserProfile) -> None:
    """End every signed-in session of `user`, on every device: the token their
    cookies must carry is replaced, so every older cookie signs no one in.

    The one mechanism behind sign-out, "signing in again ends the other sessions",
    password changes and deactivation (security.md "Sign-in"). To keep the *current*
    session (a password change), the view signs it in again afterwards
    (`login_user(user)`: the cookie then carries the new token)."""
    with use_case(session):
        user.rotate_session_token()


@audit_exempt("session bookkeeping (the sign-in token), not an administrative change")
def start_session(session: Session, user: UserProfile) -> list[datetime]:
    """A new sign-in: the user's other sessions end (the rotation of `end_all_sessions`),
    this one gets the new token; the time is noted for the people pages. Returns when
    the account's sign-in was paused since the previous sign-in (security.md: the user
    is told; `portal.auth.account_ceiling`)."""
    with use_case(session):
        pauses = session.scalars(select(ServiceManagementLog.created_at).where(
            ServiceManagementLog.category == "security", ServiceManagementLog.action == "account_sign_in_paused",
            ServiceManagementLog.target_type == "user_profile", ServiceManagementLog.target_id == user.id,
            *([ServiceManagementLog.created_at > user.last_sign_in_at] if user.last_sign_in_at else []),
        )).all()
        user.rotate_session_token()
        user.last_sign_in_at = clock.now()
    return list(pauses)


@audit_exempt("session bookkeeping (the sign-in token), not an administrative change")
def end_session(session: Session, user: UserProfile) -> None:
    """Sign-out: every copy of an older session cookie stops working."""
    end_all_sessions(session, user)


@audited(action="user_created", category="governance")
def register_user(session: Session, actor: Actor, email: str, name: str, role: str,
                  password: str | None) -> UserProfile:
    """An operator creates a user with one role (`flask create-user`): the account and
    its `user_created` row (governance: a role granted; email and role in details)."""
    with use_case(session):
        user = _new_user(session, email, name, role, password)
        session.flush()
        log_event(
            session, actor, action="user_created", category="governance",
            target_type="user_profile", target_id=user.id, details={"email": user.email, "role": role},
        )
    return user


@audit_exempt("provisioning for seed data and test fixtures; operators go through register_user")
def create_user(session: Session, email: str, name: str, role: str, password: str | None) -> UserProfile:
    """Create a user with one role; the email must be new (case-insensitive)."""
    with use_case(session):
        user = _new_user(session, email, name, role, password)
    return user


def _new_user(session: Session, email: str, name: str, role: str, password: str | None) -> UserProfile:
    email = email.strip()
    if role not in ROLE_NAMES:
        raise AccountError(None, f"Unknown role {role!r}: choose one of {', '.join(ROLE_NAMES)}.")
    if "@" not in email or len(email) > 254:
        raise AccountError(None, "Enter a valid email address.", ("email",))
    if not name.strip():
        raise AccountError(None, "A display name is required.", ("name",))
    if find_user_by_email(session, email) is not None:
        raise AccountError(None, f"A user with email {email} already exists.", ("email",))
    problem = password_problem(password) if password else None
    if problem:
        raise AccountError(None, problem, ("password",))
    user = UserProfile(
        email=email, display_name=name.strip(),
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    grant_role(session, user, role)
    return user


def grant_role(session: Session, user: UserProfile, role: str, assigned_by=None) -> None:
    """Add (or reactivate) a role on the user, inside the caller's transaction."""
    role_row = session.scalars(select(Role).where(Role.name == role)).one()
    link = next((link for link in user.role_links if link.role_id == role_row.id), None)
    if link is None:
        user.role_links.append(UserRole(role=role_row, assigned_by=assigned_by))
    else:
        link.is_active = True
        link.assigned_by = assigned_by


def revoke_role(user: UserProfile, role: str) -> None:
    """Deactivate a role link, inside the caller's transaction."""
    for link in user.role_links:
        if link.role.name == role:
            link.is_active = False
