"""Form fields and helpers shared by every form.

`DateField`: a date typed as year-month-day in a text box (and within the bounds of
`BoundedDateField`). A native date input shows
mm/dd/yyyy or dd/mm/yyyy depending on the browser's language, so "03/04" would mean
two different days to two members of staff (spec/ui.md); this box reads the same in
every browser, with the format as its placeholder and help text.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.bounded_fields import BoundedDateField, OtherDigits
from portal.domain.translatable import Msg
from portal.presentation.formats import date_input_hint

DATE_PLACEHOLDER = "YYYY-MM-DD"


class DateField(BoundedDateField):
    def __init__(self, label=None, validators=None, description=None, **kwargs):
        render_kw = {"type": "text", "inputmode": "numeric", "placeholder": DATE_PLACEHOLDER,
                     "autocomplete": "off", "maxlength": 10, **(kwargs.pop("render_kw", None) or {})}
        hint = date_input_hint()  # marked N_: translated whole on the page
        description = Msg("%(help)s %(hint)s", help=description, hint=Msg(hint)) if description else hint
        super().__init__(label, validators, format="%Y-%m-%d", description=description,
                         render_kw=render_kw, **kwargs)
        self.parse_message = _l("Enter the date as year-month-day, e.g. 2026-12-07.")

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except OtherDigits:
            raise
        except ValueError as error:
            raise ValueError(self.parse_message) from error


def scoped_ids(form, scope: str):
    """Give every field of `form` an id of its own (`scope-name`), so that several forms on
    one page never share an id and each label focuses its own box; names stay as they are."""
    for field in form:
        field.id = field.label.field_id = f"{scope}-{field.name}"
    return form
