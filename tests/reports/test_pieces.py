"""The reports' small pure pieces: the salon clock's offset changes (SQLite), chart geometry."""
from __future__ import annotations

from datetime import date, datetime, timezone

from portal.reports import charts
from portal.services.reports.local_clock import offset_changes


def test_offset_changes_find_a_dst_change_to_the_second():
    found = offset_changes("America/New_York", datetime(2026, 3, 1, tzinfo=timezone.utc),
                           datetime(2026, 3, 31, tzinfo=timezone.utc))
    assert [(at.isoformat(), offset) for at, offset in found] == [
        ("2026-03-01T00:00:00+00:00", -300), ("2026-03-08T07:00:00+00:00", -240)]
    assert len(offset_changes("Asia/Kathmandu", datetime(2026, 1, 1, tzinfo=timezone.utc),
                              datetime(2027, 1, 1, tzinfo=timezone.utc))) == 1


def test_axis_tops_and_bars():
    assert [charts.nice_ceiling(v) for v in (0, 1, 3, 7, 11, 240, 1_200_000)] == [1, 1, 5, 10, 20, 250, 2_000_000]
    chart = charts.revenue_chart([(date(2026, 12, d), 1, d * 1000) for d in range(1, 11)])
    assert chart.top == 10_000 and chart.bars[-1].y == charts.REV_TOP and chart.bars[0].value == 1000
    assert all(bar.y + bar.height == chart.base_y for bar in chart.bars)
    heat = charts.heat_chart({(0, 10): 4, (1, 10): 1}, [10, 11])
    assert [(c.weekday, c.hour, c.level) for c in heat.cells if c.count] == [(0, 10, 4), (1, 10, 1)]
    assert len(heat.cells) == 14
