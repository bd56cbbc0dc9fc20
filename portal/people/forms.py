"""Forms of the people pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField, HiddenField, SearchField, SelectField, SelectMultipleField, StringField, SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.domain.people import CREATABLE_ROLES, CREDENTIAL_RESETS, MAX_EMAIL, MAX_NAME, PROPOSAL_CHANGES
from portal.domain.roles import CUSTOMER, ROLE_LABELS, ROLE_NAMES


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Name or email"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=[("", _l("Any role"))] + [(r, _l(ROLE_LABELS[r])) for r in ROLE_NAMES],
                       validators=[Optional()], default="")
    state = SelectField(_l("State"), choices=[("", _l("Active or not")), ("active", _l("Active")),
                                          ("deactivated", _l("Deactivated"))], validators=[Optional()], default="")


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AccountForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=MAX_EMAIL)])
    submit = SubmitField(_l("Save"))


class NewAccountForm(AccountForm):
    roles = CheckboxesField(_l("Roles"), choices=[(r, _l(ROLE_LABELS[r])) for r in CREATABLE_ROLES], default=[CUSTOMER],
                            description=_l("A new stylist starts under New stylist; admins through a proposal "
                                           "a second admin confirms."))
    submit = SubmitField(_l("Create account"))


class NewStylistForm(AccountForm):
    """People → New stylist: the person's name and email (an existing account is used as it is)."""

    submit = SubmitField(_l("Start the new stylist's checks"))


class ActionForm(FlaskForm):
    """A button that changes something (CSRF only)."""

    submit = SubmitField(_l("Confirm"))


class ProposalForm(FlaskForm):
    change = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Propose"))

    def validate_change(self, field):
        if field.data not in PROPOSAL_CHANGES:
            raise ValidationError("Unknown change.")


class ResetProposalForm(FlaskForm):
    """Propose a password link or a two-step reset for an admin (a second admin confirms)."""

    kind = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Propose"))

    def validate_kind(self, field):
        if field.data not in CREDENTIAL_RESETS:
            raise ValidationError("Unknown reset.")
