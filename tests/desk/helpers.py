"""Writing bookings with plain SQL, as the public site does (both engines)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import text

from tests.helpers import stamp

INSERT = ("INSERT INTO bookings (id, stylist_user_id, service_id, start_time, end_time, price_cents, status, "
          "customer_name, customer_phone) VALUES (:id, :s, :v, :a, :b, 100000, :st, :n, :p)")


def insert_booking(raw, stylist, service, start: datetime, end: datetime, status: str = "confirmed",
                   name: str = "Sita", phone: str | None = "9841234567") -> str:
    booking_id = str(uuid.uuid4())
    raw.execute(text(INSERT), {"id": booking_id, "s": str(stylist.user_id), "v": str(service.id),
                               "a": stamp(raw, start), "b": stamp(raw, end), "st": status, "n": name, "p": phone})
    return booking_id


def update_booking(raw, booking_id: str, **columns) -> None:
    sets = ", ".join(f"{k} = :{k}" for k in columns)
    values = {k: stamp(raw, v) if isinstance(v, datetime) else v for k, v in columns.items()}
    raw.execute(text(f"UPDATE bookings SET {sets} WHERE id = :id"), {"id": booking_id, **values})


def occupying(raw, stylist) -> int:
    return raw.execute(text("SELECT count(*) FROM bookings WHERE stylist_user_id = :s AND status IN "
                            "('pending', 'confirmed', 'in_progress')"), {"s": str(stylist.user_id)}).scalar()
