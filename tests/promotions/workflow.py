"""Helpers for the promotion tests: actors, approval details, a ready promotion (shared: tests/helpers.py)."""
from __future__ import annotations

from sqlalchemy import select

from portal.actor import Actor
from portal.domain.promotion import Checks
from portal.models import ServiceManagementLog, StylistPromotion
from portal.services.staffing import promotions
from portal.services.staffing.stylists import StylistDetails

ALL_GOOD = Checks("passed", "verified", True, True)


def actor_for(user) -> Actor:
    return Actor(user.id, user.display_name, "127.0.0.1", "pytest")


def details(services=(), **fields) -> StylistDetails:
    fields.setdefault("display_name", "Sita the Stylist")
    return StylistDetails(service_ids=tuple(s.id for s in services), **fields)


def ready_for_approval(session, admin, user) -> StylistPromotion:
    """A promotion started by `admin` with every check recorded (pending_approval)."""
    actor = actor_for(admin)
    promotion = promotions.start(session, actor, user.id)
    promotions.submit(session, actor, promotion.id)
    return promotions.record_checks(session, actor, promotion.id, ALL_GOOD)


def audit_actions(session, promotion_id) -> list[str]:
    return list(session.scalars(
        select(ServiceManagementLog.action).where(ServiceManagementLog.target_id == promotion_id)
        .order_by(ServiceManagementLog.id)))
