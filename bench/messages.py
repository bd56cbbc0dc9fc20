"""Benchmark of the reminders and the workers (issue 26): N reminders due → all queued
within 10 s, and delivered to a local Sparrow server within 2 minutes by two workers on
this machine, none twice.

A scratch PostgreSQL database is created beside `--postgres` (an administrator's URL) and
dropped afterwards; the broker is `--redis` (a Redis URL). The salon: `--count` bookings
tomorrow (salon time), 40 per stylist, each with its own Nepali mobile number. With
REMINDER_HOUR 00:00 and no quiet hours every one is due at once.

    .venv/bin/python bench/messages.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        --redis redis://127.0.0.1:6379/0 --count 10000
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import datetime, time as clock_time, timedelta, timezone
from http.server import ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.services.messaging import reminders  # noqa: E402
from tests.messages.conftest import Sparrow, _handler  # noqa: E402  (the tests' local Sparrow server)

KTM = ZoneInfo("Asia/Kathmandu")
UTC = timezone.utc
PER_STYLIST = 40


def scratch_database(admin_url: str) -> str:
    name = f"bench_messages_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


def seed(app, count: int) -> None:
    day = datetime.now(KTM).date() + timedelta(days=1)
    stylists = -(-count // PER_STYLIST)
    with app.app_context(), db.engine.begin() as conn:
        service = uuid.uuid4()
        conn.execute(text("INSERT INTO services (id, name, slug, category, duration_minutes, base_price_cents) "
                          "VALUES (:i, 'Haircut', 'haircut', 'hair', 15, 100000)"), {"i": service})
        rows = []
        for s in range(stylists):
            user = uuid.uuid4()
            conn.execute(text("INSERT INTO user_profiles (id, email, display_name) VALUES (:i, :e, :n)"),
                         {"i": user, "e": f"stylist{s}@bench.test", "n": f"Stylist {s}"})
            conn.execute(text("INSERT INTO stylist_profiles (user_id, display_name) VALUES (:i, :n)"),
                         {"i": user, "n": f"Stylist {s}"})
            for k in range(min(PER_STYLIST, count - s * PER_STYLIST)):
                start = datetime.combine(day, clock_time(8), KTM).astimezone(UTC) + timedelta(minutes=15 * k)
                rows.append({"i": uuid.uuid4(), "s": user, "v": service, "a": start,
                             "b": start + timedelta(minutes=15), "p": f"+97798{len(rows):08d}"})
        conn.execute(text("INSERT INTO bookings (id, stylist_user_id, service_id, start_time, end_time, price_cents, "
                          "status, customer_name, customer_phone) VALUES (:i, :s, :v, :a, :b, 100000, 'confirmed', "
                          "'Bench Customer', :p)"), rows)
        conn.execute(text("UPDATE bookings SET created_at = now() - interval '2 days'"))
        conn.execute(text("ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    sparrow = Sparrow()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(sparrow))
    server.daemon_threads = True
    sparrow.url = f"http://127.0.0.1:{server.server_address[1]}/api/v2"
    threading.Thread(target=server.serve_forever, daemon=True).start()

    url = scratch_database(args.postgres)
    settings = {"SMS_PROVIDER": "sparrow", "SPARROW_SMS_URL": sparrow.url, "SPARROW_SMS_TOKEN": "bench",
                "SPARROW_SMS_FROM": "KBStylish", "PUBLIC_BASE_URL": "https://book.example.test",
                "QUIET_HOURS": "off", "REMINDER_HOUR": "00:00", "WORKER_BROKER_URL": args.redis}
    workers = []
    try:
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, **settings})
        with app.app_context():
            upgrade()
        seed(app, args.count)
        with app.app_context():
            started = time.perf_counter()
            queued = reminders.queue_due_reminders(db.session)
            queue_seconds = time.perf_counter() - started
        print(f"queued {queued} reminders in {queue_seconds:.1f} s")
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench",
               **{k: str(v) for k, v in settings.items()}}
        started = time.perf_counter()
        workers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--threads",
                                     str(args.threads)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL) for _ in range(args.workers)]
        engine = create_engine(url)
        while True:
            with engine.connect() as conn:
                sent = conn.execute(text("SELECT count(*) FROM messages WHERE state = 'sent'")).scalar()
            if sent >= queued or time.perf_counter() - started > 600:
                break
            time.sleep(0.5)
        deliver_seconds = time.perf_counter() - started
        per_number = Counter(r["to"] for r in sparrow.received)
        twice = sum(1 for n in per_number.values() if n > 1)
        with engine.connect() as conn:
            states = dict(conn.execute(text("SELECT state, count(*) FROM messages GROUP BY state")).all())
        engine.dispose()
        print(f"delivered {sent} in {deliver_seconds:.1f} s by {args.workers} workers × {args.threads} threads "
              f"(broker {args.redis}); numbers reached {len(per_number)}, twice {twice}; states {states}")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=20)
        drop_database(args.postgres, url)
        server.shutdown()


if __name__ == "__main__":
    main()
