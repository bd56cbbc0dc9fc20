"""The link page's forms: CSRF-protected buttons, and the chosen new time."""
from flask_wtf import FlaskForm
from wtforms import HiddenField


class ActionForm(FlaskForm):
    """Keep, cancel or stop messages: only the CSRF token."""


class MoveForm(FlaskForm):
    choice = HiddenField()  # "<stylist uuid>|<ISO start>", one button per free time
