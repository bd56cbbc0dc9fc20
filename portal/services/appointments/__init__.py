"""Bookings as staff see them, the follow-up list after a schedule change, and why a slot is
not offered."""
