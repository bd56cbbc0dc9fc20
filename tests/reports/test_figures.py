"""The report's figures against the hand-computed values of tests/reports/salon.py, on both engines."""
from __future__ import annotations

from datetime import date

import pytest

from portal.domain import reports
from portal.extensions import db
from portal.services import reports as report_service
from portal.services.reports.working_time import schedule_days
from portal.services.scheduling.schedules import effective_days
from tests.reports import salon as fixed
from tests.reports.salon import EXPECTED

ZONE = "Asia/Kathmandu"


@pytest.fixture
def salon(factory, raw):
    return fixed.build(factory, raw)


def mangsir(app, **narrow):
    with app.app_context():
        return report_service.salon_report(db.session, reports.bs_month_period(*fixed.BS_MONTH), ZONE, **narrow)


def test_the_period_is_the_bs_month_across_two_gregorian_months():
    period = reports.bs_month_period(*fixed.BS_MONTH)
    assert (period.first, period.last, period.days) == (fixed.FIRST, fixed.LAST, 29)


def test_counts_revenue_and_no_shows(app, salon):
    report = mangsir(app)
    assert report.bookings == EXPECTED["bookings"]
    assert report.completed == EXPECTED["completed"]
    assert report.no_shows == EXPECTED["no_shows"]
    assert report.no_show_rate == pytest.approx(2 / 10)
    assert report.revenue_cents == EXPECTED["revenue"]
    assert report.average_ticket_cents == EXPECTED["average"]
    assert report.cancelled_by == EXPECTED["cancelled"]
    assert report.by_source == {reports.ONLINE: EXPECTED["online"], reports.DESK: EXPECTED["desk"]}


def test_revenue_per_salon_day_busy_hours_and_top_services(app, salon):
    report = mangsir(app)
    assert len(report.revenue_days) == 29 and report.revenue_days[0][0] == fixed.FIRST
    assert {d: (n, c) for d, n, c in report.revenue_days if n} == EXPECTED["revenue_days"]
    assert sum(c for _, _, c in report.revenue_days) == report.revenue_cents
    assert report.busy == EXPECTED["busy"]
    assert report.busy_hours == list(range(5, 24))
    assert [(s.name, s.bookings, s.completed, s.revenue_cents) for s in report.top_services] == EXPECTED["services"]


def test_utilisation_is_booked_over_working_minutes(app, salon):
    report = mangsir(app)
    found = {u.name.lower(): u for u in report.utilisation}
    assert {k: u.working_minutes for k, u in found.items()} == EXPECTED["working"]
    assert {k: u.booked_minutes for k, u in found.items()} == EXPECTED["booked"]
    assert found["asha"].share == pytest.approx(220 / 9730)
    assert found["bina"].share == pytest.approx(630 / 10440)


def test_working_minutes_come_from_the_effective_schedule_views_layering(app, salon):
    """The same `day_window`s as the effective-schedule view, and booked ÷ their minutes."""
    report = mangsir(app)
    with app.app_context():
        for use in report.utilisation:
            days = effective_days(db.session, use.stylist_id, fixed.FIRST, fixed.LAST)
            minutes = sum(reports.minutes(a, b) for d in days for a, b in reports.working_intervals(d, ZONE))
            assert use.working_minutes == minutes
            assert use.share == pytest.approx(use.booked_minutes / minutes)
            stylist = db.session.get(type(salon.stylists["asha"]), use.stylist_id)
            assert schedule_days(db.session, [stylist], fixed.FIRST, fixed.LAST)[use.stylist_id] == days


def test_one_stylist_or_one_service(app, salon):
    bina = mangsir(app, stylist_id=salon.stylists["bina"].user_id)
    assert (bina.bookings, bina.completed, bina.no_shows, bina.revenue_cents) == (5, 3, 1, 500_000)
    assert [u.name for u in bina.utilisation] == ["Bina"]
    colour = mangsir(app, service_id=salon.services["colour"].id)
    assert (colour.bookings, colour.completed, colour.no_shows, colour.revenue_cents) == (3, 1, 1, 400_000)
    assert {u.name: u.booked_minutes for u in colour.utilisation} == {"Asha": 120, "Bina": 120}


def test_a_gregorian_month_and_a_range(app, salon):
    with app.app_context():
        december = report_service.salon_report(db.session, reports.gregorian_month_period(2026, 12), ZONE)
        assert december.bookings == 7  # last_night, after, dawn, vacation, bina_late, double_a, double_b
        one_day = report_service.salon_report(db.session, reports.range_period(date(2026, 11, 17),
                                                                                date(2026, 11, 17)), ZONE)
        assert (one_day.bookings, one_day.revenue_cents) == (2, 200_000)


def test_a_utilisation_never_exceeds_one():
    assert reports.utilisation(900, 480) == 1.0
    assert reports.utilisation(10, 0) is None
    assert reports.no_show_rate(0, 0) is None


@pytest.mark.parametrize("first,last,field", [
    (date(2026, 1, 1), date(2027, 1, 2), "end"),  # 367 days
    (date(2026, 2, 1), date(2026, 1, 1), "end"),
    (None, date(2026, 1, 1), "start"),
])
def test_a_range_is_at_most_366_days(first, last, field):
    with pytest.raises(reports.Refused) as caught:
        reports.range_period(first, last)
    assert field in caught.value.fields
    assert reports.range_period(date(2024, 1, 1), date(2024, 12, 31)).days == 366
