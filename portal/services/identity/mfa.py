"""Two-step sign-in (TOTP) use-cases: enrol, verify at sign-in, turn off, new recovery
codes, an admin's reset. Rules in `portal.domain.mfa`; secrets sealed by `secret_box`.

Replays are refused atomically: the accepted step is written with
`UPDATE ... WHERE last_used_step IS NULL OR last_used_step < :step`, and a recovery
code with `UPDATE ... WHERE used_at IS NULL` — of two requests with one code, one wins.
Failed and replayed codes are security events (their own transaction).
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from portal import clock
from portal.actor import Actor
from portal.database import use_case
from portal.domain import mfa as rules
from portal.domain.refusals import NotFound, Refused
from portal.domain.roles import ADMIN, AUDITOR
from portal.domain.translatable import Msg, N_
from portal.models import MfaRecoveryCode, UserMfa, UserProfile
from portal.services.audit import audit_exempt, audited, log_event
from portal.services.audit.security import record_security_event
from portal.services.identity import proposals
from portal.services.identity.secret_box import SecretUnreadable, open_sealed, seal

MUST_USE_ROLES = (ADMIN, AUDITOR)
WRONG_CODE = "That code is not right. Enter the 6-digit code your app shows now, or a recovery code."
REPLAYED = "That code was already used. Wait for the next code in your app and enter it."
START_AGAIN = N_("Start again: open the set-up page to get a new QR code.")
UNREADABLE = ("Your two-step sign-in cannot be checked since the portal's key changed. Use a recovery code, "
              "or ask an admin to reset your two-step sign-in.")


@dataclass(frozen=True)
class Enrolment:
    """One enrolment attempt: the secret shown, its `otpauth://` URI, and the secret
    sealed for the session that was shown it (the attempt lives there, nowhere else)."""

    secret: str
    uri: str
    sealed: str


def factor(session: Session, user_id: uuid.UUID) -> UserMfa | None:
    return session.get(UserMfa, user_id)


def is_enrolled(session: Session, user_id: uuid.UUID) -> bool:
    return bool(session.scalar(select(UserMfa.confirmed_at).where(UserMfa.user_id == user_id)))


def must_use(user: UserProfile) -> bool:
    return user.has_role(*MUST_USE_ROLES)


def recovery_codes_left(session: Session, user_id: uuid.UUID) -> int:
    return len(session.scalars(select(MfaRecoveryCode.id).where(
        MfaRecoveryCode.user_id == user_id, MfaRecoveryCode.used_at.is_(None))).all())


def start_enrolment(user: UserProfile) -> Enrolment:
    """A new attempt: a fresh secret, never stored in the database. Its sealed copy goes
    to the session that shows it (and only there), so no other session — another
    browser, an attacker who knows the password — is ever shown it or can confirm it."""
    secret = rules.new_secret()
    return Enrolment(secret, rules.provisioning_uri(secret, user.email), seal(secret))


def reopen_enrolment(user: UserProfile, sealed: str) -> Enrolment | None:
    """The attempt this session was shown (a reload shows the same QR code), or None
    when its sealed copy no longer opens (the key changed): start a new one then."""
    try:
        secret = open_sealed(sealed)
    except SecretUnreadable:
        return None
    return Enrolment(secret, rules.provisioning_uri(secret, user.email), sealed)


def _failed(replayed: bool) -> Refused:
    message = REPLAYED if replayed else WRONG_CODE
    return Refused("MFA_REPLAYED" if replayed else "MFA_WRONG_CODE", message, fields={"code": message},
                   details={"security_event": "mfa_code_replayed" if replayed else "mfa_code_failed"})


@contextmanager
def _logging_failures(actor: Actor, user_id: uuid.UUID, purpose: str) -> Iterator[None]:
    """A refused code becomes a security event, written after the use-case rolled back
    (its own transaction: never while the use-case holds SQLite's write lock)."""
    try:
        yield
    except Refused as refused:
        event = refused.details.get("security_event")
        if event:
            record_security_event(actor, event, user_id=str(user_id), purpose=purpose)
        raise


def _take_step(session: Session, row: UserMfa, code: str, now: datetime) -> int:
    """Accept a TOTP code once: write its step, or raise the refusal (logged)."""
    try:
        secret = open_sealed(row.secret_encrypted)
    except SecretUnreadable:  # the key changed since enrolment (docs/people.md)
        raise Refused("MFA_UNREADABLE", UNREADABLE, fields={"code": UNREADABLE},
                      details={"security_event": "mfa_secret_unreadable"}) from None
    step, replayed = rules.matching_step(secret, code, now, row.last_used_step)
    if step is None or replayed:
        raise _failed(replayed)
    won = session.execute(update(UserMfa).where(
        UserMfa.user_id == row.user_id,
        or_(UserMfa.last_used_step.is_(None), UserMfa.last_used_step < step),
    ).values(last_used_step=step).execution_options(synchronize_session=False)).rowcount
    if won != 1:
        raise _failed(True)
    return step


def _new_codes(session: Session, user_id: uuid.UUID) -> list[str]:
    session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user_id))
    codes = rules.new_recovery_codes()
    session.add_all(MfaRecoveryCode(user_id=user_id, code_hash=rules.recovery_hash(c)) for c in codes)
    return codes


def _already_on(error) -> Refused:
    return Refused("MFA_ALREADY_ON", "Two-step sign-in is already on for your account.")


@audited(action="mfa_enrolled", category="security")
def confirm_enrolment(session: Session, actor: Actor, user_id: uuid.UUID, sealed: str | None,
                      code: str) -> list[str]:
    """Turn two-step sign-in on with the attempt this session was shown (`sealed`, from
    `start_enrolment`) and a first valid code from it; returns the ten recovery codes
    (shown once; only their hashes are kept). The factor row is written only now."""
    with _logging_failures(actor, user_id, "enrolment"), use_case(session, lock=True, on_conflict=_already_on):
        row = session.get(UserMfa, user_id)
        if row is not None and row.confirmed_at is not None:
            raise _already_on(None)
        try:
            secret = open_sealed(sealed or "")
        except SecretUnreadable:
            raise Refused("MFA_NOT_PENDING", START_AGAIN, fields={"code": START_AGAIN}) from None
        if row is not None:  # an unconfirmed row from before enrolments were per attempt: discarded
            session.delete(row)
            session.flush()
        now = clock.now()
        step, _ = rules.matching_step(secret, code, now, None)
        if step is None:
            raise _failed(False)
        session.add(UserMfa(user_id=user_id, secret_encrypted=seal(secret), confirmed_at=now, last_used_step=step))
        session.flush()
        codes = _new_codes(session, user_id)
        log_event(session, actor, action="mfa_enrolled", category="security", target_type="user_profile",
                  target_id=user_id, details={"recovery_codes": len(codes)})
    return codes


@audit_exempt("the replay guard (last used step, used recovery code); failures are security events")
def verify(session: Session, actor: Actor, user_id: uuid.UUID, code: str) -> str:
    """Check a sign-in code ("totp") or recovery code ("recovery"), each usable once."""
    with _logging_failures(actor, user_id, "sign_in"), use_case(session):
        row = session.get(UserMfa, user_id)
        if row is None or row.confirmed_at is None:
            raise NotFound("MFA_OFF", "Two-step sign-in is not on for this account.")
        if rules.normalise_totp(code) is not None:
            _take_step(session, row, code, clock.now())
            return "totp"
        if rules.looks_like_recovery(code):
            hit = session.scalar(select(MfaRecoveryCode.id).where(
                MfaRecoveryCode.user_id == user_id, MfaRecoveryCode.code_hash == rules.recovery_hash(code),
                MfaRecoveryCode.used_at.is_(None)))
            if hit is not None and session.execute(update(MfaRecoveryCode).where(
                    MfaRecoveryCode.id == hit, MfaRecoveryCode.used_at.is_(None)).values(used_at=clock.now())
                    .execution_options(synchronize_session=False)).rowcount == 1:
                return "recovery"
        raise _failed(False)


def _check_password_and_code(session: Session, user: UserProfile, password: str, code: str) -> UserMfa:
    row = session.get(UserMfa, user.id)
    if row is None or row.confirmed_at is None:
        raise Refused("MFA_OFF", "Two-step sign-in is not on for your account.")
    if not (user.password_hash and check_password_hash(user.password_hash, password or "")):
        raise Refused("WRONG_PASSWORD", "Your current password is not right.",
                      fields={"password": "Your current password is not right."})
    _take_step(session, row, code, clock.now())
    return row


@audited(action="mfa_turned_off", category="security")
def turn_off(session: Session, actor: Actor, user_id: uuid.UUID, password: str, code: str) -> None:
    """Needs the current password and a code; admins and auditors must keep it on."""
    with _logging_failures(actor, user_id, "turn_off"), use_case(session, lock=True):
        user = session.get(UserProfile, user_id) or _missing()
        if must_use(user):
            raise Refused("MFA_REQUIRED", "Admins and auditors must keep two-step sign-in on. You can make "
                          "new recovery codes, or ask another admin to reset it if you lost your phone.")
        row = _check_password_and_code(session, user, password, code)
        session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user_id))
        session.delete(row)
        log_event(session, actor, action="mfa_turned_off", category="security", target_type="user_profile",
                  target_id=user_id, details={})


@audited(action="mfa_recovery_codes_renewed", category="security")
def renew_recovery_codes(session: Session, actor: Actor, user_id: uuid.UUID, password: str, code: str) -> list[str]:
    with _logging_failures(actor, user_id, "recovery_codes"), use_case(session, lock=True):
        user = session.get(UserProfile, user_id) or _missing()
        _check_password_and_code(session, user, password, code)
        codes = _new_codes(session, user_id)
        log_event(session, actor, action="mfa_recovery_codes_renewed", category="security",
                  target_type="user_profile", target_id=user_id, details={"recovery_codes": len(codes)})
    return codes


FOUR_EYES = N_("%(name)s is an admin: resetting an admin's two-step sign-in needs a second admin. Propose it; "
                "a different admin confirms it.")
RESET_ACTIONS = ("mfa_reset", "admin_role_lapsed", "credential_reset_lapsed")


@audited(action=RESET_ACTIONS, category="governance", rows=None)
def reset_by_admin(session: Session, actor: Actor, user_id: uuid.UUID) -> UserProfile:
    """An admin removes another user's factor (they enrol again); their sessions end.
    For an admin's account it is a four-eyes proposal instead (`credential_resets`)."""
    with use_case(session, lock=True):
        admin = session.get(UserProfile, actor.user_id) if actor.user_id else None
        if admin is None or not admin.is_active or not admin.has_role(ADMIN):
            raise Refused("NOT_ADMIN", "Only an active admin can reset someone's two-step sign-in.")
        if admin.id == user_id:
            raise Refused("SELF", "Change your own two-step sign-in under Your account (password and code needed).")
        user = session.get(UserProfile, user_id) or _missing()
        if user.has_role(ADMIN):
            raise Refused("FOUR_EYES", Msg(FOUR_EYES, name=user.display_name))
        return remove_factor(session, actor, user, by=ADMIN)


@audited(action=RESET_ACTIONS, category="governance", rows=None)
def reset_by_operator(session: Session, email: str, operator: str) -> UserProfile:
    """`flask reset-two-step EMAIL`: the way back in when the last admin lost their phone
    and their recovery codes (whoever runs it has the server, hence the database, and is
    trusted: no second admin is asked, even for an admin; the proposals that depended on
    the person lapse all the same)."""
    with use_case(session, lock=True):
        user = session.scalar(select(UserProfile).where(func.lower(UserProfile.email) == email.strip().lower()))
        if user is None:
            raise NotFound("USER_NOT_FOUND", f"No account has the email {email}.")
        return remove_factor(session, Actor.system(operator), user, by="operator")


def remove_factor(session: Session, actor: Actor, user: UserProfile, by: str, **details) -> UserProfile:
    """Inside the caller's use-case: the factor and its recovery codes go, the person's
    sessions end, the `mfa_reset` row (warning), and the proposals that depended on the
    person's credentials lapse (`proposals.lapse_after_credential_reset`)."""
    row = session.get(UserMfa, user.id)
    if row is None:
        raise Refused("MFA_OFF", f"{user.display_name} has no two-step sign-in to reset.")
    session.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id))
    session.delete(row)
    user.rotate_session_token()
    log_event(session, actor, action="mfa_reset", category="governance", severity="warning",
              target_type="user_profile", target_id=user.id,
              details={"email": user.email, "was_confirmed": row.confirmed_at is not None,
                       "sessions_ended": True, "by": by, **details})
    session.flush()
    proposals.lapse_after_credential_reset(session, actor, user)
    return user


def _missing():
    raise NotFound("USER_NOT_FOUND", "No such person.")
