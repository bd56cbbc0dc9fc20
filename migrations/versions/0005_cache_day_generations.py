"""Finer cache invalidation (per stylist and date) and a cache table shaped for cheap rewrites.

- `private.availability_day_generation(scope, day, generation)`: counters per
  (stylist or the global scope, date). Bookings and holds bump their stylist's
  counters for every UTC date their [start_time, end_time] touches; overrides bump
  their scope's counters for every date of [start_date, end_date] (the stylist's own
  calendar dates; business-wide rows: the global scope). A row or range spanning more
  than SPAN_CAP_DAYS days bumps the coarse counter (`availability_generation`)
  instead. Schedules, profiles, services, offers and TRUNCATE stay coarse (0003b).
  Rows of dates long past are deleted by `prune-cache` (docs/architecture.md).
- `private.availability_cache` gains `day_generation` (the sum of the day counters
  over [days_from, days_to], read before the data) and that date range.
- The cache's rewrites become HOT-eligible: the upsert changes no indexed column
  (the `expires_at` and `service_id` indexes go; pruning scans the table) and the
  table keeps 30 % of each page free (fillfactor 70, PostgreSQL).

Revision ID: 0005
Revises: 0007
"""
import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa

from portal.models.types import GUID

revision = "0005"
down_revision = "0007"
branch_labels = None
depends_on = None

GLOBAL = "00000000-0000-0000-0000-000000000000"
SPAN_CAP_DAYS = 62
FINE = ("bookings", "booking_reservations", "schedule_overrides")

# table -> (scope, first date, last date) with {r} = the row alias; PostgreSQL spelling
PG_SPANS = {
    "bookings": ("{r}.stylist_user_id", "({r}.start_time AT TIME ZONE 'UTC')::date",
                 "({r}.end_time AT TIME ZONE 'UTC')::date"),
    "schedule_overrides": (
        f"CASE WHEN {{r}}.applies_to_all_stylists OR {{r}}.stylist_user_id IS NULL"
        f" THEN '{GLOBAL}'::uuid ELSE {{r}}.stylist_user_id END",
        "{r}.start_date", "{r}.end_date"),
}
PG_SPANS["booking_reservations"] = PG_SPANS["bookings"]


def _pg_function(table: str) -> str:
    """Statement-level, like 0003b: one upsert per statement for the day counters (in
    (scope, day) order, so two statements cannot deadlock) and one for the coarse ones."""
    scope, first, last = PG_SPANS[table]

    def spans(alias: str, rows: str) -> str:
        return (f"SELECT {scope.format(r=alias)} AS scope, {first.format(r=alias)} AS a,"
                f" {last.format(r=alias)} AS b FROM {rows} {alias}")

    def bumps(source: str) -> str:
        return f"""
            WITH s AS ({source})
            INSERT INTO private.availability_day_generation AS g (scope, day, generation)
            SELECT DISTINCT s.scope, d::date, 1 FROM s, generate_series(s.a, s.b, interval '1 day') AS d
            WHERE s.b - s.a <= {SPAN_CAP_DAYS} ORDER BY 1, 2
            ON CONFLICT (scope, day) DO UPDATE SET generation = g.generation + 1;
            IF EXISTS (SELECT 1 FROM ({source}) AS s WHERE s.b - s.a > {SPAN_CAP_DAYS}) THEN
                WITH s AS ({source})
                INSERT INTO private.availability_generation AS g (scope, generation)
                SELECT DISTINCT s.scope, 1 FROM s WHERE s.b - s.a > {SPAN_CAP_DAYS} ORDER BY 1
                ON CONFLICT (scope) DO UPDATE SET generation = g.generation + 1;
            END IF;"""

    return f"""
    CREATE OR REPLACE FUNCTION private.availability_bump_{table}() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN {bumps(spans("n", "new_rows"))}
        ELSIF TG_OP = 'DELETE' THEN {bumps(spans("o", "old_rows"))}
        ELSE {bumps(spans("o", "old_rows") + " UNION " + spans("n", "new_rows"))}
        END IF;
        RETURN NULL;
    END $$
    """


# SQLite: row-level; json_each over 0..SPAN_CAP_DAYS stands in for generate_series
# (common table expressions are not allowed in SQLite triggers).
_NUMBERS = "[" + ",".join(str(n) for n in range(SPAN_CAP_DAYS + 1)) + "]"
SQLITE_SPANS = {
    "bookings": ("{r}.stylist_user_id", "date({r}.start_time)", "date({r}.end_time)"),
    "schedule_overrides": (
        f"CASE WHEN {{r}}.applies_to_all_stylists OR {{r}}.stylist_user_id IS NULL"
        f" THEN '{GLOBAL}' ELSE {{r}}.stylist_user_id END",
        "date({r}.start_date)", "date({r}.end_date)"),
}
SQLITE_SPANS["booking_reservations"] = SQLITE_SPANS["bookings"]


def _sqlite_bumps(table: str, r: str) -> str:
    scope, first, last = (part.format(r=r) for part in SQLITE_SPANS[table])
    days = f"(julianday({last}) - julianday({first}))"
    return f"""
        INSERT INTO availability_day_generation (scope, day, generation)
        SELECT {scope}, date({first}, '+' || n.value || ' days'), 1 FROM json_each('{_NUMBERS}') AS n
        WHERE n.value <= {days} AND {days} <= {SPAN_CAP_DAYS}
        ON CONFLICT (scope, day) DO UPDATE SET generation = generation + 1;
        INSERT INTO availability_generation (scope, generation) SELECT {scope}, 1 WHERE {days} > {SPAN_CAP_DAYS}
        ON CONFLICT (scope) DO UPDATE SET generation = generation + 1;"""


def _sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_availability_insert AFTER INSERT ON {table} BEGIN"
        f" {_sqlite_bumps(table, 'NEW')} END",
        f"CREATE TRIGGER {table}_availability_delete AFTER DELETE ON {table} BEGIN"
        f" {_sqlite_bumps(table, 'OLD')} END",
        f"CREATE TRIGGER {table}_availability_update AFTER UPDATE ON {table} BEGIN"
        f" {_sqlite_bumps(table, 'OLD')} {_sqlite_bumps(table, 'NEW')} END",
    ]


def _previous():
    """0003b's trigger text, for the downgrade."""
    path = Path(__file__).with_name("0003b_availability_cache.py")
    spec = importlib.util.spec_from_file_location("_availability_0003b", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade():
    is_pg = op.get_bind().dialect.name == "postgresql"
    private = "private" if is_pg else None
    p = "private." if is_pg else ""
    op.create_table(
        "availability_day_generation",
        sa.Column("scope", GUID(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("generation", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("scope", "day", name=op.f("pk_availability_day_generation")),
        schema=private,
        sqlite_with_rowid=False,
    )
    op.execute(f"DELETE FROM {p}availability_cache")  # entries without day generations
    op.drop_index("ix_availability_cache_expires", table_name="availability_cache", schema=private)
    op.drop_index("ix_availability_cache_service_id", table_name="availability_cache", schema=private)
    with op.batch_alter_table("availability_cache", schema=private) as batch:
        batch.add_column(sa.Column("day_generation", sa.BigInteger(), server_default=sa.text("0"), nullable=False))
        batch.add_column(sa.Column("days_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("days_to", sa.Date(), nullable=True))
    if is_pg:
        op.execute("ALTER TABLE private.availability_cache SET (fillfactor = 70)")
        for table in FINE:
            op.execute(_pg_function(table))  # same trigger names and events; new bodies
    else:
        for table in FINE:
            for kind in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_availability_{kind}")
            for statement in _sqlite_triggers(table):
                op.execute(statement)


def downgrade():
    is_pg = op.get_bind().dialect.name == "postgresql"
    private = "private" if is_pg else None
    p = "private." if is_pg else ""
    previous = _previous()
    if is_pg:
        for table in FINE:
            op.execute(previous._pg_function(table).replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))
        op.execute("ALTER TABLE private.availability_cache RESET (fillfactor)")
    else:
        for table in FINE:
            for kind in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_availability_{kind}")
        wanted = tuple(f"CREATE TRIGGER {table}_availability_" for table in FINE)
        for statement in previous.SQLITE_UP:
            if statement.strip().startswith(wanted):
                op.execute(statement)
    op.execute(f"DELETE FROM {p}availability_cache")
    with op.batch_alter_table("availability_cache", schema=private) as batch:
        batch.drop_column("days_to")
        batch.drop_column("days_from")
        batch.drop_column("day_generation")
    op.create_index("ix_availability_cache_service_id", "availability_cache", ["service_id"], schema=private)
    op.create_index("ix_availability_cache_expires", "availability_cache", ["expires_at"], schema=private)
    op.drop_table("availability_day_generation", schema=private)
