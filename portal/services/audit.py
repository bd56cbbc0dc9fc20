"""Writing the audit trail; the caller's transaction carries the row."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from portal.models import ServiceManagementLog


@dataclass(frozen=True)
class Actor:
    """Who acts, from where. `user_id` is None for anonymous security events."""

    user_id: uuid.UUID | None
    name: str
    ip: str | None = None
    user_agent: str | None = None

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(user_id=None, name=name)


def log_event(
    session: Session,
    actor: Actor,
    *,
    action: str,
    category: str,
    severity: str = "info",
    target_type: str | None = None,
    target_id: uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> ServiceManagementLog:
    """Add a `service_management_log` row to the session (committed with the change)."""
    row = ServiceManagementLog(
        admin_user_id=actor.user_id,
        action=action,
        category=category,
        severity=severity,
        target_type=target_type,
        target_id=target_id,
        details=details or {},
        ip_address=actor.ip,
        user_agent=actor.user_agent,
    )
    session.add(row)
    return row
