import re
from datetime import date
from tests.helpers import sign_in



def test_admin_pages_render(app, client, auth, factory):
    admin = factory.user("admin")
    s = factory.stylist()
    factory.week(s)
    o = factory.override(None, date(2030, 1, 7), closed=True, priority=100, reason="Dashain closure")
    sign_in(auth, admin.email)
    for url in ["/schedules/", f"/schedules/overrides/{o.id}/edit", "/schedules/overrides/new",
                f"/schedules/stylists/{s.user_id}/week", f"/schedules/stylists/{s.user_id}/effective?month=2030-01",
                "/budgets/", f"/budgets/{s.user_id}"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:3000])
    factory.override(None, date(2030, 1, 1), date(2030, 1, 31), override_type="seasonal_hours", start="10:00",
                     end="15:00", priority=10, reason="Winter hours")
    page = client.get(f"/schedules/stylists/{s.user_id}/effective?month=2030-01").get_data(as_text=True)
    assert 'data-day="2030-01-07" data-verdict="closed"' in page
    assert "Dashain closure (100) beat Winter hours (10)" in page
    assert re.search(r'data-day="2030-01-08" data-verdict="override"\s+data-window="10:00-15:00"', page)

