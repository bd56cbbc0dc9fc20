"""No double booking, whoever writes (front-desk.md): the database's no-overlap rule.

- PostgreSQL: `btree_gist` and the exclusion constraint `bookings_no_overlap` over
  `stylist_user_id WITH =` and `tstzrange(start_time, end_time) WITH &&` for occupying
  statuses only (a refused INSERT/UPDATE is SQLSTATE 23P01, docs/front-desk.md).
  SQLite: BEFORE INSERT / BEFORE UPDATE triggers raising `bookings_no_overlap: …`.
- Existing overlapping bookings are never dropped or changed: the upgrade stops and
  lists them (`flask list-overlaps` lists them beforehand).
- The portal's link from typed phones to customers (`customer_phones`), the index on
  `bookings.customer_phone` it reads through, and on PostgreSQL a trigram index for
  the customers page's search (`pg_trgm`; an expression index, outside autogenerate).
- `service_management_log.target_type` also allows `customer` (customer_viewed,
  customer_updated).

Extensions stay on downgrade (other objects may use them; they hold no data).

Revision ID: 0012b
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa

from portal.models.booking_rules import NO_OVERLAP, OCCUPYING_SQL, overlaps_sql
from portal.models.types import GUID, UTCDateTime, utc_now

revision = "0012b"
down_revision = "0012"
branch_labels = None
depends_on = None

SHOWN = 50
CHECK = "ck_service_management_log_target_type_known"
OLD_TYPES = ("service", "stylist_profile", "stylist_schedule", "stylist_promotion", "schedule_override",
             "override_budget", "user_profile", "booking")
NEW_TYPES = OLD_TYPES + ("customer",)


def _check_sql(types) -> str:
    return "target_type IS NULL OR target_type IN (" + ", ".join(f"'{t}'" for t in types) + ")"


def _widen(old_types, new_types, *, validate: bool = True) -> None:
    """The log's target types gain `customer` (as 0006 added `booking`): replaced on
    PostgreSQL, the stored definition edited in place on SQLite (no table rebuild)."""
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

_CROSSES = (f"SELECT RAISE(ABORT, '{NO_OVERLAP}: the stylist already has a booking at that time') "
            "WHERE EXISTS (SELECT 1 FROM bookings b WHERE b.stylist_user_id = NEW.stylist_user_id "
            f"AND b.status IN {OCCUPYING_SQL} AND b.id IS NOT {{self}} "
            "AND julianday(b.start_time) < julianday(NEW.end_time) "
            "AND julianday(b.end_time) > julianday(NEW.start_time));")
SQLITE_UP = [
    f"""CREATE TRIGGER {NO_OVERLAP}_insert BEFORE INSERT ON bookings
    WHEN NEW.status IN {OCCUPYING_SQL}
    BEGIN {_CROSSES.format(self="NEW.id")} END""",
    f"""CREATE TRIGGER {NO_OVERLAP}_update BEFORE UPDATE OF stylist_user_id, start_time, end_time, status
    ON bookings WHEN NEW.status IN {OCCUPYING_SQL}
    BEGIN {_CROSSES.format(self="OLD.id")} END""",
]
PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE bookings ADD CONSTRAINT {NO_OVERLAP}
    EXCLUDE USING gist (stylist_user_id WITH =, tstzrange(start_time, end_time) WITH &&)
    WHERE (status IN {OCCUPYING_SQL})""",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_customers_search ON customers USING gin ((lower(name) || ' ' || phone) gin_trgm_ops)",
]


def _stop_on_overlaps(dialect_name: str) -> None:
    bind = op.get_bind()
    rows = bind.exec_driver_sql(overlaps_sql(dialect_name, limit=SHOWN + 1)).all()
    if not rows:
        return
    lines = [f"  stylist {r[2]}: booking {r[0]} ({r[3]} – {r[4]}) overlaps booking {r[1]} ({r[5]} – {r[6]})"
             for r in rows[:SHOWN]]
    more = "\n  … and more" if len(rows) > SHOWN else ""
    raise RuntimeError(
        "Cannot add the no-double-booking rule: these occupying bookings overlap. Nothing was changed. "
        "Cancel or move one of each pair (`flask list-overlaps` lists them all), then upgrade again.\n"
        + "\n".join(lines) + more)


def upgrade():
    dialect = op.get_bind().dialect.name
    _stop_on_overlaps(dialect)
    for statement in PG_UP if dialect == "postgresql" else SQLITE_UP:
        op.execute(statement)
    op.create_index("ix_bookings_customer_phone", "bookings", ["customer_phone"])
    op.create_table(
        "customer_phones",
        sa.Column("phone_text", sa.Text(), nullable=False),
        sa.Column("customer_id", GUID(), nullable=True),
        sa.Column("seen_at", UTCDateTime(), server_default=utc_now(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE",
                                name=op.f("fk_customer_phones_customer_id_customers")),
        sa.PrimaryKeyConstraint("phone_text", name=op.f("pk_customer_phones")),
    )
    op.create_index(op.f("ix_customer_phones_customer_id"), "customer_phones", ["customer_id"])
    _widen(OLD_TYPES, NEW_TYPES)


def downgrade():
    # log rows about customers stay (append-only): the narrower check is added NOT VALID
    _widen(NEW_TYPES, OLD_TYPES, validate=False)
    op.drop_index(op.f("ix_customer_phones_customer_id"), table_name="customer_phones")
    op.drop_table("customer_phones")
    op.drop_index("ix_bookings_customer_phone", table_name="bookings")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_customers_search")
        op.execute(f"ALTER TABLE bookings DROP CONSTRAINT {NO_OVERLAP}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {NO_OVERLAP}_insert")
        op.execute(f"DROP TRIGGER IF EXISTS {NO_OVERLAP}_update")
