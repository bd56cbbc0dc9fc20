"""`POST /language` (the switch) and `GET /dates/bs` (the BS date next to a date input)."""
from __future__ import annotations


from flask import Blueprint, jsonify, redirect, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import role_required
from portal.auth.identity import current_actor
from portal.auth.next_page import safe_next
from portal.domain import typed_dates
from portal.domain.bikram_sambat import bs_date
from portal.domain.input_bounds import typed_digits
from portal.domain.refusals import Refused
from portal.domain.roles import ADMIN, AUDITOR, STYLIST
from portal.extensions import db
from portal.form_fields import date_problem_text
from portal.i18n import LANGUAGE_COOKIE, current_language, languages, translate
from portal.i18n.formatting import long_date
from portal.i18n.forms import LanguageForm
from portal.services.identity import preferences

bp = Blueprint("i18n", __name__)
ONE_YEAR = 365 * 24 * 3600


@bp.route("/language", methods=["POST"])
def set_language():
    """Anyone may switch (the sign-in page too); a signed-in person's choice is kept on the account."""
    form = LanguageForm()
    form.language.choices = [(code, code) for code in languages()]
    if not form.validate():
        return _("Choose one of the languages offered."), 400
    if current_user.is_authenticated:
        try:
            preferences.set_language(db.session, current_actor(), form.language.data, languages())
        except Refused as refused:
            return refused.message, 400
    response = redirect(safe_next(form.next.data or request.referrer and _path(request.referrer)))
    response.set_cookie(LANGUAGE_COOKIE, form.language.data, max_age=ONE_YEAR, httponly=True,
                        samesite="Lax", secure=request.is_secure)
    return response


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.route("/dates/bs")
@role_required(ADMIN, AUDITOR, STYLIST)
def bs():
    """`?date=2026-12-07` -> the BS date in English and Nepali (null outside the library's range);
    `?date=BS 2083-08-21` (a BS date as a date box takes it) -> the same, with the Gregorian
    date it names (`gregorian_en`, `gregorian_ne`). A date that cannot be read: 400 saying why."""
    text = typed_digits((request.args.get("date") or "").strip())
    try:
        if text is None:
            raise typed_dates.DateNotRead(typed_dates.SHAPE)
        which = typed_dates.split(text)[0]
        day = typed_dates.read_date(text)
    except typed_dates.DateNotRead as problem:
        return jsonify(error=translate(date_problem_text(problem, current_language())), field="date"), 400
    return jsonify(date=day.isoformat(), en=bs_date(day, "en"), ne=bs_date(day, "ne"), calendar=which,
                   gregorian_en=long_date(day, "en"), gregorian_ne=long_date(day, "ne"))
