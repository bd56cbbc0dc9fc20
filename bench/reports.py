"""A month's report on PostgreSQL: 50 stylists, 500,000 bookings (time-off-and-reports.md "Speed").

1. a scratch database next to `--postgres URL` (dropped afterwards), migrated;
2. `--stylists` stylists working Sunday–Friday 10:00–18:00 with a 13:00–14:00 break
   (Asia/Kathmandu), three 30-minute services, a business closure each month and a
   week's vacation per stylist every quarter; bookings written by SQL (`generate_series`,
   as the public site writes rows): 14 a day per stylist from 10:00, every 30 minutes, on
   every Sunday–Friday until `--bookings` are written, a quarter of them after today —
   10 % cancelled (half of them with a staff or customer-link log row), 5 % no-shows, the
   past rest completed and the future rest confirmed; a fifth by phone, a fifth walk-in;
   `ANALYZE`;
3. an admin signed in through the login form (two steps) and the Flask test client (the
   whole stack: view, service, template; no network) asks for the last full BS month's
   report `--requests` times after 3 warm-ups; the median and p90 of the wall time, with
   a light page (`/account`) timed between them and the load average, since the
   machine is shared; then where one request's time goes, statement by statement.

    .venv/bin/python bench/reports.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time as clock
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from portal import create_app  # noqa: E402
from portal.domain import bikram_sambat  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import UserMfa  # noqa: E402
from portal.services.identity import accounts  # noqa: E402
from portal.services.identity.secret_box import seal  # noqa: E402
from tests.web import PASSWORD, TOTP_SECRET, AuthActions  # noqa: E402

KTM = ZoneInfo("Asia/Kathmandu")
SLOTS = 14  # bookings a working day per stylist


def build_app(url: str):
    app = create_app({"TESTING": False, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "DATABASE_STATEMENT_TIMEOUT_SECONDS": 0,  # seeding 500,000 rows outlasts a request's limit
                      "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "WTF_CSRF_ENABLED": True,
                      "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
    return app


SEED = """
INSERT INTO bookings (id, stylist_user_id, service_id, start_time, end_time, price_cents, status, source,
                      customer_name, created_at, updated_at)
SELECT gen_random_uuid(), s.user_id, (:services)[1 + (k % 3)], t, t + interval '30 minutes',
       (ARRAY[80000, 150000, 250000])[1 + (k % 3)],
       CASE WHEN k % 20 < 2 THEN 'cancelled' WHEN k % 20 = 2 THEN 'no_show'
            WHEN t < now() THEN 'completed' ELSE 'confirmed' END,
       CASE k % 5 WHEN 0 THEN 'phone' WHEN 1 THEN 'walk_in' ELSE 'online' END,
       'Bench customer', now(), now()
FROM (SELECT user_id, row_number() OVER (ORDER BY user_id) AS i FROM stylist_profiles) s
CROSS JOIN generate_series(0, :days - 1) AS d
CROSS JOIN generate_series(0, :slots - 1) AS slot
CROSS JOIN LATERAL (SELECT ((CAST(:first AS date) + d) + time '10:00' + slot * interval '30 minutes')
                           AT TIME ZONE 'Asia/Kathmandu' AS t,
                           (d * :slots + slot + s.i) AS k) AS x
WHERE extract(dow FROM CAST(:first AS date) + d) <> 6
"""


def seed(app, stylists: int, bookings: int) -> None:
    today = datetime.now(KTM).date()
    with app.app_context():
        session = db.session
        admin = accounts.create_user(session, "admin@bench.test", "Bench Admin", "admin", PASSWORD)
        session.add(UserMfa(user_id=admin.id, secret_encrypted=seal(TOTP_SECRET), confirmed_at=datetime.now(timezone.utc)))
        session.commit()
        conn = session.connection()
        services = []
        for n, (name, price) in enumerate((("Cut", 80000), ("Colour", 150000), ("Spa", 250000))):
            services.append(conn.execute(text(
                "INSERT INTO services (name, slug, category, duration_minutes, base_price_cents) "
                "VALUES (:n, :s, 'hair', 30, :p) RETURNING id"), {"n": name, "s": f"s{n}", "p": price}).scalar())
        for i in range(stylists):
            user = conn.execute(text("INSERT INTO user_profiles (email, display_name) VALUES (:e, :n) RETURNING id"),
                                {"e": f"stylist{i}@bench.test", "n": f"Stylist {i:02d}"}).scalar()
            conn.execute(text("INSERT INTO stylist_profiles (user_id, display_name) VALUES (:u, :n)"),
                         {"u": user, "n": f"Stylist {i:02d}"})
            for day in range(6):
                conn.execute(text(
                    "INSERT INTO stylist_schedules (stylist_user_id, day_of_week, start_time_local, end_time_local, "
                    "break_start_time_local, break_end_time_local, effective_from) "
                    "VALUES (:u, :d, '10:00', '18:00', '13:00', '14:00', '2000-01-01')"), {"u": user, "d": day})
        per_day = stylists * SLOTS * 6 / 7
        days = int(bookings / per_day) + 1
        first = today - timedelta(days=days * 3 // 4)  # three quarters of the bookings in the past
        for month in range(0, days, 30):
            conn.execute(text(
                "INSERT INTO schedule_overrides (override_type, applies_to_all_stylists, start_date, end_date, "
                "is_closed, priority, reason) VALUES ('business_closure', true, :d, :d, true, 100, 'Festival')"),
                {"d": first + timedelta(days=month + 11)})
            if month % 90 == 0:
                conn.execute(text(
                    "INSERT INTO schedule_overrides (override_type, applies_to_all_stylists, stylist_user_id, "
                    "start_date, end_date, is_closed, priority, reason) SELECT 'stylist_vacation', false, user_id, "
                    ":a, :b, true, 50, 'Leave' FROM stylist_profiles"),
                    {"a": first + timedelta(days=month + 20), "b": first + timedelta(days=month + 26)})
        conn.execute(text(SEED), {"services": services, "days": days, "slots": SLOTS, "first": first})
        conn.execute(text(
            "INSERT INTO private.service_management_log (admin_user_id, action, category, severity, target_type, "
            "target_id, details) SELECT CASE WHEN substr(id::text, 2, 1) < '8' THEN CAST(:admin AS uuid) END, "
            "'booking_cancelled', 'configuration', 'info', 'booking', id, '{}' FROM bookings "
            "WHERE status = 'cancelled' AND substr(id::text, 1, 1) < '8'"), {"admin": admin.id})
        session.commit()
    with app.app_context(), db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        total = conn.execute(text("SELECT count(*) FROM bookings")).scalar()
        print(f"seeded {total:,} bookings, {stylists} stylists, from {first} for {days} days")


def last_full_bs_month() -> tuple[int, int]:
    today = bikram_sambat.to_bs(datetime.now(KTM).date())
    return bikram_sambat.month_before(today.year, today.month)


def measure(app, requests: int) -> list[float]:
    client = app.test_client()
    response = AuthActions(client).login("admin@bench.test")
    assert response.status_code == 302, response.status_code
    year, month = last_full_bs_month()
    url = f"/reports/?period=bs_month&bs_month={year}-{month:02d}"
    times, reference = [], []
    for n in range(requests + 3):
        started = clock.perf_counter()
        response = client.get(url)
        elapsed = (clock.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        started = clock.perf_counter()
        assert client.get("/account").status_code == 200  # a light page, interleaved: the machine's load
        if n >= 3:
            times.append(elapsed)
            reference.append((clock.perf_counter() - started) * 1000)
    print(f"reference (/account, a light page): median {statistics.median(reference):.1f} ms")
    page = client.get(url).get_data(as_text=True)
    print(f"report {year}-{month:02d}: {len(page):,} bytes of HTML")
    statements(app, client, url)
    return times


def statements(app, client, url: str) -> None:
    """The statements of one more request, slowest first (where the time goes)."""
    spent: list[tuple[float, str]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["started"] = clock.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        spent.append(((clock.perf_counter() - conn.info.pop("started")) * 1000, " ".join(statement.split())[:110]))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    started = clock.perf_counter()
    client.get(url)
    total = (clock.perf_counter() - started) * 1000
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    print(f"one request {total:.1f} ms, {len(spent)} statements, {sum(t for t, _ in spent):.1f} ms in them:")
    for took, statement in sorted(spent, reverse=True)[:8]:
        print(f"  {took:7.1f} ms  {statement}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--stylists", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (its name is printed)")
    parser.add_argument("--reuse", help="measure again on a kept database (no seeding)")
    args = parser.parse_args()
    base = make_url(args.postgres).set(drivername="postgresql+psycopg")
    name = args.reuse or f"portal_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    if not args.reuse:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        app = build_app(base.set(database=name).render_as_string(hide_password=False))
        if not args.reuse:
            started = clock.perf_counter()
            seed(app, args.stylists, args.bookings)
            print(f"seeding took {clock.perf_counter() - started:.1f} s")
        times = measure(app, args.requests)
        print(f"{args.requests} requests: median {statistics.median(times):.1f} ms, "
              f"p90 {statistics.quantiles(times, n=10)[-1]:.1f} ms, min {min(times):.1f} ms; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        if args.keep or args.reuse:
            print(f"kept database {name}")
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
