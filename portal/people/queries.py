"""Read-only queries behind the people pages (the services do all writing)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portal import clock
from portal.domain.people import PENDING
from portal.domain.roles import ADMIN
from portal.models import (
    AdminRoleProposal, Booking, CredentialResetProposal, Role, StylistProfile, UserMfa, UserProfile, UserRole,
)
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES


LIMIT = 100


@dataclass(frozen=True)
class PersonRow:
    user: UserProfile
    mfa_on: bool


def people(session: Session, text: str | None, role: str | None = None, state: str | None = None) -> list[PersonRow]:
    query = (select(UserProfile, UserMfa.confirmed_at).outerjoin(UserMfa, UserMfa.user_id == UserProfile.id)
             .order_by(func.lower(UserProfile.display_name), UserProfile.id).limit(LIMIT))
    if role:
        query = query.where(UserProfile.id.in_(
            select(UserRole.user_id).join(Role, Role.id == UserRole.role_id).where(Role.name == role, UserRole.is_active)))
    if state in ("active", "deactivated"):
        query = query.where(UserProfile.is_active.is_(state == "active"))
    text = (text or "").strip().lower()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(func.lower(UserProfile.display_name).like(pattern, escape="\\"),
                                func.lower(UserProfile.email).like(pattern, escape="\\")))
    return [PersonRow(user, confirmed is not None) for user, confirmed in session.execute(query)]


def pending_proposals(session: Session) -> list[tuple[AdminRoleProposal, UserProfile]]:
    return list(session.execute(
        select(AdminRoleProposal, UserProfile).join(UserProfile, UserProfile.id == AdminRoleProposal.user_id)
        .where(AdminRoleProposal.status == PENDING).order_by(AdminRoleProposal.proposed_at)).tuples())


def proposals_for(session: Session, user_id: uuid.UUID) -> list[AdminRoleProposal]:
    return list(session.scalars(select(AdminRoleProposal).where(AdminRoleProposal.user_id == user_id)
                                .order_by(AdminRoleProposal.proposed_at.desc()).limit(10)))


def pending_resets(session: Session, user_id: uuid.UUID | None = None
                   ) -> list[tuple[CredentialResetProposal, UserProfile]]:
    """Credential resets waiting for a second admin (everyone's, or one person's)."""
    query = (select(CredentialResetProposal, UserProfile)
             .join(UserProfile, UserProfile.id == CredentialResetProposal.user_id)
             .where(CredentialResetProposal.status == PENDING).order_by(CredentialResetProposal.proposed_at))
    if user_id is not None:
        query = query.where(CredentialResetProposal.user_id == user_id)
    return list(session.execute(query).tuples())


def resets_for(session: Session, user_id: uuid.UUID) -> list[CredentialResetProposal]:
    return list(session.scalars(select(CredentialResetProposal).where(CredentialResetProposal.user_id == user_id)
                                .order_by(CredentialResetProposal.proposed_at.desc()).limit(10)))


def names(session: Session, ids) -> dict[uuid.UUID, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {row.id: row.display_name for row in session.execute(
        select(UserProfile.id, UserProfile.display_name).where(UserProfile.id.in_(ids)))}


def upcoming_bookings(session: Session, stylist_id: uuid.UUID) -> int:
    return session.scalar(select(func.count()).select_from(Booking).where(
        Booking.stylist_user_id == stylist_id, Booking.start_time >= clock.now(),
        Booking.status.in_(OCCUPYING_BOOKING_STATUSES))) or 0


def stylist_profile(session: Session, user_id: uuid.UUID) -> StylistProfile | None:
    return session.get(StylistProfile, user_id)


def lone_admin(session: Session, second_admin_required: bool) -> bool:
    """A new stylist's promotion needs a second admin to approve it and the salon has only one."""
    if not second_admin_required:
        return False
    admins = session.scalar(
        select(func.count(func.distinct(UserProfile.id))).join(UserRole, UserRole.user_id == UserProfile.id)
        .join(Role, Role.id == UserRole.role_id).where(Role.name == ADMIN, UserRole.is_active, UserProfile.is_active))
    return (admins or 0) < 2
