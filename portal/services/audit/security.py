"""Security events: each is its own small transaction, committed at once.

A security event is recorded even when the request it belongs to fails, so these
functions run in a fresh session of their own rather than the request's.

Events an anonymous client can cause (CSRF failure, failed login, lock-out, 403,
public rate limit) go through `record_sampled_security_event`: at most one row per
(event, client network) per minute, and `SECURITY_EVENTS_PER_MINUTE` rows per event
and minute in all, then one `security_events_capped` summary row; the ones left out
are counted as `repeats` / `left_out` on the next row (security.md "Logs that cannot
be flooded").
"""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.database import use_case
from portal.extensions import db
from portal.network import client_network
from portal.services.audit import audited, log_event
from portal.throttle import SUMMARY, sample

logger = logging.getLogger(__name__)


@audited(category="security")
def record_security_event(actor: Actor, action: str, *, severity: str = "warning", about=None,
                          **details: Any) -> bool:
    """Write one `security` row; returns False (and logs) if the database refused.
    `about`: the account the event concerns when the actor is not it (an anonymous
    client guessing its password); by default the actor's own account."""
    with Session(db.engine) as session:
        try:
            with use_case(session):
                log_event(
                    session, actor, action=action, category="security", severity=severity,
                    target_type="user_profile" if (about or actor.user_id) else None,
                    target_id=about or actor.user_id,
                    details=details,
                )
            return True
        except SQLAlchemyError:
            logger.exception("could not record security event %s", action)
            return False


@audited(category="security")
def record_sampled_security_event(actor: Actor, action: str, *, severity: str = "warning", **details: Any) -> bool:
    """`record_security_event`, sampled per (event, client network) per minute and
    capped per event and minute (`SECURITY_EVENTS_PER_MINUTE`).

    Returns True when a row was written, False when the event was only counted.
    """
    overall = int(current_app.config["SECURITY_EVENTS_PER_MINUTE"])
    outcome = sample(action, client_network(actor.ip), overall)
    if outcome is None:
        return False
    if outcome == SUMMARY:
        return record_security_event(actor, "security_events_capped", severity=severity, event=action,
                                     limit=overall, per="minute")
    return record_security_event(actor, action, severity=severity, **details, **outcome)
