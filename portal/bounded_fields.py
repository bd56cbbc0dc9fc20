"""Form fields that refuse out-of-range values with a form error
(`portal.domain.input_bounds`), used by every form that takes dates, times or numbers.

Each reads Devanagari digits (०-९) as 0-9 and refuses the digits of other scripts
with a form error (`typed_digits`), before the value is parsed."""
from __future__ import annotations

from wtforms import DateField, IntegerField, TimeField
from wtforms.validators import NumberRange, ValidationError

from portal.domain.input_bounds import OTHER_DIGITS, date_problem, integer_problem, typed_digits
from portal.domain.translatable import Msg


BS_DATE_ATTRIBUTE = "data-bs-date"  # static/js/bs-date.js writes the Bikram Sambat date next to these boxes


def known_digits(form, field) -> None:
    """A validator for text fields holding digits (sign-in codes): ०-९ or 0-9 only."""
    if field.data and typed_digits(field.data) is None:
        raise ValidationError(OTHER_DIGITS)


class InRange(NumberRange):
    """`NumberRange` with our own wording (`message`, marked N_, with `%(min)s`/`%(max)s`):
    the error is a `Msg`, so the page writes its numbers in its own digits (०-९ in Nepali)."""

    def __call__(self, form, field) -> None:
        try:
            super().__call__(form, field)
        except ValidationError:
            raise ValidationError(Msg(self.message, min=self.min, max=self.max)) from None


class OtherDigits(ValueError):
    """A number typed with another script's digits."""


class TypedDigits:
    """Mixin: the submitted text with Devanagari digits as 0-9; other scripts' digits
    are a form error (the field's data stays None)."""

    def process_formdata(self, valuelist):
        if valuelist:
            typed = [typed_digits(value) for value in valuelist]
            if None in typed:
                raise OtherDigits(OTHER_DIGITS)
            valuelist = typed
        super().process_formdata(valuelist)


class BoundedTimeField(TypedDigits, TimeField):
    """A time of day, typed with either script's digits."""


class BoundedDateField(TypedDigits, DateField):
    """A date between `EARLIEST_DATE` and `LATEST_DATE`; its box carries `data-bs-date`."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["render_kw"] = {BS_DATE_ATTRIBUTE: True, **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form) -> None:
        problem = date_problem(self.data)
        if problem:
            raise ValidationError(problem)


class BoundedIntegerField(TypedDigits, IntegerField):
    """A whole number a database `integer` column can hold."""

    def pre_validate(self, form) -> None:
        problem = integer_problem(self.data)
        if problem:
            raise ValidationError(problem)
