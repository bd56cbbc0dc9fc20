"""A service's Nepali name: `services.name_ne` (nullable; NULL = the English name is shown
on Nepali pages too).

Revision ID: 0017
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("services", sa.Column("name_ne", sa.Text(), nullable=True))


def downgrade():
    # plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): no table rebuild under the foreign keys
    op.drop_column("services", "name_ne")
