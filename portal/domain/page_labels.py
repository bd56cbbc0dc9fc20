"""How stored codes read on a page (English, marked for translation; pages translate them).

The codes themselves are defined with their tables (`portal.models`); these are only
their words.
"""
from portal.domain.translatable import N_

CHANGE_LABELS = {
    "availability_override": N_("Own change"),
    "emergency_block": N_("Emergency change"),
    "schedule_update": N_("Weekly hours changed"),
}
BOOKING_STATUS_LABELS = {
    "pending": N_("Pending"),
    "confirmed": N_("Confirmed"),
    "in_progress": N_("In progress"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
    "no_show": N_("No-show"),
}
PROMOTION_STATUS_LABELS = {
    "draft": N_("Draft"),
    "pending_checks": N_("Pending checks"),
    "pending_training": N_("Pending training"),
    "pending_approval": N_("Pending approval"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "revoked": N_("Revoked"),
}
PROMOTION_ACTION_LABELS = {
    "start": N_("Started"),
    "submit": N_("Submitted for checks"),
    "record_check": N_("Checks recorded"),
    "note": N_("Note"),
    "approve": N_("Approved"),
    "reject": N_("Rejected"),
    "revoke": N_("Revoked"),
}
CHECK_VALUE_LABELS = {
    "pending": N_("pending"),
    "in_progress": N_("in progress"),
    "passed": N_("passed"),
    "failed": N_("failed"),
    "submitted": N_("submitted"),
    "verified": N_("verified"),
    "rejected": N_("rejected"),
}
ROLE_LABELS = {
    "admin": N_("admin"),
    "auditor": N_("auditor"),
    "stylist": N_("stylist"),
    "customer": N_("customer"),
}
AUDIT_ACTION_LABELS = {
    "access_denied": N_("Page refused"),
    "audit_log_exported": N_("Audit log exported"),
    "audit_log_viewed": N_("Audit log viewed"),
    "booking_cancelled": N_("Booking cancelled"),
    "booking_followup_recorded": N_("Booking follow-up recorded"),
    "booking_viewed": N_("Booking details viewed"),
    "budget_limit_changed": N_("Monthly limit changed"),
    "csrf_failure": N_("Form refused (expired or from another site)"),
    "emergency_tokens_granted": N_("Emergency changes granted"),
    "limiter_storage_down": N_("Rate-limit store unreachable"),
    "login_failed": N_("Failed sign-in"),
    "login_locked_out": N_("Sign-in locked for a while"),
    "override_created": N_("Schedule change added"),
    "override_deleted": N_("Schedule change deleted"),
    "override_updated": N_("Schedule change edited"),
    "promotion_approved": N_("Promotion approved"),
    "promotion_checks_recorded": N_("Promotion checks recorded"),
    "promotion_note_added": N_("Promotion note added"),
    "promotion_rejected": N_("Promotion rejected"),
    "promotion_revoked": N_("Stylist revoked"),
    "promotion_started": N_("Promotion started"),
    "promotion_submitted": N_("Promotion submitted for checks"),
    "rate_limit_exceeded": N_("Too many requests from one address"),
    "role_granted": N_("Role granted"),
    "role_removed": N_("Role removed"),
    "schedule_created": N_("Weekly hours added"),
    "schedule_deleted": N_("Weekly hours deleted"),
    "schedule_updated": N_("Weekly hours edited"),
    "user_created": N_("Account created"),
}
TARGET_LABELS = {
    "booking": N_("Booking"),
    "service": N_("Service"),
    "stylist_profile": N_("Stylist profile"),
    "stylist_schedule": N_("Weekly hours"),
    "stylist_promotion": N_("Promotion"),
    "schedule_override": N_("Schedule change"),
    "override_budget": N_("Change budget"),
    "user_profile": N_("Account"),
}
