"""Stylists' time-off requests (time-off-and-reports.md).

- `time_off_requests`: one row per request, its state and decision, and the vacation
  made on approval (`vacation_override_id`, SET NULL when that vacation is deleted).
- `service_management_log.target_type` also allows `time_off_request`. The CHECK is
  widened by adding the value to whatever list the database holds now (so the order in
  which this and other widening migrations run does not matter): on PostgreSQL the
  constraint is replaced; on SQLite the table's stored definition is edited in place,
  as migration 0006 does (no table rebuild, the append-only triggers stay).

Revision ID: 0014
Revises: 0008
"""
import re

from alembic import op
import sqlalchemy as sa

from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

CHECK = "ck_service_management_log_target_type_known"
TARGET = "time_off_request"
LIST = re.compile(r"target_type IS NULL OR target_type IN \(([^)]*)\)")


def _types_in(definition: str) -> list[str]:
    match = LIST.search(definition)
    if not match:
        raise RuntimeError("service_management_log's target_type check is not the expected shape")
    return re.findall(r"'([^']*)'", match.group(1))


def _check_sql(types) -> str:
    return "target_type IS NULL OR target_type IN (" + ", ".join(f"'{t}'" for t in types) + ")"


def _set_target_types(change, *, validate: bool = True) -> None:
    """Replace the target_type list by `change(current list)`."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        current = bind.exec_driver_sql(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %(name)s",
            {"name": CHECK}).scalar()
        # pg writes `target_type = ANY (ARRAY['a'::text, ...])`; read the quoted names
        types = change(re.findall(r"'([^']*)'", current or ""))
        op.execute(f"ALTER TABLE private.service_management_log DROP CONSTRAINT {CHECK}")
        op.execute(f"ALTER TABLE private.service_management_log ADD CONSTRAINT {CHECK} "
                   f"CHECK ({_check_sql(types)})" + ("" if validate else " NOT VALID"))
        return
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'service_management_log'").scalar()
    old = LIST.search(sql).group(0) if LIST.search(sql) else None
    if old is None:
        raise RuntimeError("service_management_log's target_type check is not the expected shape")
    new = _check_sql(change(_types_in(sql)))
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'service_management_log'",
        (sql.replace(old, new),))
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade():
    op.create_table(
        "time_off_requests",
        sa.Column("id", GUID(), server_default=new_uuid(), nullable=False),
        sa.Column("stylist_user_id", GUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default=sa.text("'waiting'"), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_by", GUID(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("vacation_override_id", GUID(), nullable=True),
        sa.Column("ended_by", GUID(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), server_default=utc_now(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), server_default=utc_now(), nullable=False),
        sa.CheckConstraint("kind IN ('leave', 'sick', 'festival', 'other')", name=op.f("ck_time_off_requests_kind_known")),
        sa.CheckConstraint("status IN ('waiting', 'approved', 'declined', 'withdrawn', 'cancelled')",
                           name=op.f("ck_time_off_requests_status_known")),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_time_off_requests_dates_in_order")),
        sa.CheckConstraint("status <> 'declined' OR decision_reason IS NOT NULL",
                           name=op.f("ck_time_off_requests_declined_has_reason")),
        sa.ForeignKeyConstraint(["stylist_user_id"], ["stylist_profiles.user_id"], ondelete="CASCADE",
                                name=op.f("fk_time_off_requests_stylist_user_id_stylist_profiles")),
        sa.ForeignKeyConstraint(["decided_by"], ["user_profiles.id"],
                                name=op.f("fk_time_off_requests_decided_by_user_profiles")),
        sa.ForeignKeyConstraint(["ended_by"], ["user_profiles.id"],
                                name=op.f("fk_time_off_requests_ended_by_user_profiles")),
        sa.ForeignKeyConstraint(["vacation_override_id"], ["schedule_overrides.id"], ondelete="SET NULL",
                                name=op.f("fk_time_off_requests_vacation_override_id_schedule_overrides")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_off_requests")),
    )
    op.create_index("ix_time_off_requests_stylist_dates", "time_off_requests",
                    ["stylist_user_id", "start_date", "end_date"])
    op.create_index("ix_time_off_requests_status", "time_off_requests", ["status", "created_at"])
    _set_target_types(lambda types: types + [TARGET] if TARGET not in types else types)


def downgrade():
    # Log rows about requests stay (the log is append-only): on PostgreSQL the narrower
    # check is added NOT VALID, so it holds for new rows without rejecting the old ones.
    _set_target_types(lambda types: [t for t in types if t != TARGET], validate=False)
    op.drop_index("ix_time_off_requests_status", table_name="time_off_requests")
    op.drop_index("ix_time_off_requests_stylist_dates", table_name="time_off_requests")
    op.drop_table("time_off_requests")
