"""The public-holidays form: one line per holiday (tick, and the date the salon closes)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, SubmitField
from wtforms.validators import Optional

from portal.form_fields import DateField


class HolidayLineForm(Form):
    chosen = BooleanField(_l("Close the salon"))
    day = DateField(_l("Date"), validators=[Optional()],
                 description=_l("Change it if the government announces another day."))


class HolidayImportForm(FlaskForm):
    lines = FieldList(FormField(HolidayLineForm))
    confirmed = HiddenField()
    submit = SubmitField(_l("Check bookings"))
