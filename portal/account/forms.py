"""Forms of the account pages."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class CodeForm(FlaskForm):
    code = StringField("Code from your authenticator app, or a recovery code",
                       validators=[DataRequired(), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True})
    submit = SubmitField("Continue")


class EnrolForm(FlaskForm):
    code = StringField("6-digit code from your app", validators=[DataRequired(), Length(max=12)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    submit = SubmitField("Turn on two-step sign-in")


class PasswordAndCodeForm(FlaskForm):
    password = PasswordField("Your current password", validators=[DataRequired(), Length(max=1024)])
    code = StringField("6-digit code from your app", validators=[DataRequired(), Length(max=12)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class RenewCodesForm(PasswordAndCodeForm):
    submit = SubmitField("Make new recovery codes")


class TurnOffForm(PasswordAndCodeForm):
    submit = SubmitField("Turn off two-step sign-in")


class NewPasswordForm(FlaskForm):
    new_password = PasswordField("New password", validators=[DataRequired(), Length(max=1024)],
                                 description="At least 12 characters; avoid common passwords.",
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("New password again", validators=[
        DataRequired(), EqualTo("new_password", message="The two passwords are not the same.")],
        render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Save password")


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=1024)],
                                     render_kw={"autocomplete": "current-password"})
