"""Form fields and helpers shared by every form.

`DateField`: a date typed in a text box, year first — Gregorian (`2026-12-07`) or
Bikram Sambat marked `BS` (`BS 2083-08-21`), digits 0-9 or ०-९
(`portal.domain.typed_dates`), within the bounds of `BoundedDateField`. A native date
input shows mm/dd/yyyy or dd/mm/yyyy depending on the browser's language, so "03/04"
would mean two different days to two members of staff (spec/ui.md); this box reads the
same in every browser, with the format as its placeholder and help text. A date it
cannot read gets a message saying what is wrong ("February 2027 has 28 days.").
"""
from __future__ import annotations


from portal.bounded_fields import BoundedDateField, OtherDigits
from portal.domain import typed_dates
from portal.domain.bikram_sambat import FIRST_YEAR as BS_FIRST_YEAR, LAST_YEAR as BS_LAST_YEAR
from portal.domain.input_bounds import OTHER_DIGITS, typed_digits
from portal.domain.translatable import Msg, N_
from portal.i18n import current_language
from portal.i18n.formatting import bs_month_text, gregorian_month
from portal.presentation.formats import date_input_hint

DATE_PLACEHOLDER = "YYYY-MM-DD"
DATE_SHAPE = N_("Enter the date as year-month-day, e.g. 2026-12-07, or a BS date with “BS” before it, "
                "e.g. BS 2083-08-21.")


def date_problem_text(problem: typed_dates.DateNotRead, language: str) -> str:
    """What is wrong with a typed date, as a message the page translates (`Msg`)."""
    if problem.reason == typed_dates.NO_SUCH_MONTH:
        return Msg("There is no month %(month)s: months run from 1 to 12.", month=problem.month)
    if problem.reason == typed_dates.NO_SUCH_DAY:
        if problem.calendar == typed_dates.BIKRAM_SAMBAT:
            month = bs_month_text(problem.year, problem.month, language)
        else:
            month = gregorian_month(problem.year, problem.month, language)
        return Msg("%(month)s has %(days)s days.", month=month, days=problem.days)
    if problem.reason == typed_dates.BS_OUT_OF_RANGE:
        return Msg("BS dates can be read for the years %(first)s–%(last)s only.",
                   first=BS_FIRST_YEAR, last=BS_LAST_YEAR)
    return DATE_SHAPE


class DateField(BoundedDateField):
    def __init__(self, label=None, validators=None, description=None, **kwargs):
        render_kw = {"type": "text", "placeholder": DATE_PLACEHOLDER,
                     "autocomplete": "off", "maxlength": 24, **(kwargs.pop("render_kw", None) or {})}
        hint = date_input_hint()  # marked N_: translated whole on the page
        description = Msg("%(help)s %(hint)s", help=description, hint=Msg(hint)) if description else hint
        super().__init__(label, validators, format="%Y-%m-%d", description=description,
                         render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        text = " ".join(valuelist or []).strip()
        if not text:
            return
        typed = typed_digits(text)
        if typed is None:
            raise OtherDigits(OTHER_DIGITS)
        try:
            self.data = typed_dates.read_date(typed)
        except typed_dates.DateNotRead as problem:
            raise ValueError(date_problem_text(problem, current_language())) from problem


def scoped_ids(form, scope: str):
    """Give every field of `form` an id of its own (`scope-name`), so that several forms on
    one page never share an id and each label focuses its own box; names stay as they are."""
    for field in form:
        field.id = field.label.field_id = f"{scope}-{field.name}"
    return form
