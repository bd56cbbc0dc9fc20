"""Writing the audit trail; the caller's transaction carries the row.

Every public use-case in `portal/services/` that commits is marked:

- `@audited(action=..., category=...)`: the call writes its log row(s) —
  `service_management_log` through `log_event`, or `schedule_change_log` — in the
  transaction it commits (one row per committed change unless `rows=` says otherwise);
- `@audit_exempt("why")`: it commits something that is not an audited change
  (e.g. a sign-in token).

`tests/audit/test_integrity.py` walks the services modules and fails for a public
function that commits without one of the two marks. At run time an audited call
that commits a change without writing its row is an `AuditGap`: logged as an
error, and raised when `AUDIT_STRICT` is on (the default under `TESTING`).
"""
from __future__ import annotations

import contextvars
import logging
import uuid
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.domain.audit_vocabulary import CATEGORIES
from portal.models import ScheduleChangeLog, ServiceManagementLog

logger = logging.getLogger(__name__)


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


# --- the registry of audited use-cases -------------------------------------------------------

class AuditGap(RuntimeError):
    """An audited use-case committed a change without (exactly) its audit row."""


@dataclass(frozen=True)
class AuditSpec:
    """What a use-case promises to write. `action` None = decided per call."""

    category: str | None
    actions: tuple[str, ...] = ()
    rows: int | None = 1
    exempt_reason: str | None = None

    @property
    def exempt(self) -> bool:
        return self.exempt_reason is not None


def audited(*, category: str, action: str | tuple[str, ...] | None = None,
            rows: int | None = 1) -> Callable:
    """Mark a use-case that writes `rows` audit rows per committed call (None = at least one)."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown audit category {category!r}")
    actions = (action,) if isinstance(action, str) else tuple(action or ())
    spec = AuditSpec(category=category, actions=actions, rows=rows)

    def decorator(function: Callable) -> Callable:
        @wraps(function)
        def wrapped(*args, **kwargs):
            frame = _Frame()
            stack = _frames.get() or ()
            token = _frames.set((*stack, frame))
            try:
                result = function(*args, **kwargs)
            finally:
                _frames.reset(token)
            frame.check(function, spec)
            return result

        return _register(wrapped, spec)

    return decorator


def audit_exempt(reason: str) -> Callable:
    """Mark a committing use-case that is deliberately not an audited change."""
    if not reason.strip():
        raise ValueError("say why the function needs no audit row")
    spec = AuditSpec(category=None, rows=None, exempt_reason=reason)

    def decorator(function: Callable) -> Callable:
        return _register(function, spec)

    return decorator


def audit_spec(function: Callable) -> AuditSpec | None:
    return getattr(function, "__audit__", None)


def _register(function: Callable, spec: AuditSpec) -> Callable:
    function.__audit__ = spec
    return function


# --- run-time check: commits that changed something vs rows written ----------------------------

LOG_MODELS = (ServiceManagementLog, ScheduleChangeLog)
LOG_TABLES = frozenset(model.__tablename__ for model in LOG_MODELS)


@dataclass
class _Frame:
    """What one audited call did: committed changes, and the log rows they carried."""

    rows: int = 0
    commits: int = 0
    writing: set[int] = field(default_factory=set)
    pending_rows: dict[int, int] = field(default_factory=dict)

    def check(self, function: Callable, spec: AuditSpec) -> None:
        if self.commits == 0:
            return
        if self.rows == 0 or (spec.rows is not None and self.rows != spec.rows * self.commits):
            message = (
                f"{function.__module__}.{function.__qualname__} committed {self.commits} change(s) "
                f"with {self.rows} audit row(s); expected {spec.rows or 'at least one'} per change"
            )
            logger.error("audit gap: %s", message)
            if _strict():
                raise AuditGap(message)


_frames: contextvars.ContextVar[tuple[_Frame, ...]] = contextvars.ContextVar("audit_frames", default=())


def _strict() -> bool:
    from flask import current_app, has_app_context

    if not has_app_context():
        return False
    return bool(current_app.config.get("AUDIT_STRICT", current_app.testing))


# Rows are counted when they reach the database (either log table, however they were
# added) and credited to the call when their transaction commits.
@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context) -> None:
    frames = _frames.get()
    if frames and (session.new or session.dirty or session.deleted):
        frame = frames[-1]
        frame.writing.add(id(session))
        logged = sum(1 for obj in session.new if isinstance(obj, LOG_MODELS))
        frame.pending_rows[id(session)] = frame.pending_rows.get(id(session), 0) + logged


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state) -> None:
    frames = _frames.get()
    if frames and (state.is_insert or state.is_update or state.is_delete):
        frame = frames[-1]
        frame.writing.add(id(state.session))
        table = getattr(state.statement, "table", None)
        if state.is_insert and getattr(table, "name", None) in LOG_TABLES:
            frame.pending_rows[id(state.session)] = frame.pending_rows.get(id(state.session), 0) + 1


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    frames = _frames.get()
    if frames and id(session) in frames[-1].writing:
        frame = frames[-1]
        frame.writing.discard(id(session))
        frame.commits += 1
        frame.rows += frame.pending_rows.pop(id(session), 0)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    frames = _frames.get()
    if frames:
        frames[-1].writing.discard(id(session))
        frames[-1].pending_rows.pop(id(session), None)
