"""The workers (messages.md, operations.md): `flask --app wsgi worker`, built on Huey.

- The queue is Huey's: `WORKER_BROKER_URL=redis://…` in production (any number of
  workers on any number of hosts); unset, a SQLite file in `instance/` (one host; a
  warning at start when the database is PostgreSQL). The outbox table stays the
  source of truth: a task only says "look at the outbox now".
- Tasks: `deliver` (claim and send every due message; the web process enqueues one
  after each commit that wrote messages, and a run that leaves a message due within a
  minute schedules the next run for then) and the periodic jobs on Huey's schedule —
  `deliver` and `reminders` every minute, `warm-cache` every 5 minutes,
  `reset-budgets` every 10, `prune-cache` hourly. Each periodic job runs once per
  period however many workers run (`periodic_runs`); a worker that starts late
  catches up at once (its first `reminders` and `deliver` run at start).
"""
from __future__ import annotations

import logging
from datetime import timezone
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask, current_app, has_app_context
from huey import RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal import clock
from portal.extensions import db
from portal.models import OutboundMessage
from portal.database import serves_many_hosts
from portal.services.desk import customers
from portal.services.messaging import message_delivery, reminders
from portal.services.operations import periodic_jobs
from portal.services.scheduling import budgets
from portal.slots import warming

UTC = timezone.utc
logger = logging.getLogger("portal.worker")
WAKE_FLAG = "messages_written"
SOON_SECONDS = 60  # a message due sooner than the next periodic sweep gets its own run
JOBS = {  # name: (minutes between runs, crontab)
    "reminders": (1, crontab(minute="*")),
    "warm-cache": (5, crontab(minute="*/5")),
    "reset-budgets": (10, crontab(minute="*/10")),
    "prune-cache": (60, crontab(minute="7")),
    "link-customers": (1, crontab(minute="*")),
}


def broker_description(app: Flask) -> str:
    url = app.config.get("WORKER_BROKER_URL")
    return urlsplit(url).scheme + "://" + (urlsplit(url).hostname or "") if url else "sqlite (instance/worker.sqlite3)"


def _make_huey(app: Flask):
    url = app.config.get("WORKER_BROKER_URL")
    if url and url.startswith(("redis://", "rediss://")):
        return RedisHuey("kbstylish", url=url, results=False)
    path = url[len("sqlite:///"):] if url else str(Path(app.instance_path) / "worker.sqlite3")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("kbstylish", filename=path, results=False)


def queue(app: Flask):
    """The app's Huey with its tasks (built once per app)."""
    if "huey" not in app.extensions:
        app.extensions["huey"] = _build(app)
    return app.extensions["huey"]


def _build(app: Flask):
    huey = _make_huey(app)

    def in_app(function):
        def run(*args):
            with app.app_context():
                try:
                    return function(*args)
                finally:
                    db.session.remove()
        run.__name__ = function.__name__
        return run

    @huey.task(name="deliver")
    @in_app
    def deliver() -> int:
        if message_delivery.has_backlog(db.session):  # more than one batch due: another thread/worker joins
            deliver()
        handled = message_delivery.deliver_due(db.session)
        wake = message_delivery.next_wake(db.session)
        if wake is not None:
            seconds = (wake - clock.now()).total_seconds()
            if seconds < SOON_SECONDS:
                deliver.schedule(delay=max(seconds, 0.05))
        return handled

    @huey.periodic_task(crontab(minute="*"), name="sweep")
    def sweep() -> None:
        deliver()

    def periodic(name: str, minutes: int, schedule, work):
        @huey.periodic_task(schedule, name=name)
        @in_app
        def job() -> None:
            if periodic_jobs.claim_period(db.session, name, periodic_jobs.period_of(clock.now(), minutes)):
                work()
        return job

    def queue_reminders() -> None:
        if reminders.queue_due_reminders(db.session):
            deliver()

    jobs = {
        "reminders": queue_reminders,
        "warm-cache": lambda: warming.warm(app.extensions["slots"], 7),
        "reset-budgets": lambda: budgets.renew_due_budgets(db.session),
        "prune-cache": lambda: warming.prune(app.extensions["slots"]),
        "link-customers": lambda: customers.link_new_phones(db.session),
    }
    huey.jobs = {name: periodic(name, JOBS[name][0], JOBS[name][1], work) for name, work in jobs.items()}
    huey.deliver = deliver
    huey.catch_up = huey.task(name="catch-up")(in_app(lambda: queue_reminders() or None))
    return huey


def register(app: Flask) -> None:
    @app.cli.command("worker")
    @click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 32),
                  help="Messages and jobs handled at once by this worker.")
    def worker(threads: int) -> None:
        """Deliver messages and run the periodic jobs (reminders, warm-cache, prune-cache, reset-budgets,
        link-customers)."""
        logging.basicConfig(level=logging.INFO, format="[%(asctime)s] %(levelname)s %(name)s: %(message)s")
        huey = queue(app)
        if not app.config.get("WORKER_BROKER_URL") and serves_many_hosts(db.engine):
            logger.warning("WORKER_BROKER_URL is unset: the workers' queue is a SQLite file in instance/, "
                           "which serves one host only; set WORKER_BROKER_URL=redis://… for more.")
        click.echo(f"worker: broker {broker_description(app)}, {threads} thread(s); Ctrl+C stops it")
        huey.catch_up()
        huey.deliver()
        consumer = huey.create_consumer(workers=threads, worker_type="thread", periodic=True,
                                        scheduler_interval=1, check_worker_health=True)
        consumer.run()


# --- waking the workers after a commit that wrote messages ------------------------------------

@event.listens_for(Session, "after_flush")
def _note_messages(session, flush_context) -> None:
    if any(isinstance(obj, OutboundMessage) for obj in session.new):
        session.info[WAKE_FLAG] = True


@event.listens_for(Session, "after_commit")
def _wake_workers(session) -> None:
    if session.in_nested_transaction():  # a savepoint: the outer commit wakes them
        return
    if not session.info.pop(WAKE_FLAG, False) or not has_app_context():
        return
    app = current_app._get_current_object()
    try:
        queue(app).deliver()
    except Exception:  # noqa: BLE001 (the broker is down: the next sweep delivers)
        logger.warning("could not wake the workers; the next periodic sweep delivers", exc_info=True)


@event.listens_for(Session, "after_rollback")
def _forget_messages(session) -> None:
    session.info.pop(WAKE_FLAG, None)
