"""Catalogue use-cases (admins): services, what each stylist offers and at what price,
and the stylist profile. One transaction each, a `configuration` row with old and new
values inside it. The cache triggers on `services`, `stylist_services` and
`stylist_profiles` retire the affected slots in the same transaction.
"""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.database import use_case
from portal.domain import catalogue as rules
from portal.domain.refusals import INVALID, NotFound, Refused
from portal.domain.roles import ADMIN
from portal.domain.translatable import N_
from portal.models import Booking, Service, StylistProfile, StylistService, UserProfile
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.services.audit import audited, log_event
from portal.services.staffing import stylists
from portal.services.staffing.stylists import StylistDetails


@dataclass(frozen=True)
class ServiceInput:
    name: str
    category: str
    duration_minutes: int
    base_price_cents: int
    min_advance_hours: int
    max_advance_days: int
    name_ne: str | None = None  # the name on Nepali pages (None: the English name)


SERVICE_FIELDS = tuple(ServiceInput.__dataclass_fields__)


def _admin(session: Session, actor: Actor) -> None:
    admin = session.get(UserProfile, actor.user_id) if actor.user_id else None
    if admin is None or not admin.is_active or not admin.has_role(ADMIN):
        raise Refused("NOT_ADMIN", "Only an active admin can change the catalogue.")


def _service(session: Session, service_id) -> Service:
    service = session.get(Service, service_id) if isinstance(service_id, uuid.UUID) else None
    if service is None:
        raise NotFound("SERVICE_NOT_FOUND", "No such service.")
    return service


def _profile(session: Session, stylist_id) -> StylistProfile:
    profile = session.get(StylistProfile, stylist_id) if isinstance(stylist_id, uuid.UUID) else None
    if profile is None:
        raise NotFound("STYLIST_NOT_FOUND", "No such stylist.")
    return profile


def _checked(data: ServiceInput) -> ServiceInput:
    fields = {}
    name = " ".join((data.name or "").split())
    if not name or len(name) > rules.MAX_SERVICE_NAME:
        fields["name"] = f"Enter a name (at most {rules.MAX_SERVICE_NAME} characters)."
    name_ne = " ".join((data.name_ne or "").split()) or None
    if name_ne and len(name_ne) > rules.MAX_SERVICE_NAME:
        fields["name_ne"] = f"Enter a name (at most {rules.MAX_SERVICE_NAME} characters)."
    if data.category not in rules.SERVICE_CATEGORIES:
        fields["category"] = "Choose a category."
    if not 1 <= data.duration_minutes <= rules.MAX_DURATION:
        fields["duration_minutes"] = f"A service lasts 1 to {rules.MAX_DURATION} minutes."
    if not 0 <= data.base_price_cents <= rules.MAX_PAISA:
        fields["price"] = "Enter a price of zero or more."
    if not 0 <= data.min_advance_hours <= rules.MAX_MIN_ADVANCE_HOURS:
        fields["min_advance_hours"] = f"Use 0 to {rules.MAX_MIN_ADVANCE_HOURS} hours."
    if not 1 <= data.max_advance_days <= rules.MAX_ADVANCE_DAYS:
        fields["max_advance_days"] = f"Use 1 to {rules.MAX_ADVANCE_DAYS} days."
    if fields:
        raise Refused("INVALID_SERVICE", "Please correct the marked fields.", fields=fields)
    return ServiceInput(name, data.category, data.duration_minutes, data.base_price_cents,
                        data.min_advance_hours, data.max_advance_days, name_ne)


def _name_taken(error: IntegrityError) -> Refused:
    return Refused("NAME_TAKEN", "Another service already has this name.",
                   fields={"name": "Another service already has this name."})


def _unique_slug(session: Session, name: str, but: uuid.UUID | None = None) -> str:
    base = rules.slug_for(name)
    slug, n = base, 1
    while session.scalar(select(Service.id).where(Service.slug == slug, Service.id != but)
                         if but else select(Service.id).where(Service.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _same_name(session: Session, name: str, but: uuid.UUID | None = None) -> None:
    query = select(Service.id).where(func.lower(Service.name) == name.lower())
    if but:
        query = query.where(Service.id != but)
    if session.scalar(query) is not None:
        raise _name_taken(None)


@audited(action="service_created", category="configuration")
def create_service(session: Session, actor: Actor, data: ServiceInput) -> Service:
    with use_case(session, lock=True, on_conflict=_name_taken):
        _admin(session, actor)
        data = _checked(data)
        _same_name(session, data.name)
        service = Service(slug=_unique_slug(session, data.name), is_active=True, **asdict(data))
        session.add(service)
        session.flush()
        log_event(session, actor, action="service_created", category="configuration", target_type="service",
                  target_id=service.id, details={"new": asdict(data)})
    return service


@audited(action="service_edited", category="configuration")
def edit_service(session: Session, actor: Actor, service_id: uuid.UUID, data: ServiceInput) -> Service:
    with use_case(session, lock=True, on_conflict=_name_taken):
        _admin(session, actor)
        service = _service(session, service_id)
        data = _checked(data)
        _same_name(session, data.name, service.id)
        old = {name: getattr(service, name) for name in SERVICE_FIELDS}
        new = asdict(data)
        changed = {k for k in new if new[k] != old[k]}
        if not changed:
            raise Refused("NO_CHANGE", "Nothing was changed.")
        for name in changed:
            setattr(service, name, new[name])
        session.flush()
        log_event(session, actor, action="service_edited", category="configuration", target_type="service",
                  target_id=service.id, details={"name": service.name, "old": {k: old[k] for k in sorted(changed)},
                                                 "new": {k: new[k] for k in sorted(changed)}})
    return service


def upcoming_bookings(session: Session, service_id: uuid.UUID) -> int:
    return session.scalar(select(func.count()).select_from(Booking).where(
        Booking.service_id == service_id, Booking.start_time >= clock.now(),
        Booking.status.in_(OCCUPYING_BOOKING_STATUSES))) or 0


@audited(action=("service_deactivated", "service_reactivated"), category="configuration")
def set_service_active(session: Session, actor: Actor, service_id: uuid.UUID, active: bool) -> Service:
    with use_case(session, lock=True):
        _admin(session, actor)
        service = _service(session, service_id)
        if service.is_active == active:
            raise Refused("NO_CHANGE", f"{service.name} is already {'active' if active else 'inactive'}.")
        service.is_active = active
        session.flush()
        log_event(session, actor, action="service_reactivated" if active else "service_deactivated",
                  category="configuration", severity="info" if active else "warning", target_type="service",
                  target_id=service.id, details={"name": service.name, "old": {"is_active": not active},
                                                 "new": {"is_active": active},
                                                 "upcoming_bookings": upcoming_bookings(session, service.id)})
    return service


@audited(action="stylist_service_changed", category="configuration")
def set_offer(session: Session, actor: Actor, stylist_id: uuid.UUID, service_id: uuid.UUID, offered: bool,
              price_cents: int | None, duration_minutes: int | None) -> StylistService | None:
    """Whether the stylist offers the service, with an optional own price and duration
    (None = the service's)."""
    with use_case(session, lock=True):
        _admin(session, actor)
        profile = _profile(session, stylist_id)
        service = _service(session, service_id)
        if price_cents is not None and not 0 <= price_cents <= rules.MAX_PAISA:
            raise Refused(INVALID, "Enter a price of zero or more.", ("price",))
        if duration_minutes is not None and not 1 <= duration_minutes <= rules.MAX_DURATION:
            raise Refused(INVALID, f"A service lasts 1 to {rules.MAX_DURATION} minutes.", ("duration",))
        offer = session.scalar(select(StylistService).where(
            StylistService.stylist_user_id == profile.user_id, StylistService.service_id == service.id))
        old = _offer_values(offer)
        if offer is None and offered:
            offer = StylistService(stylist_user_id=profile.user_id, service_id=service.id)
            session.add(offer)
        if offer is not None:
            offer.is_available = offered
            offer.custom_price_cents, offer.custom_duration_minutes = price_cents, duration_minutes
        new = _offer_values(offer)
        if new == old:
            raise Refused("NO_CHANGE", "Nothing was changed.")
        session.flush()
        log_event(session, actor, action="stylist_service_changed", category="configuration",
                  target_type="stylist_profile", target_id=profile.user_id,
                  details={"service_id": str(service.id), "service": service.name, "old": old, "new": new})
    return offer


@dataclass(frozen=True)
class Offering:
    """A stylist who offers a service, with what they charge and take (None: the service's)."""
    stylist: StylistProfile
    own_price_cents: int | None
    own_duration_minutes: int | None

    @property
    def has_own_terms(self) -> bool:
        return self.own_price_cents is not None or self.own_duration_minutes is not None


def offerings(session: Session, service_id: uuid.UUID) -> list[Offering]:
    """Who offers the service, by name: a change of the service's price or duration
    reaches only those without their own."""
    rows = session.execute(
        select(StylistProfile, StylistService)
        .join(StylistService, StylistService.stylist_user_id == StylistProfile.user_id)
        .where(StylistService.service_id == service_id, StylistService.is_available.is_(True))
        .order_by(StylistProfile.display_name))
    return [Offering(profile, offer.custom_price_cents, offer.custom_duration_minutes) for profile, offer in rows]


@audited(action="stylist_service_changed", category="configuration", rows=None)  # a row per stylist
def clear_own_terms(session: Session, actor: Actor, service_id: uuid.UUID) -> list[str]:
    """Every stylist offering the service charges and takes the service's price and
    duration from now on (one log row per stylist changed); returns their names."""
    with use_case(session, lock=True):
        _admin(session, actor)
        service = _service(session, service_id)
        changed = []
        for profile, offer in session.execute(
                select(StylistProfile, StylistService)
                .join(StylistService, StylistService.stylist_user_id == StylistProfile.user_id)
                .where(StylistService.service_id == service.id, StylistService.is_available.is_(True))
                .where((StylistService.custom_price_cents.is_not(None))
                       | (StylistService.custom_duration_minutes.is_not(None)))
                .order_by(StylistProfile.display_name)):
            old = _offer_values(offer)
            offer.custom_price_cents = offer.custom_duration_minutes = None
            log_event(session, actor, action="stylist_service_changed", category="configuration",
                      target_type="stylist_profile", target_id=profile.user_id,
                      details={"service_id": str(service.id), "service": service.name, "old": old,
                               "new": _offer_values(offer)})
            changed.append(profile.display_name)
        if not changed:
            raise Refused("NO_CHANGE", N_("Every stylist already uses the service's price and duration."))
        session.flush()
    return changed


def _offer_values(offer: StylistService | None) -> dict:
    if offer is None:
        return {"offered": False, "custom_price_cents": None, "custom_duration_minutes": None}
    return {"offered": offer.is_available, "custom_price_cents": offer.custom_price_cents,
            "custom_duration_minutes": offer.custom_duration_minutes}


PROFILE_FIELDS = {"display_name": "display_name", "title": "title", "bio": "bio",
                  "years_experience": "years_experience", "specialties": "specialties",
                  "timezone": "timezone", "buffer_minutes": "booking_buffer_minutes"}


@audited(action="stylist_profile_edited", category="configuration")
def edit_profile(session: Session, actor: Actor, stylist_id: uuid.UUID, details: StylistDetails) -> StylistProfile:
    with use_case(session, lock=True):
        _admin(session, actor)
        profile = _profile(session, stylist_id)
        clean = stylists.validated(details)  # a PromotionError names its field
        old = {key: _plain(getattr(profile, column)) for key, column in PROFILE_FIELDS.items()}
        new = {key: _plain(getattr(clean, key)) for key in PROFILE_FIELDS}
        changed = sorted(k for k in new if new[k] != old[k])
        if not changed:
            raise Refused("NO_CHANGE", "Nothing was changed.")
        for key in changed:
            setattr(profile, PROFILE_FIELDS[key], list(new[key]) if key == "specialties" else new[key])
        session.flush()
        log_event(session, actor, action="stylist_profile_edited", category="configuration",
                  target_type="stylist_profile", target_id=profile.user_id,
                  details={"old": {k: old[k] for k in changed}, "new": {k: new[k] for k in changed}})
    return profile


def _plain(value):
    return list(value) if isinstance(value, (list, tuple)) else value
