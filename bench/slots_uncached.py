"""Uncached cost of `GET /api/bookings/available-slots` vs the stylist's history size.

For each engine (a file SQLite database always; PostgreSQL when `--postgres URL` is
given — a scratch database is created next to it and dropped afterwards):

1. migrate a fresh database;
2. create one stylist per size (default 50, 500 and 5,000 bookings), each working
   09:00–17:00 every day in Asia/Kathmandu, offering one 60-minute service; the
   bookings are spread evenly over two years around the asked day D (one year
   before, one after, never on D itself) plus the same three bookings and one hold
   on D for every size, so every answer has the same shape (each booking also has
   its past hold, confirmed or expired, in `booking_reservations`); `--filler` other
   stylists with week schedules and overrides, and business-wide closures, keep the
   other tables from being trivially small;
3. time `--requests` requests per size through the Flask test client for the same
   (stylist, service, D) after a warm-up, interleaving the sizes, and print the median and p90 per size and the
   5,000/50 ratio of the medians.

`--explain` prints PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of each loader query for
the largest stylist (and, where the planner chose a sequential scan of a tiny table,
the plan again with `enable_seqscan = off`, to show the index path).

    .venv/bin/python bench/slots_uncached.py --requests 300 \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres --explain
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time as clock
import uuid
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import (  # noqa: E402
    Booking, BookingReservation, ScheduleOverride, Service, StylistProfile, StylistSchedule, StylistService, UserProfile,
)

KTM = ZoneInfo("Asia/Kathmandu")
URL = "/api/bookings/available-slots"


def build_app(database_url: str):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
        "AVAILABILITY_CACHE_ENABLED": False,  # every request computes (the cost measured here)
    })
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
    return app


def seed(app, sizes: list[int], day: date) -> dict[int, tuple[str, str]]:
    """One stylist per size; returns size -> (stylist id, service id)."""
    ids: dict[int, tuple[str, str]] = {}
    with app.app_context():
        session = db.session
        service = Service(name=f"Cut {uuid.uuid4().hex[:6]}", slug=f"cut-{uuid.uuid4().hex[:6]}",
                          category="hair", duration_minutes=60, base_price_cents=150000,
                          min_advance_hours=0, max_advance_days=400)
        session.add(service)
        session.flush()
        for size in sizes:
            user = UserProfile(email=f"stylist-{size}-{uuid.uuid4().hex[:6]}@bench.test", display_name=f"S{size}")
            session.add(user)
            session.flush()
            session.add(StylistProfile(user_id=user.id, display_name=user.display_name,
                                       timezone="Asia/Kathmandu", booking_buffer_minutes=0))
            session.flush()
            session.add(StylistService(stylist_user_id=user.id, service_id=service.id))
            for dow in range(7):
                session.add(StylistSchedule(stylist_user_id=user.id, day_of_week=dow,
                                            start_time_local=time(9), end_time_local=time(17),
                                            break_start_time_local=time(13), break_end_time_local=time(14),
                                            effective_from=date(2000, 1, 1)))
            rows = []
            first = day - timedelta(days=365)
            for i in range(size):
                other_day = first + timedelta(days=(730 * i) // size)
                if other_day == day:
                    other_day += timedelta(days=1)
                start = datetime.combine(other_day, time(9 + i % 7), tzinfo=KTM)
                rows.append(_booking(user.id, service.id, start))
            for hour in (10, 12, 15):
                rows.append(_booking(user.id, service.id, datetime.combine(day, time(hour), tzinfo=KTM)))
            session.execute(insert(Booking), rows)
            # Every booking went through a hold first (now confirmed or expired).
            session.execute(insert(BookingReservation), [
                {**{k: v for k, v in row.items() if k != "status"}, "id": uuid.uuid4(),
                 "status": "confirmed" if i % 4 else "expired", "expires_at": row["start_time"]}
                for i, row in enumerate(rows)
            ])
            start = datetime.combine(day, time(16), tzinfo=KTM)
            session.add(BookingReservation(stylist_user_id=user.id, service_id=service.id, start_time=start,
                                           end_time=start + timedelta(hours=1), status="reserved",
                                           expires_at=datetime.now(timezone.utc) + timedelta(hours=2)))
            ids[size] = (str(user.id), str(service.id))
        session.commit()
    return ids


def _booking(stylist_id, service_id, start: datetime) -> dict:
    return {"id": uuid.uuid4(), "stylist_user_id": stylist_id, "service_id": service_id,
            "start_time": start, "end_time": start + timedelta(hours=1), "price_cents": 150000,
            "status": "confirmed"}


def measure(app, all_ids: dict[int, tuple[str, str]], day: date, requests: int) -> dict[int, list[float]]:
    """Interleaved: each round asks once per size (rotating order), so drift in the
    machine's load affects every size alike."""
    client = app.test_client()
    queries = {size: {"stylistId": ids[0], "serviceId": ids[1], "targetDate": day.isoformat()}
               for size, ids in all_ids.items()}
    sizes = list(queries)
    for _ in range(20):
        for size in sizes:
            assert client.get(URL, query_string=queries[size]).status_code == 200
    times: dict[int, list[float]] = {size: [] for size in sizes}
    for round_number in range(requests):
        shift = round_number % len(sizes)
        for size in sizes[shift:] + sizes[:shift]:
            began = clock.perf_counter()
            response = client.get(URL, query_string=queries[size])
            times[size].append((clock.perf_counter() - began) * 1000)
            assert response.status_code == 200 and len(response.json) == 12, response.get_data(as_text=True)
    return times


def filler(app, stylists: int, day: date) -> None:
    """Other stylists with week schedules and overrides, and business-wide overrides,
    so the tables are not tiny and the planner's choices are realistic."""
    with app.app_context():
        users, profiles, schedules, overrides = [], [], [], []
        for n in range(stylists):
            user_id = uuid.uuid4()
            users.append({"id": user_id, "email": f"filler-{user_id.hex}@bench.test", "display_name": f"F{n}"})
            profiles.append({"user_id": user_id, "display_name": f"F{n}", "timezone": "Asia/Kathmandu",
                             "booking_buffer_minutes": 0})
            for dow in range(7):
                schedules.append({"id": uuid.uuid4(), "stylist_user_id": user_id, "day_of_week": dow,
                                  "start_time_local": time(10), "end_time_local": time(18),
                                  "effective_from": date(2000, 1, 1)})
            for k in range(4):
                first = day + timedelta(days=30 * k - 60)
                overrides.append({"id": uuid.uuid4(), "override_type": "stylist_vacation",
                                  "applies_to_all_stylists": False, "stylist_user_id": user_id,
                                  "start_date": first, "end_date": first + timedelta(days=3),
                                  "is_closed": True, "priority": 50})
        for k in range(40):
            first = day + timedelta(days=18 * k - 365)
            overrides.append({"id": uuid.uuid4(), "override_type": "business_closure",
                              "applies_to_all_stylists": True, "stylist_user_id": None,
                              "start_date": first, "end_date": first, "is_closed": True, "priority": 100})
        session = db.session
        session.execute(insert(UserProfile), users)
        session.execute(insert(StylistProfile), profiles)
        session.execute(insert(StylistSchedule), schedules)
        session.execute(insert(ScheduleOverride), overrides)
        session.commit()


def explain(app, ids: tuple[str, str], day: date) -> None:
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.append((statement, parameters))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        app.test_client().get(URL, query_string={"stylistId": ids[0], "serviceId": ids[1],
                                                 "targetDate": day.isoformat()})
        event.remove(db.engine, "before_cursor_execute", record)
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for number, (statement, parameters) in enumerate(seen, 1):
                print(f"\n-- query {number}\n{statement}\n-- parameters: {parameters}")
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                print(plan)
                if "Seq Scan" in plan:  # a tiny table: show the index path the planner would take
                    cursor.execute("SET enable_seqscan = off")
                    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + statement, parameters)
                    print("-- with enable_seqscan = off:")
                    print("\n".join(row[0] for row in cursor.fetchall()))
                    cursor.execute("RESET enable_seqscan")
        finally:
            raw.close()


def db_is_pg(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


def run(label: str, database_url: str, sizes: list[int], requests: int, want_explain: bool,
        filler_stylists: int) -> None:
    day = datetime.now(KTM).date() + timedelta(days=7)
    app = build_app(database_url)
    ids = seed(app, sizes, day)
    filler(app, filler_stylists, day)
    if db_is_pg(app):
        with app.app_context(), db.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
    medians = {}
    print(f"\n{label}: {requests} requests per size (interleaved), day {day}, "
          f"{filler_stylists} other stylists")
    all_times = measure(app, ids, day, requests)
    for size in sizes:
        times = all_times[size]
        medians[size] = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1]
        print(f"  {size:>6} bookings: median {medians[size]:.2f} ms, p90 {p90:.2f} ms")
    print(f"  ratio {sizes[-1]}/{sizes[0]}: {medians[sizes[-1]] / medians[sizes[0]]:.2f}x")
    if want_explain:
        explain(app, ids[sizes[-1]], day)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sizes", default="50,500,5000")
    parser.add_argument("--postgres", help="a PostgreSQL URL; a scratch database is created next to it")
    parser.add_argument("--filler", type=int, default=200, help="other stylists (schedules, overrides)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the loader queries (PostgreSQL)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    with tempfile.TemporaryDirectory() as directory:
        run("SQLite (file)", f"sqlite:///{os.path.join(directory, 'bench.sqlite3')}", sizes, args.requests, False,
            args.filler)
    if args.postgres:
        base = make_url(args.postgres).set(drivername="postgresql+psycopg")
        name = f"portal_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run("PostgreSQL", base.set(database=name).render_as_string(hide_password=False), sizes,
                args.requests, args.explain, args.filler)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
