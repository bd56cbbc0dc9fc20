"""Customers from the public site's phones (front-desk.md): `flask link-customers` (and the
pages) give every phone its customer once; formats land on one customer; texts that are
not numbers are recorded as unmatched; nothing of the public site's rows changes."""
from __future__ import annotations

from sqlalchemy import text

from tests.bookings.helpers import at, salon
from tests.desk.helpers import insert_booking


def test_link_customers_command(runner, factory, raw):
    s = salon(factory)
    for hour, phone, name in ((9, "9841234567", "Sita"), (10, "+977-984-1234567", "Sita Rai"),
                              (11, "00977 9851112223", "Ram"), (12, "ask at desk", "Hari"), (13, None, "Nobody")):
        insert_booking(raw, s.stylist, s.cut, at(s.day, hour), at(s.day, hour + 1), name=name, phone=phone)
    result = runner.invoke(args=["link-customers"])
    assert result.exit_code == 0 and "Linked 3 new phone(s); 1 could not be read as numbers." in result.output
    rows = raw.execute(text("SELECT phone, name FROM customers ORDER BY phone")).all()
    assert [r[0] for r in rows] == ["+9779841234567", "+9779851112223"]  # two formats, one customer
    assert rows[0][1] in ("Sita", "Sita Rai") and rows[1][1] == "Ram"  # the newest booking's name
    assert raw.execute(text("SELECT count(*) FROM customer_phones WHERE customer_id IS NULL")).scalar() == 1
    assert "Linked 0 new phone(s)" in runner.invoke(args=["link-customers"]).output  # each text is met once
    assert raw.execute(text("SELECT count(*) FROM bookings WHERE customer_phone = '9841234567'")).scalar() == 1
