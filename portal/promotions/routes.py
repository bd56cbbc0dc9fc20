"""Stylist promotions: pages. Thin views: parse the form, call one service, flash, redirect.

Refusals never become a 500: a STALE action goes back to the detail page (which shows
the current state) with a warning; other refusals are shown on the page they came from.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.auth.access import require_roles
from portal.auth.identity import current_actor
from portal.domain.promotion import (
    CHECKS_INCOMPLETE, ILLEGAL_TRANSITION, OPEN_STATES, PENDING_TRAINING, SAME_ADMIN, STATES, Checks, PromotionError,
    allowed_actions, status_label,
)
from portal.domain.refusals import Stale
from portal.domain.roles import ADMIN
from portal.extensions import db
from portal.form_refusals import show_on_form
from portal.i18n import current_language, translate
from portal.i18n.formatting import numerals
from portal.models import StylistPromotion, UserProfile
from portal.people import queries as people_queries
from portal.promotions import queries
from portal.promotions.forms import (
    ApprovalForm, ChecksForm, NoteForm, RejectForm, RevokeForm, SearchForm, StartForm, SubmitForChecksForm,
)
from portal.form_fields import scoped_ids
from portal.services.identity import mfa
from portal.services.staffing import promotions, stylists
from portal.services.staffing.stylists import StylistDetails

bp = Blueprint("promotions", __name__, url_prefix="/promotions")
require_roles(bp, ADMIN)


def _load(promotion_id: uuid.UUID) -> StylistPromotion:
    return db.get_or_404(StylistPromotion, promotion_id, description=_("No such promotion."))


def _status(code: str) -> str:
    """A promotion's status inside a sentence, in the page's language ("waiting for checks")."""
    return translate(status_label(code)).lower()


def _detail_url(promotion_id) -> str:
    return url_for("promotions.detail", promotion_id=promotion_id)


def _stale(error: PromotionError, promotion_id):
    status = str(error.details.get("current_status", ""))
    flash(_("%(message)s It is now: %(status)s.", message=translate(error.message), status=_status(status)), "warning")
    return redirect(_detail_url(promotion_id))


def _second_admin_required() -> bool:
    return bool(current_app.config.get("PROMOTION_REQUIRE_SECOND_ADMIN", True))


@bp.route("/")
def index():
    status = request.args.get("status") or None
    if status is not None and status not in STATES:
        flash(_("Unknown status: showing every promotion."), "warning")
        status = None
    return render_template("promotions/index.html", status=status, states=STATES,
                           counts=queries.status_counts(db.session),
                           rows=queries.listing(db.session, status))


@bp.route("/start", methods=["GET", "POST"])
def start():
    search = SearchForm(request.args)
    results = queries.search_users(db.session, search.q.data) if search.validate() else []
    form = StartForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            for errors in form.errors.values():
                for message in errors:
                    flash(str(message), "danger")
            return redirect(url_for("promotions.start", q=search.q.data or None))
        try:
            promotion = promotions.start(db.session, current_actor(), form.user_id.data)
        except PromotionError as error:
            flash(translate(error.message), "danger")
            return redirect(url_for("promotions.start", q=search.q.data or None))
        flash(_("Promotion started as a draft. Submit it for checks when ready."), "success")
        return redirect(_detail_url(promotion.id))
    return render_template("promotions/start.html", search=search, results=results, form=form)


def _parse_time(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _render_detail(promotion: StylistPromotion, status_code: int = 200, **forms):
    version = promotion.version
    forms.setdefault("submit_form", SubmitForChecksForm(formdata=None, version=version))
    forms.setdefault("checks_form", ChecksForm(
        formdata=None, version=version, background=promotion.background_check_status,
        id_verification=promotion.id_verification_status, training=promotion.training_completed))
    forms.setdefault("note_form", NoteForm(formdata=None, version=version))
    for name in ("submit_form", "checks_form", "note_form"):  # three forms on one page: ids of their own
        scoped_ids(forms[name], name.replace("_", "-"))
    user = db.session.get(UserProfile, promotion.user_id)
    names = queries.user_names(db.session, [promotion.requested_by, promotion.approved_by, promotion.revoked_by])
    checks = promotions.checks_of(promotion)
    timeline = [dict(entry, at=_parse_time(entry.get("timestamp"))) for entry in reversed(promotion.notes or [])]
    return render_template(
        "promotions/detail.html", promotion=promotion, user=user,
        candidate_enrolled=mfa.is_enrolled(db.session, promotion.user_id), names=names, checks=checks, timeline=timeline,
        missing=checks.missing(), allowed=allowed_actions(promotion.status),
        profile=queries.stylist_profile(db.session, promotion.user_id),
        is_requester=promotion.requested_by == current_actor().user_id and _second_admin_required(),
        lone_admin=promotion.status in OPEN_STATES and people_queries.lone_admin(db.session, _second_admin_required()),
        **forms), status_code


@bp.route("/<uuid:promotion_id>")
def detail(promotion_id):
    return _render_detail(_load(promotion_id))


def _post_from_detail(promotion_id, form, call, success: str | None, form_name: str):
    """Shared POST handling for the actions posted from the detail page."""
    promotion = _load(promotion_id)
    if not form.validate_on_submit():
        return _render_detail(promotion, 400, **{form_name: form})
    try:
        call(form)
    except PromotionError as error:
        if isinstance(error, Stale):
            return _stale(error, promotion_id)
        flash(translate(error.message), "danger")
        return redirect(_detail_url(promotion_id))
    if success:
        flash(success, "success")
    return redirect(_detail_url(promotion_id))


@bp.route("/<uuid:promotion_id>/submit", methods=["POST"])
def submit(promotion_id):
    return _post_from_detail(promotion_id, SubmitForChecksForm(), lambda f: promotions.submit(
        db.session, current_actor(), promotion_id, expected_version=f.seen_version()),
        _("Submitted for checks."), "submit_form")


@bp.route("/<uuid:promotion_id>/checks", methods=["POST"])
def record_checks(promotion_id):
    def call(form: ChecksForm):
        # the MFA value is read by the service from the candidate's own enrolment
        checks = Checks(form.background.data, form.id_verification.data, bool(form.training.data), False)
        done = promotions.record_checks(db.session, current_actor(), promotion_id, checks,
                                        expected_version=form.seen_version(), note=form.note.data)
        flash(_("Checks recorded. Status now: %(status)s.", status=_status(done.status)), "success")
        if done.status == PENDING_TRAINING and done.training_completed and not done.mfa_enabled:
            flash(_("It cannot go to approval yet: the candidate has not set up two-step sign-in. Ask them to "
                    "turn it on under Your account, then record the checks again."), "warning")

    return _post_from_detail(promotion_id, ChecksForm(), call, None, "checks_form")


@bp.route("/<uuid:promotion_id>/notes", methods=["POST"])
def add_note(promotion_id):
    return _post_from_detail(promotion_id, NoteForm(), lambda f: promotions.add_note(
        db.session, current_actor(), promotion_id, f.note.data, expected_version=f.seen_version()),
        _("Note added."), "note_form")


def _refused_on_form(form, error: PromotionError, promotion_id):
    """Put a refusal next to its field, or at the top of the form page."""
    if isinstance(error, Stale):
        return _stale(error, promotion_id)
    show_on_form(form, error)
    return None


@bp.route("/<uuid:promotion_id>/approve", methods=["GET", "POST"])
def approve(promotion_id):
    promotion = _load(promotion_id)
    if "approve" not in allowed_actions(promotion.status):
        flash(_("Only a promotion ready for approval can be approved; this one is: %(status)s.",
                status=_status(promotion.status)), "warning")
        return redirect(_detail_url(promotion_id))
    user = db.session.get(UserProfile, promotion.user_id)
    active = stylists.active_services(db.session)
    profile = queries.stylist_profile(db.session, user.id)
    form = ApprovalForm(version=promotion.version, display_name=profile.display_name if profile else user.display_name)
    form.services.choices = [(str(s.id), _("%(name)s (%(minutes)s min)", name=s.name_in(current_language()), minutes=numerals(s.duration_minutes, current_language()))) for s in active]
    if request.method == "GET":
        form.services.data = [str(s.id) for s in active]
    status_code = 200
    if form.validate_on_submit():
        details = StylistDetails(
            display_name=form.display_name.data, title=form.title.data, bio=form.bio.data,
            years_experience=form.years_experience.data, specialties=form.specialty_list(),
            timezone=(form.timezone.data or "").strip(), buffer_minutes=form.buffer_minutes.data,
            service_ids=tuple(uuid.UUID(v) for v in form.services.data))
        try:
            promotions.approve(db.session, current_actor(), promotion_id, details,
                               expected_version=form.seen_version(),
                               require_second_admin=_second_admin_required(), note=form.note.data)
        except PromotionError as error:
            response = _refused_on_form(form, error, promotion_id)
            if response is not None:
                return response
            status_code = 409 if error.code in (SAME_ADMIN, CHECKS_INCOMPLETE, ILLEGAL_TRANSITION) else 400
        else:
            flash(_("%(name)s is now a stylist. Next: give them weekly hours (Schedules), "
                    "or customers cannot book them.", name=details.display_name.strip()), "success")
            return redirect(_detail_url(promotion_id))
    elif request.method == "POST":
        status_code = 400
    return render_template("promotions/approve.html", promotion=promotion, user=user, form=form,
                           reactivating=profile is not None), status_code


def _reason_page(promotion_id, action: str, form_class, call, success: str, template: str, **context):
    promotion = _load(promotion_id)
    if action not in allowed_actions(promotion.status):
        message = (_("This promotion is %(status)s: it cannot be rejected now.", status=_status(promotion.status))
                   if action == "reject" else
                   _("This promotion is %(status)s: it cannot be revoked now.", status=_status(promotion.status)))
        flash(message, "warning")
        return redirect(_detail_url(promotion_id))
    form = form_class(version=promotion.version)
    status_code = 200
    if form.validate_on_submit():
        try:
            call(form)
        except PromotionError as error:
            response = _refused_on_form(form, error, promotion_id)
            if response is not None:
                return response
            status_code = 400
        else:
            flash(success, "success")
            return redirect(_detail_url(promotion_id))
    elif request.method == "POST":
        status_code = 400
    user = db.session.get(UserProfile, promotion.user_id)
    return render_template(template, promotion=promotion, user=user, form=form, **context), status_code


@bp.route("/<uuid:promotion_id>/reject", methods=["GET", "POST"])
def reject(promotion_id):
    return _reason_page(promotion_id, "reject", RejectForm, lambda f: promotions.reject(
        db.session, current_actor(), promotion_id, f.reason.data, expected_version=f.seen_version()),
        _("Promotion rejected."), "promotions/reject.html")


@bp.route("/<uuid:promotion_id>/revoke", methods=["GET", "POST"])
def revoke(promotion_id):
    promotion = _load(promotion_id)
    return _reason_page(promotion_id, "revoke", RevokeForm, lambda f: promotions.revoke(
        db.session, current_actor(), promotion_id, f.reason.data, expected_version=f.seen_version()),
        _("Stylist revoked: their profile is inactive and their slots are gone."), "promotions/revoke.html",
        bookings=queries.upcoming_bookings(db.session, promotion.user_id),
        profile=queries.stylist_profile(db.session, promotion.user_id))
