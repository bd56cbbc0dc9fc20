"""Override budgets cannot be reset by deleting their row (security.md).

A client deleting a `stylist_override_budgets` row while its stylist exists gets the
row back at once, with every value it had (the month's spending, the limit, the
emergency tokens and the renewal time): an AFTER DELETE trigger re-inserts it. When
the stylist profile itself is deleted, the cascade takes the row with it as before.
On PostgreSQL TRUNCATE of the table (which skips row triggers) is refused.

Revision ID: 0004
Revises: 0003b
"""
from alembic import op

revision = "0004"
down_revision = "0003b"
branch_labels = None
depends_on = None

COLUMNS = (
    "stylist_user_id, monthly_override_limit, current_month_overrides, emergency_overrides_remaining,"
    " budget_reset_at, last_override_at, created_at, updated_at"
)
OLD_VALUES = ", ".join(f"OLD.{c.strip()}" for c in COLUMNS.split(","))

PG_UP = [
    f"""
    CREATE FUNCTION private.keep_override_budget() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM public.stylist_profiles WHERE user_id = OLD.stylist_user_id) THEN
            INSERT INTO public.stylist_override_budgets ({COLUMNS})
            VALUES ({OLD_VALUES})
            ON CONFLICT (stylist_user_id) DO NOTHING;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER stylist_override_budgets_keep AFTER DELETE ON public.stylist_override_budgets
    FOR EACH ROW EXECUTE FUNCTION private.keep_override_budget()
    """,
    """
    CREATE FUNCTION private.refuse_budget_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'stylist_override_budgets cannot be truncated: budgets are not reset by deletion'
            USING ERRCODE = 'restrict_violation';
    END $$
    """,
    """
    CREATE TRIGGER stylist_override_budgets_no_truncate BEFORE TRUNCATE ON public.stylist_override_budgets
    FOR EACH STATEMENT EXECUTE FUNCTION private.refuse_budget_truncate()
    """,
]
SQLITE_UP = [
    f"""
    CREATE TRIGGER stylist_override_budgets_keep AFTER DELETE ON stylist_override_budgets
    WHEN EXISTS (SELECT 1 FROM stylist_profiles WHERE user_id = OLD.stylist_user_id)
    BEGIN
        INSERT OR IGNORE INTO stylist_override_budgets ({COLUMNS}) VALUES ({OLD_VALUES});
    END
    """,
]


def upgrade():
    is_pg = op.get_bind().dialect.name == "postgresql"
    for statement in PG_UP if is_pg else SQLITE_UP:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS stylist_override_budgets_no_truncate ON public.stylist_override_budgets")
        op.execute("DROP TRIGGER IF EXISTS stylist_override_budgets_keep ON public.stylist_override_budgets")
        op.execute("DROP FUNCTION IF EXISTS private.refuse_budget_truncate()")
        op.execute("DROP FUNCTION IF EXISTS private.keep_override_budget()")
    else:
        op.execute("DROP TRIGGER IF EXISTS stylist_override_budgets_keep")
