"""The availability cache's freshness machinery and request statistics.

- `private.availability_generation(scope, generation)`: invalidation counters. A scope
  is a stylist's user id, or the all-zero UUID for business-wide changes. Rows are
  never deleted (trigger), so a (scope, generation) pair never repeats.
- Triggers on every table the availability engine reads bump the counters inside the
  writer's own transaction, whoever writes (portal, public site, psql):
  bookings, booking_reservations, stylist_schedules, stylist_services, stylist_profiles
  → the stylist's scope (on UPDATE the old AND the new stylist when a row moves);
  schedule_overrides → the stylist's scope, or the global scope for business-wide
  rows; services → the global scope. On PostgreSQL a TRUNCATE of any of them bumps
  the global scope (statement-level trigger).
- `private.availability_cache` gains the generations its entry was computed under.
- `private.slot_request_stats(minute, result, requests)`: per-minute request counts
  (flushed in batches by each process) for the dashboard's hit-rate history.

Revision ID: 0003b
Revises: 0003a
"""
from alembic import op
import sqlalchemy as sa

from portal.models.types import GUID, UTCDateTime

revision = "0003b"
down_revision = "0003a"  # "0002" on its own branch; chained after issue 3's 0003a here
branch_labels = None
depends_on = None

GLOBAL = "00000000-0000-0000-0000-000000000000"

# table -> SQL expression (with {r} = NEW or OLD) giving the scope a row belongs to
SCOPES = {
    "bookings": "{r}.stylist_user_id",
    "booking_reservations": "{r}.stylist_user_id",
    "stylist_schedules": "{r}.stylist_user_id",
    "stylist_services": "{r}.stylist_user_id",
    "stylist_profiles": "{r}.user_id",
    "schedule_overrides": (
        "CASE WHEN {r}.applies_to_all_stylists OR {r}.stylist_user_id IS NULL"
        " THEN {g} ELSE {r}.stylist_user_id END"
    ),
    "services": "{g}",
}

PG_UPSERT = (
    "INSERT INTO private.availability_generation AS g (scope, generation) VALUES ({v}, 1)"
    " ON CONFLICT (scope) DO UPDATE SET generation = g.generation + 1"
)


def _pg_function(table: str) -> str:
    """Statement-level: one bump per distinct scope per statement (transition tables), so
    a bulk statement costs one upsert per stylist, and the scopes are locked in uuid
    order (two statements touching the same stylists cannot deadlock on them)."""
    g = f"'{GLOBAL}'::uuid"
    new, old = (SCOPES[table].format(r=r, g=g) for r in ("n", "o"))
    upsert = PG_UPSERT.format(v="x.scope").replace("VALUES (x.scope, 1)", "SELECT x.scope, 1 FROM ({rows}) AS x(scope) ORDER BY 1")
    return f"""
    CREATE FUNCTION private.availability_bump_{table}() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {upsert.format(rows=f"SELECT DISTINCT {new} FROM new_rows n")};
        ELSIF TG_OP = 'DELETE' THEN
            {upsert.format(rows=f"SELECT DISTINCT {old} FROM old_rows o")};
        ELSE  -- UPDATE: the old and the new scope of every row (a moved row bumps both)
            {upsert.format(rows=f"SELECT {old} FROM old_rows o UNION SELECT {new} FROM new_rows n")};
        END IF;
        RETURN NULL;
    END $$
    """


PG_UP = [
    f"""
    CREATE FUNCTION private.availability_bump_global() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        {PG_UPSERT.format(v=f"'{GLOBAL}'::uuid")};
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION private.availability_generation_keep() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'private.availability_generation rows are never removed (% refused)', TG_OP
            USING ERRCODE = 'restrict_violation';
    END $$
    """,
    """CREATE TRIGGER availability_generation_no_delete BEFORE DELETE ON private.availability_generation
    FOR EACH ROW EXECUTE FUNCTION private.availability_generation_keep()""",
    """CREATE TRIGGER availability_generation_no_truncate BEFORE TRUNCATE ON private.availability_generation
    FOR EACH STATEMENT EXECUTE FUNCTION private.availability_generation_keep()""",
]
for _table in SCOPES:
    PG_UP += [
        _pg_function(_table),
        f"""CREATE TRIGGER {_table}_availability_insert AFTER INSERT ON public.{_table}
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION private.availability_bump_{_table}()""",
        f"""CREATE TRIGGER {_table}_availability_update AFTER UPDATE ON public.{_table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION private.availability_bump_{_table}()""",
        f"""CREATE TRIGGER {_table}_availability_delete AFTER DELETE ON public.{_table}
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION private.availability_bump_{_table}()""",
        f"""CREATE TRIGGER {_table}_availability_truncate AFTER TRUNCATE ON public.{_table}
        FOR EACH STATEMENT EXECUTE FUNCTION private.availability_bump_global()""",
    ]

SQLITE_UPSERT = (
    "INSERT INTO availability_generation (scope, generation) SELECT {v}, 1 WHERE {cond}"
    " ON CONFLICT (scope) DO UPDATE SET generation = generation + 1;"
)

SQLITE_UP = [
    """CREATE TRIGGER availability_generation_no_delete BEFORE DELETE ON availability_generation
    BEGIN SELECT RAISE(ABORT, 'availability_generation rows are never removed'); END""",
]
for _table, _expr in SCOPES.items():
    _g = f"'{GLOBAL}'"
    _new, _old = (_expr.format(r=r, g=_g) for r in ("NEW", "OLD"))
    SQLITE_UP += [
        f"""CREATE TRIGGER {_table}_availability_insert AFTER INSERT ON {_table} BEGIN
        {SQLITE_UPSERT.format(v=_new, cond="1")} END""",
        f"""CREATE TRIGGER {_table}_availability_delete AFTER DELETE ON {_table} BEGIN
        {SQLITE_UPSERT.format(v=_old, cond="1")} END""",
        f"""CREATE TRIGGER {_table}_availability_update AFTER UPDATE ON {_table} BEGIN
        {SQLITE_UPSERT.format(v=_old, cond="1")}
        {SQLITE_UPSERT.format(v=_new, cond=f"({_new}) IS NOT ({_old})")} END""",
    ]


def upgrade():
    is_pg = op.get_bind().dialect.name == "postgresql"
    private = "private" if is_pg else None
    op.create_table(
        "availability_generation",
        sa.Column("scope", GUID(), nullable=False),
        sa.Column("generation", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_availability_generation")),
        schema=private,
        sqlite_with_rowid=False,  # a bump touches one B-tree page (trigger cost on INSERT)
    )
    op.create_table(
        "slot_request_stats",
        sa.Column("minute", UTCDateTime(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("requests", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("minute", "result", name=op.f("pk_slot_request_stats")),
        schema=private,
    )
    with op.batch_alter_table("availability_cache", schema=private) as batch:
        batch.add_column(sa.Column("stylist_generation", sa.BigInteger(), server_default=sa.text("0"), nullable=False))
        batch.add_column(sa.Column("global_generation", sa.BigInteger(), server_default=sa.text("0"), nullable=False))
    # Entries from before this revision carry no generations: drop them.
    op.execute(f"DELETE FROM {'private.' if is_pg else ''}availability_cache")
    for statement in PG_UP if is_pg else SQLITE_UP:
        op.execute(statement)


def downgrade():
    is_pg = op.get_bind().dialect.name == "postgresql"
    private = "private" if is_pg else None
    if is_pg:
        for table in SCOPES:
            for kind in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_availability_{kind} ON public.{table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_availability_truncate ON public.{table}")
            op.execute(f"DROP FUNCTION IF EXISTS private.availability_bump_{table}()")
        op.execute("DROP TRIGGER IF EXISTS availability_generation_no_delete ON private.availability_generation")
        op.execute("DROP TRIGGER IF EXISTS availability_generation_no_truncate ON private.availability_generation")
        op.execute("DROP FUNCTION IF EXISTS private.availability_bump_global()")
        op.execute("DROP FUNCTION IF EXISTS private.availability_generation_keep()")
    else:
        for table in SCOPES:
            for kind in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_availability_{kind}")
        op.execute("DROP TRIGGER IF EXISTS availability_generation_no_delete")
    op.execute(f"DELETE FROM {'private.' if is_pg else ''}availability_cache")
    with op.batch_alter_table("availability_cache", schema=private) as batch:
        batch.drop_column("global_generation")
        batch.drop_column("stylist_generation")
    op.drop_table("slot_request_stats", schema=private)
    op.drop_table("availability_generation", schema=private)
