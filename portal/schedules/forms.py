"""Forms of the schedule pages. They only parse; the rules live in the services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, HiddenField, SelectField, SubmitField, TextAreaField, TimeField,
)
from wtforms.validators import Length, Optional

from portal.bounded_fields import BoundedIntegerField
from portal.domain.override_kinds import LABELS
from portal.domain.schedule_changes import DAY_NAMES
from portal.form_fields import DateField

TYPE_CHOICES = [(k, _l(v)) for k, v in LABELS.items()]


class OverrideForm(FlaskForm):
    # The kind is chosen by the "New …" link and fixed on the page (the form shows only
    # the fields that apply to it); it travels as a hidden value.
    override_type = HiddenField("Kind")
    stylist_id = SelectField("Stylist", choices=[], validate_choice=False)
    start_date = DateField("First date", validators=[Optional()])
    end_date = DateField("Last date", validators=[Optional()], description="The same as the first date for one day.")
    start = TimeField("Opens at", validators=[Optional()])
    end = TimeField("Closes at", validators=[Optional()])
    priority = BoundedIntegerField("Priority (0–100)", validators=[Optional()],
                                   description="Empty = the usual order for this kind.")
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=500)],
                           description="Shown on the effective schedule, e.g. “Dashain closure”.")
    previewed = HiddenField()
    submit = SubmitField(_l("Save"))


class OverrideFilterForm(FlaskForm):
    class Meta:
        csrf = False

    override_type = SelectField(_l("Kind"), choices=[("", _l("All kinds"))] + TYPE_CHOICES, validate_choice=False)
    stylist_id = SelectField(_l("Stylist"), choices=[], validate_choice=False)


class WeeklyForm(FlaskForm):
    day_of_week = SelectField("Day", coerce=int, choices=list(enumerate(DAY_NAMES)), validate_choice=False)
    start = TimeField("Starts at", validators=[Optional()])
    end = TimeField("Ends at", validators=[Optional()])
    break_start = TimeField("Break from", validators=[Optional()])
    break_end = TimeField("Break until", validators=[Optional()])
    effective_from = DateField("Applies from", validators=[Optional()])
    effective_until = DateField("Applies until", validators=[Optional()], description="Empty = no end date.")
    is_active = BooleanField("Active", default=True)
    submit = SubmitField("Save")


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Delete"))
