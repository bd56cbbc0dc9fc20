"""The demo salon has months of history, so the first visit to the reports shows real charts;
its bookings still never overlap for one stylist."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from portal.domain import bikram_sambat, reports
from portal.extensions import db
from portal.models import Booking
from portal.services import reports as report_service
from portal.services.operations.demo import KATHMANDU
from portal.services.operations.demo_history import RECENT_DAYS


def test_the_demo_has_months_of_history_to_report(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    today = bikram_sambat.to_bs(datetime.now(KATHMANDU).date())
    year, month = bikram_sambat.month_before(today.year, today.month)
    with app.app_context():
        for _ in range(3):  # the last three full BS months
            report = report_service.salon_report(db.session, reports.bs_month_period(year, month), "Asia/Kathmandu")
            assert report.completed > 100 and report.no_shows > 0 and report.revenue_cents > 0
            assert all(report.cancelled_by[who] > 0 for who in reports.CANCELLED_BY)
            assert report.by_source[reports.DESK] > 0 and report.by_source[reports.ONLINE] > 0
            assert len(report.utilisation) == 8 and all(0.2 < u.share <= 1 for u in report.utilisation)
            assert len(report.top_services) == 6 and report.busy
            year, month = bikram_sambat.month_before(year, month)
        # the history: finished bookings only (nothing it adds occupies a slot), and none overlap
        a, b = aliased(Booking), aliased(Booking)
        since = datetime.now(KATHMANDU) - timedelta(days=RECENT_DAYS)
        overlapping = db.session.scalar(select(func.count()).select_from(a).join(b, and_(
            a.stylist_user_id == b.stylist_user_id, a.id < b.id, a.start_time < b.end_time, b.start_time < a.end_time,
        )).where(a.status != "cancelled", b.status != "cancelled", a.end_time < since, b.end_time < since))
        assert overlapping == 0
