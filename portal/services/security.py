"""Security events: each is its own small transaction, committed at once.

A security event is recorded even when the request it belongs to fails, so these
functions run in a fresh session of their own rather than the request's.

Events an anonymous client can cause (CSRF failure, failed login, lock-out, 403,
public rate limit) go through `record_sampled_security_event`: at most one row per
(event, client IP) per minute, the ones left out counted as `repeats` on the next
row (security.md "Logs that cannot be flooded").
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.database import use_case
from portal.extensions import db
from portal.services.audit import audited, log_event
from portal.throttle import sample

logger = logging.getLogger(__name__)


@audited(category="security")
def record_security_event(actor: Actor, action: str, *, severity: str = "warning", **details: Any) -> bool:
    """Write one `security` row; returns False (and logs) if the database refused."""
    with Session(db.engine) as session:
        try:
            with use_case(session):
                log_event(
                    session, actor, action=action, category="security", severity=severity,
                    target_type="user_profile" if actor.user_id else None, target_id=actor.user_id,
                    details=details,
                )
            return True
        except SQLAlchemyError:
            logger.exception("could not record security event %s", action)
            return False


@audited(category="security")
def record_sampled_security_event(actor: Actor, action: str, *, severity: str = "warning", **details: Any) -> bool:
    """`record_security_event`, sampled per (event, client IP) per minute.

    Returns True when a row was written, False when the event was only counted.
    """
    missed = sample(action, actor.ip or "unknown")
    if missed is None:
        return False
    if missed:
        details["repeats"] = missed
    return record_security_event(actor, action, severity=severity, **details)
