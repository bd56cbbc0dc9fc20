"""Four-eyes credential resets for admins; why a proposal lapsed; enrolments per attempt.

- `private.credential_reset_proposals`: a password link or a two-step reset for an
  admin's account, proposed by one admin and confirmed by another (one pending
  proposal per person and kind);
- `admin_role_proposals.lapse_reason` (and the same column on the new table): expired,
  proposer no longer an admin, or a credential reset meanwhile;
- unconfirmed two-step secrets are deleted: an enrolment's secret now lives only in the
  session that was shown it, and the factor row is written when a code confirms it.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# the vocabularies as they are at this revision (portal/domain/people.py)
LAPSE_REASONS = "lapse_reason IS NULL OR lapse_reason IN ('expired', 'proposer_not_admin', 'credential_reset')"


def _private():
    return "private" if op.get_bind().dialect.name == "postgresql" else None


def upgrade():
    private = _private()
    if private:
        op.add_column("admin_role_proposals", sa.Column("lapse_reason", sa.Text(), nullable=True), schema=private)
        op.create_check_constraint("lapse_reason_known", "admin_role_proposals", LAPSE_REASONS, schema=private)
    else:  # SQLite: the CHECK comes with the column (no table rebuild)
        op.execute(f"ALTER TABLE admin_role_proposals ADD COLUMN lapse_reason TEXT "
                   f"CONSTRAINT lapse_reason_known CHECK ({LAPSE_REASONS})")
    op.create_table(
        "credential_reset_proposals",
        sa.Column("id", GUID(), primary_key=True, server_default=new_uuid()),
        sa.Column("user_id", GUID(), sa.ForeignKey("user_profiles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, server_default=sa.text("'pending'")),
        sa.Column("proposed_by", GUID(), nullable=False),
        sa.Column("proposed_at", UTCDateTime(), nullable=False, server_default=utc_now()),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", GUID(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("lapse_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.CheckConstraint("kind IN ('password_link', 'two_step_reset')", name="kind_known"),
        sa.CheckConstraint("status IN ('pending', 'confirmed', 'lapsed', 'cancelled')", name="status_known"),
        sa.CheckConstraint(LAPSE_REASONS, name="lapse_reason_known"),
        schema=private,
    )
    op.create_index("uq_credential_reset_proposals_pending", "credential_reset_proposals", ["user_id", "kind"],
                    unique=True, schema=private, postgresql_where=sa.text("status = 'pending'"),
                    sqlite_where=sa.text("status = 'pending'"))
    user_mfa = "private.user_mfa" if private else "user_mfa"
    op.execute(f"DELETE FROM {user_mfa} WHERE confirmed_at IS NULL")


def downgrade():
    private = _private()
    op.drop_index("uq_credential_reset_proposals_pending", table_name="credential_reset_proposals", schema=private)
    op.drop_table("credential_reset_proposals", schema=private)
    if private:
        op.drop_constraint("ck_admin_role_proposals_lapse_reason_known", "admin_role_proposals", schema=private)
    # SQLite ≥ 3.35: plain DROP COLUMN (its own CHECK goes with it)
    op.drop_column("admin_role_proposals", "lapse_reason", schema=private)
