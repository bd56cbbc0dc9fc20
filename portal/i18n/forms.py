"""The language switch (in the page header, signed in or not)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from flask_babel import lazy_gettext as _l

from portal.i18n.formatting import LANGUAGE_NAMES


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=list(LANGUAGE_NAMES.items()))
    next = HiddenField()
    submit = SubmitField(_l("Change"))
