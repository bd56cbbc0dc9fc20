"""Indexes for the reports (time-off-and-reports.md "Reports"): the bookings of a period
whoever their stylist (`bookings.start_time`), and the log rows about one target (who
cancelled a booking: `service_management_log (target_id, action)`).

Revision ID: 0016
Revises: 0012
"""
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def _private():
    return "private" if op.get_bind().dialect.name == "postgresql" else None


def upgrade():
    op.create_index("ix_bookings_start", "bookings", ["start_time"])
    op.create_index("ix_service_management_log_target", "service_management_log", ["target_id", "action"],
                    schema=_private())


def downgrade():
    op.drop_index("ix_service_management_log_target", table_name="service_management_log", schema=_private())
    op.drop_index("ix_bookings_start", table_name="bookings")
