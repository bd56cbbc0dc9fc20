"""English and Nepali: Flask-Babel set-up, the locale of a request, and the filters.

The locale of a request, first that applies:
1. the signed-in person's stored language (`user_profiles.language`);
2. the `lang` cookie (the choice made on the sign-in page, before there is an account);
3. the browser's `Accept-Language`, among `LANGUAGES`;
4. the first of `LANGUAGES` (English).

The public JSON API never translates (its contract is fixed): nothing under `/api` calls
gettext.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel, get_locale, get_translations
from flask_babel import gettext
from flask_login import current_user

from portal.domain import page_labels
from portal.domain.override_kinds import LABELS as override_kind_labels
from portal.domain.page_labels import BOOKING_STATUS_LABELS, CHANGE_LABELS
from portal.domain.translatable import Msg
from portal.i18n import formatting

LANGUAGE_COOKIE = "lang"
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "translations"

babel = Babel()


def languages() -> list[str]:
    raw = current_app.config["LANGUAGES"]
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return [item.strip() for item in items if item.strip()]


def select_locale() -> str:
    offered = languages()
    if not has_request_context():
        return offered[0]
    if current_user and current_user.is_authenticated and current_user.language in offered:
        return current_user.language
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in offered:
        return chosen
    return request.accept_languages.best_match(offered) or offered[0]


def current_language() -> str:
    return str(get_locale() or "en")


def translate(message: str | None) -> str | None:
    """A message marked with `N_` (or any text) in the request's language; unknown text
    unchanged. A `Msg` is translated from its template, its values filled in (dates in the
    reader's format)."""
    if not message:
        return message
    if isinstance(message, Msg):
        language = current_language()
        values = {k: _localised(v, language) for k, v in message.values.items()}
        return gettext(message.template) % values if values else gettext(message.template)
    return gettext(message)


def _localised(value, language: str):
    if isinstance(value, datetime):
        return f"{formatting.long_date(value, language)}, {formatting.clock(value, language)}"
    if isinstance(value, date):
        return formatting.long_date(value, language)
    if isinstance(value, Msg):
        return translate(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return formatting.numerals(value, language)
    return value


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale)
    from portal.extensions import login_manager

    login_manager.localize_callback = gettext  # "Please sign in to continue." in the person's language
    from portal.i18n import library_messages  # noqa: F401  (WTForms' messages, for extraction)

    @app.before_request
    def forms_speak_the_persons_language():
        # Flask-WTF looks for WTForms' own catalogues (which have no Nepali) unless the
        # request already carries translations: hand it ours, which hold WTForms' messages.
        if not request.path.startswith("/api/"):
            request.wtforms_translations = get_translations()
    env = app.jinja_env
    env.filters["bs_date"] = lambda value: formatting.bs_text(value, current_language())
    env.filters["rupees"] = lambda paisa: formatting.rupees(paisa, current_language())
    env.filters["numerals"] = lambda value: formatting.numerals(value, current_language())
    env.filters["clock"] = lambda value: formatting.clock(value, current_language())
    env.filters["clock_in"] = lambda value, zone: formatting.clock_in(value, zone, current_language())
    # the pages' own `date` filter (portal.templating) replaces this one where it exists
    env.filters.setdefault("date", lambda value: formatting.dual_date(value, current_language()))
    env.filters["datetime_in"] = lambda value, zone: formatting.datetime_in(value, zone, current_language())
    env.filters["clock_text"] = lambda value: formatting.clock_text(value, current_language())
    env.globals["change_labels"] = CHANGE_LABELS
    env.globals["booking_statuses"] = BOOKING_STATUS_LABELS
    env.globals["promotion_statuses"] = page_labels.PROMOTION_STATUS_LABELS
    env.globals["promotion_actions"] = page_labels.PROMOTION_ACTION_LABELS
    env.globals["check_values"] = page_labels.CHECK_VALUE_LABELS
    env.globals["role_labels"] = page_labels.ROLE_LABELS
    env.globals["audit_actions"] = page_labels.AUDIT_ACTION_LABELS
    env.globals["target_labels"] = page_labels.TARGET_LABELS
    from portal.services import schedules  # the effective-schedule wording, translated

    env.globals["override_kinds"] = override_kind_labels
    env.globals["day_names"] = schedules.DAY_NAMES
    env.filters["day_hours"] = lambda d: schedules.hours_text(
        d, tr=gettext, clock=lambda t: formatting.clock(t, current_language()))
    env.filters["day_why"] = lambda d: schedules.explain(
        d, tr=gettext, num=lambda n: formatting.numerals(n, current_language()))
    env.filters["bs_day"] = lambda value: formatting.bs_day(value, current_language())
    env.filters["day_month"] = lambda value: formatting.day_month(value, current_language())
    env.globals["gregorian_month"] = lambda year, month: formatting.gregorian_month(year, month, current_language())
    env.globals["weekday_short"] = lambda index: formatting.weekday_short(index, current_language())
    env.globals["bs_month"] = lambda year, month: formatting.bs_month_text(year, month, current_language())
    env.globals["current_language"] = current_language
    env.filters["translate"] = translate
    env.globals["language_names"] = formatting.LANGUAGE_NAMES
    env.globals["offered_languages"] = languages
