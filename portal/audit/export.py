"""The CSV export: one line per log row, streamed in chunks, safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from typing import Iterable, Iterator
from zoneinfo import ZoneInfo

HEADER = (
    "id", "created_at_utc", "created_at_local", "category", "severity", "action", "actor_email",
    "actor_name", "target_type", "target_id", "reason", "ip_address", "user_agent", "details",
)
# What Excel, LibreOffice and Google Sheets treat as the start of a formula (or DDE).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500
BOM = "\ufeff"  # so that spreadsheets read the file as UTF-8 (Devanagari names, etc.)


def neutralise(value) -> str:
    """A cell as text; one starting like a formula gets a leading `'` (OWASP's advice)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_cells(row, zone: ZoneInfo) -> list[str]:
    details = row.details or {}
    reason = details.get("reason") if isinstance(details, dict) else None
    return [neutralise(value) for value in (
        row.id,
        row.created_at.astimezone(timezone.utc).isoformat(),
        row.created_at.astimezone(zone).isoformat(),
        row.category, row.severity, row.action, row.actor_email, row.actor_name,
        row.target_type, row.target_id, reason, row.ip_address, row.user_agent,
        json.dumps(details, ensure_ascii=False, sort_keys=True, default=str),
    )]


def csv_chunks(rows: Iterable, zone_name: str) -> Iterator[str]:
    """The file as text chunks of `ROWS_PER_CHUNK` lines: never the whole log in memory."""
    zone = ZoneInfo(zone_name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(HEADER)
    for count, row in enumerate(rows, start=1):
        writer.writerow(csv_cells(row, zone))
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
    yield buffer.getvalue()


def export_filename(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return f"audit-log-{now:%Y%m%d-%H%M%S}.csv"
