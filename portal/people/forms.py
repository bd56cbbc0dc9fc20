"""Forms of the people pages."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField, HiddenField, SearchField, SelectField, SelectMultipleField, StringField, SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.domain.people import CREATABLE_ROLES, MAX_EMAIL, MAX_NAME, PROPOSAL_CHANGES, ROLE_LABELS
from portal.models.people import ROLE_NAMES


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField("Name or email", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=[("", "Any role")] + [(r, ROLE_LABELS[r]) for r in ROLE_NAMES],
                       validators=[Optional()], default="")
    state = SelectField("State", choices=[("", "Active or not"), ("active", "Active"),
                                          ("deactivated", "Deactivated")], validators=[Optional()], default="")


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AccountForm(FlaskForm):
    display_name = StringField("Name", validators=[DataRequired(), Length(max=MAX_NAME)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=MAX_EMAIL)])
    submit = SubmitField("Save")


class NewAccountForm(AccountForm):
    roles = CheckboxesField("Roles", choices=[(r, ROLE_LABELS[r]) for r in CREATABLE_ROLES], default=["customer"],
                            description="Stylists are made through a promotion; admins through a proposal "
                                        "a second admin confirms.")
    submit = SubmitField("Create account")


class ActionForm(FlaskForm):
    """A button that changes something (CSRF only)."""

    submit = SubmitField("Confirm")


class ProposalForm(FlaskForm):
    change = HiddenField(validators=[DataRequired()])
    submit = SubmitField("Propose")

    def validate_change(self, field):
        if field.data not in PROPOSAL_CHANGES:
            raise ValidationError("Unknown change.")
