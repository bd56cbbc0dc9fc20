"""The front desk's pages (front-desk.md): taking a booking, moving one, the day's steps
and their undo, customers. Thin: parse, call a service, flash, redirect."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import require_roles, role_required
from portal.auth.identity import current_actor
from portal.desk.forms import CustomerForm, FindTimesForm, MoveForm, SearchForm, StepForm, TakeForm, UndoForm
from portal.domain.bookings import DESK_SOURCES, SOURCE_LABELS, STEP_LABELS, STYLIST_STEPS, next_steps
from portal.domain.customers import CUSTOMER_LANGUAGES, LANGUAGE_LABELS
from portal.domain.refusals import NotFound, Refused
from portal.domain.roles import ADMIN, STYLIST
from portal.domain.translatable import Msg
from portal.extensions import db
from portal.form_refusals import show_on_form
from portal.i18n import current_language, translate
from portal.models import Booking, Service, StylistProfile
from portal.services.desk import booking_steps, customers, front_desk
from portal.services.desk.desk_board import booking_choices
from portal.services.desk.desk_free_times import move_free_times, stylists_offering
from portal import clock

bp = Blueprint("desk", __name__, url_prefix="/desk")
require_roles(bp, ADMIN)


@bp.app_context_processor
def _vocabulary():
    return {"booking_steps_for": _steps_for,
            "undo_for": _undo_for}


def _steps_for(booking: Booking) -> tuple[str, ...]:
    """The next steps the signed-in person may take on ``booking`` (front-desk.md)."""
    steps = next_steps(booking.status, booking.start_time <= clock.now())
    if current_user.has_role(ADMIN):
        return steps
    return tuple(s for s in steps if s in STYLIST_STEPS) if booking.stylist_user_id == current_user.id else ()


def _undo_for(booking: Booking):
    if not current_user.has_role(ADMIN) and booking.stylist_user_id != current_user.id:
        return None
    return booking_steps.undoable_steps(db.session, [booking.id]).get(booking.id)


def _zone() -> str:
    return current_app.config["DEFAULT_TIMEZONE"]


def _today() -> date:
    return clock.now().astimezone(ZoneInfo(_zone())).date()


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


def _back(default: str) -> str:
    target = request.form.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


def _time_choice(t) -> str:
    return f"{t.stylist_id}|{t.start.astimezone(timezone.utc).isoformat()}"


def _parse_choice(value: str | None) -> tuple[uuid.UUID | None, datetime | None]:
    stylist, _sep, moment = (value or "").partition("|")
    try:
        return _uuid(stylist), datetime.fromisoformat(moment) if moment else None
    except ValueError:
        return None, None


# ------------------------------------------------------------------ taking a booking

def _services():
    return list(db.session.scalars(db.select(Service).where(Service.is_active).order_by(Service.name)))


def _book_page(find: FindTimesForm, take: TakeForm, status: int = 200, times=None):
    services = _services()
    find.service.choices = [(str(s.id), s.name_in(current_language())) for s in services]
    find.source.choices = [(s, translate(SOURCE_LABELS[s])) for s in DESK_SOURCES]
    service_id = _uuid(find.service.data) or (services[0].id if services else None)
    find.service.data = str(service_id) if service_id else ""
    stylist_id = _uuid(find.stylist.data)
    day = find.date.data or _today()
    find.date.data = day
    chosen = booking_choices(db.session, find.phone.data, service_id, stylist_id, day, clock.now())
    find.stylist.choices = [("", _("Any stylist who offers it"))] + [
        (str(p.user_id), p.display_name) for p in chosen.stylists]
    if chosen.phone_error:
        find.phone.errors = [*find.phone.errors, translate(chosen.phone_error)]
    if chosen.customer is not None and not find.name.data:
        find.name.data = chosen.customer.name
    shown = chosen.times if times is None else times
    names = {p.user_id: p.display_name for p in chosen.stylists}
    zones = {p.user_id: p.timezone for p in chosen.stylists}
    take.start.choices = [(_time_choice(t), t) for t in shown]
    if take.start.data is None and shown and find.source.data == "walk_in":
        take.start.data = _time_choice(shown[0])  # a walk-in takes the next start on the grid
    for field, value in (("phone", find.phone.data), ("name", find.name.data), ("email", find.email.data),
                         ("service", find.service.data), ("source", find.source.data)):
        getattr(take, field).data = getattr(take, field).data or value
    return render_template("desk/book.html", find=find, take=take, chosen=chosen, times=shown, names=names,
                           zones=zones, day=day, service_id=service_id), status


@bp.route("/book")
def book():
    find = FindTimesForm(request.args)
    if not find.source.data or find.source.data not in DESK_SOURCES:
        find.source.data = "phone"
    valid = find.validate() if request.args else True
    return _book_page(find, TakeForm(formdata=None), 200 if valid else 400)


@bp.route("/book", methods=["POST"])
def take():
    form = TakeForm()
    find = FindTimesForm(formdata=None, phone=form.phone.data, name=form.name.data, email=form.email.data,
                         service=form.service.data, source=form.source.data)
    stylist_id, start = _parse_choice(form.start.data)
    find.stylist.data = request.form.get("stylist") or ""
    find.date.data = _date_of(start) if start else None
    if not form.validate() or stylist_id is None or start is None:
        form.start.errors = [*form.start.errors, _("Choose one of the free times.")]
        return _book_page(find, form, 400)
    try:
        booking = front_desk.take_booking(
            db.session, current_actor(), phone=form.phone.data, name=form.name.data, email=form.email.data,
            service_id=_uuid(form.service.data), stylist_id=stylist_id, start=start, source=form.source.data,
            tell=bool(form.tell.data))
    except NotFound:
        abort(404)
    except Refused as refused:
        show_on_form(find, refused)
        if "start" in refused.fields:
            form.start.errors = [translate(refused.fields["start"])]
            form.start.data = None
        return _book_page(find, form, 409 if refused.code == front_desk.SLOT_TAKEN else 400,
                          refused.details.get("free_times"))
    flash(translate(Msg("Booked: %(name)s, %(when)s.", name=booking.customer_name,
                        when=booking.start_time.astimezone(ZoneInfo(_zone())))), "success")
    return redirect(url_for("bookings.day", date=_date_of(booking.start_time).isoformat(),
                            stylist=str(booking.stylist_user_id)))


def _date_of(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(_zone())).date()


# ------------------------------------------------------------------ the day's steps

def _is_admin() -> bool:
    return current_user.has_role(ADMIN)


@bp.route("/bookings/<uuid:booking_id>/step", methods=["POST"])
@role_required(ADMIN, STYLIST)
def step(booking_id):
    form = StepForm()
    back = _back(url_for("dashboard.index"))
    if not form.validate():
        flash(_("Keep the reason under 500 characters."), "danger")
        return redirect(back)
    try:
        booking = booking_steps.step_booking(db.session, current_actor(), booking_id, form.step.data or "",
                                             as_admin=_is_admin(), reason=form.reason.data)
    except NotFound:
        abort(404)
    except Refused as refused:
        flash(translate(refused.message), "danger")
        return redirect(back)
    flash(translate(Msg("%(step)s: %(name)s. You can undo this for 10 minutes.",
                        step=translate(STEP_LABELS[form.step.data]), name=booking.customer_name or "")), "success")
    return redirect(back)


@bp.route("/bookings/<uuid:booking_id>/undo", methods=["POST"])
@role_required(ADMIN, STYLIST)
def undo(booking_id):
    form = UndoForm()
    back = _back(url_for("dashboard.index"))
    if not form.validate():
        abort(400)
    try:
        booking_steps.undo_step(db.session, current_actor(), booking_id, as_admin=_is_admin())
    except NotFound:
        abort(404)
    except Refused as refused:
        flash(translate(refused.message), "danger")
        return redirect(back)
    flash(_("Undone."), "success")
    return redirect(back)


# ------------------------------------------------------------------ moving a booking

def _move_page(booking: Booking, form: MoveForm, status: int = 200, times=None):
    people = stylists_offering(db.session, booking.service_id)
    form.stylist.choices = [(str(p.user_id), p.display_name) for p in people]
    stylist_id = _uuid(form.stylist.data) or booking.stylist_user_id
    form.stylist.data = str(stylist_id)
    day = form.date.data or _date_of(booking.start_time)
    form.date.data = day
    shown = move_free_times(db.session, booking, stylist_id, day) if times is None else times
    form.start.choices = [(_time_choice(t), t) for t in shown]
    zones = {p.user_id: p.timezone for p in people}
    return render_template("desk/move.html", booking=booking, form=form, times=shown, day=day,
                           zone=zones.get(stylist_id, _zone()), service=db.session.get(Service, booking.service_id),
                           stylist=db.session.get(StylistProfile, booking.stylist_user_id)), status


@bp.route("/bookings/<uuid:booking_id>/move")
def move(booking_id):
    booking = db.get_or_404(Booking, booking_id)
    form = MoveForm(request.args, meta={"csrf": False})
    form.followup.data = request.args.get("followup", "")
    form.tell.data = True  # the page opens with the customer told (the desk may untick it)
    return _move_page(booking, form)


@bp.route("/bookings/<uuid:booking_id>/move", methods=["POST"])
def move_save(booking_id):
    booking = db.get_or_404(Booking, booking_id)
    form = MoveForm()
    stylist_id, start = _parse_choice(form.start.data)
    if not form.validate() or stylist_id is None or start is None:
        form.start.errors = [*form.start.errors, _("Choose one of the free times.")]
        return _move_page(booking, form, 400)
    try:
        moved = front_desk.move_booking(db.session, current_actor(), booking_id, stylist_id=stylist_id,
                                        start=start, followup=form.followup.data == "1", tell=bool(form.tell.data))
    except NotFound:
        abort(404)
    except Refused as refused:
        form.start.errors = [translate(refused.fields.get("start", refused.message))]
        form.start.data = None
        return _move_page(db.get_or_404(Booking, booking_id), form,
                          409 if refused.code == front_desk.SLOT_TAKEN else 400, refused.details.get("free_times"))
    flash(translate(Msg("Moved to %(when)s.", when=moved.start_time.astimezone(ZoneInfo(_zone())))), "success")
    return redirect(url_for("bookings.day", date=_date_of(moved.start_time).isoformat(),
                            stylist=str(moved.stylist_user_id)))


# ------------------------------------------------------------------ customers

@bp.route("/customers")
def customer_list():
    form = SearchForm(request.args)
    valid = form.validate()
    customers.link_new_phones(db.session)
    found = customers.search_customers(db.session, form.q.data if valid else None)
    unmatched = customers.unmatched_phones(db.session)
    return render_template("desk/customers.html", form=form, found=found, unmatched=unmatched), 200 if valid else 400


def _customer_page(customer_id, form: CustomerForm | None = None, status: int = 200):
    try:
        page = customers.open_customer(db.session, current_actor(), customer_id)
    except NotFound:
        abort(404)
    if form is None:
        c = page.customer
        form = CustomerForm(formdata=None, name=c.name, email=c.email, language=c.language,
                            messages_enabled=c.messages_enabled, notes=c.notes)
    form.language.choices = [(code, translate(LANGUAGE_LABELS[code])) for code in CUSTOMER_LANGUAGES]
    return render_template("desk/customer.html", page=page, form=form), status


@bp.route("/customers/<uuid:customer_id>")
def customer(customer_id):
    return _customer_page(customer_id)


@bp.route("/customers/<uuid:customer_id>", methods=["POST"])
def customer_save(customer_id):
    form = CustomerForm()
    if not form.validate():
        return _customer_page(customer_id, form, 400)
    try:
        customers.update_customer(db.session, current_actor(), customer_id, name=form.name.data,
                                  email=form.email.data, language=form.language.data,
                                  messages_enabled=form.messages_enabled.data, notes=form.notes.data)
    except NotFound:
        abort(404)
    except Refused as refused:
        show_on_form(form, refused)
        return _customer_page(customer_id, form, 400)
    flash(_("Saved."), "success")
    return redirect(url_for(".customer", customer_id=customer_id))
