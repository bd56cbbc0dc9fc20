"""The demo salon shows the bookings features: bookings under the Dashain closure and a
vacation await follow-up, one already contacted (still listed, with its note), one kept
(off the list); every page renders for the demo admin and stylist."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from portal.extensions import db
from portal.models import Booking, BookingFollowUp, ServiceManagementLog
from portal.services.appointments import followup
from portal.services.operations.demo import DEMO_TOTP_SECRET
from portal.services.operations.demo_history import RECENT_DAYS
from tests.web import fresh_code


def test_demo_follow_up(app, runner, client, auth):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        hits = followup.followup_list(db.session, "Asia/Kathmandu")
        texts = {h.cause_text for h in hits}
        assert any("Dashain" in t for t in texts) and any("Pokhara" in t for t in texts)
        assert any(h.contacted is not None and "after Dashain" in (h.contacted.note or "") for h in hits)
        kept = db.session.scalars(select(BookingFollowUp.booking_id).where(BookingFollowUp.action == "kept")).all()
        assert len(kept) == 1 and kept[0] not in {h.booking.id for h in hits}
    code = fresh_code(app, "admin@kbstylish.com.np", DEMO_TOTP_SECRET)  # the demo admin's two-step key
    assert auth.login("admin@kbstylish.com.np", "namaste-kb-2026", code=code).status_code == 302
    for url in ("/", "/bookings/day", "/bookings/follow-up", "/bookings/why"):
        assert client.get(url).status_code == 200, url
    page = client.get("/bookings/follow-up").get_data(as_text=True)
    assert "Called; she will come after Dashain." in page
    auth.logout()
    assert auth.login("anjali.shrestha@kbstylish.com.np", "namaste-kb-2026").status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert 'id="agenda"' in home and "data-outside-hours" in home
    assert client.get("/bookings/why").status_code == 200


def test_every_booking_the_demo_cancelled_in_the_portal_has_the_log_row_its_cancel_writes(app, runner):
    """issue 25: "who cancelled this booking?" has an answer in the log for every booking the
    demo salon cancelled in the portal, upcoming days and history alike, as a real cancel writes
    it. Only online bookings of the history cancelled on the public site have none (that site
    writes no row of ours; the reports count them as the public site's)."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        cancelled = db.session.execute(select(Booking.id, Booking.source, Booking.start_time)
                                       .where(Booking.status == "cancelled")).all()
        rows = db.session.execute(select(ServiceManagementLog.target_id, ServiceManagementLog.action,
                                         ServiceManagementLog.details, ServiceManagementLog.category)
                                  .where(ServiceManagementLog.target_type == "booking")).all()
    said = {target for target, action, details, category in rows if category == "configuration" and (
        action in ("booking_cancelled", "customer_link_cancelled")
        or (action == "booking_status_changed" and (details or {}).get("to") == "cancelled"))}
    history_ends = datetime.now(timezone.utc) - timedelta(days=RECENT_DAYS - 1)
    upcoming = [b for b in cancelled if b.start_time >= history_ends]
    assert len(upcoming) > 5 and all(b.id in said for b in upcoming)  # the day board's and stylists' days
    silent = [b for b in cancelled if b.id not in said]
    assert silent and all(b.source == "online" and b.start_time < history_ends for b in silent)
    assert len(cancelled) - len(silent) > len(silent)  # most were cancelled in the portal
    assert any(action == "booking_status_changed" for _t, action, _d, _c in rows)  # the desk's Cancel step
