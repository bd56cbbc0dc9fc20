"""Reading `service_management_log`: who may see what, filters, pages, and the access trail.

Role visibility is enforced here, in the one function that builds every query
(`log_query`): whatever the caller asks for is intersected with the categories the
viewer's roles may see, so no page, filter, query string or export can reach
another category.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import Select, Text, cast, func, or_, select, tuple_
from sqlalchemy.engine import Row
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.models import ServiceManagementLog, UserProfile
from portal.models.logs import CATEGORIES
from portal.database import use_case
from portal.services.audit import audited, log_event

VISIBLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "admin": ("governance", "configuration"),
    "auditor": CATEGORIES,
}
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MAX_ID = 2**63 - 1
Log = ServiceManagementLog


def visible_categories(roles) -> tuple[str, ...]:
    """The categories a person with `roles` may read, in the schema's order."""
    allowed = {category for role in roles for category in VISIBLE_CATEGORIES.get(role, ())}
    return tuple(category for category in CATEGORIES if category in allowed)


@dataclass(frozen=True)
class Cursor:
    """A position in the log's order (created_at DESC, id DESC), as text for URLs."""

    created_at: datetime
    id: int

    def __str__(self) -> str:
        micros = (self.created_at - EPOCH) // timedelta(microseconds=1)
        return f"{micros}-{self.id}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """`<microseconds since epoch>-<id>`; ValueError when malformed."""
        micros, _, row_id = text.strip().partition("-")
        if not (micros.isascii() and micros.isdigit() and row_id.isascii() and row_id.isdigit()):
            raise ValueError("not a log position")
        if len(micros) > 17 or int(row_id) > MAX_ID:  # beyond year 4000 / a bigint
            raise ValueError("not a log position")
        return cls(EPOCH + timedelta(microseconds=int(micros)), int(row_id))

    @classmethod
    def of(cls, row: Row) -> Cursor:
        return cls(row.created_at, row.id)


@dataclass(frozen=True)
class LogFilter:
    """What the viewer asked for. Dates are calendar days in `zone` (both inclusive)."""

    categories: tuple[str, ...] = ()
    severity: str | None = None
    action: str | None = None
    actor: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    zone: str = "Asia/Kathmandu"

    def describe(self) -> dict[str, Any]:
        """The filters in use, for the data_access row (empty ones left out)."""
        described = {
            "categories": list(self.categories), "severity": self.severity, "action": self.action,
            "actor": self.actor,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        described = {key: value for key, value in described.items() if value}
        if self.date_from or self.date_to:
            described["timezone"] = self.zone
        return described


COLUMNS = (
    Log.id, Log.created_at, Log.category, Log.severity, Log.action, Log.target_type, Log.target_id,
    Log.details, Log.ip_address, Log.user_agent, Log.admin_user_id,
    UserProfile.email.label("actor_email"), UserProfile.display_name.label("actor_name"),
)


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
    Log.details["reason"].as_string().label("reason"), address_text(Log.ip_address).label("ip_address"),
    Log.user_agent, cast(Log.details, Text).label("details"),
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
    if wanted.actor:
        term = wanted.actor.strip().lower()
        statement = statement.where(or_(
            func.lower(UserProfile.email).contains(term, autoescape=True),
            func.lower(UserProfile.display_name).contains(term, autoescape=True),
        ))
    zone = ZoneInfo(wanted.zone)
    if wanted.date_from:
        statement = statement.where(Log.created_at >= _local_midnight(wanted.date_from, zone))
    if wanted.date_to:
        statement = statement.where(Log.created_at < _local_midnight(wanted.date_to + timedelta(days=1), zone))
    return statement


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc)


# Row-value comparisons: one range scan of the (created_at, id) index on PostgreSQL
# (SQLite understands them too, since 3.15).
def _older_than(cursor: Cursor):
    return tuple_(Log.created_at, Log.id) < (cursor.created_at, cursor.id)


def _newer_than(cursor: Cursor):
    return tuple_(Log.created_at, Log.id) > (cursor.created_at, cursor.id)


NEWEST_FIRST = (Log.created_at.desc(), Log.id.desc())


@dataclass
class LogPage:
    rows: list[Row]
    total: int
    start: int  # rows newer than this page (0 on the first page)
    older: Cursor | None  # `before=` for the next page, None on the last
    newer: Cursor | None  # `after=` for the previous page, None on the first
    categories: tuple[str, ...] = field(default_factory=tuple)


def log_page(session: Session, wanted: LogFilter, allowed: tuple[str, ...], *, per_page: int = 50,
             before: Cursor | None = None, after: Cursor | None = None) -> LogPage:
    """One page, newest first; keyset pagination, so rows added meanwhile never shift it."""
    base = log_query(COLUMNS, wanted, allowed)
    if after is not None:
        rows = session.execute(
            base.where(_newer_than(after)).order_by(Log.created_at.asc(), Log.id.asc()).limit(per_page + 1)
        ).all()
        if not rows:  # nothing newer (any more): show the first page
            return log_page(session, wanted, allowed, per_page=per_page)
        # The rows just above the cursor, even if fewer than a page at the top: a walk
        # back never repeats a row, whatever was added since the walk began.
        more_newer = len(rows) > per_page
        rows = list(reversed(rows[:per_page]))
        more_older = True
    else:
        statement = base.where(_older_than(before)) if before is not None else base
        rows = session.execute(statement.order_by(*NEWEST_FIRST).limit(per_page + 1)).all()
        more_older = len(rows) > per_page
        rows = rows[:per_page]
        more_newer = None
    total = session.scalar(log_query((func.count(),), wanted, allowed).order_by(None))
    start = 0
    if rows:
        start = session.scalar(
            log_query((func.count(),), wanted, allowed).where(_newer_than(Cursor.of(rows[0])))
        )
    if more_newer is None:
        more_newer = start > 0
    return LogPage(
        rows=rows, total=total, start=start,
        older=Cursor.of(rows[-1]) if rows and more_older else None,
        newer=Cursor.of(rows[0]) if rows and more_newer else None,
        categories=allowed,
    )


def log_rows(session: Session, wanted: LogFilter, allowed: tuple[str, ...], *,
             batch: int = 1000) -> Iterator[Row]:
    """Every matching row (`EXPORT_COLUMNS`), newest first, streamed in batches on the
    session's connection (a server-side cursor on PostgreSQL), so memory stays bounded
    whatever the size of the log."""
    statement = log_query(EXPORT_COLUMNS, wanted, allowed).order_by(*NEWEST_FIRST)
    result = session.connection().execute(statement.execution_options(yield_per=batch))
    try:
        yield from result
    finally:
        result.close()


@audited(action="audit_log_viewed", category="data_access")
def view_log(session: Session, actor: Actor, roles, wanted: LogFilter, *, per_page: int = 50,
             before: Cursor | None = None, after: Cursor | None = None) -> tuple[LogPage, list[str]]:
    """The use-case behind the viewer: record the reading (its own small transaction,
    committed first), then one page within the categories `roles` may see, and the
    actions those categories hold (for the filter's suggestions)."""
    allowed = visible_categories(roles)
    cursor = before or after
    _record_access(session, actor, wanted, exported=False,
                   page=f"{'before' if before else 'after'} {cursor}" if cursor else None)
    page = log_page(session, wanted, allowed, per_page=per_page, before=before, after=after)
    return page, known_actions(session, allowed)


@audited(action="audit_log_exported", category="data_access")
def export_log(session: Session, actor: Actor, roles, wanted: LogFilter) -> Iterator[Row]:
    """The use-case behind the export: record it, then the rows (lazily, to stream)."""
    _record_access(session, actor, wanted, exported=True)
    return log_rows(session, wanted, visible_categories(roles))


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
    return list(session.scalars(select(latest.c.action).distinct().order_by(latest.c.action)))
