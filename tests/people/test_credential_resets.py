"""Issue 22, point 1: one admin alone cannot act as two. A password link or a two-step
reset for an admin's account needs a second admin (neither the proposer nor the person
concerned), a credential reset lapses the proposals that depended on the person, and a
proposal whose proposer is no longer an admin can never be confirmed. Both engines."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from portal.actor import Actor
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import AdminRoleProposal, CredentialResetProposal, PasswordLink, ServiceManagementLog, UserProfile
from portal import clock
from portal.services.identity import credential_resets, mfa, passwords, people
from tests.web import PASSWORD, AuthActions, post_form

NEW_PASSWORD = "sita's chosen passphrase"


def actor(user) -> Actor:
    return Actor(user.id, user.display_name, "127.0.0.1", "pytest")


def refused_code(call) -> str:
    with pytest.raises(Refused) as refused:
        call()
    db.session.rollback()
    return refused.value.code


def is_admin(user_id) -> bool:
    db.session.expire_all()
    return db.session.get(UserProfile, user_id).has_role("admin")


def status(model, proposal_id) -> tuple[str, str | None]:
    db.session.expire_all()
    row = db.session.get(model, proposal_id)
    return row.status, row.lapse_reason


def actions(*names) -> list[ServiceManagementLog]:
    return list(db.session.scalars(select(ServiceManagementLog).where(ServiceManagementLog.action.in_(names))
                                   .order_by(ServiceManagementLog.id)))


def test_the_attack_of_issue_22_fails_at_its_first_step(app, client, auth, factory):
    """Sita and Kiran are the salon's admins; Ravi is a customer Sita wants to make admin alone."""
    sita, kiran = factory.user("admin", name="Sita"), factory.user("admin", name="Kiran")
    ravi = factory.user("customer", name="Ravi")
    auth.login(sita.email)
    # 1. Sita issues a password link for admin Kiran: refused, no link exists, nothing is shown
    response = post_form(client, f"/people/{kiran.id}/password-link", page=f"/people/{kiran.id}",
                         follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "needs a second admin" in page and 'id="one-time-link"' not in page
    assert db.session.scalars(select(PasswordLink)).all() == []
    # ... and she cannot propose it either: nobody but Kiran could confirm it
    page = post_form(client, f"/people/{kiran.id}/credential-reset", {"kind": "password_link"},
                     page=f"/people/{kiran.id}", follow_redirects=True).get_data(as_text=True)
    assert "Only you and Kiran are admins" in page
    assert db.session.scalars(select(CredentialResetProposal)).all() == []
    # 2. resetting Kiran's two-step sign-in: the page offers no button, the POST is refused; Kiran keeps her factor
    asked = client.get(f"/people/{kiran.id}/two-step-reset").get_data(as_text=True)
    assert "a second admin must confirm this" in asked and 'type="submit">Reset two-step sign-in' not in asked
    page = post_form(client, f"/people/{kiran.id}/two-step-reset", page=f"/people/{kiran.id}",
                     follow_redirects=True).get_data(as_text=True)
    assert "resetting an admin&#39;s two-step sign-in needs a second admin" in page
    assert mfa.is_enrolled(db.session, kiran.id)
    assert refused_code(lambda: credential_resets.propose_reset(
        db.session, actor(sita), kiran.id, "two_step_reset")) == "NO_CONFIRMER"
    # 3. with no link there is no way to set Kiran's password: Kiran's own password and factor still hold
    assert "Wrong email or password" in AuthActions(app.test_client()).login(
        kiran.email, NEW_PASSWORD).get_data(as_text=True)
    assert AuthActions(app.test_client()).login(kiran.email, PASSWORD).headers["Location"] == "/"
    # 4. Sita proposes Ravi as admin and cannot confirm it herself; no second admin acts for her
    proposal = people.propose_admin_change(db.session, actor(sita), ravi.id, "grant")
    assert refused_code(lambda: people.confirm_admin_change(db.session, actor(sita), proposal.id)) == "SAME_ADMIN"
    assert not is_admin(ravi.id)
    assert actions("password_link_issued", "mfa_reset", "credential_reset_proposed") == []


def test_with_a_third_admin_the_resets_are_proposed_and_a_different_admin_confirms(app, client, auth, factory):
    sita, bikash, kiran = (factory.user("admin", name=n) for n in ("Sita", "Bikash", "Kiran"))
    auth.login(sita.email)
    for kind in ("password_link", "two_step_reset"):
        done = post_form(client, f"/people/{kiran.id}/credential-reset", {"kind": kind}, page=f"/people/{kiran.id}",
                         follow_redirects=True)
        assert "must confirm it within 72 hours" in done.get_data(as_text=True)
    assert db.session.scalars(select(PasswordLink)).all() == []  # the proposer is shown no link
    link_id, reset_id = (db.session.scalar(select(CredentialResetProposal.id).where(
        CredentialResetProposal.kind == kind)) for kind in ("password_link", "two_step_reset"))
    assert refused_code(lambda: credential_resets.confirm_reset(db.session, actor(sita), link_id)) == "SAME_ADMIN"
    assert refused_code(lambda: credential_resets.confirm_reset(db.session, actor(kiran), link_id)) == "SELF"
    assert refused_code(lambda: credential_resets.propose_reset(
        db.session, actor(bikash), kiran.id, "password_link")) == "PROPOSAL_EXISTS"
    page = client.get("/people/").get_data(as_text=True)
    assert "You proposed this: another admin confirms." in page

    kiran_client = app.test_client()
    AuthActions(kiran_client).login(kiran.email)
    other = app.test_client()
    AuthActions(other).login(bikash.email)
    shown = post_form(other, f"/people/credential-resets/{link_id}/confirm", page="/people/")
    assert shown.status_code == 200  # the confirmer is shown the link, once
    url = re.search(r'id="one-time-link">([^<]+)<', shown.get_data(as_text=True)).group(1)
    confirmed = post_form(other, f"/people/credential-resets/{reset_id}/confirm", page="/people/",
                          follow_redirects=True)
    assert "the two-step sign-in is reset" in confirmed.get_data(as_text=True)
    assert not mfa.is_enrolled(db.session, kiran.id)
    assert kiran_client.get("/people/").headers["Location"].startswith("/login")  # signed out at once

    path = "/" + url.split("/", 3)[3]
    anonymous = app.test_client()
    post_form(anonymous, path, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page=path)
    assert AuthActions(app.test_client()).login(kiran.email, NEW_PASSWORD).headers["Location"] == "/"
    rows = actions("credential_reset_proposed", "credential_reset_confirmed", "password_link_issued", "mfa_reset")
    assert [r.action for r in rows] == ["credential_reset_proposed", "credential_reset_proposed",
                                        "credential_reset_confirmed", "password_link_issued",
                                        "credential_reset_confirmed", "mfa_reset"]
    assert {r.admin_user_id for r in rows[2:]} == {bikash.id}
    assert all(r.severity == "warning" and r.category == "governance" for r in rows)
    assert rows[3].details["proposal_id"] == str(link_id) and rows[3].details["proposed_by"] == str(sita.id)
    assert url.rsplit("/", 1)[1] not in " ".join(str(r.details) for r in rows)


def test_a_credential_reset_lapses_the_proposals_that_depended_on_the_person(app, factory):
    sita, bikash, kiran = (factory.user("admin", name=n) for n in ("Sita", "Bikash", "Kiran"))
    ravi, mina = factory.user("customer", name="Ravi"), factory.user("customer", name="Mina")
    kirans = people.propose_admin_change(db.session, actor(kiran), ravi.id, "grant")   # Kiran proposed it
    sitas = people.propose_admin_change(db.session, actor(sita), mina.id, "grant")     # Kiran could confirm it
    reset = credential_resets.propose_reset(db.session, actor(sita), kiran.id, "two_step_reset")
    link = credential_resets.propose_reset(db.session, actor(sita), kiran.id, "password_link")
    credential_resets.confirm_reset(db.session, actor(bikash), reset.id)
    assert status(AdminRoleProposal, kirans.id) == ("lapsed", "credential_reset")
    assert status(AdminRoleProposal, sitas.id) == ("lapsed", "credential_reset")
    assert status(CredentialResetProposal, link.id) == ("pending", None)  # Kiran's own reset goes on
    lapsed = actions("admin_role_lapsed")
    assert len(lapsed) == 2 and {r.details["reason"] for r in lapsed} == {"credential_reset"}
    assert refused_code(lambda: people.confirm_admin_change(db.session, actor(bikash), sitas.id)) == "NOT_PENDING"

    # the link issued and then used: each lapses what is open again
    again = people.propose_admin_change(db.session, actor(sita), mina.id, "grant")
    token = credential_resets.confirm_reset(db.session, actor(bikash), link.id).link.token
    assert status(AdminRoleProposal, again.id) == ("lapsed", "credential_reset")
    third = people.propose_admin_change(db.session, actor(sita), mina.id, "grant")
    passwords.set_with_link(db.session, Actor(None, "anonymous"), token, NEW_PASSWORD)
    assert status(AdminRoleProposal, third.id) == ("lapsed", "credential_reset")


def test_a_non_admins_reset_lapses_the_grant_waiting_for_them(app, factory):
    sita, bikash = factory.user("admin", name="Sita"), factory.user("admin", name="Bikash")
    ravi, mina = factory.user("customer", name="Ravi"), factory.user("customer", name="Mina")
    for_ravi = people.propose_admin_change(db.session, actor(sita), ravi.id, "grant")
    for_mina = people.propose_admin_change(db.session, actor(sita), mina.id, "grant")
    token = passwords.issue_link(db.session, actor(sita), ravi.id).token  # one admin is enough for a customer
    assert status(AdminRoleProposal, for_ravi.id) == ("lapsed", "credential_reset")
    assert status(AdminRoleProposal, for_mina.id) == ("pending", None)  # Ravi could not confirm it: it stays
    for_ravi = people.propose_admin_change(db.session, actor(bikash), ravi.id, "grant")
    passwords.set_with_link(db.session, Actor(None, "anonymous"), token, NEW_PASSWORD)
    assert status(AdminRoleProposal, for_ravi.id) == ("lapsed", "credential_reset")


def test_the_operators_reset_needs_no_second_admin_and_lapses_proposals_too(app, runner, factory):
    sita, kiran = factory.user("admin", name="Sita"), factory.user("admin", name="Kiran")
    ravi = factory.user("customer", name="Ravi")
    proposal = people.propose_admin_change(db.session, actor(sita), ravi.id, "grant")
    result = runner.invoke(args=["reset-two-step", kiran.email])
    assert result.exit_code == 0, result.output
    assert not mfa.is_enrolled(db.session, kiran.id)
    assert status(AdminRoleProposal, proposal.id) == ("lapsed", "credential_reset")
    reset, = actions("mfa_reset")
    assert reset.details["by"] == "operator" and reset.admin_user_id is None


def test_a_proposal_whose_proposer_lost_the_role_cannot_be_confirmed(app, factory, raw):
    asha, bikash, chandra = (factory.user("admin", name=n) for n in ("Asha", "Bikash", "Chandra"))
    ravi, mina = factory.user("customer", name="Ravi"), factory.user("customer", name="Mina")
    grant = people.propose_admin_change(db.session, actor(asha), ravi.id, "grant")
    remove_asha = people.propose_admin_change(db.session, actor(bikash), asha.id, "remove")
    people.confirm_admin_change(db.session, actor(chandra), remove_asha.id)
    assert status(AdminRoleProposal, grant.id) == ("lapsed", "proposer_not_admin")  # with the removal
    assert refused_code(lambda: people.confirm_admin_change(db.session, actor(bikash), grant.id)) == "NOT_PENDING"
    assert not is_admin(ravi.id)

    # the role taken away by another database client: checked again at confirmation
    grant = people.propose_admin_change(db.session, actor(chandra), mina.id, "grant")
    raw.execute(text("UPDATE user_roles SET is_active = :off WHERE user_id = :u"), {"off": False, "u": str(chandra.id)})
    result = people.confirm_admin_change(db.session, actor(bikash), grant.id)
    assert (result.status, result.lapse_reason) == ("lapsed", "proposer_not_admin") and not is_admin(mina.id)


def test_a_deactivated_admins_proposals_lapse(app, factory):
    sita, bikash, kiran = (factory.user("admin", name=n) for n in ("Sita", "Bikash", "Kiran"))
    ravi = factory.user("customer", name="Ravi")
    grant = people.propose_admin_change(db.session, actor(sita), ravi.id, "grant")
    reset = credential_resets.propose_reset(db.session, actor(sita), kiran.id, "password_link")
    people.deactivate(db.session, actor(bikash), sita.id)
    assert status(AdminRoleProposal, grant.id) == ("lapsed", "proposer_not_admin")
    assert status(CredentialResetProposal, reset.id) == ("lapsed", "proposer_not_admin")
    assert refused_code(lambda: credential_resets.confirm_reset(db.session, actor(bikash), reset.id)) == "NOT_PENDING"
    assert db.session.scalars(select(PasswordLink)).all() == []


def test_a_credential_reset_proposal_lapses_after_72_hours(app, factory, monkeypatch):
    sita, bikash, kiran = (factory.user("admin", name=n) for n in ("Sita", "Bikash", "Kiran"))
    reset = credential_resets.propose_reset(db.session, actor(sita), kiran.id, "two_step_reset")
    later = clock.now() + timedelta(hours=72, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    outcome = credential_resets.confirm_reset(db.session, actor(bikash), reset.id)
    assert (outcome.proposal.status, outcome.proposal.lapse_reason, outcome.link) == ("lapsed", "expired", None)
    assert mfa.is_enrolled(db.session, kiran.id)


def test_who_may_propose_what(app, factory):
    sita, bikash = factory.user("admin", name="Sita"), factory.user("admin", name="Bikash")
    kiran, ravi = factory.user("admin", name="Kiran", mfa=False), factory.user("customer", name="Ravi")
    propose = credential_resets.propose_reset
    assert refused_code(lambda: propose(db.session, actor(sita), sita.id, "password_link")) == "SELF"
    assert refused_code(lambda: propose(db.session, actor(sita), ravi.id, "password_link")) == "NOT_NEEDED"
    assert refused_code(lambda: propose(db.session, actor(sita), kiran.id, "two_step_reset")) == "MFA_OFF"
    assert refused_code(lambda: propose(db.session, actor(sita), kiran.id, "both")) == "INVALID_KIND"
    assert refused_code(lambda: propose(db.session, actor(ravi), kiran.id, "password_link")) == "NOT_ADMIN"
    assert refused_code(lambda: passwords.issue_link(db.session, actor(sita), bikash.id)) == "FOUR_EYES"
    assert refused_code(lambda: mfa.reset_by_admin(db.session, actor(sita), bikash.id)) == "FOUR_EYES"
    assert propose(db.session, actor(sita), kiran.id, "password_link").status == "pending"


def test_the_operator_issues_a_password_link_for_an_admin_from_the_command_line(app, runner, factory):
    sita, kiran = factory.user("admin", name="Sita"), factory.user("admin", name="Kiran")
    ravi = factory.user("customer", name="Ravi")
    proposal = people.propose_admin_change(db.session, actor(sita), ravi.id, "grant")
    result = runner.invoke(args=["password-link", kiran.email.upper()])
    assert result.exit_code == 0, result.output
    token = re.search(r"/password/(\S+)", result.output).group(1)
    assert passwords.link_owner(db.session, token).id == kiran.id
    assert status(AdminRoleProposal, proposal.id) == ("lapsed", "credential_reset")
    issued, = actions("password_link_issued")
    assert issued.details["by"] == "operator" and issued.admin_user_id is None and token not in str(issued.details)
    missing = runner.invoke(args=["password-link", "nobody@example.test"])
    assert missing.exit_code != 0 and "No account has the email" in missing.output


@pytest.mark.postgresql_only
def test_simultaneous_confirmations_issue_one_link(app, factory):
    import threading

    from sqlalchemy.orm import Session

    sita, kiran = factory.user("admin", name="Sita"), factory.user("admin", name="Kiran")
    confirmers = [factory.user("admin", name=f"Confirmer {i}") for i in range(4)]
    proposal_id = credential_resets.propose_reset(db.session, actor(sita), kiran.id, "password_link").id
    barrier, outcomes = threading.Barrier(len(confirmers)), []

    def confirm(who):
        with app.app_context():
            session = Session(db.engine)
            barrier.wait()
            try:
                outcome = credential_resets.confirm_reset(session, actor(who), proposal_id)
                outcomes.append("link" if outcome.link else outcome.proposal.status)
            except Refused as refused:
                outcomes.append(refused.code)
            finally:
                session.close()

    threads = [threading.Thread(target=confirm, args=(who,)) for who in confirmers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes.count("link") == 1 and len(outcomes) == 4
    assert set(outcomes) - {"link"} <= {"STALE", "NOT_PENDING"}
    assert len(db.session.scalars(select(PasswordLink)).all()) == 1
    assert len(actions("password_link_issued")) == 1


def test_the_database_refuses_unknown_kinds_and_reasons_and_a_second_pending_reset(app, factory, raw):
    from sqlalchemy.exc import IntegrityError

    sita, kiran = factory.user("admin", name="Sita"), factory.user("admin", name="Kiran")
    table = raw.private("credential_reset_proposals")
    insert = text(f"INSERT INTO {table} (id, user_id, kind, status, proposed_by, expires_at, lapse_reason) "
                  "VALUES (:id, :u, :kind, :status, :by, :at, :reason)")

    def row(kind="password_link", status="pending", reason=None):
        import uuid
        return {"id": str(uuid.uuid4()), "u": str(kiran.id), "kind": kind, "status": status, "by": str(sita.id),
                "at": clock.now() + timedelta(hours=72), "reason": reason}

    raw.execute(insert, row())
    for bad in (row(), row(kind="everything"), row(status="lapsed", reason="bored")):
        with pytest.raises(IntegrityError):
            raw.execute(insert, bad)
    raw.execute(insert, row(status="lapsed", reason="credential_reset"))
    proposal = people.propose_admin_change(db.session, actor(sita), factory.user("customer").id, "grant")
    with pytest.raises(IntegrityError):
        raw.execute(text(f"UPDATE {raw.private('admin_role_proposals')} SET lapse_reason = 'bored' WHERE id = :id"),
                    {"id": str(proposal.id)})
