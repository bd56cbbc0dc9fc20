"""Follow-up of bookings hit by schedule changes (bookings.md), and log rows about bookings.

- `booking_followups`: the portal's own record of what an admin did about a booking a
  change left outside the hours (contacted, moved, cancelled, kept). Bookings stay the
  public site's rows; the portal only changes their `status`. `booking_id` has no
  foreign key on purpose: the public site's table must stay as free as it was (a
  reference would make `TRUNCATE bookings` fail on PostgreSQL).
- `service_management_log.target_type` also allows `booking` (a cancelled booking, a
  recorded follow-up, a viewed booking's details). Only a CHECK constraint widens: on
  PostgreSQL it is replaced; on SQLite, whose ALTER TABLE cannot change a CHECK, the
  table's stored definition is edited in place as SQLite's documentation describes for
  changes that leave the stored rows valid (no table rebuild, so the append-only
  triggers and the rows stay untouched).

Revision ID: 0006
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CHECK = "ck_service_management_log_target_type_known"
OLD_TYPES = ("service", "stylist_profile", "stylist_schedule", "stylist_promotion", "schedule_override",
             "override_budget", "user_profile")
NEW_TYPES = OLD_TYPES + ("booking",)


def _check_sql(types) -> str:
    return "target_type IS NULL OR target_type IN (" + ", ".join(f"'{t}'" for t in types) + ")"


def _widen(old_types, new_types, *, validate: bool = True) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"ALTER TABLE private.service_management_log DROP CONSTRAINT {CHECK}")
        op.execute(f"ALTER TABLE private.service_management_log ADD CONSTRAINT {CHECK} "
                   f"CHECK ({_check_sql(new_types)})" + ("" if validate else " NOT VALID"))
        return
    old, new = _check_sql(old_types), _check_sql(new_types)
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'service_management_log'").scalar()
    if old not in sql:
        raise RuntimeError("service_management_log's target_type check is not the expected one")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'service_management_log'",
        (sql.replace(old, new),))
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade():
    op.create_table(
        "booking_followups",
        sa.Column("id", GUID(), server_default=new_uuid(), nullable=False),
        sa.Column("booking_id", GUID(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", GUID(), nullable=True),
        sa.Column("created_at", UTCDateTime(), server_default=utc_now(), nullable=False),
        sa.CheckConstraint("action IN ('contacted', 'moved', 'cancelled', 'kept')",
                           name=op.f("ck_booking_followups_action_known")),
        sa.ForeignKeyConstraint(["recorded_by"], ["user_profiles.id"],
                                name=op.f("fk_booking_followups_recorded_by_user_profiles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_followups")),
    )
    op.create_index("ix_booking_followups_booking", "booking_followups", ["booking_id", "created_at"])
    _widen(OLD_TYPES, NEW_TYPES)


def downgrade():
    # Log rows about bookings stay (the log is append-only): on PostgreSQL the narrower
    # check is added NOT VALID, so it holds for new rows without rejecting the old ones.
    _widen(NEW_TYPES, OLD_TYPES, validate=False)
    op.drop_index("ix_booking_followups_booking", table_name="booking_followups")
    op.drop_table("booking_followups")
