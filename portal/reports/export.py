"""A report's tables as CSV: headings in the reader's language, numbers as a spreadsheet
reads them (Latin digits, rupees with two decimals, percentages with one), cells that
could run as formulas neutralised (the audit export's rule)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from flask_babel import gettext as _

from portal.audit.export import BOM, neutralise
from portal.domain import reports
from portal.domain.bikram_sambat import bs_date
from portal.domain.schedule_changes import DAY_NAMES
from portal.i18n import current_language, translate


def rupees(paisa: int | None) -> str:
    return "" if paisa is None else f"{Decimal(paisa) / 100:.2f}"


def percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}"


def _summary(report):
    rows = [(_("Bookings"), report.bookings)]
    rows += [(translate(reports.SOURCE_GROUP_LABELS[g]), report.by_source[g]) for g in reports.SOURCE_GROUP_LABELS]
    rows += [(_("Completed"), report.completed), (_("Cancelled"), report.cancelled)]
    rows += [(translate(reports.CANCELLED_BY_LABELS[w]), report.cancelled_by[w]) for w in reports.CANCELLED_BY]
    rows += [(_("No-shows"), report.no_shows), (_("No-show rate (%)"), percent(report.no_show_rate)),
             (_("Revenue (NPR)"), rupees(report.revenue_cents)),
             (_("Average ticket (NPR)"), rupees(report.average_ticket_cents))]
    return (_("Figure"), _("Value")), rows


def _revenue(report):
    return ((_("Date"), _("Bikram Sambat date"), _("Completed bookings"), _("Revenue (NPR)")),
            [(d.isoformat(), bs_date(d) or "", n, rupees(c)) for d, n, c in report.revenue_days])


def _utilisation(report):
    return ((_("Stylist"), _("Booked minutes"), _("Working minutes"), _("Utilisation (%)")),
            [(u.name, u.booked_minutes, u.working_minutes, percent(u.share)) for u in report.utilisation])


def _busy_hours(report):
    return ((_("Weekday"), _("Hour"), _("Bookings")),
            [(translate(DAY_NAMES[d]), f"{h:02d}:00", report.busy.get((d, h), 0))
             for d in range(7) for h in report.busy_hours])


def _services(report):
    return ((_("Service"), _("Bookings"), _("Completed"), _("Revenue (NPR)")),
            [(s.name_in(current_language()), s.bookings, s.completed, rupees(s.revenue_cents)) for s in report.top_services])


TABLES = {"summary": _summary, "revenue": _revenue, "utilisation": _utilisation, "busy_hours": _busy_hours,
          "services": _services}


def csv_text(report, table: str) -> str:
    header, rows = TABLES[table](report)
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in row])
    return buffer.getvalue()


def filename(report, table: str) -> str:
    """`report-revenue-2026-11-17-2026-12-15.csv`."""
    return f"report-{table.replace('_', '-')}-{report.period.first.isoformat()}-{report.period.last.isoformat()}.csv"
