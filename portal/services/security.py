"""Security events: each is its own small transaction, committed at once.

A security event is recorded even when the request it belongs to fails, so these
functions run in a fresh session of their own rather than the request's.
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
