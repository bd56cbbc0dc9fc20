"""The front desk's columns and customers (front-desk.md, contract with other branches).

- `bookings.source` text not null default 'online' ('online' = the public site;
  'phone' / 'walk_in' = taken at the desk) and `bookings.created_by_user_id` (who took
  it at the desk; null for the public site's rows). Both defaulted/nullable, so the
  public site's INSERTs naming only schema.md's columns still succeed.
- `customers`: the portal's own table, one row per E.164 phone.

Both columns are added with a plain ALTER TABLE … ADD COLUMN on both engines, so the
bookings table is never rebuilt and its triggers stay.

Revision ID: 0012
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now

revision = "0012"
down_revision = "0008"
branch_labels = None
depends_on = None

SOURCES = "source IN ('online', 'phone', 'walk_in')"
FK = "fk_bookings_created_by_user_id_user_profiles"
SQLITE_FK = (f", CONSTRAINT {FK} FOREIGN KEY(created_by_user_id) REFERENCES user_profiles (id) "
             "ON DELETE SET NULL")


def _edit_sqlite_bookings(change) -> None:
    """SQLite's ALTER TABLE cannot add a table-level foreign key (the only form whose
    name and ON DELETE SQLAlchemy reads back): the stored definition is edited in place,
    as in 0006, for a change that leaves the stored rows valid (the new column is all
    NULL), so the table is not rebuilt and its triggers stay."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'bookings'").scalar()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'bookings'",
                         (change(sql),))
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE bookings ADD COLUMN source text NOT NULL DEFAULT 'online' "
                   f"CONSTRAINT ck_bookings_source_known CHECK ({SOURCES})")
        op.execute("ALTER TABLE bookings ADD COLUMN created_by_user_id uuid "
                   "CONSTRAINT fk_bookings_created_by_user_id_user_profiles "
                   "REFERENCES user_profiles (id) ON DELETE SET NULL")
    else:
        op.execute("ALTER TABLE bookings ADD COLUMN source TEXT NOT NULL DEFAULT 'online' "
                   f"CONSTRAINT ck_bookings_source_known CHECK ({SOURCES})")
        op.execute("ALTER TABLE bookings ADD COLUMN created_by_user_id VARCHAR(36)")
        _edit_sqlite_bookings(lambda sql: sql[:sql.rindex(")")] + SQLITE_FK + ")")
    op.create_table(
        "customers",
        sa.Column("id", GUID(), server_default=new_uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("language", sa.Text(), server_default=sa.text("'ne'"), nullable=False),
        sa.Column("messages_enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), server_default=utc_now(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), server_default=utc_now(), nullable=False),
        sa.CheckConstraint("language IN ('ne', 'en')", name=op.f("ck_customers_language_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("phone", name=op.f("uq_customers_phone")),
    )


def downgrade():
    op.drop_table("customers")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE bookings DROP CONSTRAINT {FK}")
        op.execute("ALTER TABLE bookings DROP CONSTRAINT ck_bookings_source_known")
    else:
        _edit_sqlite_bookings(lambda sql: sql.replace(SQLITE_FK, ""))
    op.execute("ALTER TABLE bookings DROP COLUMN created_by_user_id")
    op.execute("ALTER TABLE bookings DROP COLUMN source")
