"""`N_`: marks a message for the translation catalogue without translating it here;
`Msg`: a message with values, kept so that a page can show it in another language.

Pure code (domain, services) writes its messages in English inside `N_(...)`; the page
that shows one translates it with gettext (`portal.i18n.translate`). `pybabel extract`
is told `-k N_`, so every marked message is in the catalogue.
"""
from dataclasses import dataclass
from datetime import date, datetime, time


def N_(message: str) -> str:
    return message


def Np_(singular: str, plural: str) -> str:
    """`N_` for a message with a plural form (extracted with `-k Np_:1,2`)."""
    return singular


class Msg(str):
    """An English message built from a marked template and its values.

    It *is* the English text (logs, tests and JSON see a plain string), and it keeps
    `template` and `values` so a page can translate the template and fill the values in
    (`portal.i18n.translate`); a `date` value is written `Mon 7 Dec 2026` (a `datetime`
    `Mon 7 Dec 2026, 10:00 AM`) in English and in the reader's own format on a translated page.
    Extracted with `-k Msg`.
    """

    template: str
    values: dict

    def __new__(cls, template: str, **values) -> "Msg":
        english = {k: _english(v) for k, v in values.items()}
        message = super().__new__(cls, template % english if values else template)
        message.template, message.values = template, values
        return message


@dataclass(frozen=True)
class Span:
    """Two times or two dates a `Msg` shows as one range; a page writes it with its
    `time_range` / `date_range` filter (`8:00 AM – 12:00 PM`, `from 1 Jan 2030`, in the
    reader's language), so a service passes the values, never their English text."""

    start: date | time
    end: date | time | None = None
class PluralMsg(Msg):
    """A `Msg` whose words depend on a number, `num` (1 booking, 5 bookings): the page picks
    the language's plural form (`ngettext`). Extracted with `-k PluralMsg:1,2`.

    >>> str(PluralMsg("%(num)s booking", "%(num)s bookings", 5))
    '5 bookings'
    """

    singular: str
    plural: str

    def __new__(cls, singular: str, plural: str, num: int, **values) -> "PluralMsg":
        message = super().__new__(cls, singular if num == 1 else plural, num=num, **values)
        message.singular, message.plural = singular, plural
        return message


def _english(value):
    """Dates as the pages write them (ui.md): `Mon 7 Dec 2026`, `Mon 7 Dec 2026, 10:00 AM`."""
    if isinstance(value, datetime):
        return f"{_english(value.date())}, {value.hour % 12 or 12}:{value:%M} {'AM' if value.hour < 12 else 'PM'}"
    if isinstance(value, date):
        return f"{value:%a} {value.day} {value:%b %Y}"
    if isinstance(value, time):
        return f"{value.hour % 12 or 12}:{value:%M} {'AM' if value.hour < 12 else 'PM'}"
    if isinstance(value, Span):
        if value.end is None:
            return f"from {_english(value.start)}"
        return f"{_english(value.start)} – {_english(value.end)}"
    return value
