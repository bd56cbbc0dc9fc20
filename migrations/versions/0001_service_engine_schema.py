"""Service engine schema: every table of spec/schema.md, on PostgreSQL and SQLite.

Internal tables go to schema `private` on PostgreSQL and the main file on SQLite.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 07:29:36.961010
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from portal.models.logs import BigId, IPAddress
from portal.models.types import (
    GUID, JSONDoc, LocalTime, UTCDateTime, current_day, new_uuid, next_month_start, utc_now,
    utc_now_plus_minutes,
)

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    is_pg = op.get_bind().dialect.name == "postgresql"
    private = "private" if is_pg else None
    if is_pg:
        op.execute("CREATE SCHEMA IF NOT EXISTS private")
    op.create_table('roles',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roles')),
    sa.UniqueConstraint('name', name=op.f('uq_roles_name'))
    )
    op.create_table('services',
    sa.Column('id', GUID(), server_default=new_uuid(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('slug', sa.Text(), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('base_price_cents', sa.Integer(), nullable=False),
    sa.Column('min_advance_hours', sa.Integer(), server_default=sa.text('2'), nullable=False),
    sa.Column('max_advance_days', sa.Integer(), server_default=sa.text('30'), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.CheckConstraint("category IN ('hair', 'makeup', 'nails', 'spa', 'consultation')", name=op.f('ck_services_category_known')),
    sa.CheckConstraint('base_price_cents >= 0', name=op.f('ck_services_price_nonnegative')),
    sa.CheckConstraint('duration_minutes BETWEEN 1 AND 480', name=op.f('ck_services_duration_range')),
    sa.CheckConstraint('max_advance_days >= 1', name=op.f('ck_services_max_advance_positive')),
    sa.CheckConstraint('min_advance_hours >= 0', name=op.f('ck_services_min_advance_nonnegative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services')),
    sa.UniqueConstraint('name', name=op.f('uq_services_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_services_slug'))
    )
    op.create_table('user_profiles',
    sa.Column('id', GUID(), server_default=new_uuid(), nullable=False),
    sa.Column('email', sa.Text(), nullable=False),
    sa.Column('display_name', sa.Text(), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_profiles'))
    )
    op.create_index('uq_user_profiles_email_lower', 'user_profiles', [sa.literal_column('lower(email)')], unique=True)
    op.create_table('service_management_log',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('admin_user_id', GUID(), nullable=True),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('target_id', GUID(), nullable=True),
    sa.Column('target_type', sa.Text(), nullable=True),
    sa.Column('severity', sa.Text(), server_default=sa.text("'info'"), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('details', JSONDoc, nullable=True),
    sa.Column('ip_address', IPAddress, nullable=True),
    sa.Column('user_agent', sa.Text(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.CheckConstraint("category IN ('governance', 'security', 'data_access', 'configuration')", name=op.f('ck_service_management_log_category_known')),
    sa.CheckConstraint("severity IN ('info', 'warning', 'critical')", name=op.f('ck_service_management_log_severity_known')),
    sa.CheckConstraint("target_type IS NULL OR target_type IN ('service', 'stylist_profile', 'stylist_schedule', 'stylist_promotion', 'schedule_override', 'override_budget', 'user_profile')", name=op.f('ck_service_management_log_target_type_known')),
    sa.ForeignKeyConstraint(['admin_user_id'], ['user_profiles.id'], name=op.f('fk_service_management_log_admin_user_id_user_profiles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_management_log')),
    schema=private
    )
    op.create_index('ix_service_management_log_admin', 'service_management_log', ['admin_user_id', 'created_at'], unique=False, schema=private)
    op.create_index('ix_service_management_log_category', 'service_management_log', ['category', 'created_at'], unique=False, schema=private)
    op.create_index('ix_service_management_log_created', 'service_management_log', ['created_at', 'id'], unique=False, schema=private)
    op.create_index('ix_service_management_log_severity', 'service_management_log', ['severity', 'created_at'], unique=False, schema=private, postgresql_where=sa.text("severity IN ('warning', 'critical')"), sqlite_where=sa.text("severity IN ('warning', 'critical')"))
    op.create_table('stylist_profiles',
    sa.Column('user_id', GUID(), nullable=False),
    sa.Column('display_name', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('bio', sa.Text(), nullable=True),
    sa.Column('years_experience', sa.Integer(), nullable=True),
    sa.Column('specialties', JSONDoc, server_default=sa.text("'[]'"), nullable=False),
    sa.Column('timezone', sa.Text(), server_default=sa.text("'Asia/Kathmandu'"), nullable=False),
    sa.Column('booking_buffer_minutes', sa.Integer(), server_default=sa.text('15'), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('deactivated_at', UTCDateTime(), nullable=True),
    sa.Column('deactivated_by', GUID(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.CheckConstraint('(is_active AND deactivated_at IS NULL) OR (NOT is_active AND deactivated_at IS NOT NULL)', name=op.f('ck_stylist_profiles_active_matches_deactivated')),
    sa.CheckConstraint('booking_buffer_minutes BETWEEN 0 AND 120', name=op.f('ck_stylist_profiles_buffer_range')),
    sa.CheckConstraint('years_experience IS NULL OR years_experience >= 0', name=op.f('ck_stylist_profiles_years_nonnegative')),
    sa.ForeignKeyConstraint(['user_id'], ['user_profiles.id'], name=op.f('fk_stylist_profiles_user_id_user_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_stylist_profiles'))
    )
    op.create_table('stylist_promotions',
    sa.Column('id', GUID(), server_default=new_uuid(), nullable=False),
    sa.Column('user_id', GUID(), nullable=False),
    sa.Column('requested_by', GUID(), nullable=False),
    sa.Column('approved_by', GUID(), nullable=True),
    sa.Column('background_check_status', sa.Text(), server_default=sa.text("'pending'"), nullable=False),
    sa.Column('id_verification_status', sa.Text(), server_default=sa.text("'pending'"), nullable=False),
    sa.Column('training_completed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('mfa_enabled', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('status', sa.Text(), server_default=sa.text("'draft'"), nullable=False),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('revocation_reason', sa.Text(), nullable=True),
    sa.Column('notes', JSONDoc, server_default=sa.text("'[]'"), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('approved_at', UTCDateTime(), nullable=True),
    sa.Column('rejected_at', UTCDateTime(), nullable=True),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('revoked_at', UTCDateTime(), nullable=True),
    sa.Column('revoked_by', GUID(), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.CheckConstraint("approved_at IS NULL OR status = 'approved'", name=op.f('ck_stylist_promotions_approved_at_only_approved')),
    sa.CheckConstraint("background_check_status IN ('pending', 'in_progress', 'passed', 'failed')", name=op.f('ck_stylist_promotions_background_known')),
    sa.CheckConstraint("id_verification_status IN ('pending', 'submitted', 'verified', 'rejected')", name=op.f('ck_stylist_promotions_id_verification_known')),
    sa.CheckConstraint("rejected_at IS NULL OR status = 'rejected'", name=op.f('ck_stylist_promotions_rejected_at_only_rejected')),
    sa.CheckConstraint("rejection_reason IS NULL OR status = 'rejected'", name=op.f('ck_stylist_promotions_rejection_reason_only_rejected')),
    sa.CheckConstraint("revocation_reason IS NULL OR status = 'revoked'", name=op.f('ck_stylist_promotions_revocation_reason_only_revoked')),
    sa.CheckConstraint("status IN ('draft', 'pending_checks', 'pending_training', 'pending_approval', 'approved', 'rejected', 'revoked')", name=op.f('ck_stylist_promotions_status_known')),
    sa.ForeignKeyConstraint(['approved_by'], ['user_profiles.id'], name=op.f('fk_stylist_promotions_approved_by_user_profiles')),
    sa.ForeignKeyConstraint(['requested_by'], ['user_profiles.id'], name=op.f('fk_stylist_promotions_requested_by_user_profiles')),
    sa.ForeignKeyConstraint(['revoked_by'], ['user_profiles.id'], name=op.f('fk_stylist_promotions_revoked_by_user_profiles')),
    sa.ForeignKeyConstraint(['user_id'], ['user_profiles.id'], name=op.f('fk_stylist_promotions_user_id_user_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stylist_promotions'))
    )
    op.create_index('ix_stylist_promotions_created', 'stylist_promotions', ['created_at'], unique=False)
    op.create_index('ix_stylist_promotions_open_status', 'stylist_promotions', ['status'], unique=False, postgresql_where=sa.text("status IN ('pending_checks', 'pending_training', 'pending_approval')"), sqlite_where=sa.text("status IN ('pending_checks', 'pending_training', 'pending_approval')"))
    op.create_index(op.f('ix_stylist_promotions_user_id'), 'stylist_promotions', ['user_id'], unique=False)
    op.create_index('uq_stylist_promotions_open_user', 'stylist_promotions', ['user_id'], unique=True, postgresql_where=sa.text("status IN ('draft', 'pending_checks', 'pending_training', 'pending_approval')"), sqlite_where=sa.text("status IN ('draft', 'pending_checks', 'pending_training', 'pending_approval')"))
    op.create_table('user_roles',
    sa.Column('user_id', GUID(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by', GUID(), nullable=True),
    sa.Column('assigned_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'], name=op.f('fk_user_roles_role_id_roles')),
    sa.ForeignKeyConstraint(['user_id'], ['user_profiles.id'], name=op.f('fk_user_roles_user_id_user_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role_id', name=op.f('pk_user_roles'))
    )
    op.create_table('booking_reservations',
    sa.Column('id', GUID(), server_default=new_uuid(), nullable=False),
    sa.Column('customer_user_id', GUID(), nullable=True),
    sa.Column('stylist_user_id', GUID(), nullable=False),
    sa.Column('service_id', GUID(), nullable=False),
    sa.Column('start_time', UTCDateTime(), nullable=False),
    sa.Column('end_time', UTCDateTime(), nullable=False),
    sa.Column('price_cents', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('status', sa.Text(), server_default=sa.text("'reserved'"), nullable=False),
    sa.Column('expires_at', UTCDateTime(), server_default=utc_now_plus_minutes(15), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.CheckConstraint("status IN ('reserved', 'confirmed', 'expired', 'cancelled')", name=op.f('ck_booking_reservations_status_known')),
    sa.CheckConstraint('end_time > start_time', name=op.f('ck_booking_reservations_times_in_order')),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_booking_reservations_price_nonnegative')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_booking_reservations_service_id_services')),
    sa.ForeignKeyConstraint(['stylist_user_id'], ['stylist_profiles.user_id'], name=op.f('fk_booking_reservations_stylist_user_id_stylist_profiles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_reservations'))
    )
    op.create_index(op.f('ix_booking_reservations_service_id'), 'booking_reservations', ['service_id'], unique=False)
    op.create_index('ix_booking_reservations_stylist_start', 'booking_reservations', ['stylist_user_id', 'start_time'], unique=False)
    op.create_table('bookings',
    sa.Column('id', GUID(), server_default=new_uuid(), nullable=False),
    sa.Column('customer_user_id', GUID(), nullable=True),
    sa.Column('stylist_user_id', GUID(), nullable=False),
    sa.Column('service_id', GUID(), nullable=False),
    sa.Column('start_time', UTCDateTime(), nullable=False),
    sa.Column('end_time', UTCDateTime(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('status', sa.Text(), server_default=sa.text("'confirmed'"), nullable=False),
    sa.Column('customer_name', sa.Text(), nullable=True),
    sa.Column('customer_phone', sa.Text(), nullable=True),
    sa.Column('customer_email', sa.Text(), nullable=True),
    sa.Column('customer_notes', sa.Text(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show')", name=op.f('ck_bookings_status_known')),
    sa.CheckConstraint('end_time > start_time', name=op.f('ck_bookings_times_in_order')),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_bookings_price_nonnegative')),
    sa.ForeignKeyConstraint(['customer_user_id'], ['user_profiles.id'], name=op.f('fk_bookings_customer_user_id_user_profiles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_bookings_service_id_services')),
    sa.ForeignKeyConstraint(['stylist_user_id'], ['stylist_profiles.user_id'], name=op.f('fk_bookings_stylist_user_id_stylist_profiles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings'))
    )
    op.create_index(op.f('ix_bookings_customer_user_id'), 'bookings', ['customer_user_id'], unique=False)
    op.create_index(op.f('ix_bookings_service_id'), 'bookings', ['service_id'], unique=False)
    op.create_index('ix_bookings_stylist_start', 'bookings', ['stylist_user_id', 'start_time'], unique=False)
    op.create_table('availability_cache',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('stylist_user_id', GUID(), nullable=False),
    sa.Column('service_id', GUID(), nullable=False),
    sa.Column('cache_date', sa.Date(), nullable=False),
    sa.Column('available_slots', JSONDoc, nullable=False),
    sa.Column('computed_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('expires_at', UTCDateTime(), server_default=utc_now_plus_minutes(5), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_availability_cache_service_id_services'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stylist_user_id'], ['stylist_profiles.user_id'], name=op.f('fk_availability_cache_stylist_user_id_stylist_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_availability_cache')),
    sa.UniqueConstraint('stylist_user_id', 'service_id', 'cache_date', name=op.f('uq_availability_cache_stylist_user_id_service_id_cache_date')),
    schema=private
    )
    op.create_index('ix_availability_cache_expires', 'availability_cache', ['expires_at'], unique=False, schema=private)
    op.create_index(op.f('ix_availability_cache_service_id'), 'availability_cache', ['service_id'], unique=False, schema=private)
    op.create_table('schedule_change_log',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('stylist_user_id', GUID(), nullable=False),
    sa.Column('change_date', sa.Date(), nullable=False),
    sa.Column('change_type', sa.Text(), nullable=False),
    sa.Column('old_values', JSONDoc, nullable=True),
    sa.Column('new_values', JSONDoc, nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('is_emergency', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('ip_address', IPAddress, nullable=True),
    sa.Column('user_agent', sa.Text(), nullable=True),
    sa.Column('changed_by', GUID(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.CheckConstraint("change_type IN ('availability_override', 'schedule_update', 'emergency_block')", name=op.f('ck_schedule_change_log_change_type_known')),
    sa.ForeignKeyConstraint(['changed_by'], ['user_profiles.id'], name=op.f('fk_schedule_change_log_changed_by_user_profiles')),
    sa.ForeignKeyConstraint(['stylist_user_id'], ['stylist_profiles.user_id'], name=op.f('fk_schedule_change_log_stylist_user_id_stylist_profiles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_change_log')),
    schema=private
    )
    op.create_index('ix_schedule_change_log_created', 'schedule_change_log', ['created_at'], unique=False, schema=private)
    op.create_index('ix_schedule_change_log_stylist_date', 'schedule_change_log', ['stylist_user_id', 'change_date'], unique=False, schema=private)
    op.create_index('ix_schedule_change_log_type', 'schedule_change_log', ['change_type', 'created_at'], unique=False, schema=private)
    op.create_table('schedule_overrides',
    sa.Column('id', GUID(), server_default=new_uuid(), nullable=False),
    sa.Column('override_type', sa.Text(), nullable=False),
    sa.Column('applies_to_all_stylists', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stylist_user_id', GUID(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('override_start_time', LocalTime(), nullable=True),
    sa.Column('override_end_time', LocalTime(), nullable=True),
    sa.Column('is_closed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('priority', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_by', GUID(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.CheckConstraint("override_type IN ('business_closure', 'stylist_vacation', 'seasonal_hours', 'special_event')", name=op.f('ck_schedule_overrides_type_known')),
    sa.CheckConstraint('(applies_to_all_stylists AND stylist_user_id IS NULL) OR (NOT applies_to_all_stylists AND stylist_user_id IS NOT NULL)', name=op.f('ck_schedule_overrides_one_scope')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_schedule_overrides_dates_in_order')),
    sa.CheckConstraint('is_closed OR (override_start_time IS NOT NULL AND override_end_time IS NOT NULL)', name=op.f('ck_schedule_overrides_hours_unless_closed')),
    sa.CheckConstraint('override_end_time IS NULL OR override_end_time > override_start_time', name=op.f('ck_schedule_overrides_times_in_order')),
    sa.CheckConstraint('priority BETWEEN 0 AND 100', name=op.f('ck_schedule_overrides_priority_range')),
    sa.ForeignKeyConstraint(['created_by'], ['user_profiles.id'], name=op.f('fk_schedule_overrides_created_by_user_profiles')),
    sa.ForeignKeyConstraint(['stylist_user_id'], ['stylist_profiles.user_id'], name=op.f('fk_schedule_overrides_stylist_user_id_stylist_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_overrides'))
    )
    op.create_index('ix_schedule_overrides_all_stylists', 'schedule_overrides', ['start_date', 'end_date'], unique=False, postgresql_where=sa.text('applies_to_all_stylists'), sqlite_where=sa.text('applies_to_all_stylists'))
    if is_pg:
        op.create_index('ix_schedule_overrides_daterange', 'schedule_overrides', [sa.literal_column("daterange(start_date, end_date, '[]')")], unique=False, postgresql_using='gist')
    op.create_index('ix_schedule_overrides_lookup', 'schedule_overrides', ['stylist_user_id', 'start_date', 'end_date'], unique=False)
    op.create_index('ix_schedule_overrides_priority', 'schedule_overrides', ['priority', 'start_date'], unique=False)
    op.create_table('stylist_override_budgets',
    sa.Column('stylist_user_id', GUID(), nullable=False),
    sa.Column('monthly_override_limit', sa.Integer(), server_default=sa.text('10'), nullable=False),
    sa.Column('current_month_overrides', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('emergency_overrides_remaining', sa.Integer(), server_default=sa.text('3'), nullable=False),
    sa.Column('budget_reset_at', UTCDateTime(), server_default=next_month_start(), nullable=False),
    sa.Column('last_override_at', UTCDateTime(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.CheckConstraint('current_month_overrides >= 0', name=op.f('ck_stylist_override_budgets_used_nonnegative')),
    sa.CheckConstraint('emergency_overrides_remaining >= 0', name=op.f('ck_stylist_override_budgets_emergency_nonnegative')),
    sa.CheckConstraint('monthly_override_limit > 0', name=op.f('ck_stylist_override_budgets_limit_positive')),
    sa.ForeignKeyConstraint(['stylist_user_id'], ['stylist_profiles.user_id'], name=op.f('fk_stylist_override_budgets_stylist_user_id_stylist_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('stylist_user_id', name=op.f('pk_stylist_override_budgets'))
    )
    op.create_index('ix_stylist_override_budgets_reset', 'stylist_override_budgets', ['budget_reset_at'], unique=False)
    op.create_table('stylist_schedules',
    sa.Column('id', GUID(), server_default=new_uuid(), nullable=False),
    sa.Column('stylist_user_id', GUID(), nullable=False),
    sa.Column('day_of_week', sa.SmallInteger(), nullable=False),
    sa.Column('start_time_local', LocalTime(), nullable=False),
    sa.Column('end_time_local', LocalTime(), nullable=False),
    sa.Column('break_start_time_local', LocalTime(), nullable=True),
    sa.Column('break_end_time_local', LocalTime(), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('effective_from', sa.Date(), server_default=current_day(), nullable=False),
    sa.Column('effective_until', sa.Date(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), server_default=utc_now(), nullable=False),
    sa.CheckConstraint('(break_start_time_local IS NULL) = (break_end_time_local IS NULL)', name=op.f('ck_stylist_schedules_break_both_or_neither')),
    sa.CheckConstraint('break_start_time_local IS NULL OR (break_start_time_local >= start_time_local AND break_end_time_local <= end_time_local AND break_end_time_local > break_start_time_local)', name=op.f('ck_stylist_schedules_break_inside_shift')),
    sa.CheckConstraint('day_of_week BETWEEN 0 AND 6', name=op.f('ck_stylist_schedules_day_of_week_range')),
    sa.CheckConstraint('effective_until IS NULL OR effective_until >= effective_from', name=op.f('ck_stylist_schedules_effective_in_order')),
    sa.CheckConstraint('end_time_local > start_time_local', name=op.f('ck_stylist_schedules_shift_in_order')),
    sa.ForeignKeyConstraint(['stylist_user_id'], ['stylist_profiles.user_id'], name=op.f('fk_stylist_schedules_stylist_user_id_stylist_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stylist_schedules')),
    sa.UniqueConstraint('stylist_user_id', 'day_of_week', 'effective_from', name=op.f('uq_stylist_schedules_stylist_user_id_day_of_week_effective_from'))
    )
    op.create_table('stylist_services',
    sa.Column('id', GUID(), server_default=new_uuid(), nullable=False),
    sa.Column('stylist_user_id', GUID(), nullable=False),
    sa.Column('service_id', GUID(), nullable=False),
    sa.Column('custom_price_cents', sa.Integer(), nullable=True),
    sa.Column('custom_duration_minutes', sa.Integer(), nullable=True),
    sa.Column('is_available', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint('custom_duration_minutes IS NULL OR custom_duration_minutes BETWEEN 1 AND 480', name=op.f('ck_stylist_services_duration_range')),
    sa.CheckConstraint('custom_price_cents IS NULL OR custom_price_cents >= 0', name=op.f('ck_stylist_services_price_nonnegative')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_stylist_services_service_id_services'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stylist_user_id'], ['stylist_profiles.user_id'], name=op.f('fk_stylist_services_stylist_user_id_stylist_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stylist_services')),
    sa.UniqueConstraint('stylist_user_id', 'service_id', name=op.f('uq_stylist_services_stylist_user_id_service_id'))
    )
    op.create_index(op.f('ix_stylist_services_service_id'), 'stylist_services', ['service_id'], unique=False)


def downgrade():
    is_pg = op.get_bind().dialect.name == "postgresql"
    private = "private" if is_pg else None
    op.drop_index(op.f('ix_stylist_services_service_id'), table_name='stylist_services')
    op.drop_table('stylist_services')
    op.drop_table('stylist_schedules')
    op.drop_index('ix_stylist_override_budgets_reset', table_name='stylist_override_budgets')
    op.drop_table('stylist_override_budgets')
    op.drop_index('ix_schedule_overrides_priority', table_name='schedule_overrides')
    op.drop_index('ix_schedule_overrides_lookup', table_name='schedule_overrides')
    if is_pg:
        op.drop_index('ix_schedule_overrides_daterange', table_name='schedule_overrides', postgresql_using='gist')
    op.drop_index('ix_schedule_overrides_all_stylists', table_name='schedule_overrides', postgresql_where=sa.text('applies_to_all_stylists'), sqlite_where=sa.text('applies_to_all_stylists'))
    op.drop_table('schedule_overrides')
    op.drop_index('ix_schedule_change_log_type', table_name='schedule_change_log', schema=private)
    op.drop_index('ix_schedule_change_log_stylist_date', table_name='schedule_change_log', schema=private)
    op.drop_index('ix_schedule_change_log_created', table_name='schedule_change_log', schema=private)
    op.drop_table('schedule_change_log', schema=private)
    op.drop_index(op.f('ix_availability_cache_service_id'), table_name='availability_cache', schema=private)
    op.drop_index('ix_availability_cache_expires', table_name='availability_cache', schema=private)
    op.drop_table('availability_cache', schema=private)
    op.drop_index('ix_bookings_stylist_start', table_name='bookings')
    op.drop_index(op.f('ix_bookings_service_id'), table_name='bookings')
    op.drop_index(op.f('ix_bookings_customer_user_id'), table_name='bookings')
    op.drop_table('bookings')
    op.drop_index('ix_booking_reservations_stylist_start', table_name='booking_reservations')
    op.drop_index(op.f('ix_booking_reservations_service_id'), table_name='booking_reservations')
    op.drop_table('booking_reservations')
    op.drop_table('user_roles')
    op.drop_index('uq_stylist_promotions_open_user', table_name='stylist_promotions', postgresql_where=sa.text("status IN ('draft', 'pending_checks', 'pending_training', 'pending_approval')"), sqlite_where=sa.text("status IN ('draft', 'pending_checks', 'pending_training', 'pending_approval')"))
    op.drop_index(op.f('ix_stylist_promotions_user_id'), table_name='stylist_promotions')
    op.drop_index('ix_stylist_promotions_open_status', table_name='stylist_promotions', postgresql_where=sa.text("status IN ('pending_checks', 'pending_training', 'pending_approval')"), sqlite_where=sa.text("status IN ('pending_checks', 'pending_training', 'pending_approval')"))
    op.drop_index('ix_stylist_promotions_created', table_name='stylist_promotions')
    op.drop_table('stylist_promotions')
    op.drop_table('stylist_profiles')
    op.drop_index('ix_service_management_log_severity', table_name='service_management_log', schema=private, postgresql_where=sa.text("severity IN ('warning', 'critical')"), sqlite_where=sa.text("severity IN ('warning', 'critical')"))
    op.drop_index('ix_service_management_log_created', table_name='service_management_log', schema=private)
    op.drop_index('ix_service_management_log_category', table_name='service_management_log', schema=private)
    op.drop_index('ix_service_management_log_admin', table_name='service_management_log', schema=private)
    op.drop_table('service_management_log', schema=private)
    op.drop_index('uq_user_profiles_email_lower', table_name='user_profiles')
    op.drop_table('user_profiles')
    op.drop_table('services')
    op.drop_table('roles')
    if is_pg:
        op.execute("DROP SCHEMA IF EXISTS private")
