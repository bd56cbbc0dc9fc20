"""Messages to customers (messages.md): the outbox `messages`, `message_templates`,
the customers' links `booking_links` (token hashes only), `message_channels` (a
channel paused by an account problem) and `periodic_runs` (each periodic job once per
period, however many workers run).

Revision ID: 0013
Revises: 0012b
"""
from alembic import op
import sqlalchemy as sa

from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now

revision = "0013"
down_revision = "0012b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('booking_links',
    sa.Column('token_hash', sa.Text(), nullable=False),
    sa.Column('booking_id', GUID(), nullable=False),
    sa.Column('message_id', GUID(), nullable=True),
    sa.Column('expires_at', UTCDateTime(), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_booking_links'))
    )
    with op.batch_alter_table('booking_links', schema=None) as batch_op:
        batch_op.create_index('ix_booking_links_booking', ['booking_id'], unique=False)

    op.create_table('message_channels',
    sa.Column('channel', sa.Text(), nullable=False),
    sa.Column('paused_at', UTCDateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('next_check_at', UTCDateTime(), nullable=True),
    sa.Column('alert', sa.Text(), nullable=True),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.CheckConstraint("channel IN ('sms', 'email')", name=op.f('ck_message_channels_channel_known')),
    sa.PrimaryKeyConstraint('channel', name=op.f('pk_message_channels'))
    )
    op.create_table('periodic_runs',
    sa.Column('job', sa.Text(), nullable=False),
    sa.Column('period', sa.Text(), nullable=False),
    sa.Column('started_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.PrimaryKeyConstraint('job', 'period', name=op.f('pk_periodic_runs'))
    )
    op.create_table('message_templates',
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('language', sa.Text(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_by', GUID(), nullable=True),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.CheckConstraint("kind IN ('confirmation', 'change_notice', 'cancellation', 'reminder')", name=op.f('ck_message_templates_kind_known')),
    sa.CheckConstraint("language IN ('ne', 'en')", name=op.f('ck_message_templates_language_known')),
    sa.ForeignKeyConstraint(['updated_by'], ['user_profiles.id'], name=op.f('fk_message_templates_updated_by_user_profiles')),
    sa.PrimaryKeyConstraint('kind', 'language', name=op.f('pk_message_templates'))
    )
    op.create_table('messages',
    sa.Column('id', GUID(), server_default=new_uuid(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('booking_id', GUID(), nullable=False),
    sa.Column('dedupe_key', sa.Text(), nullable=True),
    sa.Column('channel', sa.Text(), nullable=True),
    sa.Column('recipient', sa.Text(), nullable=True),
    sa.Column('language', sa.Text(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('segments', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('state', sa.Text(), server_default=sa.text("'queued'"), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('provider_answer', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('maybe_twice', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('next_attempt_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('lease_until', UTCDateTime(), nullable=True),
    sa.Column('retry_deadline', UTCDateTime(), nullable=True),
    sa.Column('queued_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('sent_at', UTCDateTime(), nullable=True),
    sa.Column('finished_at', UTCDateTime(), nullable=True),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('created_by', GUID(), nullable=True),
    sa.CheckConstraint("channel IS NULL OR channel IN ('sms', 'email')", name=op.f('ck_messages_channel_known')),
    sa.CheckConstraint("kind IN ('confirmation', 'change_notice', 'cancellation', 'reminder')", name=op.f('ck_messages_kind_known')),
    sa.CheckConstraint("language IN ('ne', 'en')", name=op.f('ck_messages_language_known')),
    sa.CheckConstraint("state IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'cancelled')", name=op.f('ck_messages_state_known')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_messages_attempts_nonnegative')),
    sa.ForeignKeyConstraint(['created_by'], ['user_profiles.id'], name=op.f('fk_messages_created_by_user_profiles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_messages_dedupe_key'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_booking', ['booking_id', 'queued_at'], unique=False)
        batch_op.create_index('ix_messages_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_messages_queued', ['queued_at'], unique=False)



def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_queued')
        batch_op.drop_index('ix_messages_due')
        batch_op.drop_index('ix_messages_booking')

    op.drop_table('messages')
    op.drop_table('message_templates')
    op.drop_table('periodic_runs')
    op.drop_table('message_channels')
    with op.batch_alter_table('booking_links', schema=None) as batch_op:
        batch_op.drop_index('ix_booking_links_booking')

    op.drop_table('booking_links')
