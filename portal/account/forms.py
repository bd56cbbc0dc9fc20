"""Forms of the account pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.bounded_fields import known_digits


class CodeForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app, or a recovery code"),
                       validators=[DataRequired(), Length(max=40), known_digits],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True})
    submit = SubmitField(_l("Continue"))


class EnrolForm(FlaskForm):
    code = StringField(_l("6-digit code from your app"), validators=[DataRequired(), Length(max=12), known_digits],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    submit = SubmitField(_l("Turn on two-step sign-in"))


class PasswordAndCodeForm(FlaskForm):
    password = PasswordField(_l("Your current password"), validators=[DataRequired(), Length(max=1024)])
    code = StringField(_l("6-digit code from your app"), validators=[DataRequired(), Length(max=12), known_digits],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class RenewCodesForm(PasswordAndCodeForm):
    submit = SubmitField(_l("Make new recovery codes"))


class TurnOffForm(PasswordAndCodeForm):
    submit = SubmitField(_l("Turn off two-step sign-in"))


class NewPasswordForm(FlaskForm):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)],
                                 description=_l("At least 12 characters; avoid common passwords."),
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Save password"))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)],
                                     render_kw={"autocomplete": "current-password"})
