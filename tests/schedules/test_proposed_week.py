"""A new stylist is offered Nepal's week (Saturday off); the demo salon rests on Saturdays."""
from __future__ import annotations

from sqlalchemy import text

from tests.audit_trail import log_rows
from tests.helpers import sign_in
from tests.web import post_form


def test_a_stylist_without_hours_is_offered_the_proposed_week(app, client, auth, factory, raw):
    stylist = factory.stylist(display_name="New stylist")
    sign_in(auth, factory.user("admin").email)
    page = client.get(f"/schedules/stylists/{stylist.user_id}/week").get_data(as_text=True)
    assert 'id="proposed-week"' in page and "Saturday off" in page
    url = f"/schedules/stylists/{stylist.user_id}/week/proposed"
    assert post_form(client, url).status_code == 302
    days = [r.day_of_week for r in raw.execute(text(
        "SELECT s.day_of_week FROM stylist_schedules s JOIN stylist_profiles p ON p.user_id = s.stylist_user_id "
        "WHERE p.display_name = 'New stylist' ORDER BY s.day_of_week"))]
    assert days == [0, 1, 2, 3, 4, 5]  # Sunday to Friday; Saturday (6) off
    assert len(log_rows(app, action="schedule_created")) == 6
    page = client.get(f"/schedules/stylists/{stylist.user_id}/week").get_data(as_text=True)
    assert 'id="proposed-week"' not in page
    # a second time is refused, nothing added
    response = post_form(client, url, follow_redirects=True)
    assert "already has weekly hours" in response.get_data(as_text=True)
    assert len(log_rows(app, action="schedule_created")) == 6


def test_the_demo_salon_rests_on_saturday(app, runner, raw):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert raw.execute(text("SELECT count(*) FROM stylist_schedules WHERE day_of_week = 6")).scalar() == 0
    assert raw.execute(text("SELECT count(DISTINCT day_of_week) FROM stylist_schedules")).scalar() == 6


def test_an_approved_stylists_promotion_links_to_the_proposed_week(client, auth, factory, raw):
    from portal.models import StylistPromotion
    stylist = factory.stylist(display_name="Newly approved")
    promotion = StylistPromotion(user_id=stylist.user_id, status="approved", requested_by=stylist.user_id)
    factory.session.add(promotion)
    factory.session.commit()
    sign_in(auth, factory.user("admin").email)
    page = client.get(f"/promotions/{promotion.id}").get_data(as_text=True)
    assert f'id="weekly-hours-link" href="/schedules/stylists/{stylist.user_id}/week"' in page
    week = client.get(f"/schedules/stylists/{stylist.user_id}/week").get_data(as_text=True)
    assert 'id="proposed-week"' in week
