from datetime import date

from tests.web import post_form


def test_admin_pages_render(app, client, auth, factory):
    admin = factory.user("admin")
    s = factory.stylist()
    factory.week(s)
    o = factory.override(None, date(2030, 1, 7), closed=True, priority=100, reason="Dashain closure")
    auth.login(admin.email)
    for url in ["/schedules/", f"/schedules/overrides/{o.id}/edit", "/schedules/overrides/new",
                f"/schedules/stylists/{s.user_id}/week", f"/schedules/stylists/{s.user_id}/effective?month=2030-01",
                "/budgets/", f"/budgets/{s.user_id}"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:3000])
    page = client.get(f"/schedules/stylists/{s.user_id}/effective?month=2030-01").get_data(as_text=True)
    assert 'data-day="2030-01-07" data-verdict="closed"' in page


def test_stylist_pages_render(app, client, auth, factory):
    s = factory.stylist()
    factory.week(s)
    auth.login(s.user.email)
    for url in ["/budgets/mine", "/budgets/mine/history"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:3000])
