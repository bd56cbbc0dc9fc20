"""The person's language: `user_profiles.language` (nullable; NULL = the browser decides).

Revision ID: 0008
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("user_profiles", sa.Column("language", sa.String(8), nullable=True))


def downgrade():
    # plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): no table rebuild under the foreign keys
    op.drop_column("user_profiles", "language")
