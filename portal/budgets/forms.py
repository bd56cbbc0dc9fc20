"""Forms of the budget pages. They only parse; the rules live in `portal.services.budgets`."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SubmitField, TextAreaField, TimeField
from wtforms.validators import Length, Optional

from portal.bounded_fields import BoundedIntegerField
from portal.form_fields import DateField


class OverrideRequestForm(FlaskForm):
    day = DateField("Date", validators=[Optional()])
    kind = RadioField("Change", choices=[("off", "Take the day off"), ("hours", "Work these hours")], default="off")
    start = TimeField("From", validators=[Optional()])
    end = TimeField("Until", validators=[Optional()])
    reason = TextAreaField("Reason (optional)", validators=[Optional(), Length(max=500)])
    emergency = BooleanField("Use an emergency change (your changes for this month are used up)")
    bookings_confirmed = HiddenField()  # the bookings the person was warned about and accepted
    submit = SubmitField(_l("Request"))


class LimitForm(FlaskForm):
    limit = BoundedIntegerField("Monthly limit", validators=[Optional()])
    submit = SubmitField("Set limit")


class GrantForm(FlaskForm):
    count = BoundedIntegerField("Emergency changes to give", validators=[Optional()])
    submit = SubmitField("Give")
