"""The audit log's filter form (a GET form: no CSRF token, nothing changes)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from portal.models.logs import SEVERITIES

CATEGORY_LABELS = {
    "governance": "Governance", "configuration": "Configuration",
    "security": "Security", "data_access": "Data access",
}
PER_PAGE_DEFAULT = 50


class LogFilterForm(FlaskForm):
    class Meta:
        csrf = False

    category = SelectField("Category", default="")
    severity = SelectField(
        "Severity", choices=[("", "Any")] + [(s, s.title()) for s in SEVERITIES], default="",
    )
    action = StringField(
        "Action", validators=[Optional(), Length(max=100),
                              Regexp(r"^[a-z0-9_.:-]+$", message="Actions are lower-case words joined by _.")],
        filters=[lambda value: value.strip().lower() if value else value],
        render_kw={"list": "known-actions", "autocomplete": "off"},
    )
    actor = StringField("Actor (email or name)", validators=[Optional(), Length(max=254)],
                        filters=[lambda value: value.strip() if value else value])
    date_from = DateField("From (date)", validators=[Optional()])
    date_to = DateField("To (date, inclusive)", validators=[Optional()])
    per_page = IntegerField("Rows per page", default=PER_PAGE_DEFAULT,
                            validators=[Optional(), NumberRange(min=1, max=500)])

    def __init__(self, categories: tuple[str, ...], *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the viewer's own categories are valid choices: `?category=security`
        # from an admin is refused here (and the query builder ignores it anyway).
        self.category.choices = [("", "All you may see")] + [(c, CATEGORY_LABELS[c]) for c in categories]

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end date is before the start date.")
