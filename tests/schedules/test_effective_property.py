"""The effective-schedule page's verdict equals the layering engine's, for every day of a month
with overlapping overrides of all four kinds (Hypothesis)."""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from portal.domain.schedule_layers import BaseRow, OverrideRow, day_window
from portal.extensions import db
from portal.models import ScheduleOverride
from portal.domain.override_kinds import DEFAULT_PRIORITY
from tests.helpers import sign_in

MONTH_START = date(2030, 1, 1)
CREATED = datetime(2029, 6, 1, tzinfo=timezone.utc)
DAY = re.compile(r'data-day="([\d-]+)" data-verdict="([^"]*)"\s+data-window="([^"]*)"\s+'
                 r'data-winner="([^"]*)"\s+data-beaten="([^"]*)"')


@st.composite
def override_specs(draw):
    kind = draw(st.sampled_from(sorted(DEFAULT_PRIORITY)))
    if kind == "business_closure":
        scope = "all"
    elif kind == "stylist_vacation":
        scope = draw(st.sampled_from(["mine", "other"]))
    else:
        scope = draw(st.sampled_from(["all", "mine", "other"]))
    start = MONTH_START + timedelta(days=draw(st.integers(-5, 30)))
    end = start + timedelta(days=draw(st.integers(0, 12)))
    hours = None
    if kind in ("seasonal_hours", "special_event"):
        opens = draw(st.integers(6, 12))
        hours = (time(opens), time(opens + draw(st.integers(1, 9))))
    priority = draw(st.one_of(st.just(DEFAULT_PRIORITY[kind]), st.integers(0, 100)))
    created = CREATED + timedelta(minutes=draw(st.integers(0, 5)))  # ties on purpose
    return kind, scope, start, end, hours, priority, created


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(override_specs(), min_size=1, max_size=7))
def test_view_matches_engine_for_every_day(client, auth, factory, specs):
    state = _setup(factory, auth)
    me, other = state["me"], state["other"]
    db.session.execute(delete(ScheduleOverride))
    expected_rows = []
    for kind, scope, start, end, hours, priority, created in specs:
        row_id = uuid.uuid4()
        owner = {"all": None, "mine": me.user_id, "other": other.user_id}[scope]
        db.session.add(ScheduleOverride(
            id=row_id, override_type=kind, applies_to_all_stylists=owner is None, stylist_user_id=owner,
            start_date=start, end_date=end, is_closed=hours is None,
            override_start_time=hours[0] if hours else None, override_end_time=hours[1] if hours else None,
            priority=priority, created_at=created, reason=f"{kind} {priority}",
        ))
        if scope != "other":
            expected_rows.append(OverrideRow(
                id=str(row_id), override_type=kind, is_stylist_specific=owner is not None, start_date=start,
                end_date=end, is_closed=hours is None, start=hours[0] if hours else None,
                end=hours[1] if hours else None, priority=priority, created_at=created))
    db.session.commit()

    page = client.get(f"/schedules/stylists/{me.user_id}/effective?month=2030-01").get_data(as_text=True)
    shown = {}
    for day, verdict, window, winner, beaten in DAY.findall(page):
        shown.setdefault(day, (verdict, window, winner, beaten))
        assert shown[day] == (verdict, window, winner, beaten)  # calendar and list agree
    assert len(shown) == 31
    for i in range(31):
        day = MONTH_START + timedelta(days=i)
        engine = day_window(day, state["bases"], expected_rows)
        window = f"{engine.window[0]:%H:%M}-{engine.window[1]:%H:%M}" if engine.window else ""
        assert shown[day.isoformat()] == (
            engine.verdict, window, engine.winner.id if engine.winner else "",
            ",".join(o.id for o in engine.beaten)), day


def _setup(factory, auth):
    """Once per test run (the fixtures are shared by every example): kept on the factory."""
    state = getattr(factory, "effective_state", None)
    if state is None:
        sign_in(auth, factory.user("admin").email)
        me = factory.stylist(user=factory.user("stylist", password=None))
        other = factory.stylist(user=factory.user("stylist", password=None))
        for dow in range(1, 6):  # Monday..Friday; weekends stay days off
            factory.schedule(me, dow, "09:00", "17:00", break_start="13:00", break_end="14:00")
        bases = [BaseRow(day_of_week=d, start=time(9), end=time(17), break_start=time(13), break_end=time(14),
                         effective_from=date(2000, 1, 1)) for d in range(1, 6)]
        state = factory.effective_state = {"me": me, "other": other, "bases": bases}
    return state
