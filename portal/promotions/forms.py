"""Forms of the promotion pages. Every action form carries the version the page showed."""
from __future__ import annotations

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.bounded_fields import BoundedIntegerField, InRange
from portal.domain.promotion import BACKGROUND_VALUES, ID_VALUES, check_value_label
from portal.domain.translatable import N_
from portal.services.staffing.stylists import MAX_BUFFER_MINUTES, MAX_YEARS
from portal.zones import is_time_zone, known_zones

NOTE_MAX = 2000
SALON_ZONE = "Asia/Kathmandu"


def _capitalised(label: str) -> LazyString:
    """A check value's label (marked N_ in portal/domain/promotion.py), translated when shown."""
    return LazyString(lambda: (lambda text: text[:1].upper() + text[1:])(gettext(label)))


def _choices(values):
    return [(v, _capitalised(check_value_label(v))) for v in values]


def zone_choices() -> list[tuple[str, str]]:
    """The salon's zone first, then every IANA name (a list, not free text)."""
    return [(SALON_ZONE, _l("%(zone)s (the salon)", zone=SALON_ZONE))] + [
        (z, z) for z in sorted(known_zones()) if z != SALON_ZONE and "/" in z and not z.startswith("Etc/")]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (no Ctrl-click)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VersionedForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])

    def seen_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(_l("Email or name"), validators=[Optional(), Length(max=254)])


class StartForm(FlaskForm):
    user_id = HiddenField(validators=[DataRequired(message=_l("Choose a user to promote."))])
    submit = SubmitField(_l("Start promotion"))


class SubmitForChecksForm(VersionedForm):
    submit = SubmitField(_l("Submit for checks"))


class ChecksForm(VersionedForm):
    background = SelectField(_l("Background check"), choices=_choices(BACKGROUND_VALUES))
    id_verification = SelectField(_l("ID verification"), choices=_choices(ID_VALUES))
    training = BooleanField(_l("Training completed"))
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Record checks"))


class NoteForm(VersionedForm):
    note = TextAreaField(_l("Note"), validators=[DataRequired(message=_l("Write a note.")), Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Add note"))


class ReasonForm(VersionedForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(message=_l("A reason is required.")),
                                                 Length(max=NOTE_MAX)])


class RejectForm(ReasonForm):
    submit = SubmitField(_l("Reject promotion"))


class RevokeForm(ReasonForm):
    submit = SubmitField(_l("Revoke stylist"))


class ApprovalForm(VersionedForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(message=_l("A display name is required.")),
                                                           Length(max=120)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=120)])
    bio = TextAreaField(_l("Bio"), validators=[Optional(), Length(max=4000)])
    years_experience = BoundedIntegerField(_l("Years of experience"), validators=[
        Optional(), InRange(0, MAX_YEARS, message=N_("Enter a whole number from 0 to %(max)s."))])
    specialties = StringField(_l("Specialties"), description=_l("Comma-separated, e.g. colour, bridal"),
                              validators=[Optional(), Length(max=1200)])
    timezone = SelectField(_l("Time zone"), default=SALON_ZONE, choices=zone_choices, validate_choice=False,
                           description=_l("Where the stylist works: their hours and slots are in this zone."),
                           validators=[DataRequired(message=_l("A time zone is required."))])
    buffer_minutes = BoundedIntegerField(_l("Booking buffer (minutes)"), default=15, validators=[
        InputRequired(message=_l("Enter the buffer in minutes.")),
        InRange(0, MAX_BUFFER_MINUTES, message=N_("Enter 0 to %(max)s minutes."))])
    services = CheckboxesField(_l("Services to offer"), description=_l("All active services are ticked at first."))
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Approve and make stylist"))

    def validate_timezone(self, field) -> None:
        if field.data and not is_time_zone(field.data.strip()):
            raise ValidationError(_l("%(value)s is not a time zone name such as Asia/Kathmandu.", value=field.data))

    def specialty_list(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in (self.specialties.data or "").split(",") if s.strip())
