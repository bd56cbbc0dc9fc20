"""The Operations page's hit-rate chart: where each bar goes and its colour (numbers in,
coordinates out); templates/dashboard/_hit_rate_chart.html only writes them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

BAR_STEP, BAR_WIDTH, BASE_Y, PLOT_H = 10, 8, 102, 100  # one bar per bucket, 100 units = a 100 % rate
FILLS = {"none": "#adb5bd", "below": "#fd7e14", "ok": "#198754"}  # grey: no requests; orange: below the alert


@dataclass(frozen=True)
class HitBar:
    x: int
    y: float
    width: int
    height: float
    fill: str
    start: datetime
    rate: float | None  # 0…1, None: no requests
    requests: int


@dataclass(frozen=True)
class HitRateChart:
    bars: list[HitBar]
    width: int
    alert_y: float  # the dashed line of the alert level
    height: int = BASE_Y + 2


def hit_rate_chart(window) -> HitRateChart:
    """`window`: a cache-monitoring `Window` (buckets with `rate`, `requests`, `start`; `alert_below`).
    A bucket with no requests is a 1-unit grey stub; one below the alert level (with requests) is orange."""
    bars = []
    for i, bucket in enumerate(window.buckets):
        height = PLOT_H * bucket.rate if bucket.rate is not None else 0
        below = bucket.rate is not None and bucket.rate < window.alert_below and bucket.requests
        tone = "none" if bucket.rate is None else "below" if below else "ok"
        bars.append(HitBar(i * BAR_STEP + 1, BASE_Y - height, BAR_WIDTH, height if height > 0 else 1, FILLS[tone],
                           bucket.start, bucket.rate, bucket.requests))
    return HitRateChart(bars, len(window.buckets) * BAR_STEP, BASE_Y - PLOT_H * window.alert_below)
