"""English and Nepali: Flask-Babel set-up, the locale of a request, translating marked
messages (`translate`); the template filters are in `portal.i18n.jinja`.

The locale of a request, first that applies:
1. the signed-in person's stored language (`user_profiles.language`);
2. the `lang` cookie (the choice made on the sign-in page, before there is an account);
3. the browser's `Accept-Language`, among `LANGUAGES`;
4. the first of `LANGUAGES` (English).

The public JSON API never translates (its contract is fixed): nothing under `/api` calls
gettext.
"""
from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel, get_locale, get_translations, gettext
from flask_login import current_user

from portal.domain.translatable import Msg, PluralMsg, Span
from portal.extensions import STATIC_ENDPOINTS, login_manager
from portal.i18n import formatting, library_messages  # noqa: F401  (WTForms' messages, for extraction)

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
    reader's format); a `PluralMsg` in the reader's plural form for its number."""
    if not message:
        return message
    if isinstance(message, PluralMsg):
        values = {k: _localised(v, current_language()) for k, v in message.values.items()}
        return get_translations().ungettext(message.singular, message.plural, message.values["num"]) % values
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
    if isinstance(value, time):
        return formatting.clock(value, language)
    if isinstance(value, Msg):
        return translate(value)
    if isinstance(value, Span):  # the page's own range filter, in the page's language
        kind = "time_range" if isinstance(value.start, time) else "date_range"
        return current_app.jinja_env.filters[kind](value.start, value.end)
    if isinstance(value, int) and not isinstance(value, bool):
        return formatting.numerals(value, language)
    if isinstance(value, ZoneInfo):  # a zone in people's words ("Nepal Time", "नेपाल समय")
        return current_app.jinja_env.filters["zone_name"](value)
    return value


class FormTranslations:
    """The catalogue as WTForms reads it (`ugettext`/`ungettext`): on a Nepali page the numbers
    WTForms fills into its messages are Devanagari ("संख्या १ देखि ४८० बीच हुनुपर्छ।")."""

    def __init__(self, translations, language: str):
        self.translations, self.nepali = translations, formatting.is_nepali(language)

    def ugettext(self, message: str) -> str:
        return self._digits(self.translations.ugettext(message))

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return self._digits(self.translations.ungettext(singular, plural, n))

    gettext, ngettext = ugettext, ungettext

    def _digits(self, text: str) -> str:
        return formatting.LocalDigits(text) if self.nepali else text


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale)
    login_manager.localize_callback = gettext  # "Please sign in to continue." in the person's language

    @app.before_request
    def forms_speak_the_persons_language():
        # Flask-WTF looks for WTForms' own catalogues (which have no Nepali) unless the
        # request already carries translations: hand it ours, which hold WTForms' messages
        # (`portal.i18n.library_messages` lists them for extraction).
        if not request.path.startswith("/api/") and request.endpoint not in STATIC_ENDPOINTS:
            request.wtforms_translations = FormTranslations(get_translations(), current_language())
