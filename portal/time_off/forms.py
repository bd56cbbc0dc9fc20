"""Forms of the time-off pages. They only parse; the rules live in `portal.domain.time_off`."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from portal.domain.time_off import KIND_LABELS, KINDS, LEAVE, MAX_TEXT
from portal.form_fields import DateField


class AskForm(FlaskForm):
    kind = RadioField(_l("Kind"), choices=[(k, _l(KIND_LABELS[k])) for k in KINDS], default=LEAVE,
                      validate_choice=False)
    start_date = DateField(_l("First day off"), validators=[Optional()])
    end_date = DateField(_l("Last day off"), validators=[Optional()],
                         description=_l("The same as the first day for one day."))
    note = TextAreaField(_l("Note for the admins (optional)"), validators=[Optional(), Length(max=MAX_TEXT)])
    submit = SubmitField(_l("Ask for time off"))


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Reason (the stylist will read it)"), validators=[Optional(), Length(max=MAX_TEXT)])
    submit = SubmitField(_l("Decline"))
