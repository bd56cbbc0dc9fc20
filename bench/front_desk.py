"""Front desk benchmark (PostgreSQL): customer search, a customer's page, "any stylist"
free times (warm cache), and booking INSERTs with and without the no-overlap rule.

    .venv/bin/python bench/front_desk.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres \
        [--customers 100000] [--bookings 500000] [--stylists 50] [--repeats 50]

A scratch database is created next to --postgres, migrated, seeded with plain SQL
(generate_series), ANALYZEd, measured, and dropped. Goals (front-desk.md, issue 24):
search and a customer's page < 200 ms, any-stylist free times warm < 100 ms, INSERT with
the exclusion constraint ≤ 1.2× without it. Method and results: docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time as clock
import uuid
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from portal import create_app  # noqa: E402
from portal.actor import Actor  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models.booking_rules import NO_OVERLAP, OCCUPYING_SQL  # noqa: E402
from portal.services.desk import customers  # noqa: E402
from portal.services.desk.desk_free_times import any_stylist_free_times  # noqa: E402

KTM = ZoneInfo("Asia/Kathmandu")
UTC = timezone.utc
SLOTS_A_DAY = 20  # 09:00–19:00 in 30-minute bookings
ROUNDS = 4
ADD_RULE = (f"ALTER TABLE bookings ADD CONSTRAINT {NO_OVERLAP} EXCLUDE USING gist "
            f"(stylist_user_id WITH =, tstzrange(start_time, end_time) WITH &&) WHERE (status IN {OCCUPYING_SQL})")


def build_app(url: str):
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "DATABASE_STATEMENT_TIMEOUT_SECONDS": 0,  # seeding 500,000 rows outlasts a request's limit
                      "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
    return app


def seed(conn, stylists: int, n_customers: int, n_bookings: int, today: date) -> tuple[str, str]:
    admin, service = str(uuid.uuid4()), str(uuid.uuid4())
    conn.execute(text("INSERT INTO user_profiles (id, email, display_name) VALUES (:i, 'admin@bench', 'Admin')"),
                 {"i": admin})
    conn.execute(text("INSERT INTO services (id, name, slug, category, duration_minutes, base_price_cents, "
                      "min_advance_hours, max_advance_days) VALUES (:i, 'Cut', 'cut', 'hair', 30, 100000, 0, 60)"),
                 {"i": service})
    conn.execute(text(
        "INSERT INTO user_profiles (id, email, display_name) SELECT gen_random_uuid(), 's' || g || '@bench', "
        "'Stylist ' || lpad(g::text, 3, '0') FROM generate_series(1, :n) g"), {"n": stylists})
    conn.execute(text("INSERT INTO stylist_profiles (user_id, display_name, booking_buffer_minutes) "
                      "SELECT id, display_name, 0 FROM user_profiles WHERE email LIKE 's%@bench'"))
    conn.execute(text("INSERT INTO stylist_services (stylist_user_id, service_id) SELECT user_id, :v "
                      "FROM stylist_profiles"), {"v": service})
    conn.execute(text("INSERT INTO stylist_schedules (stylist_user_id, day_of_week, start_time_local, "
                      "end_time_local, break_start_time_local, break_end_time_local, effective_from) "
                      "SELECT user_id, d, '09:00', '19:00', NULL, NULL, '2000-01-01' FROM stylist_profiles, "
                      "generate_series(0, 6) d"))
    conn.execute(text("INSERT INTO customers (name, phone) SELECT 'Customer ' || g || ' ' || "
                      "(ARRAY['Sita','Ram','Gita','Hari','Puja','Bina','Anil','Maya'])[1 + g % 8], "
                      "'+97798' || lpad(g::text, 8, '0') FROM generate_series(0, :n - 1) g"), {"n": n_customers})
    conn.execute(text("INSERT INTO customer_phones (phone_text, customer_id) SELECT phone, id FROM customers"))
    days = n_bookings // (stylists * SLOTS_A_DAY) + 1
    first = datetime.combine(today - timedelta(days=days - 30), time(9), KTM)  # the last 30 days are ahead
    conn.execute(text(
        "INSERT INTO bookings (stylist_user_id, service_id, start_time, end_time, price_cents, status, "
        "customer_name, customer_phone, source) "
        "SELECT s.ids[1 + g % :st], :v, t.start, t.start + interval '30 minutes', 100000, "
        "CASE WHEN t.start >= now() THEN 'confirmed' WHEN g % 17 = 0 THEN 'no_show' "
        "WHEN g % 13 = 0 THEN 'cancelled' ELSE 'completed' END, 'Customer', "
        "'+97798' || lpad(((g::bigint * 7919) % :nc)::text, 8, '0'), 'online' "
        "FROM generate_series(0, :nb - 1) g "
        "CROSS JOIN (SELECT array_agg(user_id ORDER BY user_id) ids FROM stylist_profiles) s "
        "CROSS JOIN LATERAL (SELECT CAST(:first AS timestamptz) + ((g / :st) / :per) * interval '1 day' "
        "+ ((g / :st) % :per) * interval '30 minutes' AS start) t"),
        {"st": stylists, "v": service, "nc": n_customers, "nb": n_bookings, "first": first, "per": SLOTS_A_DAY})
    conn.execute(text("ANALYZE"))
    return admin, service


def timed(function, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        begin = clock.perf_counter()
        function()
        out.append((clock.perf_counter() - begin) * 1000)
    return out


def report(label: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p90 = samples[int(len(samples) * 0.9) - 1]
    print(f"{label:48s} median {statistics.median(samples):8.2f} ms   p90 {p90:8.2f} ms   (n={len(samples)})")


def inserts(conn, stylist_ids: list[str], service: str, start: datetime, count: int) -> list[float]:
    """Single-row INSERTs, each its own transaction, at free far-future times."""
    out = []
    for i in range(count):
        begin = start + timedelta(days=i // (len(stylist_ids) * SLOTS_A_DAY),
                                  minutes=30 * ((i // len(stylist_ids)) % SLOTS_A_DAY))
        t0 = clock.perf_counter()
        with conn.begin():
            conn.execute(text("INSERT INTO bookings (stylist_user_id, service_id, start_time, end_time, price_cents) "
                              "VALUES (:s, :v, :a, :b, 100000)"),
                         {"s": stylist_ids[i % len(stylist_ids)], "v": service, "a": begin,
                          "b": begin + timedelta(minutes=30)})
        out.append((clock.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--bookings", type=int, default=500_000)
    parser.add_argument("--stylists", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--inserts", type=int, default=1000)
    args = parser.parse_args()
    base = make_url(args.postgres).set(drivername="postgresql+psycopg")
    name = f"portal_bench_desk_{uuid.uuid4().hex[:8]}"
    admin_engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        app = build_app(url)
        today = datetime.now(KTM).date()
        engine = create_engine(url)
        began = clock.perf_counter()
        with engine.begin() as conn:
            admin, service = seed(conn, args.stylists, args.customers, args.bookings, today)
        print(f"seeded {args.customers} customers, {args.bookings} bookings, {args.stylists} stylists "
              f"in {clock.perf_counter() - began:.0f} s")
        rng = random.Random(7)
        with app.test_request_context():
            session = db.session
            queries = ([str(rng.randrange(10_000, 99_999)) for _ in range(args.repeats // 2)]
                       + [rng.choice(["sita", "ram 12", "customer 4711", "puja", "98000123"])
                          for _ in range(args.repeats - args.repeats // 2)])
            rng.shuffle(queries)
            it = iter(queries * 2)
            report("customer search (name or part of phone)", timed(
                lambda: customers.search_customers(session, next(it)), args.repeats))
            ids = [r[0] for r in session.execute(text("SELECT id FROM customers ORDER BY random() LIMIT :n"),
                                                 {"n": args.repeats})]
            pick = iter(ids * 2)
            actor = Actor(uuid.UUID(admin), "Admin")
            report("a customer's page (service: rows, counts, log row)", timed(
                lambda: customers.open_customer(session, actor, next(pick)), args.repeats))
            day = today + timedelta(days=3)
            any_stylist_free_times(session, uuid.UUID(service), day)  # warms the cache
            report(f"any-stylist free times, warm ({args.stylists} stylists)", timed(
                lambda: any_stylist_free_times(session, uuid.UUID(service), day), args.repeats))
            session.remove()
        with engine.connect() as conn:
            stylist_ids = [str(r[0]) for r in conn.execute(text("SELECT user_id FROM stylist_profiles"))]
            conn.commit()
            far = datetime.combine(today + timedelta(days=400), time(9), KTM)
            with_rule, without = [], []
            block = max(1, args.inserts // ROUNDS)
            for n in range(ROUNDS):  # alternate blocks, so a change in the machine's load hits both alike
                with_rule += inserts(conn, stylist_ids, service, far + timedelta(days=200 * n), block)
                with conn.begin():
                    conn.execute(text(f"ALTER TABLE bookings DROP CONSTRAINT {NO_OVERLAP}"))
                without += inserts(conn, stylist_ids, service, far + timedelta(days=200 * n + 100), block)
                with conn.begin():
                    conn.execute(text(ADD_RULE))
        report("booking INSERT with the exclusion constraint", with_rule)
        report("booking INSERT without it", without)
        print(f"ratio of medians: {statistics.median(with_rule) / statistics.median(without):.2f}x")
        engine.dispose()
        with app.app_context():
            db.engine.dispose()
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


if __name__ == "__main__":
    main()
