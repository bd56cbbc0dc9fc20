"""Stylist promotion state machine (pure Python, no I/O).

Contract: shared/spec/promotions.md; statuses and check values mirror the CHECK
constraints of ``stylist_promotions`` (seed Table 1).

Decisions where the spec is silent:
- ``submit`` moves draft -> pending_checks and then applies the recomputed-status
  rule, so every open state past draft always equals ``recomputed_status(checks)``.
  With default checks (the only ones a draft can hold, since checks cannot be
  recorded in draft) that is pending_checks.
- ``approve`` guards run in this order: state (ILLEGAL_TRANSITION), SAME_ADMIN,
  CHECKS_INCOMPLETE. Checks are re-verified even in pending_approval, because a row
  loaded from the database may be inconsistent.
- Ids are compared case-insensitively as strings, so a UUID object and its text form
  (or upper/lower-case text) are the same admin.
- ``start`` is not an action on an existing promotion; the service creates a draft
  with ``new_promotion`` and raises USER_NOT_FOUND / ALREADY_STYLIST /
  PROMOTION_EXISTS itself (codes defined here so there is one list).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from portal.domain.refusals import STALE, NotFound, Refused, Stale
from portal.domain.translatable import N_

# --- states and check values ------------------------------------------------
DRAFT, PENDING_CHECKS, PENDING_TRAINING, PENDING_APPROVAL = (
    "draft", "pending_checks", "pending_training", "pending_approval")
APPROVED, REJECTED, REVOKED = "approved", "rejected", "revoked"
STATES = (DRAFT, PENDING_CHECKS, PENDING_TRAINING, PENDING_APPROVAL, APPROVED, REJECTED, REVOKED)
OPEN_SEQUENCE = (DRAFT, PENDING_CHECKS, PENDING_TRAINING, PENDING_APPROVAL)  # workflow order
OPEN_STATES = frozenset(OPEN_SEQUENCE)
SUBMITTED_STATES = OPEN_SEQUENCE[1:]  # open and past draft: waiting on checks, training or approval
FINAL_STATES = frozenset(STATES) - OPEN_STATES
# A state's badge colour (Bootstrap's text-bg-*) on the promotions pages.
STATUS_STYLES = MappingProxyType({
    DRAFT: "secondary", PENDING_CHECKS: "info", PENDING_TRAINING: "info", PENDING_APPROVAL: "primary",
    APPROVED: "success", REJECTED: "danger", REVOKED: "dark",
})

BACKGROUND_VALUES = ("pending", "in_progress", "passed", "failed")
ID_VALUES = ("pending", "submitted", "verified", "rejected")

# Human labels for the checks, in workflow order (used in CHECKS_INCOMPLETE).
CHECK_LABELS = MappingProxyType({
    "background": N_("Background check passed"),
    "id_verification": N_("ID verified"),
    "training": N_("Training completed"),
    "mfa": N_("Two-step sign-in set up"),
})

# People's words for the states, check values and timeline entries (spec/ui.md).
STATUS_LABELS = MappingProxyType({
    DRAFT: N_("Draft"), PENDING_CHECKS: N_("Waiting for checks"), PENDING_TRAINING: N_("Waiting for training"),
    PENDING_APPROVAL: N_("Ready for approval"), APPROVED: N_("Approved"), REJECTED: N_("Rejected"), REVOKED: N_("Revoked"),
})
CHECK_VALUE_LABELS = MappingProxyType({
    "pending": N_("not started"), "in_progress": N_("in progress"), "passed": N_("passed"), "failed": N_("failed"),
    "submitted": N_("submitted"), "verified": N_("verified"), "rejected": N_("rejected"),
})
TIMELINE_LABELS = MappingProxyType({
    "start": N_("Checks started"), "submit": N_("Submitted for checks"), "record_check": N_("Checks recorded"),
    "note": N_("Note"), "approve": N_("Approved"), "reject": N_("Rejected"), "revoke": N_("Revoked"),
})


def status_style(status: str | None) -> str:
    return STATUS_STYLES.get(status, "secondary")


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", "New")


def check_value_label(value: str) -> str:
    return CHECK_VALUE_LABELS.get(value, value.replace("_", " "))


def timeline_label(action: str) -> str:
    return TIMELINE_LABELS.get(action, "Note")


# --- error codes ------------------------------------------------------------
ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
CHECKS_INCOMPLETE = "CHECKS_INCOMPLETE"
SAME_ADMIN = "SAME_ADMIN"
REASON_REQUIRED = "REASON_REQUIRED"
INVALID_CHECK_VALUE = "INVALID_CHECK_VALUE"
USER_NOT_FOUND = "USER_NOT_FOUND"
ALREADY_STYLIST = "ALREADY_STYLIST"
PROMOTION_EXISTS = "PROMOTION_EXISTS"
DISPLAY_NAME_REQUIRED = "DISPLAY_NAME_REQUIRED"
# Added with the services (issue 5): refusals the state machine itself never raises.
PROMOTION_NOT_FOUND = "PROMOTION_NOT_FOUND"
INVALID_PROFILE = "INVALID_PROFILE"
NOT_ADMIN = "NOT_ADMIN"
NOTE_TOO_LONG = "NOTE_TOO_LONG"
CHECKS_UNCHANGED = "CHECKS_UNCHANGED"

MESSAGES = MappingProxyType({
    CHECKS_UNCHANGED: N_("Nothing was saved: the checks are as they were."),
    ILLEGAL_TRANSITION: N_("That action is not allowed in the promotion's current state."),
    CHECKS_INCOMPLETE: N_("Cannot approve yet: some checks are not satisfied."),
    SAME_ADMIN: N_("A second admin must approve: you requested this promotion."),
    REASON_REQUIRED: N_("A reason is required."),
    INVALID_CHECK_VALUE: N_("That is not a valid value for this check."),
    STALE: N_("This promotion was changed by someone else; review its current state and try again."),
    USER_NOT_FOUND: N_("No such user."),
    ALREADY_STYLIST: N_("This user is already an active stylist."),
    PROMOTION_EXISTS: N_("This user already has an open promotion."),
    DISPLAY_NAME_REQUIRED: N_("A display name is required to approve the promotion."),
    PROMOTION_NOT_FOUND: N_("No such promotion."),
    INVALID_PROFILE: N_("The stylist profile details are not valid."),
    NOT_ADMIN: N_("Only an active admin can act on promotions."),
    NOTE_TOO_LONG: N_("A note or reason may have at most 2000 characters."),
})
ERROR_CODES = tuple(MESSAGES)


def describe(code: str) -> str:
    """Admin-facing sentence for an error code."""
    return MESSAGES[code]


class PromotionError(Refused):
    """A refused promotion action: one of the codes above, admin-facing ``message``
    (the code's sentence when not given); ``fields`` names the form field it belongs to."""

    def __init__(self, code: str, message: str | None = None, fields: Iterable[str] | None = None,
                 details: Mapping[str, Any] | None = None):
        if code not in MESSAGES:
            raise ValueError(f"unknown promotion error code {code!r}")
        super().__init__(code, message or MESSAGES[code], fields, details)


class PromotionNotFound(PromotionError, NotFound):
    """USER_NOT_FOUND / PROMOTION_NOT_FOUND: the id names nothing."""


class PromotionStale(PromotionError, Stale):
    """STALE: another admin changed the promotion first."""


def not_found(code: str) -> PromotionNotFound:
    return PromotionNotFound(code)


def stale(current_status: str) -> PromotionStale:
    """The error a service raises when its optimistic update lost the race."""
    return PromotionStale(STALE, details={"current_status": current_status})


# The audit action each promotion action writes (its `@audited(action=...)` too).
AUDIT_ACTIONS: Mapping[str, str] = MappingProxyType({
    "start": "promotion_started", "submit": "promotion_submitted",
    "record_check": "promotion_checks_recorded", "note": "promotion_note_added",
    "approve": "promotion_approved", "reject": "promotion_rejected", "revoke": "promotion_revoked",
})
WARNING_ACTIONS = frozenset({"approve", "revoke"})


# --- checks -----------------------------------------------------------------
def _invalid(field_name: str, value: Any, allowed: tuple) -> PromotionError:
    shown = ", ".join(str(a).replace("_", " ") if not isinstance(a, bool) else ("yes" if a else "no")
                      for a in allowed)
    label = {"background": "Background check", "id_verification": "ID verification",
             "training": "Training completed", "mfa": "Two-step sign-in set up"}.get(field_name, field_name)
    return PromotionError(INVALID_CHECK_VALUE, f"{label} must be one of: {shown}.", (field_name,),
                          {"value": value, "allowed": list(allowed)})


@dataclass(frozen=True)
class Checks:
    background: str = "pending"
    id_verification: str = "pending"
    training: bool = False
    mfa: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.background, str) or self.background not in BACKGROUND_VALUES:
            raise _invalid("background", self.background, BACKGROUND_VALUES)
        if not isinstance(self.id_verification, str) or self.id_verification not in ID_VALUES:
            raise _invalid("id_verification", self.id_verification, ID_VALUES)
        for name in ("training", "mfa"):
            if not isinstance(getattr(self, name), bool):  # no 1/0, "yes", "true"
                raise _invalid(name, getattr(self, name), (True, False))

    def updated(self, **changes: Any) -> "Checks":
        """A copy with some checks changed (validated); unknown names are refused."""
        for name in changes:
            if name not in CHECK_LABELS:
                raise PromotionError(INVALID_CHECK_VALUE, f"Unknown check {name!r}.", (name,))
        return replace(self, **changes)

    def missing_fields(self) -> list[str]:
        ok = {"background": self.background == "passed",
              "id_verification": self.id_verification == "verified",
              "training": self.training, "mfa": self.mfa}
        return [name for name in CHECK_LABELS if not ok[name]]

    def missing(self) -> list[str]:
        """Labels of the unsatisfied checks, in workflow order."""
        return [CHECK_LABELS[name] for name in self.missing_fields()]

    def satisfied(self) -> bool:
        return not self.missing_fields()


def _norm_id(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


@dataclass(frozen=True)
class PromotionState:
    status: str
    checks: Checks = field(default_factory=Checks)
    requested_by: str = ""

    def __post_init__(self) -> None:
        # A corrupt row is a programming/data error, not an admin-facing refusal.
        if self.status not in STATES:
            raise ValueError(f"unknown promotion status {self.status!r}")
        if not isinstance(self.checks, Checks):
            raise ValueError("checks must be a Checks instance")
        if not _norm_id(self.requested_by):
            raise ValueError("requested_by is required")


def new_promotion(requested_by: str) -> PromotionState:
    """The state created by ``start``: a draft requested by the acting admin."""
    return PromotionState(DRAFT, Checks(), requested_by)


# --- transition table -------------------------------------------------------
RECOMPUTE, UNCHANGED = "<recompute>", "<unchanged>"

ACTIONS: Mapping[str, frozenset[str]] = MappingProxyType({
    "submit": frozenset({DRAFT}),
    "record_check": OPEN_STATES - {DRAFT},
    "note": frozenset(STATES),
    "approve": frozenset({PENDING_APPROVAL}),
    "reject": OPEN_STATES,
    "revoke": frozenset({APPROVED}),
})
TARGETS: Mapping[str, str] = MappingProxyType({
    "submit": RECOMPUTE,        # draft -> pending_checks, then recomputed
    "record_check": RECOMPUTE,
    "note": UNCHANGED,
    "approve": APPROVED,
    "reject": REJECTED,
    "revoke": REVOKED,
})
REASON_REQUIRED_ACTIONS = frozenset({"reject", "revoke"})
assert set(ACTIONS) == set(TARGETS)


def recomputed_status(checks: Checks) -> str:
    """The open status the checks entitle the promotion to (earliest unsatisfied stage)."""
    if checks.background != "passed" or checks.id_verification != "verified":
        return PENDING_CHECKS
    if not (checks.training and checks.mfa):
        return PENDING_TRAINING
    return PENDING_APPROVAL


def allowed_actions(status: str) -> list[str]:
    """Actions legal in ``status``, in table order (for showing only legal buttons)."""
    return [action for action, sources in ACTIONS.items() if status in sources]


def require_reason(reason: str | None) -> str:
    """The stripped reason, or REASON_REQUIRED if it is missing or blank."""
    if not isinstance(reason, str) or not reason.strip():
        raise PromotionError(REASON_REQUIRED)
    return reason.strip()


def apply(state: PromotionState, action: str, *, actor_id: str,
          require_second_admin: bool = True, reason: str | None = None,
          checks: Checks | None = None) -> PromotionState:
    """Return the state after ``action``; raise PromotionError if it is refused.

    Pure: ``state`` is never mutated. ``checks`` is the full new set of checks and is
    used only by ``record_check``; ``reason`` is required for reject and revoke.
    """
    if not _norm_id(actor_id):
        raise ValueError("actor_id is required")
    sources = ACTIONS.get(action)
    if sources is None or state.status not in sources:
        raise PromotionError(
            ILLEGAL_TRANSITION,
            f"Cannot {str(action).replace('_', ' ')} a promotion that is "
            f"{state.status.replace('_', ' ')}.",
            details={"action": action, "status": state.status, "allowed": allowed_actions(state.status)})

    new_checks = state.checks
    if action == "record_check":
        if checks is None:
            raise PromotionError(INVALID_CHECK_VALUE, "No check values were given.")
        if not isinstance(checks, Checks):
            raise PromotionError(INVALID_CHECK_VALUE, "Check values must be a Checks object.")
        new_checks = Checks(checks.background, checks.id_verification, checks.training, checks.mfa)
    if action in REASON_REQUIRED_ACTIONS:
        require_reason(reason)
    if action == "approve":
        if require_second_admin and _norm_id(actor_id) == _norm_id(state.requested_by):
            raise PromotionError(SAME_ADMIN, details={"requested_by": state.requested_by})
        if not new_checks.satisfied():
            missing = new_checks.missing()
            raise PromotionError(
                CHECKS_INCOMPLETE,
                "Cannot approve yet; not satisfied: " + ", ".join(missing) + ".",
                details={"missing": missing, "missing_fields": new_checks.missing_fields()})

    target = TARGETS[action]
    if target == RECOMPUTE:
        target = recomputed_status(new_checks)
    elif target == UNCHANGED:
        target = state.status
    return replace(state, status=target, checks=new_checks)
