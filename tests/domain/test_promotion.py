"""Tests for the pure stylist promotion state machine (spec: promotions.md)."""
from __future__ import annotations

import dataclasses
import uuid

import pytest
from hypothesis import example, given, settings, strategies as st

from portal.domain import promotion as p
from portal.domain.promotion import (
    ACTIONS, BACKGROUND_VALUES, CHECKS_INCOMPLETE, ID_VALUES, ILLEGAL_TRANSITION,
    INVALID_CHECK_VALUE, OPEN_STATES, REASON_REQUIRED, SAME_ADMIN, STATES, Checks,
    PromotionError, PromotionState, allowed_actions, apply, describe, recomputed_status,
)

REQUESTER, OTHER = "admin-1", "admin-2"
ALL_OK = Checks("passed", "verified", True, True)
STAGE_CHECKS = {  # a consistent set of checks for each open status past draft
    "pending_checks": Checks(),
    "pending_training": Checks("passed", "verified", False, False),
    "pending_approval": ALL_OK,
}


def state(status: str, checks: Checks | None = None) -> PromotionState:
    if checks is None:
        checks = STAGE_CHECKS.get(status, ALL_OK if status in p.FINAL_STATES else Checks())
    return PromotionState(status, checks, REQUESTER)


def kwargs_for(action: str) -> dict:
    """Arguments that satisfy every guard except the state guard."""
    return {"actor_id": OTHER, "reason": "because", "checks": ALL_OK}


# --- table and constants ----------------------------------------------------
def test_states_match_schema_check_constraint():
    assert STATES == ("draft", "pending_checks", "pending_training", "pending_approval",
                      "approved", "rejected", "revoked")
    assert OPEN_STATES == {"draft", "pending_checks", "pending_training", "pending_approval"}
    assert BACKGROUND_VALUES == ("pending", "in_progress", "passed", "failed")
    assert ID_VALUES == ("pending", "submitted", "verified", "rejected")


def test_transition_table_is_data():
    assert set(ACTIONS) == {"submit", "record_check", "note", "approve", "reject", "revoke"}
    assert ACTIONS["submit"] == {"draft"}
    assert ACTIONS["record_check"] == OPEN_STATES - {"draft"}
    assert ACTIONS["note"] == set(STATES)
    assert ACTIONS["approve"] == {"pending_approval"}
    assert ACTIONS["reject"] == OPEN_STATES
    assert ACTIONS["revoke"] == {"approved"}
    assert set(p.TARGETS) == set(ACTIONS)
    with pytest.raises(TypeError):
        ACTIONS["start"] = frozenset({"draft"})  # read-only


@pytest.mark.parametrize("status,expected", [
    ("draft", ["submit", "note", "reject"]),
    ("pending_checks", ["record_check", "note", "reject"]),
    ("pending_training", ["record_check", "note", "reject"]),
    ("pending_approval", ["record_check", "note", "approve", "reject"]),
    ("approved", ["note", "revoke"]),
    ("rejected", ["note"]),
    ("revoked", ["note"]),
])
def test_allowed_actions(status, expected):
    assert allowed_actions(status) == expected
    assert "start" not in allowed_actions(status)


def test_every_code_has_a_message():
    for code in p.ERROR_CODES:
        assert describe(code).endswith(".") and len(describe(code)) > 10
    assert describe(SAME_ADMIN) == "A second admin must approve: you requested this promotion."
    assert set(p.ERROR_CODES) == {
        "ILLEGAL_TRANSITION", "CHECKS_INCOMPLETE", "SAME_ADMIN", "REASON_REQUIRED",
        "INVALID_CHECK_VALUE", "STALE", "USER_NOT_FOUND", "ALREADY_STYLIST",
        "PROMOTION_EXISTS", "DISPLAY_NAME_REQUIRED", "PROMOTION_NOT_FOUND", "INVALID_PROFILE",
        "NOT_ADMIN", "NOTE_TOO_LONG", "CHECKS_UNCHANGED"}
    with pytest.raises(ValueError):
        PromotionError("NOPE")


def test_error_carries_code_message_details():
    err = p.stale("approved")
    assert err.code == "STALE" and err.details == {"current_status": "approved"}
    assert err.message == describe("STALE") and "STALE" in str(err)


# --- legal transitions --------------------------------------------------------
LEGAL = [(s, a) for a, sources in ACTIONS.items() for s in STATES if s in sources]
ILLEGAL = [(s, a) for a in ACTIONS for s in STATES if s not in ACTIONS[a]]


def test_pairs_cover_everything():
    assert len(LEGAL) + len(ILLEGAL) == len(STATES) * len(ACTIONS)
    assert LEGAL and ILLEGAL


@pytest.mark.parametrize("status,action", LEGAL)
def test_every_legal_transition_succeeds(status, action):
    before = state(status)
    after = apply(before, action, **kwargs_for(action))
    expected = {
        "submit": recomputed_status(before.checks),
        "record_check": "pending_approval",  # ALL_OK recorded
        "note": status,
        "approve": "approved",
        "reject": "rejected",
        "revoke": "revoked",
    }[action]
    assert after.status == expected
    assert after.requested_by == before.requested_by
    assert before == state(status)  # input untouched


@pytest.mark.parametrize("status,action", ILLEGAL)
def test_every_illegal_pair_raises_illegal_transition(status, action):
    before = state(status)
    with pytest.raises(PromotionError) as exc:
        apply(before, action, **kwargs_for(action))
    assert exc.value.code == ILLEGAL_TRANSITION
    assert exc.value.details["status"] == status
    assert exc.value.details["allowed"] == allowed_actions(status)
    assert action.replace("_", " ") in exc.value.message


@pytest.mark.parametrize("action", ["start", "promote", "", "APPROVE"])
def test_unknown_actions_are_illegal(action):
    with pytest.raises(PromotionError) as exc:
        apply(state("draft"), action, actor_id=OTHER)
    assert exc.value.code == ILLEGAL_TRANSITION


def test_submit_goes_to_pending_checks():
    assert apply(p.new_promotion(REQUESTER), "submit", actor_id=REQUESTER).status == "pending_checks"


def test_submit_with_prefilled_checks_recomputes():
    draft = PromotionState("draft", Checks("passed", "verified", True, False), REQUESTER)
    assert apply(draft, "submit", actor_id=OTHER).status == "pending_training"


def test_happy_path_walks_every_stage():
    s = apply(p.new_promotion(REQUESTER), "submit", actor_id=REQUESTER)
    assert s.status == "pending_checks"
    s = apply(s, "record_check", actor_id=REQUESTER, checks=s.checks.updated(background="passed"))
    assert s.status == "pending_checks"
    s = apply(s, "record_check", actor_id=REQUESTER, checks=s.checks.updated(id_verification="verified"))
    assert s.status == "pending_training"
    s = apply(s, "record_check", actor_id=REQUESTER, checks=s.checks.updated(training=True))
    assert s.status == "pending_training"
    s = apply(s, "record_check", actor_id=REQUESTER, checks=s.checks.updated(mfa=True))
    assert s.status == "pending_approval"
    s = apply(s, "approve", actor_id=OTHER)
    assert s.status == "approved" and s.checks == ALL_OK
    s = apply(s, "revoke", actor_id=OTHER, reason="Complaints")
    assert s.status == "revoked"


# --- recompute ----------------------------------------------------------------
@pytest.mark.parametrize("checks,expected", [
    (Checks(), "pending_checks"),
    (Checks("in_progress", "submitted"), "pending_checks"),
    (Checks("passed", "submitted", True, True), "pending_checks"),
    (Checks("failed", "verified", True, True), "pending_checks"),
    (Checks("passed", "rejected", True, True), "pending_checks"),
    (Checks("passed", "verified"), "pending_training"),
    (Checks("passed", "verified", True, False), "pending_training"),
    (Checks("passed", "verified", False, True), "pending_training"),
    (ALL_OK, "pending_approval"),
])
def test_recomputed_status(checks, expected):
    assert recomputed_status(checks) == expected


def test_failed_background_from_pending_approval_goes_back_to_pending_checks():
    s = apply(state("pending_approval"), "record_check", actor_id=OTHER,
              checks=ALL_OK.updated(background="failed"))
    assert s.status == "pending_checks" and s.checks.background == "failed"


def test_rejected_id_from_pending_training_goes_back_to_pending_checks():
    s = apply(state("pending_training"), "record_check", actor_id=OTHER,
              checks=STAGE_CHECKS["pending_training"].updated(id_verification="rejected"))
    assert s.status == "pending_checks"


def test_training_unset_goes_back_to_pending_training():
    s = apply(state("pending_approval"), "record_check", actor_id=OTHER,
              checks=ALL_OK.updated(training=False))
    assert s.status == "pending_training"


def test_record_check_can_jump_forward_when_all_satisfied():
    s = apply(state("pending_checks"), "record_check", actor_id=OTHER, checks=ALL_OK)
    assert s.status == "pending_approval"


def test_record_check_requires_checks():
    with pytest.raises(PromotionError) as exc:
        apply(state("pending_checks"), "record_check", actor_id=OTHER)
    assert exc.value.code == INVALID_CHECK_VALUE


def test_checks_ignored_by_other_actions():
    s = apply(state("pending_checks"), "note", actor_id=OTHER, checks=ALL_OK)
    assert s == state("pending_checks")


# --- approve guards -----------------------------------------------------------
def test_approve_refused_for_requester():
    with pytest.raises(PromotionError) as exc:
        apply(state("pending_approval"), "approve", actor_id=REQUESTER)
    assert exc.value.code == SAME_ADMIN
    assert exc.value.message == describe(SAME_ADMIN)


@pytest.mark.parametrize("actor", ["ADMIN-1", " admin-1 "])
def test_same_admin_compares_ids_normalised(actor):
    with pytest.raises(PromotionError) as exc:
        apply(state("pending_approval"), "approve", actor_id=actor)
    assert exc.value.code == SAME_ADMIN


def test_same_admin_with_uuid_object_and_text():
    uid = uuid.uuid4()
    s = PromotionState("pending_approval", ALL_OK, str(uid).upper())
    with pytest.raises(PromotionError) as exc:
        apply(s, "approve", actor_id=uid)
    assert exc.value.code == SAME_ADMIN


def test_require_second_admin_false_allows_requester():
    s = apply(state("pending_approval"), "approve", actor_id=REQUESTER, require_second_admin=False)
    assert s.status == "approved"


@pytest.mark.parametrize("checks,missing", [
    (Checks(), ["Background check passed", "ID verified", "Training completed", "Two-step sign-in set up"]),
    (Checks("passed", "verified", True, False), ["Two-step sign-in set up"]),
    (Checks("failed", "verified", True, True), ["Background check passed"]),
    (Checks("passed", "submitted", False, True), ["ID verified", "Training completed"]),
])
def test_approve_refused_checks_incomplete_lists_exactly_missing(checks, missing):
    # A row inconsistent with its checks (as the earlier implementation produced).
    s = PromotionState("pending_approval", checks, REQUESTER)
    with pytest.raises(PromotionError) as exc:
        apply(s, "approve", actor_id=OTHER)
    assert exc.value.code == CHECKS_INCOMPLETE
    assert exc.value.details["missing"] == missing
    assert checks.missing() == missing
    for label in missing:
        assert label in exc.value.message


def test_same_admin_checked_before_checks_incomplete():
    s = PromotionState("pending_approval", Checks(), REQUESTER)
    with pytest.raises(PromotionError) as exc:
        apply(s, "approve", actor_id=REQUESTER)
    assert exc.value.code == SAME_ADMIN


def test_checks_incomplete_even_without_second_admin_rule():
    s = PromotionState("pending_approval", Checks("passed", "verified", True, False), REQUESTER)
    with pytest.raises(PromotionError) as exc:
        apply(s, "approve", actor_id=REQUESTER, require_second_admin=False)
    assert exc.value.code == CHECKS_INCOMPLETE and exc.value.details["missing"] == ["Two-step sign-in set up"]


@pytest.mark.parametrize("status", ["draft", "pending_checks", "pending_training"])
def test_approve_requires_pending_approval_even_with_all_checks(status):
    with pytest.raises(PromotionError) as exc:
        apply(PromotionState(status, ALL_OK, REQUESTER), "approve", actor_id=OTHER)
    assert exc.value.code == ILLEGAL_TRANSITION


# --- reasons ------------------------------------------------------------------
REASON_CASES = [(s, "reject") for s in sorted(OPEN_STATES)] + [("approved", "revoke")]


@pytest.mark.parametrize("status,action", REASON_CASES)
@pytest.mark.parametrize("reason", [None, "", "   ", "\n\t"])
def test_reason_required(status, action, reason):
    with pytest.raises(PromotionError) as exc:
        apply(state(status), action, actor_id=OTHER, reason=reason)
    assert exc.value.code == REASON_REQUIRED


@pytest.mark.parametrize("status,action", REASON_CASES)
def test_a_rejection_or_revocation_with_a_reason_goes_through(status, action):
    after = apply(state(status), action, actor_id=OTHER, reason=" Failed background check ")
    assert after.status == {"reject": "rejected", "revoke": "revoked"}[action]


def test_require_reason_strips():
    assert p.require_reason("  no show  ") == "no show"


def test_requester_may_reject_and_revoke():
    assert apply(state("draft"), "reject", actor_id=REQUESTER, reason="x").status == "rejected"
    assert apply(state("approved"), "revoke", actor_id=REQUESTER, reason="x").status == "revoked"


# --- check values -------------------------------------------------------------
@pytest.mark.parametrize("changes,field", [
    ({"background": "done"}, "background"),
    ({"background": "PASSED"}, "background"),
    ({"background": None}, "background"),
    ({"id_verification": "passed"}, "id_verification"),
    ({"id_verification": ""}, "id_verification"),
    ({"training": "yes"}, "training"),
    ({"training": 1}, "training"),
    ({"mfa": None}, "mfa"),
    ({"mfa": "false"}, "mfa"),
])
def test_invalid_check_values_refused(changes, field):
    with pytest.raises(PromotionError) as exc:
        Checks(**changes)
    assert exc.value.code == INVALID_CHECK_VALUE and list(exc.value.fields) == [field]
    with pytest.raises(PromotionError) as exc:
        Checks().updated(**changes)
    assert exc.value.code == INVALID_CHECK_VALUE


def test_unknown_check_name_refused():
    with pytest.raises(PromotionError) as exc:
        Checks().updated(insurance=True)
    assert exc.value.code == INVALID_CHECK_VALUE


def test_record_check_revalidates_tampered_checks():
    bad = Checks()
    object.__setattr__(bad, "background", "bogus")
    with pytest.raises(PromotionError) as exc:
        apply(state("pending_checks"), "record_check", actor_id=OTHER, checks=bad)
    assert exc.value.code == INVALID_CHECK_VALUE
    with pytest.raises(PromotionError):
        apply(state("pending_checks"), "record_check", actor_id=OTHER,
              checks={"background": "passed"})


def test_checks_and_state_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Checks().background = "passed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        state("draft").status = "approved"


def test_corrupt_state_and_missing_actor_rejected():
    with pytest.raises(ValueError):
        PromotionState("done", Checks(), REQUESTER)
    with pytest.raises(ValueError):
        PromotionState("draft", Checks(), " ")
    with pytest.raises(ValueError):
        apply(state("draft"), "submit", actor_id="")


# --- final states -------------------------------------------------------------
@pytest.mark.parametrize("status,legal", [
    ("approved", {"note", "revoke"}), ("rejected", {"note"}), ("revoked", {"note"})])
def test_final_states_accept_only_note_and_revoke(status, legal):
    for action in ACTIONS:
        if action in legal:
            apply(state(status), action, **kwargs_for(action))
        else:
            with pytest.raises(PromotionError) as exc:
                apply(state(status), action, **kwargs_for(action))
            assert exc.value.code == ILLEGAL_TRANSITION
    assert apply(state(status), "note", actor_id=OTHER, reason="hi").status == status


# --- property: random sequences -----------------------------------------------
check_strategy = st.builds(Checks, st.sampled_from(BACKGROUND_VALUES), st.sampled_from(ID_VALUES),
                           st.booleans(), st.booleans())
# Every action (plus an unknown one) can occur; progress actions are weighted so that
# pending_approval and approve attempts are reached in most examples.
ACTION_POOL = sorted(ACTIONS) + ["start"] + ["submit", "record_check", "approve"] * 2
step_strategy = st.tuples(
    st.sampled_from(ACTION_POOL),
    st.sampled_from([REQUESTER, OTHER]),
    st.booleans(),
    st.sampled_from([None, "", "  ", "reason"]),
    st.one_of(st.none(), st.just(ALL_OK), check_strategy),  # ALL_OK often, to reach approve
)


@settings(max_examples=300, database=None, deadline=None)
@given(st.lists(step_strategy, min_size=8, max_size=40))
@example([("submit", REQUESTER, True, None, None),
          ("record_check", REQUESTER, True, None, ALL_OK.updated(mfa=False)),
          ("approve", OTHER, True, None, None),
          ("record_check", REQUESTER, True, None, ALL_OK),
          ("approve", REQUESTER, True, None, None),
          ("approve", OTHER, True, None, None),
          ("record_check", OTHER, True, None, Checks()),
          ("reject", OTHER, True, "x", None),
          ("revoke", OTHER, True, "x", None),
          ("note", OTHER, True, "x", None)])
def test_random_sequences_respect_invariants(steps):
    s = p.new_promotion(REQUESTER)
    for action, actor, second, reason, checks in steps:
        try:
            nxt = apply(s, action, actor_id=actor, require_second_admin=second,
                        reason=reason, checks=checks)
        except PromotionError:
            continue  # a refused action changes nothing (s is untouched)
        if nxt.status == "approved" and s.status != "approved":
            assert action == "approve" and s.status == "pending_approval"
            assert nxt.checks.satisfied()
            if second:
                assert actor != REQUESTER
        if s.status in p.FINAL_STATES and nxt.status != s.status:
            assert (s.status, nxt.status, action) == ("approved", "revoked", "revoke")
        if nxt.status == "revoked" and s.status != "revoked":
            assert s.status == "approved" and action == "revoke" and reason.strip()
        if nxt.status == "rejected" and s.status != "rejected":
            assert s.status in OPEN_STATES and action == "reject" and reason.strip()
        if nxt.status in OPEN_STATES - {"draft"}:
            assert nxt.status == recomputed_status(nxt.checks)
        assert nxt.requested_by == REQUESTER
        s = nxt
