"""The menu (issue 25, point 13): the salon's day first, the setup and system pages grouped
apart so the bar fits one line at 1280 px, one item highlighted per page, and the words
a salon uses ("New stylists", not "Promotions")."""
from __future__ import annotations

import re

from portal.templating import NAVIGATION, NavItem, active_endpoint
from tests.helpers import sign_in


def _bar(page: str) -> str:
    return page.split('id="main-nav"')[1].split("</ul>\n      <form")[0]


def test_one_item_is_highlighted_on_the_follow_up_list(client, auth, factory):
    sign_in(auth, factory.user("admin").email)
    bar = _bar(client.get("/bookings/follow-up").get_data(as_text=True))
    assert re.findall(r'aria-current="page"\s+href="([^"]+)"', bar) == ["/bookings/follow-up"]
    day = _bar(client.get("/bookings/day").get_data(as_text=True))
    assert re.findall(r'aria-current="page"\s+href="([^"]+)"', day) == ["/bookings/day"]


def test_a_page_without_its_own_item_lights_its_features_first_item():
    items = [NavItem("bookings.day", "Day board", "", frozenset()),
             NavItem("bookings.followup_list", "Follow-up", "", frozenset())]
    assert active_endpoint(items, "bookings.detail") == "bookings.day"
    assert active_endpoint(items, "bookings.followup_list") == "bookings.followup_list"
    assert active_endpoint(items, "dashboard.index") is None and active_endpoint(items, None) is None


def test_the_day_board_comes_first_and_setup_and_system_pages_are_grouped(client, auth, factory):
    sign_in(auth, factory.user("admin").email)
    bar = _bar(client.get("/").get_data(as_text=True))
    in_bar = re.findall(r'class="nav-link[^"]*"[^>]*>([^<]+)</a>', bar)
    assert in_bar[0] == "Day board"
    assert "Salon setup" in bar and "System" in bar
    setup = bar.split("Salon setup")[1].split("</ul>")[0]
    assert all(word in setup for word in ("People", "Catalogue", "New stylists", "Public holidays", "Budgets"))
    assert "Operations" in bar.split(">System<")[1]
    assert "Promotions" not in bar


def test_an_auditor_sees_no_menus_for_one_page(client, auth, factory):
    sign_in(auth, factory.user("auditor").email)
    bar = _bar(client.get("/audit/").get_data(as_text=True))
    assert "dropdown" not in bar and "Audit log" in bar


def test_every_item_belongs_to_a_known_section():
    assert {item.section for item in NAVIGATION} <= {"daily", "setup", "system"}
