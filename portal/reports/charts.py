"""The charts' geometry: where each bar and cell of the templated SVG goes.

The charts are SVG written by Jinja templates (templates/reports/_charts.html), inline in
the page: no library, no script, no `style` (the CSP holds; colours are CSS classes in
static/css/portal.css), and the text is the browser's, so Devanagari shapes correctly.
This module places everything (numbers in, coordinates out: bars, grid lines, the x/y of
every label) and decides every style rule (which cells are dark); the templates only write
these values and the labels in the page's language from the same values the tables show.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

# Revenue per day: vertical bars.
REV_W, REV_H, REV_LEFT, REV_TOP, REV_BOTTOM = 420, 240, 84, 16, 40
# Utilisation: one horizontal bar per stylist.
USE_W, USE_ROW, USE_LEFT, USE_RIGHT = 480, 34, 150, 64
# Busy hours: weekdays across (Sunday first), hours down — narrow enough for a phone.
HEAT_LEFT, HEAT_TOP, HEAT_CELL_W, HEAT_CELL_H = 100, 30, 52, 28  # room for "बिहान १०:००"


TICK_GAP, TEXT_DROP, LABEL_DROP = 6, 4, 18  # a label's gap from its axis; its baseline below a line or bar


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int | float | None
    key: object = None
    share: float | None = None  # a utilisation bar's share of the working time (0…1)

    @property
    def text_y(self) -> float:
        """The baseline of a label beside a horizontal bar (vertically centred on it)."""
        return round(self.y + self.height / 2 + 5, 2)


@dataclass(frozen=True)
class Tick:
    y: float       # the grid line
    text_y: float  # the value's baseline
    value: int


def nice_ceiling(value: int) -> int:
    """The axis top: the smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (at least 1)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            top = int(step * factor)
            if top >= value and top == step * factor:
                return top
        step *= 10


@dataclass(frozen=True)
class RevenueChart:
    bars: list[Bar]
    top: int            # the axis' top value (paisa)
    ticks: list[Tick]
    labels: list[tuple[float, date]]  # (x centre, date) of the labelled days
    width: int = REV_W
    height: int = REV_H
    left: int = REV_LEFT
    right: int = REV_W - 8           # where the axis and grid lines end
    tick_x: int = REV_LEFT - TICK_GAP  # the values' right edge
    base_y: float = REV_H - REV_BOTTOM
    label_y: float = REV_H - REV_BOTTOM + LABEL_DROP  # the days' baseline


def revenue_chart(days: list[tuple[date, int, int]]) -> RevenueChart:
    """`days`: (date, completed, revenue in paisa) for every date of the period."""
    plot_w, plot_h = REV_W - REV_LEFT - 8, REV_H - REV_TOP - REV_BOTTOM
    top = nice_ceiling(max((cents for _, _, cents in days), default=0))
    slot = plot_w / max(len(days), 1)
    gap = min(2.0, slot * 0.2)
    bars, labels = [], []
    every = 1 if len(days) <= 10 else 7 if len(days) <= 62 else 30
    for i, (day, _, cents) in enumerate(days):
        height = plot_h * cents / top
        x = REV_LEFT + i * slot
        bars.append(Bar(round(x + gap / 2, 2), round(REV_TOP + plot_h - height, 2), round(slot - gap, 2),
                        round(height, 2), cents, day))
        if i % every == 0:
            labels.append((round(x + slot / 2, 2), day))
    ticks = [Tick(y, round(y + TEXT_DROP, 2), int(top * f))
             for f in (0, 0.5, 1) for y in [round(REV_TOP + plot_h * (1 - f), 2)]]
    return RevenueChart(bars, top, ticks, labels)


@dataclass(frozen=True)
class UseChart:
    bars: list[Bar]     # value = utilisation in percent (one decimal), key = the stylist's name
    width: int
    height: int
    left: int = USE_LEFT
    plot_width: int = USE_W - USE_LEFT - USE_RIGHT
    row: int = USE_ROW
    name_x: int = USE_LEFT - 8  # the stylists' names end here
    value_x: int = USE_W - USE_RIGHT + TICK_GAP  # the percentages start here


def utilisation_chart(uses) -> UseChart:
    """`uses`: `StylistUse`s in the table's order; a stylist who did not work has no bar."""
    plot = USE_W - USE_LEFT - USE_RIGHT
    bars = []
    for i, use in enumerate(uses):
        share = use.share
        percent = round(share * 100, 1) if share is not None else None
        width = plot * (share or 0)
        bars.append(Bar(USE_LEFT, i * USE_ROW + 6, round(width, 2), USE_ROW - 12, percent, use.name, share))
    return UseChart(bars, USE_W, max(len(uses), 1) * USE_ROW + 8)


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    weekday: int
    hour: int
    count: int
    level: int  # 0 (none) … 4 (the busiest): the CSS class, and the number is written in the cell

    # the square drawn inside the cell (a 1-unit gutter), and the number at its centre
    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.x + 1, self.y + 1, HEAT_CELL_W - 2, HEAT_CELL_H - 2

    @property
    def text_x(self) -> float:
        return self.x + HEAT_CELL_W / 2

    @property
    def text_y(self) -> float:
        return self.y + HEAT_CELL_H / 2 + 5

    @property
    def start(self) -> time:
        return time(self.hour)

    @property
    def text_class(self) -> str:
        """Light text on the two darkest levels."""
        return "on-dark" if self.level >= 3 else "on-light"


@dataclass(frozen=True)
class HeatChart:
    cells: list[Cell]
    hours: list[tuple[float, time]]    # (baseline of the label, the hour's start)
    weekdays: list[tuple[float, int]]  # (x centre, weekday 0 = Sunday)
    width: int
    height: int
    tick_x: int = HEAT_LEFT - TICK_GAP  # the hours' right edge
    weekday_y: int = 20                 # the weekdays' baseline


def heat_chart(busy: dict[tuple[int, int], int], hours: list[int]) -> HeatChart:
    most = max(busy.values(), default=0)
    cells = []
    for row, hour in enumerate(hours):
        for weekday in range(7):
            n = busy.get((weekday, hour), 0)
            level = 0 if n == 0 or most == 0 else min(4, 1 + (4 * n - 1) // most)
            cells.append(Cell(HEAT_LEFT + weekday * HEAT_CELL_W, HEAT_TOP + row * HEAT_CELL_H, weekday, hour, n, level))
    return HeatChart(
        cells,
        [(HEAT_TOP + row * HEAT_CELL_H + HEAT_CELL_H / 2 + TEXT_DROP, time(hour)) for row, hour in enumerate(hours)],
        [(HEAT_LEFT + d * HEAT_CELL_W + HEAT_CELL_W / 2, d) for d in range(7)],
        HEAT_LEFT + 7 * HEAT_CELL_W + 2, HEAT_TOP + len(hours) * HEAT_CELL_H + 2,
    )
