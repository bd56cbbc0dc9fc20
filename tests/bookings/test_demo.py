"""The demo salon shows the bookings features: bookings under the Dashain closure and a
vacation await follow-up, one already contacted (still listed, with its note), one kept
(off the list); every page renders for the demo admin and stylist."""
from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import BookingFollowUp
from portal.services.demo import DEMO_TOTP_SECRET
from portal.services import followup
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
