"""Database rules that hold for every client: budget rows, append-only logs, roles.

- Inserting a stylist profile, by anyone, creates its override budget row
  (PostgreSQL: `budget_reset_at` at the next first-of-month midnight in the
  stylist's own zone; SQLite has no zone data, so the column default — midnight UTC —
  stands until the budget service first renews it).
- UPDATE and DELETE on both logs fail (and TRUNCATE on PostgreSQL).
- The four roles.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LOGS = ("schedule_change_log", "service_management_log")
ROLES = ("admin", "auditor", "stylist", "customer")

PG_UP = [
    """
    CREATE FUNCTION private.create_override_budget() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        INSERT INTO public.stylist_override_budgets (stylist_user_id, budget_reset_at)
        VALUES (
            NEW.user_id,
            (date_trunc('month', now() AT TIME ZONE NEW.timezone) + interval '1 month')
                AT TIME ZONE NEW.timezone
        )
        ON CONFLICT (stylist_user_id) DO NOTHING;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER stylist_profiles_create_budget
    AFTER INSERT ON public.stylist_profiles
    FOR EACH ROW EXECUTE FUNCTION private.create_override_budget()
    """,
    """
    CREATE FUNCTION private.refuse_log_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '%.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'restrict_violation';
    END $$
    """,
]
for _log in LOGS:
    PG_UP += [
        f"""CREATE TRIGGER {_log}_append_only BEFORE UPDATE OR DELETE ON private.{_log}
        FOR EACH ROW EXECUTE FUNCTION private.refuse_log_change()""",
        f"""CREATE TRIGGER {_log}_no_truncate BEFORE TRUNCATE ON private.{_log}
        FOR EACH STATEMENT EXECUTE FUNCTION private.refuse_log_change()""",
    ]

SQLITE_UP = [
    """
    CREATE TRIGGER stylist_profiles_create_budget AFTER INSERT ON stylist_profiles
    BEGIN
        INSERT OR IGNORE INTO stylist_override_budgets (stylist_user_id) VALUES (NEW.user_id);
    END
    """,
]
for _log in LOGS:
    for _op in ("UPDATE", "DELETE"):
        SQLITE_UP.append(
            f"""CREATE TRIGGER {_log}_no_{_op.lower()} BEFORE {_op} ON {_log}
            BEGIN SELECT RAISE(ABORT, '{_log} is append-only: {_op} is not allowed'); END"""
        )


def upgrade():
    is_pg = op.get_bind().dialect.name == "postgresql"
    for statement in PG_UP if is_pg else SQLITE_UP:
        op.execute(statement)
    roles = sa.table("roles", sa.column("name", sa.Text))
    op.bulk_insert(roles, [{"name": name} for name in ROLES])


def downgrade():
    is_pg = op.get_bind().dialect.name == "postgresql"
    op.execute(sa.text("DELETE FROM roles WHERE name IN ('admin', 'auditor', 'stylist', 'customer')"))
    if is_pg:
        for log in LOGS:
            op.execute(f"DROP TRIGGER IF EXISTS {log}_append_only ON private.{log}")
            op.execute(f"DROP TRIGGER IF EXISTS {log}_no_truncate ON private.{log}")
        op.execute("DROP TRIGGER IF EXISTS stylist_profiles_create_budget ON public.stylist_profiles")
        op.execute("DROP FUNCTION IF EXISTS private.refuse_log_change()")
        op.execute("DROP FUNCTION IF EXISTS private.create_override_budget()")
    else:
        for log in LOGS:
            op.execute(f"DROP TRIGGER IF EXISTS {log}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {log}_no_delete")
        op.execute("DROP TRIGGER IF EXISTS stylist_profiles_create_budget")
