"""People pages (admins): list and search, create, edit, deactivate and reactivate,
password links, MFA reset, four-eyes admin role changes."""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.account.qr import qr_svg
from portal.auth.access import require_roles
from portal.auth.identity import current_actor
from portal.domain import people as vocab
from portal.domain.refusals import NotFound, Refused
from portal.domain.roles import ADMIN
from portal.extensions import db
from portal.form_refusals import flash_outcome, show_on_form
from portal.i18n import translate
from portal.models import UserProfile
from portal.people import queries
from portal.people.forms import AccountForm, ActionForm, NewAccountForm, NewStylistForm, ProposalForm, ResetProposalForm, SearchForm
from portal.services.identity import credential_resets, mfa, passwords, people as service

bp = Blueprint("people", __name__, url_prefix="/people")
require_roles(bp, ADMIN)


def _person(user_id: uuid.UUID) -> UserProfile:
    return db.session.get(UserProfile, user_id) or abort(404)


def _back(user: UserProfile):
    return redirect(url_for(".detail", user_id=user.id))


def _lone_admin() -> bool:
    return queries.lone_admin(db.session, bool(current_app.config.get("PROMOTION_REQUIRE_SECOND_ADMIN", True)))


def _act(user: UserProfile, call, done: str):
    """Run one use-case from a confirmation form; flash what happened or why not."""
    if not ActionForm().validate_on_submit():
        abort(400)
    flash_outcome(call, done)
    return _back(user)


@bp.route("/")
def index():
    service.lapse_overdue(db.session, current_actor())
    form = SearchForm(request.args)
    rows = (queries.people(db.session, form.q.data, form.role.data, form.state.data) if form.validate()
            else queries.people(db.session, None))
    proposals, resets = queries.pending_proposals(db.session), queries.pending_resets(db.session)
    return render_template("people/index.html", form=form, rows=rows,
                           proposals=proposals, resets=resets, limit=queries.LIMIT, vocab=vocab,
                           lone_admin=_lone_admin(),
                           names=queries.names(db.session, [p.proposed_by for p, _ in proposals + resets]))


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            user = service.create_account(db.session, current_actor(), form.display_name.data, form.email.data,
                                          form.roles.data)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            flash(_("%(name)s's account is ready. Issue a password link so they can sign in.", name=user.display_name),
                  "success")
            return _back(user)
    return render_template("people/new.html", form=form), (400 if form.errors else 200)


@bp.route("/new-stylist", methods=["GET", "POST"])
def new_stylist():
    form = NewStylistForm()
    if form.validate_on_submit():
        try:
            promotion, person, created = service.start_new_stylist(db.session, current_actor(), form.display_name.data,
                                                           form.email.data)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            flash(_("%(name)s's checks have started. Issue a password link from their page so they can sign in and "
                    "set up two-step sign-in.", name=person.display_name) if created else
                  _("%(name)s already had an account: their checks as a new stylist have started.",
                    name=person.display_name), "success")
            return redirect(url_for("promotions.detail", promotion_id=promotion.id))
    return (render_template("people/new_stylist.html", form=form, lone_admin=_lone_admin()),
            400 if form.errors else 200)


@bp.route("/<uuid:user_id>")
def detail(user_id):
    user = _person(user_id)
    row = mfa.factor(db.session, user.id)
    proposals = queries.proposals_for(db.session, user.id)
    resets = queries.resets_for(db.session, user.id)
    profile = queries.stylist_profile(db.session, user.id)
    return render_template(
        "people/detail.html", user=user, mfa_on=bool(row and row.confirmed_at), has_factor=row is not None,
        proposals=proposals, resets=resets,
        names=queries.names(db.session, [p.proposed_by for p in proposals + resets]
                            + [p.decided_by for p in proposals + resets]),
        profile=profile, vocab=vocab, action_form=ActionForm(), proposal_form=ProposalForm(),
        pending=next((p for p in proposals if p.status == vocab.PENDING), None))


@bp.route("/<uuid:user_id>/edit", methods=["GET", "POST"])
def edit(user_id):
    user = _person(user_id)
    form = AccountForm(obj=user)
    if form.validate_on_submit():
        try:
            service.edit_account(db.session, current_actor(), user.id, form.display_name.data, form.email.data)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            flash(_("The name and email are saved."), "success")
            return _back(user)
    return render_template("people/edit.html", form=form, user=user), (400 if form.errors else 200)


@bp.route("/<uuid:user_id>/deactivate", methods=["GET", "POST"])
def deactivate(user_id):
    user = _person(user_id)
    if request.method == "POST":
        return _act(user, lambda: service.deactivate(db.session, current_actor(), user.id),
                    _("%(name)s is deactivated and signed out everywhere.", name=user.display_name))
    profile = queries.stylist_profile(db.session, user.id)
    upcoming = queries.upcoming_bookings(db.session, user.id) if profile and profile.is_active else 0
    return render_template("people/confirm_deactivate.html", user=user, profile=profile, upcoming=upcoming,
                           form=ActionForm())


@bp.route("/<uuid:user_id>/reactivate", methods=["POST"])
def reactivate(user_id):
    user = _person(user_id)
    return _act(user, lambda: service.reactivate(db.session, current_actor(), user.id),
                _("%(name)s can sign in again.", name=user.display_name))


@bp.route("/<uuid:user_id>/password-link", methods=["POST"])
def password_link(user_id):
    user = _person(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        issued = passwords.issue_link(db.session, current_actor(), user.id)
    except Refused as refused:
        flash(translate(refused.message), "danger")
        return _back(user)
    return _show_link(issued)


def _show_link(issued: passwords.IssuedLink):
    """The one-time link, shown once (only its hash is stored)."""
    url = url_for("account.set_password", token=issued.token, _external=True)
    return render_template("people/password_link.html", user=issued.user, url=url, expires_at=issued.expires_at,
                           qr=qr_svg(url, "QR code of the password link"))


@bp.route("/<uuid:user_id>/two-step-reset", methods=["GET", "POST"])
def reset_mfa(user_id):
    user = _person(user_id)
    if request.method == "POST":
        return _act(user, lambda: mfa.reset_by_admin(db.session, current_actor(), user.id),
                    _("%(name)s's two-step sign-in is reset and they are signed out. "
                      "They set it up again at their next sign-in.", name=user.display_name))
    return render_template("people/confirm_reset_mfa.html", user=user, form=ActionForm())


@bp.route("/<uuid:user_id>/admin-role", methods=["POST"])
def propose(user_id):
    user = _person(user_id)
    form = ProposalForm()
    if not form.validate_on_submit():
        abort(400)
    return _act(user, lambda: service.propose_admin_change(db.session, current_actor(), user.id, form.change.data),
                _("Proposed. A different admin must confirm it within 72 hours."))


@bp.route("/proposals/<uuid:proposal_id>/confirm", methods=["POST"])
def confirm(proposal_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        proposal = service.confirm_admin_change(db.session, current_actor(), proposal_id)
    except NotFound:
        abort(404)
    except Refused as refused:
        flash(translate(refused.message), "danger")
        return redirect(url_for(".index"))
    if proposal.status == vocab.LAPSED:
        _flash_lapsed(proposal)
    else:
        flash(_("Confirmed: the admin role is granted.") if proposal.change == vocab.GRANT
              else _("Confirmed: the admin role is removed."), "success")
    return redirect(url_for(".detail", user_id=proposal.user_id))


def _flash_lapsed(proposal) -> None:
    flash(_("%(state)s. Propose it again if still needed.",
            state=translate(vocab.state_label(proposal.status, proposal.lapse_reason))), "warning")


@bp.route("/<uuid:user_id>/credential-reset", methods=["POST"])
def propose_reset(user_id):
    user = _person(user_id)
    form = ResetProposalForm()
    if not form.validate_on_submit():
        abort(400)
    return _act(user, lambda: credential_resets.propose_reset(db.session, current_actor(), user.id, form.kind.data),
                _("Proposed. A different admin (not %(name)s) must confirm it within 72 hours.",
                  name=user.display_name))


@bp.route("/credential-resets/<uuid:proposal_id>/confirm", methods=["POST"])
def confirm_reset(proposal_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        outcome = credential_resets.confirm_reset(db.session, current_actor(), proposal_id)
    except NotFound:
        abort(404)
    except Refused as refused:
        flash(translate(refused.message), "danger")
        return redirect(url_for(".index"))
    if outcome.link is not None:
        return _show_link(outcome.link)
    if outcome.proposal.status == vocab.LAPSED:
        _flash_lapsed(outcome.proposal)
    else:
        flash(_("Confirmed: the two-step sign-in is reset and they are signed out. They set it up again at their "
                "next sign-in."), "success")
    return redirect(url_for(".detail", user_id=outcome.proposal.user_id))
