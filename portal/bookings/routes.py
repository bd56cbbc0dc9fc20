"""Bookings pages: the day board, the follow-up list, a booking's details, a stylist's
appointments and the slot troubleshooter. Thin: parse, call one service, render."""
from __future__ import annotations

import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user

from portal import clock
from portal.auth.access import require_roles, role_required
from portal.auth.identity import current_actor
from portal.auth.next_page import safe_next
from portal.bookings import followup_filters
from portal.bookings.forms import CancelForm, DayForm, FollowUpFilterForm, KeepForm, NoteForm, TroubleshootForm
from portal.domain.bookings import CAUSES, CUSTOMER, first_name
from portal.domain.messages import LINK_ANSWERS
from portal.domain.refusals import NotFound, Refused
from portal.domain.roles import ADMIN, STYLIST
from portal.extensions import db
from portal.form_fields import scoped_ids
from portal.form_refusals import flash_outcome
from portal.i18n import current_language, translate
from portal.i18n.formatting import numerals
from portal.models import StylistProfile
from portal.slots import NotFound as NoSuchOffer
from portal.services.appointments import bookings, followup
from portal.services.appointments.troubleshooter import troubleshoot
from portal.services.desk import desk_board
from portal.services.messaging import message_figures
from portal.services.scheduling import schedules

bp = Blueprint("bookings", __name__, url_prefix="/bookings")
require_roles(bp, ADMIN)


@bp.app_context_processor
def _vocabulary():
    return {"first_name": first_name}


def _zone() -> str:
    return current_app.config["DEFAULT_TIMEZONE"]


def _today() -> date:
    return clock.now().astimezone(ZoneInfo(_zone())).date()


def _is_admin() -> bool:
    return current_user.has_role(ADMIN)


@bp.route("/day")
def day():
    form = DayForm(request.args)
    valid = form.validate()
    chosen = (form.date.data if valid else None) or _today()  # a bad date: today's board, and the error
    working, off = desk_board.desk_day(db.session, chosen, clock.now())
    shown = _uuid(request.args.get("stylist"))  # on a phone: one stylist at a time
    if shown not in {c.stylist.user_id for c in working}:
        shown = working[0].stylist.user_id if working else None
    return render_template("bookings/day.html", form=form, day=chosen, working=working, off=off, shown=shown,
                           prev_day=chosen - timedelta(days=1), next_day=chosen + timedelta(days=1)
                           ), 200 if valid else 400


def _followup_page(form: CancelForm, status: int = 200):
    filters = FollowUpFilterForm(request.args)
    valid = filters.validate()
    every = followup.followup_list(db.session, _zone())
    chosen = followup_filters.criteria_from(filters)
    page = followup_filters.page_of([h for h in every if chosen.matches(h)], filters.page.data)
    hits = page.hits
    form.booking_ids.choices = [(str(h.booking.id), h.booking.customer_name or _(CUSTOMER)) for h in hits]
    causes = followup_filters.cause_choices(every)
    if filters.cause.data and not filters.cause.errors and filters.cause.data not in dict(causes):
        causes.append((filters.cause.data, CAUSES.get(filters.cause.data, CAUSES["override"])))
    stylists = followup_filters.stylist_choices(every)
    if chosen.stylist and str(chosen.stylist) not in dict(stylists):
        profile = db.session.get(StylistProfile, chosen.stylist)
        stylists.append((str(chosen.stylist), profile.display_name if profile else _("Unknown stylist")))
    filters.cause.choices = [("", _("Any reason"))] + [(v, translate(t)) for v, t in causes]
    filters.stylist.choices = [("", _("Every stylist"))] + stylists
    scoped_ids(filters, "filter")
    return render_template("bookings/followup.html", hits=hits, page=page, every=len(every), chosen=chosen,
                           filters=filters, form=form,
                           note_form=NoteForm(formdata=None), keep_form=KeepForm(formdata=None),
                           link_answers=LINK_ANSWERS,
                           notices=message_figures.latest_by_booking(db.session, [h.booking.id for h in hits])
                           ), status if valid else 400


@bp.route("/follow-up")
def followup_list():
    return _followup_page(CancelForm(formdata=None))


def _booking_id_or_404(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except (TypeError, ValueError):
        abort(404)


@bp.route("/<uuid:booking_id>/contacted", methods=["POST"])
def contacted(booking_id):
    form = NoteForm()
    if not form.validate():
        flash(_("Keep the note under 500 characters."), "danger")
        return redirect(safe_next(request.form.get("next"), url_for(".followup_list")))
    return _record(booking_id, "contacted", form.note.data, _("Marked as contacted."))


@bp.route("/<uuid:booking_id>/kept", methods=["POST"])
def kept(booking_id):
    if not KeepForm().validate():
        abort(400)
    return _record(booking_id, "kept", None, _("Kept: the booking stays and has left the follow-up list."))


def _record(booking_id, action: str, note: str | None, done: str):
    flash_outcome(lambda: followup.record_followup(db.session, current_actor(), booking_id, action, note), done)
    return redirect(safe_next(request.form.get("next"), url_for(".followup_list")))


@bp.route("/cancel", methods=["POST"])
def cancel():
    """Two steps: the first POST shows what will be cancelled; the confirmed one cancels."""
    form = CancelForm()
    if not form.validate():
        return _followup_page(form, 400)
    ids = [_booking_id_or_404(i) for i in form.booking_ids.data or []]
    moved = form.moved.data == "1"
    chosen = bookings.bookings_by_id(db.session, ids)
    if not chosen or (not moved and not (form.reason.data or "").strip()):
        flash(_("Choose at least one booking.") if not chosen else _("Give the reason for cancelling."), "danger")
        return _followup_page(form, 400)
    back = safe_next(form.next.data, url_for(".followup_list"))
    if form.confirmed.data != "yes":
        form.confirmed.data = "yes"
        row = followup_filters.neighbour(form.shown.data or [], {str(i) for i in ids})
        form.next.data = back.split("#")[0] + f"#booking-{row}" if row else back
        closed = followup.outside_hours(db.session, ids)
        return render_template("bookings/confirm_cancel.html", form=form, chosen=chosen, moved=moved,
                               stays_closed=len(closed), back=back)
    closed = followup.outside_hours(db.session, ids)  # before cancelling: the bookings are still active
    try:
        done = followup.cancel_bookings(db.session, current_actor(), ids, form.reason.data, moved=moved)
    except Refused as refused:
        flash(translate(refused.message), "danger")
        return _followup_page(form, 409)
    flash(_cancelled_text(len(done), len([b for b in done if b.id not in closed]), moved), "success")
    return redirect(back)


def _cancelled_text(count: int, freed: int, moved: bool) -> str:
    """What a cancel did, truthfully: the customers are told (unless they rebooked), and a
    time outside the stylist's hours (a closed day, the break) does not become bookable."""
    language = current_language()
    if moved:
        done = ngettext("Cancelled %(count)s old booking: the customer has rebooked.",
                        "Cancelled %(count)s old bookings: the customers have rebooked.", count,
                        count=numerals(count, language))
    else:
        done = ngettext("Cancelled %(count)s booking; the customer is sent a cancellation message.",
                        "Cancelled %(count)s bookings; each customer is sent a cancellation message.", count,
                        count=numerals(count, language))
    if freed == count:
        times = ngettext("Its time is free to book again.", "Their times are free to book again.", count)
    elif freed == 0:
        times = ngettext("Its time stays closed to new bookings: it is outside the stylist's hours.",
                         "Their times stay closed to new bookings: they are outside the stylists' hours.", count)
    else:
        times = ngettext("%(num)s time is free to book again; the others stay closed (outside the hours).",
                         "%(num)s times are free to book again; the others stay closed (outside the hours).",
                         freed, num=numerals(freed, language))
    return f"{done} {times}"


@bp.route("/<uuid:booking_id>")
@role_required(ADMIN, STYLIST)
def detail(booking_id):
    try:
        page = bookings.open_booking(db.session, current_actor(), booking_id, as_admin=_is_admin())
    except NotFound:
        abort(404)
    except Refused:
        abort(403)
    return render_template("bookings/detail.html", page=page, cancel_form=CancelForm(formdata=None),
                           note_form=NoteForm(formdata=None), keep_form=KeepForm(formdata=None))


@bp.route("/stylists/<uuid:stylist_id>")
@role_required(ADMIN, STYLIST)
def agenda(stylist_id):
    if not _is_admin() and stylist_id != current_user.id:
        abort(403)
    stylist = db.session.get(StylistProfile, stylist_id) or abort(404)
    return render_template("bookings/agenda.html", stylist=stylist, zone=bookings.zone_name(stylist),
                           days=bookings.agenda(db.session, stylist))


@bp.route("/why")
@role_required(ADMIN, STYLIST)
def why():
    form = TroubleshootForm(request.args)
    admin = _is_admin()
    people = schedules.stylists(db.session) if admin else [db.session.get(StylistProfile, current_user.id)]
    people = [p for p in people if p is not None]
    if not people:
        abort(404)
    form.stylist.choices = [(str(p.user_id), p.display_name) for p in people]
    services = bookings.services(db.session)
    form.service.choices = [(str(s.id), s.name_in(current_language())) for s in services]
    stylist_id = _uuid(form.stylist.data) or people[0].user_id
    if not admin and stylist_id != current_user.id:
        abort(403)
    service_id = (_uuid(form.service.data) or bookings.first_offered_service(db.session, stylist_id)
                  or (services[0].id if services else None))
    form.stylist.data, form.service.data = str(stylist_id), str(service_id) if service_id else ""
    if not form.validate():  # the date's error next to its field
        return render_template("bookings/why.html", form=form, result=None, admin=admin), 400
    form.date.data = form.date.data or _today()
    result = None
    if service_id is not None:
        try:
            result = troubleshoot(db.session, stylist_id, service_id, form.date.data,
                                  int(current_app.config["SLOT_INTERVAL_MINUTES"]))
        except NoSuchOffer:
            abort(404)
    return render_template("bookings/why.html", form=form, result=result, admin=admin)


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None
