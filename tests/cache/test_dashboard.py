"""The admin dashboard's cache panel: hit-rate chart, figures, alert banner (and log)."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import text

from tests.cache.salon import ask, build
from tests.helpers import stamp

UTC = timezone.utc


def _stats(raw, engine_name, minutes_ago, result, n):
    minute = (datetime.now(UTC) - timedelta(minutes=minutes_ago)).replace(second=0, microsecond=0)
    raw.execute(text(f"INSERT INTO {raw.private('slot_request_stats')} (minute, result, requests)"
                     " VALUES (:m, :r, :n)"), {"m": stamp(engine_name, minute), "r": result, "n": n})


def test_admin_sees_hit_rate_chart_figures_promotions_and_closures(app, client, factory, auth, raw):
    salon = build(factory)
    ask(client, salon)
    ask(client, salon)
    factory.override(None, date.today() + timedelta(days=3), closed=True, reason="Dashain")
    admin = factory.user("admin")
    auth.login(admin.email)
    page = client.get("/operations").get_data(as_text=True)  # the engineering figures live here
    assert "<svg" in page and "Hit rate, last hour" in page and "Hit rate, last day" in page
    assert "50.0%" in page  # one hit, one miss, flushed when the page was drawn
    assert 'id="cache-entries">1<' in page
    assert 'data-alert="cache-hit-rate"' not in page  # 2 requests: too few to alert
    home = client.get("/").get_data(as_text=True)  # the salon's day
    assert "Dashain" in home and 'id="pending-promotions">0<' in home
    assert "<svg" not in home and "cache-entries" not in home and 'data-alert="cache-hit-rate"' not in home


def test_alert_banner_and_log_when_hit_rate_is_low_with_enough_traffic(app, client, factory, auth, raw,
                                                                      engine_name, caplog):
    _stats(raw, engine_name, 10, "hit", 30)
    _stats(raw, engine_name, 10, "miss", 70)
    _stats(raw, engine_name, 10, "error", 500)  # errors are not cache traffic
    admin = factory.user("admin")
    auth.login(admin.email)
    logger = logging.getLogger("portal.services.operations.cache_monitoring")
    logger.disabled = False  # alembic's fileConfig (test migrations) disables loggers that existed
    with caplog.at_level(logging.WARNING, logger=logger.name):
        page = client.get("/").get_data(as_text=True)
    assert page.count('data-alert="cache-hit-rate"') == 2  # the hour and the day
    assert "30.0%" in page
    assert any("below the alert level" in r.getMessage() for r in caplog.records)


def test_no_alert_above_the_threshold(app, client, factory, auth, raw, engine_name):
    _stats(raw, engine_name, 70, "hit", 10)
    _stats(raw, engine_name, 70, "miss", 190)  # low, but more than an hour ago: only the day alerts
    _stats(raw, engine_name, 5, "hit", 95)
    _stats(raw, engine_name, 5, "miss", 5)
    auth.login(factory.user("admin").email)
    page = client.get("/").get_data(as_text=True)
    assert page.count('data-alert="cache-hit-rate"') == 1 and "over the last day" in page


def test_other_roles_do_not_see_the_panel(app, client, factory, auth, raw, engine_name):
    _stats(raw, engine_name, 5, "miss", 500)
    auth.login(factory.user("stylist").email)
    page = client.get("/").get_data(as_text=True)
    assert "Namaste" in page
    assert "Availability cache" not in page and "data-alert" not in page
