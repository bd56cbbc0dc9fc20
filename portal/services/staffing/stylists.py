"""Stylist profiles as promotions create, reactivate and deactivate them.

These helpers run inside the caller's transaction (the promotion service commits):
they validate the approval details, write the profile, the offers and the budget
row, and grant or remove the `stylist` role. They never commit.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.promotion import DISPLAY_NAME_REQUIRED, INVALID_PROFILE, PromotionError
from portal.domain.roles import STYLIST
from portal.domain.translatable import Msg, N_
from portal.models import (
    Service, StylistOverrideBudget, StylistProfile, StylistService, UserProfile,
)
from portal.services.identity import accounts
from portal.zones import is_time_zone

MAX_BUFFER_MINUTES = 120
MAX_YEARS = 80
MAX_TEXT = {"display_name": 120, "title": 120, "bio": 4000}
TEXT_LABELS = {"display_name": N_("Display name"), "title": N_("Title"), "bio": N_("Bio")}


@dataclass(frozen=True)
class StylistDetails:
    """What the approval form says about the new stylist."""

    display_name: str
    title: str | None = None
    bio: str | None = None
    years_experience: int | None = None
    specialties: tuple[str, ...] = ()
    timezone: str = "Asia/Kathmandu"
    buffer_minutes: int = 15
    service_ids: tuple[uuid.UUID, ...] = field(default_factory=tuple)


def _invalid(field_name: str, message: str) -> PromotionError:
    return PromotionError(INVALID_PROFILE, message, (field_name,))


def validated(details: StylistDetails) -> StylistDetails:
    """The details cleaned (stripped, empty → None), or INVALID_PROFILE / DISPLAY_NAME_REQUIRED."""
    name = (details.display_name or "").strip()
    if not name:
        raise PromotionError(DISPLAY_NAME_REQUIRED, fields=("display_name",))
    title = (details.title or "").strip() or None
    bio = (details.bio or "").strip() or None
    for key, value in (("display_name", name), ("title", title), ("bio", bio)):
        if value and len(value) > MAX_TEXT[key]:
            raise _invalid(key, Msg("%(what)s is too long (at most %(max)s characters).",
                                    what=Msg(TEXT_LABELS[key]), max=MAX_TEXT[key]))
    years = details.years_experience
    if years is not None and (not isinstance(years, int) or isinstance(years, bool)
                              or not 0 <= years <= MAX_YEARS):
        raise _invalid("years_experience", Msg("Years of experience must be a whole number from 0 to %(max)s.",
                                                max=MAX_YEARS))
    buffer = details.buffer_minutes
    if not isinstance(buffer, int) or isinstance(buffer, bool) or not 0 <= buffer <= MAX_BUFFER_MINUTES:
        raise _invalid("buffer_minutes", Msg("The booking buffer must be 0 to %(max)s minutes.",
                                              max=MAX_BUFFER_MINUTES))
    zone = (details.timezone or "").strip()
    if not is_time_zone(zone):
        raise _invalid("timezone", Msg("%(value)s is not a time zone name such as Asia/Kathmandu.",
                                        value=zone or Msg("An empty value")))
    specialties = tuple(dict.fromkeys(s.strip() for s in details.specialties if s and s.strip()))
    if any(len(s) > 60 for s in specialties) or len(specialties) > 20:
        raise _invalid("specialties", N_("At most 20 specialties of at most 60 characters each."))
    return StylistDetails(name, title, bio, years, specialties, zone, buffer,
                          tuple(dict.fromkeys(details.service_ids)))


def active_services(session: Session) -> list[Service]:
    return list(session.scalars(select(Service).where(Service.is_active).order_by(Service.name)))


def is_active_stylist(session: Session, user: UserProfile) -> bool:
    profile = session.get(StylistProfile, user.id)
    return STYLIST in user.role_names or bool(profile and profile.is_active)


def activate(session: Session, user: UserProfile, details: StylistDetails, granted_by: uuid.UUID) -> dict:
    """Create or reactivate the profile, offer exactly the chosen services, ensure the
    budget row, grant the role. Returns a summary for the note and the audit row."""
    chosen = {s.id: s for s in session.scalars(
        select(Service).where(Service.id.in_(details.service_ids), Service.is_active))}
    unknown = [str(i) for i in details.service_ids if i not in chosen]
    if unknown:
        raise _invalid("services", N_("Some chosen services do not exist or are not active."))

    profile = session.get(StylistProfile, user.id)
    reactivated = profile is not None
    if profile is None:
        profile = StylistProfile(user_id=user.id)
        session.add(profile)
    profile.display_name = details.display_name
    profile.title, profile.bio = details.title, details.bio
    profile.years_experience = details.years_experience
    profile.specialties = list(details.specialties)
    profile.timezone = details.timezone
    profile.booking_buffer_minutes = details.buffer_minutes
    profile.is_active, profile.deactivated_at, profile.deactivated_by = True, None, None
    session.flush()  # the insert trigger creates the budget row for a new profile

    offers = {o.service_id: o for o in session.scalars(
        select(StylistService).where(StylistService.stylist_user_id == user.id))}
    for service_id, offer in offers.items():
        offer.is_available = service_id in chosen
    for service_id in chosen:
        if service_id not in offers:
            session.add(StylistService(stylist_user_id=user.id, service_id=service_id, is_available=True))
    if session.get(StylistOverrideBudget, user.id) is None:
        session.add(StylistOverrideBudget(stylist_user_id=user.id))
    accounts.grant_role(session, user, STYLIST, assigned_by=granted_by)
    session.flush()
    return {"reactivated": reactivated, "services": sorted(str(i) for i in chosen)}


def deactivate(session: Session, user: UserProfile, by: uuid.UUID, at: datetime) -> bool:
    """Profile inactive, role removed (the database trigger retires their cached slots).
    True if a profile existed."""
    profile = session.get(StylistProfile, user.id)
    if profile is not None and profile.is_active:
        profile.is_active, profile.deactivated_at, profile.deactivated_by = False, at, by
    accounts.revoke_role(user, STYLIST)
    session.flush()
    return profile is not None
