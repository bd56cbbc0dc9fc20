"""Hypothesis drives random action sequences by random admins through the services.

Each example gets a fresh customer and promotion on one shared database. The
candidate sets up or loses two-step sign-in at random: the "MFA enabled" check is
their enrolment (whatever an admin's recorded checks say), so the oracle is given the
checks with `mfa` = enrolled for record_check and approve. After every
step: the state is legal; nothing is approved unless every check holds and a second
admin approved; the notes and the governance rows match the successful actions one
to one; a refused action changed nothing. The pure state machine is the oracle for
which actions succeed and with which error code.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from portal.domain import promotion as machine
from portal.domain.promotion import AUDIT_ACTIONS, Checks, PromotionError
from portal.extensions import db
from portal.models import Role, ServiceManagementLog, StylistProfile, StylistPromotion, UserMfa, UserRole
from portal.services.identity import accounts
from portal.services.identity.secret_box import seal
from portal.services.staffing import promotions
from tests.promotions.workflow import actor_for, details
from tests.web import TOTP_SECRET

ADMINS = st.integers(0, 2)
CHECKS = st.builds(Checks, st.sampled_from(machine.BACKGROUND_VALUES), st.sampled_from(machine.ID_VALUES),
                   st.booleans(), st.booleans())
# Biased towards a full pass so that approvals actually happen in short runs.
ALL_GOOD = Checks("passed", "verified", True, True)
LIKELY_CHECKS = st.one_of(st.just(ALL_GOOD), CHECKS)
TEXTS = st.sampled_from(["", "   ", "ok", "Looks good <b>really</b>"])



@pytest.fixture(autouse=True)
def sqlite_only(engine_name):
    if engine_name != "sqlite":
        pytest.skip("runs on SQLite only (time budget); PostgreSQL runs the same services in the other tests")


class PromotionWorkflow(RuleBasedStateMachine):
    admins: list = []

    @initialize(requester=ADMINS)
    def start(self, requester):
        self.session = db.session
        self.user = accounts.create_user(self.session, f"c{uuid.uuid4().hex[:12]}@example.test", "Customer",
                                         "customer", None)
        actor = actor_for(self.admins[requester])
        self.promotion_id = promotions.start(self.session, actor, self.user.id).id
        self.state = machine.new_promotion(str(actor.user_id))
        self.done = ["start"]
        self.enrolled = False

    def with_enrolment(self, checks: Checks) -> Checks:
        return replace(checks, mfa=self.enrolled)

    # --- helpers -------------------------------------------------------------------
    def snapshot(self):
        """What a refused action must leave as it was (plain SELECTs, no ORM identity map)."""
        row = self.session.execute(select(
            StylistPromotion.status, StylistPromotion.version, StylistPromotion.background_check_status,
            StylistPromotion.id_verification_status, StylistPromotion.training_completed,
            StylistPromotion.mfa_enabled, StylistPromotion.notes, StylistPromotion.approved_by,
        ).where(StylistPromotion.id == self.promotion_id)).one()
        profile = self.session.scalar(select(StylistProfile.is_active).where(StylistProfile.user_id == self.user.id))
        roles = self.session.scalars(select(Role.name).join(UserRole, UserRole.role_id == Role.id).where(
            UserRole.user_id == self.user.id, UserRole.is_active).order_by(Role.name)).all()
        logs = self.session.scalar(select(func.count()).select_from(ServiceManagementLog))
        self.session.rollback()  # end the read transaction before the next use-case
        return (*row[:6], len(row.notes), row.approved_by, profile, tuple(roles), logs)

    def attempt(self, action: str, call, **oracle_kwargs):
        """Run the service; compare with the pure machine; check a refusal changed nothing."""
        admin_id = oracle_kwargs.pop("admin_id")
        try:
            expected = machine.apply(self.state, action, actor_id=admin_id, **oracle_kwargs)
            expected_code = None
        except PromotionError as error:
            expected, expected_code = None, error.code
        if action == "note" and not (oracle_kwargs.get("reason") or "").strip():
            expected, expected_code = None, machine.REASON_REQUIRED
        if (action == "record_check" and expected is not None and expected.status == self.state.status
                and expected.checks == self.state.checks):  # a save that changes nothing is refused (issue 25)
            expected, expected_code = None, machine.CHECKS_UNCHANGED
        before = self.snapshot()
        try:
            call()
        except PromotionError as error:
            assert error.code == expected_code, (action, error.code, expected_code)
            assert self.snapshot() == before, f"refused {action} changed something"
            return
        assert expected_code is None, f"{action} succeeded but the machine says {expected_code}"
        self.state = expected
        self.done.append(action)

    # --- rules -------------------------------------------------------------------------
    @rule(admin=ADMINS)
    def submit(self, admin):
        actor = actor_for(self.admins[admin])
        self.attempt("submit", lambda: promotions.submit(self.session, actor, self.promotion_id),
                     admin_id=str(actor.user_id))

    @rule(admin=ADMINS, checks=LIKELY_CHECKS)
    def record_checks(self, admin, checks):
        actor = actor_for(self.admins[admin])
        self.attempt("record_check", lambda: promotions.record_checks(self.session, actor, self.promotion_id, checks),
                     admin_id=str(actor.user_id), checks=self.with_enrolment(checks))

    @rule(admin=ADMINS, text=TEXTS)
    def add_note(self, admin, text):
        actor = actor_for(self.admins[admin])
        # The machine accepts any note; the service also refuses an empty one.
        self.attempt("note", lambda: promotions.add_note(self.session, actor, self.promotion_id, text),
                     admin_id=str(actor.user_id), reason=text)

    @rule(admin=ADMINS)
    def approve(self, admin):
        actor = actor_for(self.admins[admin])
        # the oracle sees the MFA check as the candidate's enrolment now; a refusal leaves the state
        saved, succeeded_before = self.state, len(self.done)
        self.state = replace(saved, checks=self.with_enrolment(saved.checks))
        try:
            self.attempt("approve", lambda: promotions.approve(self.session, actor, self.promotion_id, details()),
                         admin_id=str(actor.user_id))
        finally:
            if len(self.done) == succeeded_before:
                self.state = saved

    @rule(on=st.booleans())
    def candidate_sets_up_or_loses_two_step(self, on):
        """The candidate turns two-step sign-in on (or an admin's reset takes it away)."""
        row = self.session.get(UserMfa, self.user.id)
        if on and row is None:
            self.session.add(UserMfa(user_id=self.user.id, secret_encrypted=seal(TOTP_SECRET),
                                     confirmed_at=datetime.now(timezone.utc)))
        elif not on and row is not None:
            self.session.delete(row)
        self.session.commit()
        self.enrolled = on

    @rule(admin=ADMINS, reason=TEXTS)
    def reject(self, admin, reason):
        actor = actor_for(self.admins[admin])
        self.attempt("reject", lambda: promotions.reject(self.session, actor, self.promotion_id, reason),
                     admin_id=str(actor.user_id), reason=reason)

    @rule(admin=ADMINS, reason=TEXTS)
    def revoke(self, admin, reason):
        actor = actor_for(self.admins[admin])
        self.attempt("revoke", lambda: promotions.revoke(self.session, actor, self.promotion_id, reason),
                     admin_id=str(actor.user_id), reason=reason)

    @rule(admin=ADMINS, steps=st.integers(1, 3))
    def advance(self, admin, steps):
        """Take the next step towards approval (so that short runs reach it), checking as we go."""
        for _ in range(steps):
            status = self.state.status
            if status == machine.DRAFT:
                self.submit(admin)
            elif status in (machine.PENDING_CHECKS, machine.PENDING_TRAINING):
                if status == machine.PENDING_TRAINING and not self.enrolled:
                    self.candidate_sets_up_or_loses_two_step(True)
                self.record_checks(admin, ALL_GOOD)
            elif status == machine.PENDING_APPROVAL:
                self.approve(admin)
                admin = (admin + 1) % len(self.admins)  # a requester's refusal, then someone else
            else:
                return
            self.state_is_legal_and_records_match_actions()

    @rule(admin=ADMINS, reason=TEXTS)
    def act_on_an_outdated_page(self, admin, reason):
        """Any action with the version before the last change is STALE and changes nothing."""
        actor = actor_for(self.admins[admin])
        before = self.snapshot()
        try:
            promotions.reject(self.session, actor, self.promotion_id, reason or "x", expected_version=before[1] - 1)
        except PromotionError as error:
            assert error.code == machine.STALE and error.details["current_status"] == before[0]
        else:
            raise AssertionError("an outdated version was accepted")
        assert self.snapshot() == before

    # --- invariants --------------------------------------------------------------------
    @invariant()
    def state_is_legal_and_records_match_actions(self):
        p = self.session.execute(select(StylistPromotion).where(StylistPromotion.id == self.promotion_id)
                                 .execution_options(populate_existing=True)).scalar_one()
        checks = promotions.checks_of(p)
        assert p.status == self.state.status and checks == self.state.checks
        if p.status in machine.OPEN_STATES - {machine.DRAFT}:
            assert p.status == machine.recomputed_status(checks)
        *_, profile_active, roles, _ = self.snapshot()
        if p.status == machine.APPROVED:
            assert checks.satisfied()
            assert p.approved_by is not None and p.approved_by != p.requested_by and p.approved_at is not None
            assert profile_active is True and "stylist" in roles
        else:
            assert p.approved_at is None
            assert profile_active is not True and "stylist" not in roles
        if "approve" not in self.done:
            assert p.approved_by is None and profile_active is None

        # notes and audit rows match the successful actions one to one
        assert [n["action"] for n in p.notes] == self.done
        rows = self.session.execute(
            select(ServiceManagementLog.action, ServiceManagementLog.category)
            .where(ServiceManagementLog.target_id == self.promotion_id).order_by(ServiceManagementLog.id)).all()
        assert [r.action for r in rows] == [AUDIT_ACTIONS[a] for a in self.done]
        assert all(r.category == "governance" for r in rows)
        role_rows = self.session.scalars(select(ServiceManagementLog.action).where(
            ServiceManagementLog.target_id == self.user.id).order_by(ServiceManagementLog.id)).all()
        assert role_rows == [{"approve": "role_granted", "revoke": "role_removed"}[a]
                             for a in self.done if a in ("approve", "revoke")]
        self.session.rollback()


def test_random_action_sequences_keep_the_workflow_sound(app, factory, make_user):
    PromotionWorkflow.admins = [make_user("admin", name=f"Admin {i}") for i in range(3)]
    run_state_machine_as_test(PromotionWorkflow, settings=settings(
        max_examples=20, stateful_step_count=12, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow]))
