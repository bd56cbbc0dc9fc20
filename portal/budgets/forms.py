"""Forms of the budget pages. They only parse; the rules live in `portal.services.scheduling.budgets`."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from portal.bounded_fields import BoundedIntegerField, BoundedTimeField
from portal.form_fields import DateField


class OverrideRequestForm(FlaskForm):
    day = DateField(_l("Date"), validators=[Optional()])
    kind = RadioField(_l("Change"), choices=[("off", _l("Take the day off")), ("hours", _l("Work these hours"))], default="off")
    start = BoundedTimeField(_l("From"), validators=[Optional()])
    end = BoundedTimeField(_l("Until"), validators=[Optional()])
    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=500)])
    emergency = BooleanField(_l("Use an emergency change (your changes for this month are used up)"))
    bookings_confirmed = HiddenField()  # the bookings the person was warned about and accepted
    submit = SubmitField(_l("Request"))


class LimitForm(FlaskForm):
    limit = BoundedIntegerField(_l("Monthly limit"), validators=[Optional()])
    submit = SubmitField(_l("Set limit"))


class GrantForm(FlaskForm):
    count = BoundedIntegerField(_l("Emergency changes to give"), validators=[Optional()])
    submit = SubmitField(_l("Give"))
