"""The template side of the two languages: filters and globals, each in the request's language.

| filter / global            | English                       | Nepali                      |
|----------------------------|-------------------------------|-----------------------------|
| `date` (if the pages have none) | Mon 7 Dec 2026 · 21 Mangsir 2083 | सोम ७ डिसेम्बर २०२६ · २१ मंसिर २०८३ |
| `bs_date`                  | 21 Mangsir 2083 ("" outside)  | २१ मंसिर २०८३               |
| `datetime_in(zone)`        | Mon 7 Dec 2026, 10:00 AM · …  | सोम … बिहान १०:०० · …       |
| `clock`, `clock_in(zone)`, `clock_text` | 10:00 AM          | बिहान १०:००                 |
| `rupees` (paisa)           | NPR 1,500                     | रु १,५००                    |
| `numerals`                 | 2083                          | २०८३                        |
| `translate`                | a marked message (`N_`, `Msg`) in the reader's language |
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import get_translations, gettext
from markupsafe import Markup, escape

from portal.domain import page_labels
from portal.domain.override_kinds import LABELS as OVERRIDE_KIND_LABELS
from portal.i18n import current_language, formatting, languages, translate
from portal.services import schedules


def _in_language(function):
    """`function(value, *args, locale)` as a filter of the request's language."""
    return lambda value, *args: function(value, *args, current_language())


FILTERS = {
    "bs_date": _in_language(formatting.bs_text),
    "bs_day": _in_language(formatting.bs_day),
    "day_month": _in_language(formatting.day_month),
    "rupees": _in_language(formatting.rupees),
    "numerals": _in_language(formatting.numerals),
    "clock": lambda value, zone=None: formatting.clock(
        value.astimezone(ZoneInfo(zone)) if zone and value is not None else value, current_language()),
    # the bookings pages' day filters, in the page's language and with the BS date
    "day_text": _in_language(formatting.dual_date),
    "local_day": lambda value, zone: formatting.dual_date(value.astimezone(ZoneInfo(zone)).date(), current_language()),
    "clock_in": _in_language(formatting.clock_in),
    "clock_text": _in_language(formatting.clock_text),
    "datetime_in": _in_language(formatting.datetime_in),
    "translate": translate,
    # the effective-schedule wording (hours, and why), translated
    "day_hours": lambda d: schedules.hours_text(d, tr=gettext, clock=_in_language(formatting.clock)),
    "day_why": lambda d: schedules.explain(d, tr=gettext, num=_in_language(formatting.numerals)),
}
LABELS = {  # the words of stored codes, translated in the template with `|translate`
    "change_labels": page_labels.CHANGE_LABELS,
    "booking_statuses": page_labels.BOOKING_STATUS_LABELS,
    "promotion_statuses": page_labels.PROMOTION_STATUS_LABELS,
    "promotion_actions": page_labels.PROMOTION_ACTION_LABELS,
    "check_values": page_labels.CHECK_VALUE_LABELS,
    "role_labels": page_labels.ROLE_LABELS,
    "audit_actions": page_labels.AUDIT_ACTION_LABELS,
    "target_labels": page_labels.TARGET_LABELS,
    "override_kinds": OVERRIDE_KIND_LABELS,
    "day_names": schedules.DAY_NAMES,
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


def _template_ngettext(singular: str, plural: str, num: int, **values) -> Markup:
    text = get_translations().ungettext(singular, plural, num)
    values.setdefault("num", num)
    if "%(num)d" in text:
        text = text.replace("%(num)d", "%(num)s")
    values = {k: escape(v) for k, v in _numbers_in_language(text, values).items()}
    return Markup(escape(text) % values)


def register(app: Flask) -> None:
    env = app.jinja_env
    # replaces Flask-Babel's template callables: the same lookup, plus the page's digits
    env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)
    env.filters.update(FILTERS)
    # the pages' own `date` filter (portal.templating) takes over where it exists
    env.filters.setdefault("date", _in_language(formatting.dual_date))
    env.globals.update(LABELS)
    env.globals.update(
        current_language=current_language, offered_languages=languages,
        language_names=formatting.LANGUAGE_NAMES,
        gregorian_month=lambda year, month: formatting.gregorian_month(year, month, current_language()),
        bs_month=lambda year, month: formatting.bs_month_text(year, month, current_language()),
        weekday_short=_in_language(formatting.weekday_short),
    )
