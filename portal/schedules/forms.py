"""Forms of the schedule pages. They only parse; the rules live in the services."""
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, HiddenField, SelectField, SubmitField, TextAreaField, TimeField,
)
from wtforms.validators import Length, Optional

from portal.bounded_fields import BoundedDateField, BoundedIntegerField
from portal.domain.override_kinds import LABELS
from portal.services.schedules import DAY_NAMES

TYPE_CHOICES = list(LABELS.items())


class OverrideForm(FlaskForm):
    override_type = SelectField("Kind", choices=TYPE_CHOICES)
    stylist_id = SelectField("Stylist", choices=[], validate_choice=False,
                             description="Empty = every stylist (required for a vacation, not allowed for a closure).")
    start_date = BoundedDateField("First date", validators=[Optional()])
    end_date = BoundedDateField("Last date", validators=[Optional()], description="The same as the first date for one day.")
    start = TimeField("Opens at", validators=[Optional()], description="Hours kinds only.")
    end = TimeField("Closes at", validators=[Optional()])
    priority = BoundedIntegerField("Priority", validators=[Optional()],
                            description="0–100; empty = the kind's default (closure 100, vacation 50, "
                                        "special event 30, seasonal hours 10).")
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=500)],
                           description="Shown on the effective schedule, e.g. “Dashain closure”.")
    previewed = HiddenField()
    submit = SubmitField("Save")


class OverrideFilterForm(FlaskForm):
    class Meta:
        csrf = False

    override_type = SelectField("Kind", choices=[("", "All kinds")] + TYPE_CHOICES, validate_choice=False)
    stylist_id = SelectField("Stylist", choices=[], validate_choice=False)


class WeeklyForm(FlaskForm):
    day_of_week = SelectField("Day", coerce=int, choices=list(enumerate(DAY_NAMES)), validate_choice=False)
    start = TimeField("Starts at", validators=[Optional()])
    end = TimeField("Ends at", validators=[Optional()])
    break_start = TimeField("Break from", validators=[Optional()])
    break_end = TimeField("Break until", validators=[Optional()])
    effective_from = BoundedDateField("Applies from", validators=[Optional()])
    effective_until = BoundedDateField("Applies until", validators=[Optional()], description="Empty = open-ended.")
    is_active = BooleanField("Active", default=True)
    submit = SubmitField("Save")


class DeleteForm(FlaskForm):
    submit = SubmitField("Delete")
