"""Forms of the messages pages. They only parse; the rules live in the services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.domain.message_templates import MAX_BODY, MAX_SUBJECT
from portal.domain.messages import KIND_LABELS, STATE_LABELS
from portal.form_fields import DateField


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    state = SelectField(_l("State"), choices=[("", _l("Any"))] + [(k, _l(v)) for k, v in STATE_LABELS.items()],
                        validators=[Optional()])
    kind = SelectField(_l("Kind"), choices=[("", _l("Any"))] + [(k, _l(v)) for k, v in KIND_LABELS.items()],
                       validators=[Optional()])
    day = DateField(_l("Day"), validators=[Optional()])


class ButtonForm(FlaskForm):
    """Retry, cancel, try again: only the CSRF token."""


class TellForm(FlaskForm):
    booking_ids = SelectMultipleField(_l("Bookings"), choices=[], validate_choice=False,
                                      option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    confirmed = HiddenField()
    submit = SubmitField(_l("Send the messages"))


class TemplateForm(FlaskForm):
    subject = StringField(_l("Email subject"), render_kw={"maxlength": MAX_SUBJECT})
    body = TextAreaField(_l("Text"), render_kw={"maxlength": MAX_BODY, "rows": 6})
    submit = SubmitField(_l("Save the template"))
