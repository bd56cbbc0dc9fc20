"""The people's words for the audit log's codes: actions, categories, severities, targets.

The viewer shows these labels; the raw code stays in the row's details and in the CSV.
An action without a label here is shown with its words spelled out ("Cache warmed"),
never as a snake_case code.
"""
from __future__ import annotations

from types import MappingProxyType

CATEGORY_LABELS = MappingProxyType({
    "governance": "Governance", "configuration": "Configuration",
    "security": "Security", "data_access": "Data access",
})
SEVERITY_LABELS = MappingProxyType({"info": "Info", "warning": "Warning", "critical": "Critical"})

ACTION_LABELS = MappingProxyType({
    # governance
    "promotion_started": "Promotion started",
    "promotion_submitted": "Promotion submitted for checks",
    "promotion_checks_recorded": "Promotion checks recorded",
    "promotion_note_added": "Note added to a promotion",
    "promotion_approved": "Promotion approved",
    "promotion_rejected": "Promotion rejected",
    "promotion_revoked": "Stylist revoked",
    "role_granted": "Role granted",
    "role_removed": "Role removed",
    "user_created": "Account created",
    # configuration
    "override_created": "Schedule change created",
    "override_updated": "Schedule change edited",
    "override_deleted": "Schedule change deleted",
    "schedule_created": "Weekly hours added",
    "schedule_updated": "Weekly hours changed",
    "schedule_deleted": "Weekly hours removed",
    "budget_limit_changed": "Monthly change limit set",
    "emergency_tokens_granted": "Emergency changes granted",
    "cache_warmed": "Availability cache warmed",
    "cache_purged": "Availability cache emptied",
    # stylists' own changes (schedule_change_log, shown in the configuration category)
    "availability_override": "Stylist changed a date",
    "emergency_block": "Stylist made an emergency change",
    "schedule_update": "Weekly hours edited",
    # security
    "login_failed": "Sign-in failed",
    "login_locked_out": "Sign-in blocked (too many attempts)",
    "access_denied": "Page refused (no permission)",
    "csrf_failure": "Form refused (expired or forged)",
    "rate_limit_exceeded": "Too many requests to the public site",
    "portal_rate_limit": "Too many requests to the portal",
    "limiter_storage_down": "Request limiter unavailable",
    # data access
    "audit_log_viewed": "Audit log viewed",
    "audit_log_exported": "Audit log exported",
})

TARGET_LABELS = MappingProxyType({
    "service": "Service",
    "stylist_profile": "Stylist",
    "stylist_schedule": "Weekly hours",
    "stylist_promotion": "Promotion",
    "schedule_override": "Schedule change",
    "override_budget": "Change budget",
    "user_profile": "Account",
})


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action) or action.replace("_", " ").replace(".", " ").strip().capitalize()


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category.replace("_", " ").capitalize())


def severity_label(severity: str) -> str:
    return SEVERITY_LABELS.get(severity, severity.capitalize())


def target_label(target_type: str | None) -> str:
    return TARGET_LABELS.get(target_type or "", "Record")
