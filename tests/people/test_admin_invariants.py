"""Hypothesis drives random proposals, confirmations, deactivations and reactivations by
random admins over four people. After every step: at least one active admin exists;
every admin role change went through a proposal confirmed by someone other than its
proposer; a refused step wrote no log row."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from portal.actor import Actor
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import AdminRoleProposal, ServiceManagementLog, UserProfile
from portal.services.identity import people

WHO = st.integers(0, 3)
# who acts: mostly a current active admin (so changes happen), sometimes anyone at all
BY = st.one_of(st.tuples(st.just("admin"), st.integers(0, 3)), st.tuples(st.just("anyone"), WHO))


@pytest.fixture(autouse=True)
def sqlite_only(engine_name):
    if engine_name != "sqlite":
        pytest.skip("runs on SQLite only (time budget); PostgreSQL runs the same services in the other tests")


def actor(user_id) -> Actor:
    return Actor(user_id, "someone", "127.0.0.1", "pytest")


class AdminRoles(RuleBasedStateMachine):
    ids: list = []
    seen: dict = {}  # successful steps by kind, over the whole run (the test checks variety)

    @initialize()
    def start(self):
        self.session = db.session
        admins = people.active_admin_ids(self.session)
        assert admins, "the example starts with an admin"

    def by(self, choice) -> Actor:
        kind, n = choice
        if kind == "admin":
            admins = sorted(people.active_admin_ids(self.session), key=str)
            self.session.rollback()
            if admins:
                return actor(admins[n % len(admins)])
        return actor(self.ids[n])

    def logs(self) -> int:
        count = self.session.scalar(select(func.count()).select_from(ServiceManagementLog))
        self.session.rollback()
        return count

    def attempt(self, kind: str, call):
        before = self.logs()
        try:
            call()
        except Refused as refused:
            assert self.logs() == before, "a refused step wrote a log row"
            self.seen[refused.code] = self.seen.get(refused.code, 0) + 1
            return False
        self.seen[kind] = self.seen.get(kind, 0) + 1
        return True

    @rule(by=BY, whom=WHO, grant=st.booleans())
    def propose(self, by, whom, grant):
        self.attempt("propose", lambda: people.propose_admin_change(
            self.session, self.by(by), self.ids[whom], "grant" if grant else "remove"))

    @rule(by=BY)
    def confirm_the_oldest(self, by):
        pending = self.session.scalar(select(AdminRoleProposal.id).where(AdminRoleProposal.status == "pending")
                                      .order_by(AdminRoleProposal.proposed_at))
        self.session.rollback()
        if pending is not None:
            self.attempt("confirm", lambda: people.confirm_admin_change(self.session, self.by(by), pending))

    @rule(first=st.integers(0, 3), second=st.integers(0, 3), whom=WHO, grant=st.booleans())
    def two_admins_agree(self, first, second, whom, grant):
        """One current admin proposes, another (if any) confirms at once."""
        if self.attempt("propose", lambda: people.propose_admin_change(
                self.session, self.by(("admin", first)), self.ids[whom], "grant" if grant else "remove")):
            proposal = self.session.scalar(select(AdminRoleProposal).where(
                AdminRoleProposal.user_id == self.ids[whom], AdminRoleProposal.status == "pending"))
            proposal_id, proposer = proposal.id, proposal.proposed_by
            self.session.rollback()
            admins = [a for a in sorted(people.active_admin_ids(self.session), key=str) if a != proposer]
            self.session.rollback()
            if admins:
                self.attempt("confirm", lambda: people.confirm_admin_change(
                    self.session, actor(admins[second % len(admins)]), proposal_id))

    @rule(by=BY, whom=WHO)
    def deactivate(self, by, whom):
        self.attempt("deactivate", lambda: people.deactivate(self.session, self.by(by), self.ids[whom]))

    @rule(by=BY, whom=WHO)
    def reactivate(self, by, whom):
        self.attempt("reactivate", lambda: people.reactivate(self.session, self.by(by), self.ids[whom]))

    @invariant()
    def an_active_admin_remains_and_changes_were_four_eyed(self):
        assert people.active_admin_ids(self.session)
        for row in self.session.scalars(select(AdminRoleProposal).where(AdminRoleProposal.status == "confirmed")):
            assert row.decided_by is not None and row.decided_by != row.proposed_by
        confirmed = self.session.scalar(select(func.count()).select_from(ServiceManagementLog).where(
            ServiceManagementLog.action == "admin_role_confirmed"))
        rows = self.session.scalar(select(func.count()).select_from(AdminRoleProposal).where(
            AdminRoleProposal.status == "confirmed"))
        assert confirmed == rows
        self.session.rollback()


def test_random_governance_keeps_an_admin_and_four_eyes(app, factory):
    admins = [factory.user("admin", name=f"Admin {i}") for i in range(2)]
    others = [factory.user("customer", name=f"Person {i}") for i in range(2)]
    AdminRoles.ids = [u.id for u in (*admins, *others)]
    AdminRoles.seen = {}

    def reset():  # each example starts from two admins and two customers, all active
        from portal.services.identity import accounts
        db.session.rollback()
        for user_id in AdminRoles.ids:
            user = db.session.get(UserProfile, user_id)
            user.is_active = True
            if user_id in (admins[0].id, admins[1].id):
                accounts.grant_role(db.session, user, "admin")
            else:
                accounts.revoke_role(user, "admin")
        for proposal in db.session.scalars(select(AdminRoleProposal).where(AdminRoleProposal.status == "pending")):
            proposal.status = "cancelled"
        db.session.commit()

    class Fresh(AdminRoles):
        def __init__(self):
            reset()
            super().__init__()

    run_state_machine_as_test(Fresh, settings=settings(
        max_examples=30, stateful_step_count=20, deadline=None, database=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow]))
    seen = AdminRoles.seen
    assert seen.get("confirm") and seen.get("deactivate") and seen.get("SAME_ADMIN") and seen.get("LAST_ADMIN"), sorted(seen.items())
