"""Forms of the bookings pages. They only parse; the rules live in the services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.form_fields import DateField


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note (what was agreed)"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Mark contacted"))


class KeepForm(FlaskForm):
    submit = SubmitField(_l("Keep"))


class CancelForm(FlaskForm):
    booking_ids = SelectMultipleField(_l("Bookings"), choices=[], validate_choice=False,
                                      option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    reason = TextAreaField(_l("Reason for cancelling (shown in the log)"), validators=[Optional(), Length(max=500)])
    moved = HiddenField()  # "1": the customer rebooked (reason "rescheduled")
    confirmed = HiddenField()
    submit = SubmitField(_l("Cancel the chosen bookings"))


class DayForm(FlaskForm):
    class Meta:
        csrf = False

    date = DateField(_l("Date"), validators=[Optional()])  # year-month-day in every browser (not mm/dd)
    submit = SubmitField(_l("Show"))


class TroubleshootForm(FlaskForm):
    class Meta:
        csrf = False

    stylist = SelectField(_l("Stylist"), choices=[], validate_choice=False)
    service = SelectField(_l("Service"), choices=[], validate_choice=False)
    date = DateField(_l("Date"), validators=[Optional()])
    submit = SubmitField(_l("Explain"))
