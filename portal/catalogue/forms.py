"""Forms of the catalogue pages. Prices are typed in rupees (exactly converted to paisa)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.bounded_fields import BoundedIntegerField
from portal.domain import catalogue as rules
from portal.services.staffing.stylists import MAX_BUFFER_MINUTES, MAX_YEARS
from portal.zones import known_zones


def _rupees(form, field) -> None:
    if field.data and field.data.strip():
        try:
            rules.rupees_to_paisa(field.data)
        except rules.BadAmount as problem:
            raise ValidationError(str(problem)) from None


class ServiceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=rules.MAX_SERVICE_NAME)])
    name_ne = StringField(_l("Name in Nepali"), description=_l("Shown on Nepali pages; empty: the name above"),
                          validators=[Optional(), Length(max=rules.MAX_SERVICE_NAME)])
    category = SelectField(_l("Category"), choices=[(c, _l(rules.CATEGORY_LABELS[c])) for c in rules.SERVICE_CATEGORIES])
    duration_minutes = BoundedIntegerField(_l("Duration (minutes)"), validators=[
        InputRequired("Enter the duration in minutes."), NumberRange(1, rules.MAX_DURATION)])
    price = StringField(_l("Price (rupees)"), description=_l("For example 1500 or 1500.50"),
                        validators=[DataRequired("Enter a price in rupees."), Length(max=20), _rupees])
    min_advance_hours = BoundedIntegerField(_l("Book at least … hours ahead"), default=2, validators=[
        InputRequired(), NumberRange(0, rules.MAX_MIN_ADVANCE_HOURS)])
    max_advance_days = BoundedIntegerField(_l("Book at most … days ahead"), default=30, validators=[
        InputRequired(), NumberRange(1, rules.MAX_ADVANCE_DAYS)])
    submit = SubmitField(_l("Save service"))


class OfferForm(FlaskForm):
    offered = BooleanField(_l("Offers this service"))
    price = StringField(_l("Own price (rupees)"), description=_l("Empty: the service's price"),
                        validators=[Optional(), Length(max=20), _rupees])
    duration = BoundedIntegerField(_l("Own duration (minutes)"), description=_l("Empty: the service's duration"),
                            validators=[Optional(), NumberRange(1, rules.MAX_DURATION)])
    submit = SubmitField(_l("Save"))


def zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in known_zones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return [(z, z.replace("_", " ")) for z in zones]


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=120)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=120)])
    bio = TextAreaField(_l("Bio"), validators=[Optional(), Length(max=4000)])
    years_experience = BoundedIntegerField(_l("Years of experience"), validators=[Optional(), NumberRange(0, MAX_YEARS)])
    specialties = StringField(_l("Specialties"), description=_l("Separate with commas, e.g. colour, bridal"),
                              validators=[Optional(), Length(max=1200)])
    timezone = SelectField(_l("Time zone"))
    buffer_minutes = BoundedIntegerField(_l("Minutes between bookings"), validators=[
        InputRequired(), NumberRange(0, MAX_BUFFER_MINUTES)])
    submit = SubmitField(_l("Save profile"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()

    def specialty_list(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in (self.specialties.data or "").split(",") if s.strip())


class ActionForm(FlaskForm):
    submit = SubmitField(_l("Confirm"))
