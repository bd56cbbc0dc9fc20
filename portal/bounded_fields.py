"""Form fields that refuse out-of-range values with a form error
(`portal.domain.input_bounds`), used by every form that takes dates or numbers."""
from __future__ import annotations

from wtforms import DateField, IntegerField
from wtforms.validators import ValidationError

from portal.domain.input_bounds import date_problem, integer_problem


BS_DATE_ATTRIBUTE = "data-bs-date"  # static/js/bs-date.js writes the Bikram Sambat date next to these boxes


class BoundedDateField(DateField):
    """A date between `EARLIEST_DATE` and `LATEST_DATE`; its box carries `data-bs-date`."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["render_kw"] = {BS_DATE_ATTRIBUTE: True, **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)

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
