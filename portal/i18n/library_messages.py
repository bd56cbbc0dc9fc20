"""Messages that WTForms and Flask-WTF put on our forms, listed so that `pybabel extract`
puts them in our catalogue (Flask-WTF is handed our translations: see `portal.i18n`).
Only those our forms can show; the wording is WTForms' own (the msgid must match)."""
from portal.domain.translatable import N_, Np_

WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid datetime value."),
    N_("Not a valid integer value."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("The CSRF token is missing."),
    N_("The CSRF token is invalid."),
    N_("The CSRF token has expired."),
)

WTFORMS_PLURALS = (
    Np_("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long."),
    Np_("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters."),
)
