"""The reports' small pure pieces: the salon clock's offset changes (SQLite), chart geometry (and the
Operations page's hit-rate chart)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from portal.dashboard.charts import FILLS, hit_rate_chart
from portal.reports import charts
from portal.services.operations.cache_monitoring import Bucket, Window
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


def test_every_coordinate_and_style_rule_of_the_charts_is_computed_in_python():
    chart = charts.revenue_chart([(date(2026, 12, d), 1, d * 1000) for d in range(1, 11)])
    assert [(t.value, t.text_y - t.y) for t in chart.ticks] == [(0, charts.TEXT_DROP), (5000, 4), (10_000, 4)]
    assert chart.right == chart.width - 8 and chart.tick_x == chart.left - 6 and chart.label_y == chart.base_y + 18
    use = charts.utilisation_chart([type("Use", (), {"share": 0.5, "name": "Asha"})()])
    assert use.bars[0].share == 0.5 and use.bars[0].value == 50.0
    assert use.bars[0].text_y == use.bars[0].y + use.bars[0].height / 2 + 5
    assert use.value_x == use.left + use.plot_width + 6
    heat = charts.heat_chart({(0, 10): 4, (1, 10): 1}, [10])
    busiest, quiet = heat.cells[0], heat.cells[1]
    assert busiest.box == (busiest.x + 1, busiest.y + 1, charts.HEAT_CELL_W - 2, charts.HEAT_CELL_H - 2)
    assert (busiest.text_class, quiet.text_class) == ("on-dark", "on-light") and busiest.start.hour == 10
    assert busiest.text_x == busiest.x + charts.HEAT_CELL_W / 2
    assert busiest.text_y == busiest.y + charts.HEAT_CELL_H / 2 + 5


def test_the_hit_rate_chart_places_and_colours_its_bars():
    start = datetime(2026, 12, 7, tzinfo=timezone.utc)
    window = Window("last hour", [Bucket(start, 9, 1), Bucket(start, 1, 9), Bucket(start, 0, 0)], 0.8)
    chart = hit_rate_chart(window)
    assert [(b.x, b.y, b.height, b.fill) for b in chart.bars] == [
        (1, 12.0, 90.0, FILLS["ok"]), (11, 92.0, 10.0, FILLS["below"]), (21, 102, 1, FILLS["none"])]
    assert chart.width == 30 and chart.alert_y == 102 - 80
