"""Catalogue pages (admins): services, stylists' offered services and prices, profiles."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from portal.auth.access import require_roles
from portal.auth.identity import current_actor
from portal.catalogue.forms import ActionForm, OfferForm, ProfileForm, ServiceForm
from portal.domain import catalogue as rules
from portal.domain.roles import ADMIN
from portal.domain.schedule_changes import listing
from portal.domain.refusals import NotFound, Refused
from portal.extensions import db
from portal.form_refusals import show_on_form
from portal.i18n import translate
from portal.models import Service, StylistProfile, StylistService
from portal.services.offerings import catalogue as service
from portal.services.staffing.stylists import StylistDetails

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")
require_roles(bp, ADMIN)


def _service_or_404(service_id) -> Service:
    return db.session.get(Service, service_id) or abort(404)


def _stylist_or_404(stylist_id) -> StylistProfile:
    return db.session.get(StylistProfile, stylist_id) or abort(404)


def _service_input(form: ServiceForm) -> service.ServiceInput:
    return service.ServiceInput(form.name.data, form.category.data, form.duration_minutes.data,
                                rules.rupees_to_paisa(form.price.data), form.min_advance_hours.data,
                                form.max_advance_days.data, form.name_ne.data)


@bp.route("/")
def index():
    services = db.session.scalars(select(Service).order_by(Service.is_active.desc(), Service.name)).all()
    stylists = db.session.scalars(select(StylistProfile).order_by(StylistProfile.display_name)).all()
    return render_template("catalogue/index.html", services=services, stylists=stylists, rules=rules,
                           form=ActionForm())


@bp.route("/services/new", methods=["GET", "POST"])
def new_service():
    form = ServiceForm()
    if form.validate_on_submit():
        try:
            created = service.create_service(db.session, current_actor(), _service_input(form))
        except Refused as refused:
            show_on_form(form, refused)
        else:
            flash(_("%(name)s is in the catalogue. Choose which stylists offer it on their pages.", name=created.name),
                  "success")
            return redirect(url_for(".index"))
    return render_template("catalogue/service_form.html", form=form, item=None), (400 if form.errors else 200)


@bp.route("/services/<uuid:service_id>", methods=["GET", "POST"])
def edit_service(service_id):
    item = _service_or_404(service_id)
    form = ServiceForm(obj=item)
    if request.method == "GET":
        form.price.data = rules.paisa_to_rupees(item.base_price_cents)
    if form.validate_on_submit():
        try:
            service.edit_service(db.session, current_actor(), item.id, _service_input(form))
        except Refused as refused:
            show_on_form(form, refused)
        else:
            own = [o.stylist.display_name for o in service.offerings(db.session, item.id) if o.has_own_terms]
            if not own:
                flash(_("%(name)s is saved; the booking site shows the change at once.", name=item.name), "success")
                return redirect(url_for(".index"))
            flash(ngettext("%(name)s is saved; the booking site shows the change at once, except for %(people)s, "
                           "who keeps their own price or duration (below).",
                           "%(name)s is saved; the booking site shows the change at once, except for %(people)s, "
                           "who keep their own price or duration (below).", len(own), name=item.name,
                           people=listing(own)), "warning")
            return redirect(url_for(".edit_service", service_id=item.id))
    return render_template("catalogue/service_form.html", form=form, item=item,
                           upcoming=service.upcoming_bookings(db.session, item.id),
                           offerings=service.offerings(db.session, item.id),
                           action_form=ActionForm()), (400 if form.errors else 200)


@bp.route("/services/<uuid:service_id>/own-terms/clear", methods=["POST"])
def clear_own_terms(service_id):
    item = _service_or_404(service_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        changed = service.clear_own_terms(db.session, current_actor(), item.id)
    except Refused as refused:
        flash(translate(refused.message), "danger")
    else:
        flash(ngettext("%(people)s now charges and takes %(name)s's usual price and time.",
                       "%(people)s now charge and take %(name)s's usual price and time.", len(changed),
                       people=listing(changed), name=item.name), "success")
    return redirect(url_for(".edit_service", service_id=item.id))


@bp.route("/services/<uuid:service_id>/deactivate", methods=["GET", "POST"])
def deactivate_service(service_id):
    item = _service_or_404(service_id)
    if request.method == "GET":
        return render_template("catalogue/confirm_deactivate.html", item=item, form=ActionForm(),
                               upcoming=service.upcoming_bookings(db.session, item.id))
    return _set_active(item, False)


@bp.route("/services/<uuid:service_id>/reactivate", methods=["POST"])
def reactivate_service(service_id):
    return _set_active(_service_or_404(service_id), True)


def _set_active(item: Service, active: bool):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.set_service_active(db.session, current_actor(), item.id, active)
    except Refused as refused:
        flash(translate(refused.message), "danger")
    else:
        flash(_("%(name)s is bookable again.", name=item.name) if active else
              _("%(name)s is deactivated: nobody can book it any more. Existing bookings stay.", name=item.name),
              "success")
    return redirect(url_for(".index"))


def _offer_forms(profile: StylistProfile, failed: tuple | None = None):
    offers = {o.service_id: o for o in db.session.scalars(
        select(StylistService).where(StylistService.stylist_user_id == profile.user_id))}
    rows = []
    for n, item in enumerate(db.session.scalars(select(Service).order_by(Service.is_active.desc(), Service.name))):
        if failed and failed[0] == item.id:
            form = failed[1]
        else:
            offer = offers.get(item.id)
            form = OfferForm(formdata=None, prefix=f"s{n}", offered=bool(offer and offer.is_available),
                             price=rules.paisa_to_rupees(offer.custom_price_cents) if offer else "",
                             duration=offer.custom_duration_minutes if offer else None)
        rows.append((item, form, n))
    return rows


def _stylist_page(profile: StylistProfile, profile_form=None, failed=None, status=200):
    if profile_form is None:
        profile_form = ProfileForm(
            formdata=None, display_name=profile.display_name, title=profile.title, bio=profile.bio,
            years_experience=profile.years_experience, specialties=", ".join(profile.specialties or []),
            timezone=profile.timezone, buffer_minutes=profile.booking_buffer_minutes)
    return render_template("catalogue/stylist.html", profile=profile, profile_form=profile_form,
                           rows=_offer_forms(profile, failed), rules=rules), status


@bp.route("/stylists/<uuid:stylist_id>")
def stylist(stylist_id):
    return _stylist_page(_stylist_or_404(stylist_id))


@bp.route("/stylists/<uuid:stylist_id>/profile", methods=["POST"])
def edit_profile(stylist_id):
    profile = _stylist_or_404(stylist_id)
    form = ProfileForm()
    if form.validate_on_submit():
        details = StylistDetails(form.display_name.data, form.title.data, form.bio.data, form.years_experience.data,
                                 form.specialty_list(), form.timezone.data, form.buffer_minutes.data)
        try:
            service.edit_profile(db.session, current_actor(), profile.user_id, details)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            flash(_("The profile is saved."), "success")
            return redirect(url_for(".stylist", stylist_id=profile.user_id))
    return _stylist_page(profile, profile_form=form, status=400)


@bp.route("/stylists/<uuid:stylist_id>/services/<uuid:service_id>", methods=["POST"])
def set_offer(stylist_id, service_id):
    profile = _stylist_or_404(stylist_id)
    item = _service_or_404(service_id)
    prefix = request.form.get("prefix", "")
    form = OfferForm(prefix=prefix if prefix.startswith("s") and prefix[1:].isdigit() else "s0")
    if form.validate_on_submit():
        price = rules.rupees_to_paisa(form.price.data) if (form.price.data or "").strip() else None
        try:
            service.set_offer(db.session, current_actor(), profile.user_id, item.id, form.offered.data,
                              price, form.duration.data)
        except NotFound:
            abort(404)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            flash(_("%(service)s for %(name)s is saved; the booking site shows it at once.", service=item.name,
                    name=profile.display_name), "success")
            return redirect(url_for(".stylist", stylist_id=profile.user_id))
    return _stylist_page(profile, failed=(item.id, form), status=400)
