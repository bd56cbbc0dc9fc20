"""People, sign-in factors and four-eyes admin changes.

- `private.user_mfa`, `private.mfa_recovery_codes`: TOTP factors (secret encrypted,
  last used time step) and hashed single-use recovery codes;
- `private.password_links`: one-time password links (token hash only);
- `private.admin_role_proposals`: four-eyes grants/removals of the admin role
  (one pending proposal per user);
- `user_profiles.last_sign_in_at`.

Revision ID: 0007
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now

revision = "0007"
down_revision = "0004"  # "0003b" on its own branch; chained after the hardening (0004) here
branch_labels = None
depends_on = None


def _private():
    return "private" if op.get_bind().dialect.name == "postgresql" else None


def _user_fk():
    return sa.ForeignKey("user_profiles.id", ondelete="CASCADE")


def upgrade():
    private = _private()
    op.add_column("user_profiles", sa.Column("last_sign_in_at", UTCDateTime(), nullable=True))
    op.create_table(
        "user_mfa",
        sa.Column("user_id", GUID(), _user_fk(), primary_key=True),
        sa.Column("secret_encrypted", sa.Text(), nullable=False),
        sa.Column("confirmed_at", UTCDateTime(), nullable=True),
        sa.Column("last_used_step", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False, server_default=utc_now()),
        schema=private,
    )
    op.create_table(
        "mfa_recovery_codes",
        sa.Column("id", GUID(), primary_key=True, server_default=new_uuid()),
        sa.Column("user_id", GUID(), _user_fk(), nullable=False),
        sa.Column("code_hash", sa.Text(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        schema=private,
    )
    op.create_index("ix_mfa_recovery_codes_user", "mfa_recovery_codes", ["user_id"], schema=private)
    op.create_table(
        "password_links",
        sa.Column("id", GUID(), primary_key=True, server_default=new_uuid()),
        sa.Column("user_id", GUID(), _user_fk(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False, unique=True),
        sa.Column("issued_by", GUID(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False, server_default=utc_now()),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        schema=private,
    )
    op.create_table(
        "admin_role_proposals",
        sa.Column("id", GUID(), primary_key=True, server_default=new_uuid()),
        sa.Column("user_id", GUID(), _user_fk(), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, server_default=sa.text("'pending'")),
        sa.Column("proposed_by", GUID(), nullable=False),
        sa.Column("proposed_at", UTCDateTime(), nullable=False, server_default=utc_now()),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", GUID(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.CheckConstraint("change IN ('grant', 'remove')", name="change_known"),
        sa.CheckConstraint("status IN ('pending', 'confirmed', 'lapsed', 'cancelled')", name="status_known"),
        schema=private,
    )
    op.create_index("uq_admin_role_proposals_pending_user", "admin_role_proposals", ["user_id"], unique=True,
                    schema=private, postgresql_where=sa.text("status = 'pending'"),
                    sqlite_where=sa.text("status = 'pending'"))


def downgrade():
    private = _private()
    op.drop_index("uq_admin_role_proposals_pending_user", table_name="admin_role_proposals", schema=private)
    for table in ("admin_role_proposals", "password_links", "mfa_recovery_codes", "user_mfa"):
        op.drop_table(table, schema=private)
    op.drop_column("user_profiles", "last_sign_in_at")  # plain ALTER: keeps the expression index
