"""Form fields that refuse out-of-range values with a form error
(`portal.domain.input_bounds`), used by every form that takes dates or numbers."""
from __future__ import annotations

from wtforms import DateField, IntegerField
from wtforms.validators import ValidationError

from portal.domain.input_bounds import date_problem, integer_problem


class BoundedDateField(DateField):
    """A date between `EARLIEST_DATE` and `LATEST_DATE`."""

    def pre_validate(self, form) -> None:
        problem = date_problem(self.data)
        if problem:
            raise ValidationError(problem)


class BoundedIntegerField(IntegerField):
    """A whole number a database `integer` column can hold."""

    def pre_validate(self, form) -> None:
        problem = integer_problem(self.data)
        if problem:
            raise ValidationError(problem)
