"""`/b/<token>`: the customer's page for one booking (messages.md "The customer's link").

Thin views: each finds what the token opens, calls one service and redirects back to
the page with what was done in the query (no flash: nothing but the CSRF token is kept
in the session). The page speaks the customer's stored language unless `?lang=` says
otherwise. Every request is counted against `BOOKING_LINK_RATE_LIMIT` per client IP;
a wrong or expired token is a plain 404 with a sampled security event.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale

from portal import throttle
from portal.auth.identity import current_actor
from portal.booking_link.forms import ActionForm, MoveForm
from portal.domain.refusals import NotFound, Refused
from portal.extensions import db
from portal.i18n import languages
from portal.network import client_ip
from portal.services.audit.security import record_sampled_security_event
from portal.services.messaging import link_actions

UTC = timezone.utc
bp = Blueprint("booking_link", __name__, url_prefix="/b")
DONE = ("kept", "cancelled", "moved", "stopped")


@bp.before_request
def limit():
    item = throttle.limit_item(str(current_app.config["BOOKING_LINK_RATE_LIMIT"]))
    if not throttle.hit(item, "booking_link", client_ip()):
        record_sampled_security_event(current_actor(), "rate_limit_exceeded", path="/b/…", limit=str(item))
        return render_template("booking_link/problem.html", lang=_lang(None), status=429), 429
    return None


@bp.after_request
def private(response):
    """The token is in the address: no shared cache keeps the page, no Referer carries it."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _lang(link) -> str:
    chosen = request.args.get("lang")
    if chosen in languages():
        return chosen
    return link.language if link is not None else "ne"


def _open(token: str):
    link = link_actions.view(db.session, token)
    if link is None:
        record_sampled_security_event(current_actor(), "customer_link_refused", path="/b/…")
        abort(404)
    return link


def _page(token: str, link, status: int = 200, refused: Refused | None = None, any_stylist: bool = False):
    lang = _lang(link)
    times = link_actions.choices(db.session, link, any_stylist) if link.can_change else []  # fresh after a refusal
    names = {s.user_id: s.display_name for s in link_actions.stylists_offering(db.session, link.service.id)}
    with force_locale(lang):
        return render_template("booking_link/page.html", link=link, token=token, lang=lang, times=times,
                               stylist_names=names,
                               any_stylist=any_stylist, done=request.args.get("done") if status == 200 else None,
                               refused=refused, form=ActionForm(), move_form=MoveForm()), status


@bp.route("/<token>")
def page(token: str):
    link = _open(token)
    return _page(token, link, any_stylist=request.args.get("any") == "1")


def _back(token: str, done: str, lang: str):
    return redirect(url_for(".page", token=token, done=done, lang=lang))


def _act(token: str, action, done: str):
    link = _open(token)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(db.session, token, client_ip(), request.user_agent.string)
    except NotFound:
        abort(404)
    except Refused as refused:
        return _page(token, link_actions.view(db.session, token) or link, 409, refused)
    return _back(token, done, _lang(link))


@bp.route("/<token>/keep", methods=["POST"])
def keep(token: str):
    return _act(token, link_actions.keep, "kept")


@bp.route("/<token>/cancel", methods=["POST"])
def cancel(token: str):
    return _act(token, link_actions.cancel, "cancelled")


@bp.route("/<token>/stop", methods=["POST"])
def stop(token: str):
    return _act(token, link_actions.stop_messages, "stopped")


@bp.route("/<token>/move", methods=["POST"])
def move(token: str):
    link = _open(token)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        stylist_text, start_text = (form.choice.data or "").split("|", 1)
        stylist_id, start = uuid.UUID(stylist_text), datetime.fromisoformat(start_text)
        if start.tzinfo is None:
            raise ValueError
    except ValueError:
        abort(400)
    try:
        link_actions.move(db.session, token, stylist_id, start, client_ip(), request.user_agent.string)
    except NotFound:
        abort(404)
    except Refused as refused:
        return _page(token, link_actions.view(db.session, token) or link, 409, refused)
    return _back(token, "moved", _lang(link))
