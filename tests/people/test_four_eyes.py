"""The admin role changes only when a second admin confirms within 72 hours; the last
active admin stays. Each step is a governance row."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.actor import Actor
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import AdminRoleProposal, ServiceManagementLog, UserProfile
from portal import clock
from portal.services.identity import people
from tests.web import AuthActions, post_form


def actor(user) -> Actor:
    return Actor(user.id, user.display_name, "127.0.0.1", "pytest")


def actions(target_id) -> list[str]:
    return list(db.session.scalars(select(ServiceManagementLog.action).where(
        ServiceManagementLog.target_id == target_id).order_by(ServiceManagementLog.id)))


def is_admin(user_id) -> bool:
    db.session.expire_all()
    return db.session.get(UserProfile, user_id).has_role("admin")


@pytest.fixture
def trio(factory):
    return factory.user("admin", name="Asha"), factory.user("admin", name="Bikash"), factory.user("customer")


def test_the_proposer_cannot_confirm_a_second_admin_can(app, trio):
    asha, bikash, kiran = trio
    proposal = people.propose_admin_change(db.session, actor(asha), kiran.id, "grant")
    with pytest.raises(Refused) as same:
        people.confirm_admin_change(db.session, actor(asha), proposal.id)
    assert same.value.code == "SAME_ADMIN" and not is_admin(kiran.id)
    with pytest.raises(Refused) as twice:
        people.propose_admin_change(db.session, actor(bikash), kiran.id, "grant")
    assert twice.value.code == "PROPOSAL_EXISTS"
    assert people.confirm_admin_change(db.session, actor(bikash), proposal.id).status == "confirmed"
    assert is_admin(kiran.id)
    assert actions(kiran.id) == ["admin_role_proposed", "admin_role_confirmed"]
    confirmed = db.session.scalars(select(ServiceManagementLog).where(
        ServiceManagementLog.action == "admin_role_confirmed")).one()
    assert confirmed.admin_user_id == bikash.id and confirmed.details["old"] == {"admin": False}
    assert confirmed.details["new"] == {"admin": True} and confirmed.category == "governance"


def test_a_proposal_lapses_after_72_hours(app, trio, monkeypatch):
    asha, bikash, kiran = trio
    proposal = people.propose_admin_change(db.session, actor(asha), kiran.id, "grant")
    later = clock.now() + timedelta(hours=72, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    result = people.confirm_admin_change(db.session, actor(bikash), proposal.id)
    assert result.status == "lapsed" and not is_admin(kiran.id)
    assert actions(kiran.id) == ["admin_role_proposed", "admin_role_lapsed"]
    with pytest.raises(Refused) as gone:
        people.confirm_admin_change(db.session, actor(bikash), proposal.id)
    assert gone.value.code == "NOT_PENDING"
    # a new proposal can be made once the old one lapsed
    assert people.propose_admin_change(db.session, actor(asha), kiran.id, "grant").status == "pending"


def test_the_people_page_marks_overdue_proposals_lapsed(app, client, auth, trio, monkeypatch):
    asha, bikash, kiran = trio
    people.propose_admin_change(db.session, actor(asha), kiran.id, "grant")
    auth.login(bikash.email)  # signed in now (the two-step code is checked against the clock)
    later = clock.now() + timedelta(hours=73)
    monkeypatch.setattr(clock, "now", lambda: later)
    page = client.get("/people/").get_data(as_text=True)
    assert "waiting for a second admin" not in page
    assert db.session.scalars(select(AdminRoleProposal.status)).all() == ["lapsed"]
    assert actions(kiran.id)[-1] == "admin_role_lapsed"


def test_just_before_72_hours_it_still_counts(app, trio, monkeypatch):
    asha, bikash, kiran = trio
    proposal = people.propose_admin_change(db.session, actor(asha), kiran.id, "grant")
    monkeypatch.setattr(clock, "now", lambda: proposal.expires_at - timedelta(seconds=1))
    assert people.confirm_admin_change(db.session, actor(bikash), proposal.id).status == "confirmed"


def test_the_last_active_admin_is_never_removed(app, trio):
    asha, bikash, _ = trio
    remove_bikash = people.propose_admin_change(db.session, actor(asha), bikash.id, "remove")
    remove_asha = people.propose_admin_change(db.session, actor(bikash), asha.id, "remove")
    people.confirm_admin_change(db.session, actor(asha), remove_asha.id)  # Asha confirms her own removal
    assert not is_admin(asha.id)
    # Asha's own proposal lapsed with her role (issue 22): nobody can confirm it any more
    db.session.expire_all()
    assert (remove_bikash.status, remove_bikash.lapse_reason) == ("lapsed", "proposer_not_admin")
    with pytest.raises(Refused) as gone:
        people.confirm_admin_change(db.session, actor(bikash), remove_bikash.id)
    assert gone.value.code == "NOT_PENDING"
    with pytest.raises(Refused) as alone:
        people.propose_admin_change(db.session, actor(bikash), bikash.id, "remove")
    assert alone.value.code in ("PROPOSAL_EXISTS", "LAST_ADMIN")
    assert is_admin(bikash.id)


def test_removing_the_last_admin_is_refused_at_confirmation(app, factory):
    asha, bikash, chandra = (factory.user("admin", name=n) for n in ("Asha", "Bikash", "Chandra"))
    remove_bikash = people.propose_admin_change(db.session, actor(chandra), bikash.id, "remove")
    remove_chandra = people.propose_admin_change(db.session, actor(asha), chandra.id, "remove")
    remove_asha = people.propose_admin_change(db.session, actor(chandra), asha.id, "remove")
    people.confirm_admin_change(db.session, actor(bikash), remove_asha.id)
    people.confirm_admin_change(db.session, actor(bikash), remove_bikash.id)  # Bikash confirms his own removal
    # Chandra is the last active admin; the proposal to remove her was Asha's, who is no
    # longer an admin: it lapsed with Asha's role, so it can never be confirmed
    db.session.expire_all()
    assert (remove_chandra.status, remove_chandra.lapse_reason) == ("lapsed", "proposer_not_admin")
    with pytest.raises(Refused) as gone:
        people.confirm_admin_change(db.session, actor(chandra), remove_chandra.id)
    assert gone.value.code == "NOT_PENDING" and is_admin(chandra.id)
    with pytest.raises(Refused) as proposing:
        people.propose_admin_change(db.session, actor(chandra), chandra.id, "remove")
    assert proposing.value.code == "LAST_ADMIN"
    # the rule itself, at confirmation (what two simultaneous confirmations meet, see below)
    with pytest.raises(Refused) as last:
        people._keep_an_admin(db.session, db.session.get(UserProfile, chandra.id))
    assert last.value.code == "LAST_ADMIN"
    db.session.rollback()


def test_the_last_admin_cannot_be_deactivated(app, factory):
    asha, bikash = factory.user("admin", name="Asha"), factory.user("admin", name="Bikash")
    people.deactivate(db.session, actor(asha), bikash.id)
    with pytest.raises(Refused) as self_off:
        people.deactivate(db.session, actor(asha), asha.id)
    assert self_off.value.code == "SELF"
    # the rule itself, not only the self check: an inactive admin counts for nothing
    assert people.active_admin_ids(db.session) == {asha.id}
    with pytest.raises(Refused) as last:
        people._keep_an_admin(db.session, asha)
    assert last.value.code == "LAST_ADMIN"
    db.session.rollback()


def test_pages_propose_and_confirm(app, client, auth, trio):
    asha, bikash, kiran = trio
    auth.login(asha.email)
    assert post_form(client, f"/people/{kiran.id}/admin-role", {"change": "grant"},
                     page=f"/people/{kiran.id}").status_code == 302
    page = client.get("/people/").get_data(as_text=True)
    assert "You proposed this: another admin confirms." in page
    other = app.test_client()
    AuthActions(other).login(bikash.email)
    proposal = db.session.scalars(select(AdminRoleProposal)).one()
    response = post_form(other, f"/people/proposals/{proposal.id}/confirm", page="/people/", follow_redirects=True)
    assert "the admin role is granted" in response.get_data(as_text=True) and is_admin(kiran.id)


@pytest.mark.postgresql_only
def test_two_admins_removing_each_other_at_once_leave_one(app, factory):
    import threading

    from sqlalchemy.orm import Session

    asha, bikash = factory.user("admin", name="Asha"), factory.user("admin", name="Bikash")
    # each proposes their own removal (a removed or deactivated proposer's proposals lapse, so
    # the two proposals must come from the two admins themselves)
    remove_asha = people.propose_admin_change(db.session, actor(asha), asha.id, "remove")
    remove_bikash = people.propose_admin_change(db.session, actor(bikash), bikash.id, "remove")
    barrier, outcomes = threading.Barrier(2), []

    def confirm(who, proposal_id):
        with app.app_context():
            session = Session(db.engine)
            barrier.wait()
            try:
                people.confirm_admin_change(session, actor(who), proposal_id)
                outcomes.append("ok")
            except Refused as refused:
                outcomes.append(refused.code)
            finally:
                session.close()

    threads = [threading.Thread(target=confirm, args=(bikash, remove_asha.id)),
               threading.Thread(target=confirm, args=(asha, remove_bikash.id))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) in (["LAST_ADMIN", "ok"], ["NOT_ADMIN", "ok"])
    assert len(people.active_admin_ids(db.session)) == 1


@pytest.mark.postgresql_only
def test_simultaneous_confirmations_confirm_once(app, factory):
    import threading

    from sqlalchemy.orm import Session

    proposer = factory.user("admin", name="Proposer")
    confirmers = [factory.user("admin", name=f"Confirmer {i}") for i in range(4)]
    kiran = factory.user("customer")
    proposal_id = people.propose_admin_change(db.session, actor(proposer), kiran.id, "grant").id
    barrier, outcomes = threading.Barrier(len(confirmers)), []

    def confirm(who):
        with app.app_context():
            session = Session(db.engine)
            barrier.wait()
            try:
                outcomes.append(people.confirm_admin_change(session, actor(who), proposal_id).status)
            except Refused as refused:
                outcomes.append(refused.code)
            finally:
                session.close()

    threads = [threading.Thread(target=confirm, args=(who,)) for who in confirmers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(outcomes) == len(confirmers)
    assert outcomes.count("confirmed") == 1 and set(outcomes) <= {"confirmed", "STALE", "NOT_PENDING"}
    assert actions(kiran.id) == ["admin_role_proposed", "admin_role_confirmed"] and is_admin(kiran.id)
