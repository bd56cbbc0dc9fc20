"""Each periodic job once per period, however many workers' schedules fire (messages.md).

Every worker runs the same Huey schedule; before a job runs, its worker inserts the
row (job, period) into `periodic_runs`. The primary key lets exactly one insert per
period succeed: the others skip the job. Rows older than a week are pruned.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import clock
from portal.database import use_case
from portal.models import PeriodicRun
from portal.services.audit import audit_exempt

UTC = timezone.utc
KEEP = timedelta(days=7)


def period_of(now: datetime, minutes: int) -> str:
    """The period ``now`` falls in, for a job that runs every ``minutes`` minutes."""
    stamp = now.astimezone(UTC).replace(second=0, microsecond=0)
    stamp -= timedelta(minutes=(stamp.hour * 60 + stamp.minute) % minutes)
    return stamp.strftime("%Y-%m-%dT%H:%M")


@audit_exempt("a periodic job's run marker; the job writes its own records")
def claim_period(session: Session, job: str, period: str, now: datetime | None = None) -> bool:
    """True for the one caller that may run ``job`` in ``period``."""
    now = now or clock.now()
    try:
        with use_case(session, lock=True):
            if session.get(PeriodicRun, (job, period)) is not None:
                return False
            session.add(PeriodicRun(job=job, period=period, started_at=now))
            session.flush()
            session.execute(delete(PeriodicRun).where(PeriodicRun.started_at < now - KEEP))
    except IntegrityError:  # another worker inserted it first (PostgreSQL)
        return False
    return True
