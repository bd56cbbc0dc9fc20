"""Forms of the schedule pages. They only parse; the rules live in the services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, HiddenField, SelectField, SubmitField, TextAreaField,
)
from wtforms.validators import Length, Optional

from portal.bounded_fields import BoundedIntegerField, BoundedTimeField
from portal.domain.override_kinds import LABELS
from portal.domain.schedule_changes import DAY_NAMES
from portal.form_fields import DateField

TYPE_CHOICES = [(k, _l(v)) for k, v in LABELS.items()]


class OverrideForm(FlaskForm):
    # The kind is chosen by the "New …" link and fixed on the page (the form shows only
    # the fields that apply to it); it travels as a hidden value.
    override_type = HiddenField(_l("Kind"))
    stylist_id = SelectField(_l("Stylist"), choices=[], validate_choice=False)
    start_date = DateField(_l("First date"), validators=[Optional()])
    end_date = DateField(_l("Last date"), validators=[Optional()], description=_l("The same as the first date for one day."))
    start = BoundedTimeField(_l("Opens at"), validators=[Optional()])
    end = BoundedTimeField(_l("Closes at"), validators=[Optional()])
    priority = BoundedIntegerField(_l("Priority (0–100)"), validators=[Optional()],
                                   description=_l("Empty = the usual order for this kind."))
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=500)],
                           description=_l("Shown on the effective schedule, e.g. “Dashain closure”."))
    previewed = HiddenField()
    submit = SubmitField(_l("Save"))


class OverrideFilterForm(FlaskForm):
    class Meta:
        csrf = False

    override_type = SelectField(_l("Kind"), choices=[("", _l("All kinds"))] + TYPE_CHOICES, validate_choice=False)
    stylist_id = SelectField(_l("Stylist"), choices=[], validate_choice=False)


class WeeklyForm(FlaskForm):
    day_of_week = SelectField(_l("Day"), coerce=int, choices=[(i, _l(name)) for i, name in enumerate(DAY_NAMES)], validate_choice=False)
    start = BoundedTimeField(_l("Starts at"), validators=[Optional()])
    end = BoundedTimeField(_l("Ends at"), validators=[Optional()])
    break_start = BoundedTimeField(_l("Break from"), validators=[Optional()])
    break_end = BoundedTimeField(_l("Break until"), validators=[Optional()])
    effective_from = DateField(_l("Applies from"), validators=[Optional()])
    effective_until = DateField(_l("Applies until"), validators=[Optional()], description=_l("Empty = no end date."))
    is_active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Delete"))
