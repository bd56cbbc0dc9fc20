"""Forms of the bookings pages. They only parse; the rules live in the services."""
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.bounded_fields import BoundedIntegerField
from portal.domain.bookings import CAUSES
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
    next = HiddenField()  # the follow-up list as it was (filters, page, the row to come back to)
    shown = SelectMultipleField(choices=[], validate_choice=False)  # the rows the page showed, in order
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


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


class FollowUpFilterForm(FlaskForm):
    """The follow-up list's filters (GET): why, whose, which day, and the page."""

    class Meta:
        csrf = False

    cause = SelectField(_l("Why"), choices=[], validate_choice=False)  # a cause, or one schedule change's id
    stylist = SelectField(_l("Stylist"), choices=[], validate_choice=False)
    date = DateField(_l("Date"), validators=[Optional()])
    page = BoundedIntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1)])
    submit = SubmitField(_l("Show"))

    def validate_cause(self, field) -> None:
        if field.data and field.data not in CAUSES and not _is_uuid(field.data):
            raise ValidationError(_l("Choose a reason from the list."))

    def validate_stylist(self, field) -> None:
        if field.data and not _is_uuid(field.data):
            raise ValidationError(_l("Choose a stylist from the list."))
