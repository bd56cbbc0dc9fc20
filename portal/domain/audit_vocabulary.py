"""The audit log's codes (categories, severities, target types: the log's CHECK
constraints use these) and the people's words for them and for actions.

The viewer shows these labels; the raw code stays in the row's details and in the CSV.
An action without a label here is shown with its words spelled out ("Cache warmed"),
never as a snake_case code.
"""
from __future__ import annotations

from types import MappingProxyType

from portal.domain import time_off
from portal.domain.translatable import N_

GOVERNANCE, SECURITY, DATA_ACCESS, CONFIGURATION = "governance", "security", "data_access", "configuration"
CATEGORIES = (GOVERNANCE, SECURITY, DATA_ACCESS, CONFIGURATION)
CATEGORY_LABELS = MappingProxyType({
    GOVERNANCE: N_("Governance"), CONFIGURATION: N_("Configuration"),
    SECURITY: N_("Security"), DATA_ACCESS: N_("Data access"),
})
SEVERITIES = ("info", "warning", "critical")
SEVERITY_LABELS = MappingProxyType({"info": N_("Info"), "warning": N_("Warning"), "critical": N_("Critical")})
TARGET_TYPES = (
    "service", "stylist_profile", "stylist_schedule", "stylist_promotion",
    "schedule_override", "override_budget", "user_profile", "booking",
    "customer",  # front-desk.md: a customer's page viewed or edited (migration 0012b)
    time_off.AUDIT_TARGET,
)

ACTION_LABELS = MappingProxyType({
    # governance
    "promotion_started": N_("Promotion started"),
    "promotion_submitted": N_("Promotion submitted for checks"),
    "promotion_checks_recorded": N_("Promotion checks recorded"),
    "promotion_note_added": N_("Note added to a promotion"),
    "promotion_approved": N_("Promotion approved"),
    "promotion_rejected": N_("Promotion rejected"),
    "promotion_revoked": N_("Stylist revoked"),
    "role_granted": N_("Role granted"),
    "role_removed": N_("Role removed"),
    "user_created": N_("Account created"),
    # configuration
    "override_created": N_("Schedule change created"),
    "override_updated": N_("Schedule change edited"),
    "override_deleted": N_("Schedule change deleted"),
    "schedule_created": N_("Weekly hours added"),
    "schedule_updated": N_("Weekly hours changed"),
    "schedule_deleted": N_("Weekly hours removed"),
    "budget_limit_changed": N_("Monthly change limit set"),
    "emergency_tokens_granted": N_("Emergency changes granted"),
    "cache_warmed": N_("Availability cache warmed"),
    "cache_purged": N_("Availability cache emptied"),
    # time off (portal/domain/time_off.py)
    time_off.ASKED: N_("Time off asked for"),
    time_off.WITHDRAWN_ACTION: N_("Time-off request withdrawn"),
    time_off.APPROVED_ACTION: N_("Time off approved"),
    time_off.DECLINED_ACTION: N_("Time off declined"),
    time_off.CANCELLED_ACTION: N_("Approved time off cancelled"),
    # bookings
    "booking_cancelled": N_("Booking cancelled"),
    "booking_followup_recorded": N_("Booking follow-up recorded"),
    "booking_viewed": N_("Booking details viewed"),
    # the front desk (front-desk.md)
    "booking_created": N_("Booking taken at the desk"),
    "booking_moved": N_("Booking moved"),
    "booking_status_changed": N_("Booking status changed"),
    "booking_status_undone": N_("Booking status change undone"),
    "customer_updated": N_("Customer edited"),
    "customer_viewed": N_("Customer page viewed"),
    # messages to customers and their links (messages.md)
    "customers_told": N_("Customers told of a change"),
    "message_retried": N_("Message sent again"),
    "message_cancelled": N_("Message cancelled"),
    "message_template_edited": N_("Message template edited"),
    "customer_link_kept": N_("Customer kept the booking (link)"),
    "customer_link_cancelled": N_("Customer cancelled the booking (link)"),
    "customer_link_stopped_messages": N_("Customer stopped messages (link)"),
    "customer_link_refused": N_("Wrong or expired customer link"),
    # stylists' own changes (schedule_change_log, shown in the configuration category)
    "availability_override": N_("Stylist changed a date"),
    "emergency_block": N_("Stylist made an emergency change"),
    "schedule_update": N_("Weekly hours edited"),
    # security
    "login_failed": N_("Sign-in failed"),
    "login_locked_out": N_("Sign-in blocked (too many attempts)"),
    "access_denied": N_("Page refused (no permission)"),
    "csrf_failure": N_("Form refused (expired or forged)"),
    "rate_limit_exceeded": N_("Too many requests to the public site"),
    "portal_rate_limit": N_("Too many requests to the portal"),
    "limiter_storage_down": N_("Request limiter unavailable"),
    "security_events_capped": N_("Too many security events this minute (the rest counted)"),
    "account_sign_in_paused": N_("Sign-in to an account paused (too many failures)"),
    # data access
    "audit_log_viewed": N_("Audit log viewed"),
    "audit_log_exported": N_("Audit log exported"),
    "report_exported": N_("Report exported"),
})

TARGET_LABELS = MappingProxyType({
    "booking": N_("Booking"),
    "customer": N_("Customer"),
    "service": N_("Service"),
    "stylist_profile": N_("Stylist"),
    "stylist_schedule": N_("Weekly hours"),
    "stylist_promotion": N_("Promotion"),
    "schedule_override": N_("Schedule change"),
    "override_budget": N_("Change budget"),
    "user_profile": N_("Account"),
    time_off.AUDIT_TARGET: N_("Time-off request"),
})


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action) or action.replace("_", " ").replace(".", " ").strip().capitalize()


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category.replace("_", " ").capitalize())


def severity_label(severity: str) -> str:
    return SEVERITY_LABELS.get(severity, severity.capitalize())


def target_label(target_type: str | None) -> str:
    return TARGET_LABELS.get(target_type or "", "Record")
