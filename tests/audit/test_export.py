"""CSV export: the filtered rows, role-scoped, logged, formula-safe, streamed in bounded memory."""
import csv
import io
import tracemalloc
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from portal.audit.export import HEADER, neutralise
from portal.models.logs import CATEGORIES
from tests.audit_trail import log_rows

T0 = datetime(2026, 2, 1, 3, 0, tzinfo=timezone.utc)


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-log-')
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("value, expected", [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"), ("+1+1", "'+1+1"), ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("plain reason", "plain reason"), ("a=b", "a=b"), ("", ""), (None, ""), (42, "42"),
    # full-width and small forms (issue 22, point 10), leading spaces, a line break, U+2212
    ("＝cmd|' /C calc'!A0", "'＝cmd|' /C calc'!A0"), ("﹦1+1", "'﹦1+1"), ("＋1", "'＋1"), ("﹢1", "'﹢1"),
    ("－1", "'－1"), ("﹣1", "'﹣1"), ("＠SUM(A1)", "'＠SUM(A1)"), ("﹫SUM(A1)", "'﹫SUM(A1)"),
    ("  =1+1", "'  =1+1"), ("\u3000＝1", "'\u3000＝1"), ("\n=1", "'\n=1"), ("\u22121", "'\u22121"),
    ("नमस्ते", "नमस्ते"), ("  plain", "  plain"), ("ａ＝ｂ", "ａ＝ｂ"),
])
def test_formula_like_cells_are_neutralised_and_plain_text_is_kept(value, expected):
    assert neutralise(value) == expected


def test_formula_cells_arrive_neutralised(client, people, auth, insert_log):
    auditor = people("auditor")
    auth.login(auditor.email)
    insert_log([
        {"action": "promotion_rejected", "category": "governance", "created_at": T0,
         "details": {"reason": "=cmd|' /C calc'!A0"}, "user_agent": "@SUM(1+1)*cmd|' /C calc'!A0"},
        {"action": "override_created", "category": "configuration", "created_at": T0 + timedelta(seconds=1),
         "details": {"reason": "-1+1"}, "user_agent": "+HYPERLINK(\"http://x\")"},
        {"action": "override_created", "category": "configuration", "created_at": T0 + timedelta(seconds=2),
         "details": {"reason": "Dashain closure"}},
    ])
    rows = read_csv(client.get("/audit/export.csv?category=governance"))
    [rejected] = [r for r in rows if r["action"] == "promotion_rejected"]
    assert rejected["reason"] == "'=cmd|' /C calc'!A0"
    assert rejected["user_agent"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    rows = read_csv(client.get("/audit/export.csv?action=override_created"))
    assert [r["reason"] for r in rows] == ["Dashain closure", "'-1+1"]
    assert rows[1]["user_agent"] == "'+HYPERLINK(\"http://x\")"
    # No cell of the file starts like a formula.
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())


def test_full_width_and_small_formula_signs_arrive_neutralised(client, people, auth, insert_log):
    auditor = people("auditor")
    auth.login(auditor.email)
    insert_log([{"action": "promotion_rejected", "category": "governance", "created_at": T0,
                 "details": {"reason": "＝cmd|' /C calc'!A0"}, "user_agent": "﹦HYPERLINK(\"http://x\")"}])
    [row] = read_csv(client.get("/audit/export.csv?category=governance"))
    assert row["reason"] == "'＝cmd|' /C calc'!A0" and row["user_agent"] == "'﹦HYPERLINK(\"http://x\")"


def test_export_is_filtered_scoped_and_logged(app, client, people, auth, insert_log):
    admin = people("admin")
    auth.login(admin.email)
    insert_log([{"action": f"{c}_event", "category": c, "created_at": T0 + timedelta(minutes=n)}
                for n, c in enumerate(CATEGORIES)])
    rows = read_csv(client.get("/audit/export.csv"))
    assert list(rows[0].keys()) == list(HEADER)
    assert {r["category"] for r in rows} == {"governance", "configuration"}
    for crafted in ("security", "data_access"):
        response = client.get(f"/audit/export.csv?category={crafted}")
        assert response.status_code == 400 and b"Not a valid choice" in response.data
        assert f"{crafted}_event".encode() not in response.data
    rows = read_csv(client.get("/audit/export.csv?category=configuration&date_from=2026-02-01&date_to=2026-02-01"))
    assert [r["action"] for r in rows] == ["configuration_event"]
    assert rows[0]["created_at_local"].endswith("+05:45")
    assert rows[0]["ip_address"] == "198.51.100.1" and rows[0]["user_agent"] == "seed"
    exports = log_rows(app, action="audit_log_exported")
    assert len(exports) == 2  # refused exports are not exports
    assert all(r["category"] == "data_access" and r["admin_user_id"] == admin.id for r in exports)
    assert exports[-1]["details"]["filters"] == {
        "categories": ["configuration"], "date_from": "2026-02-01", "date_to": "2026-02-01",
        "timezone": "Asia/Kathmandu",
    }


def test_export_matches_the_viewer_order(app, client, people, auth, insert_log):
    auditor = people("auditor")
    auth.login(auditor.email)
    insert_log([{"action": "tie", "category": "governance", "created_at": T0} for _ in range(7)])
    rows = read_csv(client.get("/audit/export.csv?action=tie"))
    ids = [int(r["id"]) for r in rows]
    assert ids == sorted(ids, reverse=True) and len(ids) == 7


EXPORT_ROWS = 100_000
REASON = "Closed for Dashain; every booking moved to the following week. " * 3


SEED_SQL = {
    "sqlite": """
        WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < :count - 1)
        INSERT INTO service_management_log
            (action, category, severity, target_type, details, ip_address, user_agent, created_at)
        SELECT 'override_created', CASE n % 2 WHEN 0 THEN 'governance' ELSE 'configuration' END, 'info',
               'schedule_override', json_object('reason', :reason, 'n', n), '198.51.100.1',
               'Mozilla/5.0 (seed)', strftime('%Y-%m-%d %H:%M:%f000', '2025-01-01', '+' || (n / 3) || ' seconds')
        FROM seq""",
    "postgresql": """
        INSERT INTO private.service_management_log
            (action, category, severity, target_type, details, ip_address, user_agent, created_at)
        SELECT 'override_created', CASE n % 2 WHEN 0 THEN 'governance' ELSE 'configuration' END, 'info',
               'schedule_override', jsonb_build_object('reason', CAST(:reason AS text), 'n', n), '198.51.100.1',
               'Mozilla/5.0 (seed)', TIMESTAMPTZ '2025-01-01 00:00:00+00' + (n / 3) * INTERVAL '1 second'
        FROM generate_series(0, :count - 1) AS n""",
}


def test_exporting_100000_rows_streams_in_bounded_memory(app, client, people, auth, raw, engine_name):
    auditor = people("auditor")
    auth.login(auditor.email)
    # One multi-row INSERT ... SELECT: 100,000 rows, three to a second (ties included).
    raw.execute(text(SEED_SQL[engine_name]), {"count": EXPORT_ROWS, "reason": REASON})

    tracemalloc.start()
    try:
        response = client.get("/audit/export.csv?action=override_created")
        assert response.status_code == 200
        size = lines = 0
        for chunk in response.response:  # consumed as a browser would: chunk by chunk
            size += len(chunk)
            lines += chunk.count(b"\r\n")
        response.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert lines == EXPORT_ROWS + 1  # the header and every row
    # The file is ~40 MB; holding it (or the rows as Python objects) would need far
    # more than the few megabytes a streamed export uses.
    assert size > 30 * 2**20
    assert peak < 12 * 2**20, f"peak {peak / 2**20:.1f} MiB for a {size / 2**20:.1f} MiB export"


@pytest.mark.postgresql_only
def test_postgresql_export_reads_through_a_server_side_cursor(app, insert_log):
    from portal.extensions import db
    from portal.services.audit import audit_log
    from portal.services.audit.audit_log import LogFilter

    insert_log([{"action": "x", "category": "governance", "created_at": T0} for _ in range(30)])
    with app.app_context():
        rows = audit_log.log_rows(db.session, LogFilter(), CATEGORIES, batch=10)
        assert next(rows).action == "x"
        # The open cursor is a named (server-side) one: PostgreSQL lists it for this session.
        assert db.session.execute(text("SELECT count(*) FROM pg_cursors")).scalar() == 1
        assert sum(1 for _ in rows) == 29
        assert db.session.execute(text("SELECT count(*) FROM pg_cursors")).scalar() == 0
