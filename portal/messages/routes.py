"""The messages pages (admins): the outbox, retry/cancel, "try again" on a paused
channel, the templates with a live preview, and "Tell the customers" (preview, then
send) from the follow-up list. Thin: parse, call one service, flash, redirect."""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext

from portal.auth.access import require_roles
from portal.auth.identity import current_actor
from portal.domain import message_templates as templates
from portal.domain.messages import KINDS, LANGUAGES, masked_phone, sms_size
from portal.domain.bookings import first_name
from portal.domain.refusals import NotFound, Refused
from portal.domain.roles import ADMIN
from portal.extensions import db
from portal.form_refusals import flash_outcome, show_on_form
from portal.i18n import translate
from portal.message_settings import public_base_url
from portal.messages.forms import ButtonForm, FilterForm, TellForm, TemplateForm
from portal.services.messaging import message_figures, messages
from portal.services.messaging.message_channels import paused_channels
from portal.services.messaging.message_outbox import template_text

bp = Blueprint("messages", __name__, url_prefix="/messages")
require_roles(bp, ADMIN)


@bp.app_context_processor
def _vocabulary():
    return {"masked_phone": masked_phone,
            "first_name": first_name}


def _zone() -> str:
    return current_app.config["DEFAULT_TIMEZONE"]


@bp.route("/")
def index():
    form = FilterForm(request.args)
    valid = form.validate()
    rows = message_figures.listing(db.session, _zone(), form.state.data or None, form.kind.data or None,
                                   form.day.data if valid else None)
    today, month = message_figures.today_and_month(db.session, _zone())
    return render_template("messages/index.html", form=form, rows=rows, today=today, month=month,
                           alerts=message_figures.alerts(db.session), buttons=ButtonForm(),
                           zone=_zone()), 200 if valid else 400


def _id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        abort(404)


@bp.route("/<uuid:message_id>/retry", methods=["POST"])
def retry(message_id):
    if not ButtonForm().validate():
        abort(400)
    flash_outcome(lambda: messages.retry_message(db.session, current_actor(), message_id),
                  _("The message is queued again."))
    return redirect(url_for(".index"))


@bp.route("/<uuid:message_id>/cancel", methods=["POST"])
def cancel(message_id):
    if not ButtonForm().validate():
        abort(400)
    flash_outcome(lambda: messages.cancel_message(db.session, current_actor(), message_id),
                  _("The message is cancelled."))
    return redirect(url_for(".index"))


@bp.route("/try-again", methods=["POST"])
def try_again():
    if not ButtonForm().validate():
        abort(400)
    resumed = messages.try_again(db.session)
    if resumed:
        flash(_("The account works again: sending has resumed."), "success")
    elif paused_channels(db.session):
        flash(_("The account still does not work; sending stays paused. It is checked again every few minutes."),
              "warning")
    return redirect(url_for(".index"))


@bp.route("/templates")
def template_list():
    rows = [(kind, language, *template_text(db.session, kind, language)) for kind in KINDS for language in LANGUAGES]
    return render_template("messages/templates.html", rows=rows)


@bp.route("/templates/<kind>/<language>", methods=["GET", "POST"])
def template_edit(kind: str, language: str):
    if kind not in KINDS or language not in LANGUAGES:
        abort(404)
    subject, body = template_text(db.session, kind, language)
    form = TemplateForm(data={"subject": subject, "body": body})
    if form.validate_on_submit():
        try:
            messages.save_template(db.session, current_actor(), kind, language, form.subject.data or "",
                                   form.body.data or "")
        except NotFound:
            abort(404)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            flash(_("The template is saved."), "success")
            return redirect(url_for(".template_list"))
    return render_template("messages/template_edit.html", form=form, kind=kind, language=language,
                           placeholders=templates.PLACEHOLDERS, preview=_preview(form.body.data or "", language)
                           ), 400 if form.errors else 200


def _preview(body: str, language: str) -> dict:
    try:
        text = templates.preview(body, language, current_app.config["SALON_NAME"],
                                 current_app.config["SALON_PHONE"] or "", public_base_url(current_app.config))
    except (KeyError, ValueError, IndexError):
        return {"text": "", "length": 0, "segments": 0, "encoding": "", "error": _("Unknown placeholder or "
                                                                                       "an unclosed brace.")}
    size = sms_size(text)
    return {"text": text, "length": size.length, "segments": size.segments, "encoding": size.encoding,
            "error": None}


@bp.route("/templates/<language>/preview")
def template_preview(language: str):
    """The live preview (JSON): the text with a made-up booking, its length and SMS segments."""
    if language not in LANGUAGES:
        abort(404)
    return jsonify(_preview(request.args.get("body", "")[: templates.MAX_BODY], language))


@bp.route("/tell", methods=["POST"])
def tell():
    """From the follow-up list: the first POST previews (who, which text, how many SMS);
    the confirmed one queues a change notice to each chosen booking's customer."""
    form = TellForm()
    if not form.validate():
        abort(400)
    ids = [_id(i) for i in form.booking_ids.data or []]
    if not ids:
        flash(_("Choose at least one booking."), "danger")
        return redirect(url_for("bookings.followup_list"))
    if form.confirmed.data != "yes":
        form.confirmed.data = "yes"
        rows = messages.preview_notices(db.session, ids)
        return render_template("messages/tell.html", form=form, rows=rows, zone=_zone(),
                               sample_link=templates.sample_link(public_base_url(current_app.config)),
                               total_segments=sum(r.segments for r in rows if r.allowed))
    try:
        queued = messages.tell_customers(db.session, current_actor(), ids)
    except NotFound:
        abort(404)
    except Refused as refused:
        flash(translate(refused.message), "danger")
        return redirect(url_for("bookings.followup_list"))
    flash(ngettext("%(count)s message is on its way.", "%(count)s messages are on their way.", len(queued),
                   count=len(queued)), "success")
    return redirect(url_for("bookings.followup_list"))
