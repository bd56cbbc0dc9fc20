"""The audit log's filter form (a GET form: no CSRF token, nothing changes)."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from portal.bounded_fields import BoundedIntegerField
from portal.domain.audit_vocabulary import CATEGORY_LABELS, SEVERITIES, SEVERITY_LABELS, action_label
from portal.domain.translatable import Msg
from portal.form_fields import DateField

PER_PAGE_DEFAULT = 50


class LogFilterForm(FlaskForm):
    class Meta:
        csrf = False

    category = SelectField(_l("Category"), default="")
    severity = SelectField(
        _l("Severity"), choices=[("", _l("Any"))] + [(s, _l(SEVERITY_LABELS[s])) for s in SEVERITIES], default="",
    )
    action = SelectField(
        _l("What happened"), default="", choices=[("", _l("Anything"))], validate_choice=False,
        validators=[Optional(), Length(max=100),
                    Regexp(r"^[a-z0-9_.:-]+$", message=_l("Choose an event from the list."))],
        filters=[lambda value: value.strip().lower() if value else value],
    )
    actor = StringField(_l("Actor (email or name)"),
                        validators=[Optional(), Length(max=254),
                                    Regexp(r"^[^\x00-\x1f]*$", message=_l("Control characters cannot be searched."))],
                        filters=[lambda value: value.strip() if value else value])
    about = StringField(_l("About (customer, person, closure or service)"),
                        validators=[Optional(), Length(max=120),
                                    Regexp(r"^[^\x00-\x1f]*$", message=_l("Control characters cannot be searched."))],
                        filters=[lambda value: value.strip() if value else value])
    date_from = DateField(_l("From (date)"), validators=[Optional()])
    date_to = DateField(_l("To (date, inclusive)"), validators=[Optional()])
    per_page = BoundedIntegerField(_l("Rows per page"), default=PER_PAGE_DEFAULT,
                            validators=[Optional(), NumberRange(min=1, max=500)])

    def __init__(self, categories: tuple[str, ...], *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the viewer's own categories are valid choices: `?category=security`
        # from an admin is refused here (and the query builder ignores it anyway).
        self.category.choices = [("", _l("All you may see"))] + [(c, _l(CATEGORY_LABELS[c])) for c in categories]

    def offer_actions(self, actions) -> None:
        """The events the viewer may filter by, in words (only those in categories they may see)."""
        codes = sorted(set(actions), key=action_label)
        self.action.choices = [("", _l("Anything"))] + [(code, _l(action_label(code))) for code in codes]

    def validate_date_from(self, field) -> None:
        _plausible(field.data)

    def validate_date_to(self, field) -> None:
        _plausible(field.data)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))


EARLIEST, LATEST = date(1970, 1, 1), date(9998, 12, 31)


def _plausible(day: date | None) -> None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise ValidationError(Msg("Enter a date between %(first)s and %(last)s.",
                                  first=EARLIEST.year, last=LATEST.year))
