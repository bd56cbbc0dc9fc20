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
