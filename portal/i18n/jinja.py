"""The template side of the two languages: filters and globals, each in the request's language.
The pages' date/time filters (`date`, `time`, `datetime`, …) are `portal.presentation.formats`'
(registered by `portal.templating`), which write the BS date and Nepali text through
`portal.i18n.formatting`.

| filter / global            | English                       | Nepali                      |
|----------------------------|-------------------------------|-----------------------------|
| `rupees` (paisa)           | Rs 1,500                      | रु १,५००                    |
| `numerals`                 | 2083                          | २०८३                        |
| `percent` (a share, 0…1)   | 12.5 %                        | १२.५ %                      |
| `translate`                | a marked message (`N_`, `Msg`) in the reader's language |
"""
from __future__ import annotations

from flask import Flask
from flask_babel import get_translations
from markupsafe import Markup, escape

from portal.i18n import current_language, formatting, languages, translate


def _in_language(function):
    """`function(value, *args, locale)` as a filter of the request's language."""
    return lambda value, *args: function(value, *args, current_language())


FILTERS = {  # not dates or times: those are portal.presentation.formats' (one module, `page_filters`)
    "rupees": _in_language(formatting.rupees),
    "numerals": _in_language(formatting.numerals),
    "translate": translate,
    "percent": _in_language(formatting.percent),
    "language_name": lambda code: formatting.LANGUAGE_NAMES.get(code, code),
}


def _numbers_in_language(template: str, values: dict) -> dict:
    """Whole numbers given to a `%(name)s` placeholder are written in the page's digits."""
    language = current_language()
    return {k: (formatting.numerals(v, language) if isinstance(v, int) and not isinstance(v, bool)
                and f"%({k})s" in template else v) for k, v in values.items()}


def _template_gettext(message: str, **values) -> Markup:
    """`_()` in templates: translated, values escaped, numbers in the page's digits."""
    text = get_translations().ugettext(message)
    if not values:
        return Markup(escape(text))
    values = {k: escape(v) for k, v in _numbers_in_language(text, values).items()}
    return Markup(escape(text) % values)


def _template_ngettext(singular: str, plural: str, n: int, /, **values) -> Markup:
    """`ngettext` in templates: the form for `n`, which fills `%(num)s` unless `num` is given
    (e.g. the number inside its own markup)."""
    text = get_translations().ungettext(singular, plural, n)
    values.setdefault("num", n)
    if "%(num)d" in text:
        text = text.replace("%(num)d", "%(num)s")
    values = {k: escape(v) for k, v in _numbers_in_language(text, values).items()}
    return Markup(escape(text) % values)


def register(app: Flask) -> None:
    env = app.jinja_env
    # replaces Flask-Babel's template callables: the same lookup, plus the page's digits
    env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)
    env.filters.update(FILTERS)
    # `date`, `time`, `datetime`, … are portal.presentation.formats' (portal.templating),
    # in the page's language with the BS date; the day's hours and why are `day_hours`/`day_reason`;
    # the words of stored codes are portal.templating's label filters (`booking_status`, `day_name`, …)
    env.globals.update(
        current_language=current_language, offered_languages=languages,
        gregorian_month=lambda year, month: formatting.gregorian_month(year, month, current_language()),
        bs_month=lambda year, month: formatting.bs_month_text(year, month, current_language()),
        weekday_short=_in_language(formatting.weekday_short),
    )
