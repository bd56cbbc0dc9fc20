"""The CSV export: one line per log row, streamed in chunks, safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io
import unicodedata
from datetime import datetime
from typing import Iterable, Iterator
from zoneinfo import ZoneInfo

from portal import clock


HEADER = (
    "id", "log", "created_at_utc", "created_at_local", "category", "severity", "action", "actor_email",
    "actor_name", "target_type", "target_id", "about", "reason", "ip_address", "user_agent", "details",
)
# What Excel, LibreOffice and Google Sheets treat as the start of a formula (or DDE).
# Their full-width and small forms (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫) count too: a spreadsheet may fold
# them to the ASCII sign (NFKC), as it may skip leading spaces; so does `neutralise`.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMULA_SIGNS = frozenset("=+-@\u2212")  # U+2212 MINUS SIGN: no NFKC fold, still a minus
ROWS_PER_CHUNK = 500
LOGS = {1: "service_management_log", 0: "schedule_change_log"}  # which log the row's id belongs to
BOM = "\ufeff"  # so that spreadsheets read the file as UTF-8 (Devanagari names, etc.)


def neutralise(value) -> str:
    """A cell as text; one starting like a formula gets a leading `'` (OWASP's advice)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if looks_like_formula(text) else text


def looks_like_formula(text: str) -> bool:
    """Starts with a formula sign, in any width, after any spaces, or with a tab or line break."""
    if text.startswith(FORMULA_STARTS):
        return True
    first = text[:1]
    if first.isascii() and not first.isspace():  # the common case: one comparison
        return False
    head = text.lstrip()[:1]
    return bool(head) and (head in FORMULA_SIGNS or unicodedata.normalize("NFKC", head) in FORMULA_SIGNS)


def about_text(target, zone: ZoneInfo) -> str:
    """What the row is about, as the viewer names it (`audit_entries.Target`), with a
    booking's start in the salon's zone."""
    if target is None:
        return ""
    if target.when is None:
        return target.name
    return f"{target.name} · {target.when.astimezone(zone):%Y-%m-%d %H:%M}"


def csv_cells(row, target, zone: ZoneInfo) -> tuple:
    """One line of the file from a row of `audit_log.EXPORT_COLUMNS` and what it is about
    (a hot loop: every text that a user or a client could have chosen goes through `neutralise`)."""
    (row_id, created_at, category, severity, action, email, name, target_type, target_id, reason,
     ip_address, user_agent, details, kind) = row
    return (
        row_id, LOGS[kind], created_at.isoformat(), created_at.astimezone(zone).isoformat(),
        neutralise(category), neutralise(severity), neutralise(action), neutralise(email),
        neutralise(name), neutralise(target_type), target_id, neutralise(about_text(target, zone)),
        neutralise(reason), neutralise(ip_address), neutralise(user_agent), neutralise(details),
    )


def csv_chunks(rows: Iterable, zone_name: str) -> Iterator[str]:
    """The file as text chunks of `ROWS_PER_CHUNK` lines from (row, target) pairs: never the
    whole log in memory."""
    zone = ZoneInfo(zone_name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(HEADER)
    writerow = writer.writerow
    for count, (row, target) in enumerate(rows, start=1):
        writerow(csv_cells(row, target, zone))
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
    yield buffer.getvalue()


def export_filename(zone_name: str, now: datetime | None = None) -> str:
    """`audit-log-20261207-1030.csv`, in the zone the page shows its times in."""
    now = (now or clock.now()).astimezone(ZoneInfo(zone_name))
    return f"audit-log-{now:%Y%m%d-%H%M}.csv"
