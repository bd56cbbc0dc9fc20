"""Reading `service_management_log`: who may see what, filters, pages, and the access trail.

Role visibility is enforced here, in the one function that builds every query
(`log_query`): whatever the caller asks for is intersected with the categories the
viewer's roles may see, so no page, filter, query string or export can reach
another category.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from itertools import islice
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, Text, cast, func, literal_column, or_, select, tuple_, union_all
from sqlalchemy.engine import Row
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.database import use_case
from portal.domain.audit_vocabulary import CATEGORIES, CONFIGURATION, GOVERNANCE
from portal.domain.roles import ADMIN, AUDITOR
from portal.models import ScheduleChangeLog, ServiceManagementLog, UserProfile
from portal.models.logs import CHANGE_TYPES
from portal.services.audit import audited, log_event
from portal.services.audit.audit_entries import (
    EVENT, SCHEDULE, LogEntry, Target, describe_targets, read_entries, targets_named,
)

VISIBLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    ADMIN: (GOVERNANCE, CONFIGURATION),
    AUDITOR: CATEGORIES,
}
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MAX_ID = 2**63 - 1
Log = ServiceManagementLog


def visible_categories(roles) -> tuple[str, ...]:
    """The categories a person with `roles` may read, in the schema's order."""
    allowed = {category for role in roles for category in VISIBLE_CATEGORIES.get(role, ())}
    return tuple(category for category in CATEGORIES if category in allowed)


# The viewer reads two logs: `service_management_log` (events, kind EVENT) and the
# stylists' `schedule_change_log` (kind SCHEDULE, shown in the configuration category).
# One order runs over both: created_at DESC, kind DESC, id DESC.


@dataclass(frozen=True)
class Cursor:
    """A position in the log's order (created_at DESC, kind DESC, id DESC), as text for
    URLs: `<microseconds>-<id>` for an event, `<microseconds>-s<id>` for a schedule change."""

    created_at: datetime
    id: int
    kind: int = EVENT

    def __str__(self) -> str:
        micros = (self.created_at - EPOCH) // timedelta(microseconds=1)
        return f"{micros}-{'s' if self.kind == SCHEDULE else ''}{self.id}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """ValueError when malformed."""
        micros, _, row_id = text.strip().partition("-")
        kind = EVENT
        if row_id.startswith("s"):
            kind, row_id = SCHEDULE, row_id[1:]
        if not (micros.isascii() and micros.isdigit() and row_id.isascii() and row_id.isdigit()):
            raise ValueError("not a log position")
        if len(micros) > 17 or int(row_id) > MAX_ID:  # beyond year 4000 / a bigint
            raise ValueError("not a log position")
        return cls(EPOCH + timedelta(microseconds=int(micros)), int(row_id), kind)

    @classmethod
    def of(cls, row) -> Cursor:
        return cls(row.created_at, row.id, getattr(row, "kind", EVENT))

    @property
    def key(self) -> tuple:
        return (self.created_at, self.kind, self.id)


@dataclass(frozen=True)
class LogFilter:
    """What the viewer asked for. Dates are calendar days in `zone` (both inclusive)."""

    categories: tuple[str, ...] = ()
    severity: str | None = None
    action: str | None = None
    actor: str | None = None
    about: str | None = None  # what a row is about: a customer, a person, a closure, a service
    date_from: date | None = None
    date_to: date | None = None
    zone: str = "Asia/Kathmandu"

    def describe(self) -> dict[str, Any]:
        """The filters in use, for the data_access row (empty ones left out)."""
        described = {
            "categories": list(self.categories), "severity": self.severity, "action": self.action,
            "actor": self.actor, "about": self.about,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        described = {key: value for key, value in described.items() if value}
        if self.date_from or self.date_to:
            described["timezone"] = self.zone
        return described



class address_text(FunctionElement):
    """A client address as plain text (`host(inet)` on PostgreSQL: no netmask, and no
    `ipaddress` object built per row)."""

    type = Text()
    inherit_cache = True


@compiles(address_text, "postgresql")
def _address_text_pg(element, compiler, **kw):
    return f"host({compiler.process(element.clauses, **kw)})"


@compiles(address_text)
def _address_text(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


# The export reads plain text where it can (details as stored, the reason extracted
# by the database), so a row costs little Python work and few allocations.
EXPORT_COLUMNS = (
    Log.id, Log.created_at, Log.category, Log.severity, Log.action,
    UserProfile.email.label("actor_email"), UserProfile.display_name.label("actor_name"),
    Log.target_type, cast(Log.target_id, Text).label("target_id"),
    func.coalesce(Log.details["reason"].as_string(), Log.details[("new", "reason")].as_string(),
                  Log.details[("old", "reason")].as_string(), Log.details["note"].as_string()).label("reason"),
    address_text(Log.ip_address).label("ip_address"),
    Log.user_agent, cast(Log.details, Text).label("details"), literal_column("1", Integer).label("kind"),
)
CHANGE_EXPORT_COLUMNS = (
    ScheduleChangeLog.id.label("id"), ScheduleChangeLog.created_at.label("created_at"),
    literal_column("'configuration'", Text).label("category"), literal_column("'info'", Text).label("severity"),
    ScheduleChangeLog.change_type.label("action"),
    UserProfile.email.label("actor_email"), UserProfile.display_name.label("actor_name"),
    literal_column("'stylist_profile'", Text).label("target_type"),
    cast(ScheduleChangeLog.stylist_user_id, Text).label("target_id"), ScheduleChangeLog.reason.label("reason"),
    address_text(ScheduleChangeLog.ip_address).label("ip_address"), ScheduleChangeLog.user_agent.label("user_agent"),
    cast(ScheduleChangeLog.new_values, Text).label("details"), literal_column("0", Integer).label("kind"),
)


def log_query(columns, wanted: LogFilter, allowed: tuple[str, ...]) -> Select:
    """The filtered statement over the categories in `allowed` only (no order yet)."""
    categories = [c for c in (wanted.categories or allowed) if c in allowed]
    statement = (
        select(*columns)
        .select_from(Log)
        .outerjoin(UserProfile, UserProfile.id == Log.admin_user_id)
        .where(Log.category.in_(categories))  # an empty list matches nothing
    )
    if wanted.severity:
        statement = statement.where(Log.severity == wanted.severity)
    if wanted.action:
        statement = statement.where(Log.action == wanted.action)
    if wanted.about:
        statement = statement.where(Log.target_id.in_(targets_named(wanted.about)))
    return _who_and_when(statement, wanted, Log.created_at)


def _who_and_when(statement: Select, wanted: LogFilter, created_at) -> Select:
    """The actor (joined as UserProfile) and date filters, shared by both logs."""
    if wanted.actor:
        term = wanted.actor.strip().lower()
        statement = statement.where(or_(
            func.lower(UserProfile.email).contains(term, autoescape=True),
            func.lower(UserProfile.display_name).contains(term, autoescape=True),
        ))
    zone = ZoneInfo(wanted.zone)
    if wanted.date_from:
        statement = statement.where(created_at >= _local_midnight(wanted.date_from, zone))
    if wanted.date_to:
        statement = statement.where(created_at < _local_midnight(wanted.date_to + timedelta(days=1), zone))
    return statement


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc)


Change = ScheduleChangeLog


def _changes_query(columns, wanted: LogFilter, allowed: tuple[str, ...]) -> Select | None:
    """The stylists' schedule changes matching the filter (category configuration, severity
    info), or None when the filter leaves them out."""
    categories = [c for c in (wanted.categories or allowed) if c in allowed]
    if ("configuration" not in categories or (wanted.severity and wanted.severity != "info")
            or (wanted.action and wanted.action not in CHANGE_TYPES)):
        return None
    changes = select(*columns).select_from(Change).outerjoin(UserProfile, UserProfile.id == Change.changed_by)
    if wanted.action:
        changes = changes.where(Change.change_type == wanted.action)
    if wanted.about:
        changes = changes.where(Change.stylist_user_id.in_(targets_named(wanted.about)))
    return _who_and_when(changes, wanted, Change.created_at)


def _keys(wanted: LogFilter, allowed: tuple[str, ...]):
    """(created_at, kind, id) of every matching row of both logs, as one subquery."""
    events = log_query((Log.created_at.label("created_at"), literal_column("1", Integer).label("kind"),
                        Log.id.label("id")), wanted, allowed)
    changes = _changes_query((Change.created_at.label("created_at"), literal_column("0", Integer).label("kind"),
                              Change.id.label("id")), wanted, allowed)
    return (events if changes is None else union_all(events, changes)).subquery()


@dataclass
class LogPage:
    rows: list[LogEntry]
    total: int
    start: int  # rows newer than this page (0 on the first page)
    older: Cursor | None  # `before=` for the next page, None on the last
    newer: Cursor | None  # `after=` for the previous page, None on the first
    categories: tuple[str, ...] = field(default_factory=tuple)
    until: Cursor | None = None  # the newest row when the walk began: later rows wait for a new walk


def log_page(session: Session, wanted: LogFilter, allowed: tuple[str, ...], *, per_page: int = 50,
             before: Cursor | None = None, after: Cursor | None = None, until: Cursor | None = None) -> LogPage:
    """One page, newest first; keyset pagination over both logs. The walk is pinned to
    the rows that existed when it began (`until`), so the counts do not drift while
    reading (each view itself adds a row)."""
    keys = _keys(wanted, allowed)
    order = tuple_(keys.c.created_at, keys.c.kind, keys.c.id)
    if until is None:
        newest = session.execute(select(keys.c.created_at, keys.c.kind, keys.c.id)
                                 .order_by(*_desc(keys)).limit(1)).first()
        until = Cursor(newest.created_at, newest.id, newest.kind) if newest else None
    if until is None:
        return LogPage(rows=[], total=0, start=0, older=None, newer=None, categories=allowed)
    pinned = select(keys.c.created_at, keys.c.kind, keys.c.id).where(order <= until.key)
    if after is not None:
        found = session.execute(
            pinned.where(order > after.key).order_by(*_asc(keys)).limit(per_page + 1)).all()
        if not found:  # nothing newer (any more): show the first page
            return log_page(session, wanted, allowed, per_page=per_page, until=until)
        more_newer = len(found) > per_page
        found = list(reversed(found[:per_page]))
        more_older = True
    else:
        statement = pinned.where(order < before.key) if before is not None else pinned
        found = session.execute(statement.order_by(*_desc(keys)).limit(per_page + 1)).all()
        more_older = len(found) > per_page
        found = found[:per_page]
        more_newer = None
    total = session.scalar(select(func.count()).select_from(pinned.subquery()))
    start = 0
    if found:
        top = found[0]
        start = session.scalar(select(func.count()).select_from(
            pinned.where(order > (top.created_at, top.kind, top.id)).subquery()))
    if more_newer is None:
        more_newer = start > 0
    rows = read_entries(session, found)
    return LogPage(
        rows=rows, total=total, start=start,
        older=Cursor.of(rows[-1]) if rows and more_older else None,
        newer=Cursor.of(rows[0]) if rows and more_newer else None,
        categories=allowed, until=until,
    )


def _desc(keys):
    return keys.c.created_at.desc(), keys.c.kind.desc(), keys.c.id.desc()


def _asc(keys):
    return keys.c.created_at.asc(), keys.c.kind.asc(), keys.c.id.asc()


NEWEST_FIRST = (Log.created_at.desc(), Log.id.desc())


def log_rows(session: Session, wanted: LogFilter, allowed: tuple[str, ...], *,
             batch: int = 1000) -> Iterator[Row]:
    """Every matching row of both logs (`EXPORT_COLUMNS`), newest first, streamed in batches on the
    session's connection (a server-side cursor on PostgreSQL), so memory stays bounded
    whatever the size of the log."""
    events = log_query(EXPORT_COLUMNS, wanted, allowed)
    changes = _changes_query(CHANGE_EXPORT_COLUMNS, wanted, allowed)
    if changes is None:
        statement = events.order_by(*NEWEST_FIRST)
    else:  # both logs in the viewer's order
        both = union_all(events, changes).subquery()
        statement = select(both).order_by(both.c.created_at.desc(), both.c.kind.desc(), both.c.id.desc())
    result = session.connection().execute(statement.execution_options(yield_per=batch))
    try:
        yield from result
    finally:
        result.close()


@audited(action="audit_log_viewed", category="data_access")
def view_log(session: Session, actor: Actor, roles, wanted: LogFilter, *, per_page: int = 50,
             before: Cursor | None = None, after: Cursor | None = None,
             until: Cursor | None = None) -> tuple[LogPage, list[str]]:
    """The use-case behind the viewer: record the reading (its own small transaction,
    committed first), then one page within the categories `roles` may see, and the
    actions those categories hold (for the filter's suggestions)."""
    allowed = visible_categories(roles)
    cursor = before or after
    _record_access(session, actor, wanted, exported=False,
                   page=f"{'before' if before else 'after'} {cursor}" if cursor else None)
    page = log_page(session, wanted, allowed, per_page=per_page, before=before, after=after, until=until)
    return page, known_actions(session, allowed)


@audited(action="audit_log_exported", category="data_access")
def export_log(session: Session, actor: Actor, roles, wanted: LogFilter) -> Iterator[tuple[Row, Target | None]]:
    """The use-case behind the export: record it, then the rows with what each is about
    (lazily, to stream; the targets named a batch at a time)."""
    _record_access(session, actor, wanted, exported=True)
    return _with_targets(session, log_rows(session, wanted, visible_categories(roles)))


def _with_targets(session: Session, rows: Iterator[Row], batch: int = 500) -> Iterator[tuple[Row, Target | None]]:
    for chunk in iter(lambda: list(islice(rows, batch)), []):
        ids = {(row.target_type, _as_uuid(row.target_id)) for row in chunk}
        found = describe_targets(session, {(kind, target) for kind, target in ids if target})
        for row in chunk:
            yield row, found.get(_as_uuid(row.target_id))


def _as_uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


def _record_access(session: Session, actor: Actor, wanted: LogFilter, *, exported: bool,
                   page: str | None = None) -> None:
    """Write who read the log with which filters, and commit."""
    details: dict[str, Any] = {"filters": wanted.describe()}
    if page:
        details["page"] = page
    with use_case(session):
        log_event(
            session, actor, action="audit_log_exported" if exported else "audit_log_viewed",
            category="data_access", details=details,
        )


def known_actions(session: Session, allowed: tuple[str, ...], *, recent: int = 5000) -> list[str]:
    """Actions among the latest `recent` rows the viewer may see (the filter's suggestions;
    bounded, so a long log does not make every page view scan it)."""
    latest = (
        select(Log.action).where(Log.category.in_(allowed))
        .order_by(*NEWEST_FIRST).limit(recent).subquery()
    )
    actions = set(session.scalars(select(latest.c.action).distinct()))
    if "configuration" in allowed:
        actions |= set(CHANGE_TYPES)
    return sorted(actions)
