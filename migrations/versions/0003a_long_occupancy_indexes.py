"""Partial indexes for occupancies longer than 24 hours (bookings and holds).

The slots loader finds a day's occupying rows with two index range scans per table:
rows starting within [day window start − 24 h, window end) through the existing
(stylist_user_id, start_time) index, and the rare rows longer than 24 h through these
partial (stylist_user_id, end_time) indexes — so the cost of one request does not
grow with the stylist's history.

Revision ID: 0003a
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003a"
down_revision = "0002"
branch_labels = None
depends_on = None

PG_LONG = "end_time - start_time > interval '24 hours'"
SQLITE_LONG = "julianday(end_time) - julianday(start_time) > 1"
TABLES = ("bookings", "booking_reservations")


def upgrade():
    for table in TABLES:
        op.create_index(
            f"ix_{table}_stylist_long", table, ["stylist_user_id", "end_time"], unique=False,
            postgresql_where=sa.text(PG_LONG), sqlite_where=sa.text(SQLITE_LONG),
        )


def downgrade():
    for table in TABLES:
        op.drop_index(f"ix_{table}_stylist_long", table_name=table)
