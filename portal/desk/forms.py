"""Forms of the front desk. They only parse; the rules live in the services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from portal.form_fields import DateField


class StepForm(FlaskForm):
    step = HiddenField()
    reason = TextAreaField(_l("Reason for cancelling"), validators=[Optional(), Length(max=500)])
    next = HiddenField()


class UndoForm(FlaskForm):
    next = HiddenField()


class FindTimesForm(FlaskForm):
    """The booking page's first part (GET): who, what, which day."""

    class Meta:
        csrf = False

    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    email = StringField(_l("Email (optional)"), validators=[Optional(), Length(max=200)])
    service = SelectField(_l("Service"), choices=[], validate_choice=False)
    stylist = SelectField(_l("Stylist"), choices=[], validate_choice=False)
    date = DateField(_l("Day"), validators=[Optional()])
    source = RadioField(_l("How they booked"), choices=[], default="phone", validate_choice=False)
    submit = SubmitField(_l("Show free times"))


class TakeForm(FlaskForm):
    """Saving: the chosen start (`stylist id|UTC ISO instant`) and the customer."""

    phone = HiddenField()
    name = HiddenField()
    email = HiddenField()
    service = HiddenField()
    source = HiddenField()
    start = RadioField(_l("Free times"), choices=[], validate_choice=False)
    tell = BooleanField(_l("Send the customer a confirmation"), default=True)
    submit = SubmitField(_l("Book"))


class MoveForm(FlaskForm):
    stylist = SelectField(_l("Stylist"), choices=[], validate_choice=False)
    date = DateField(_l("Day"), validators=[Optional()])
    start = RadioField(_l("Free times"), choices=[], validate_choice=False)
    followup = HiddenField()
    tell = BooleanField(_l("Send the customer the new time"), default=True)
    submit = SubmitField(_l("Move here"))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or part of the phone number"), validators=[Optional(), Length(max=80)])
    submit = SubmitField(_l("Search"))


class CustomerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=120)])
    email = StringField(_l("Email (optional)"), validators=[Optional(), Length(max=200)])
    language = SelectField(_l("Language for messages"), choices=[], validate_choice=False)
    messages_enabled = BooleanField(_l("Messages may be sent"))
    notes = TextAreaField(_l("Staff notes"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save"))
