"""The report's choice of period and scope (a GET form: no CSRF token, nothing changes)."""
from __future__ import annotations

import uuid
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from portal.domain import reports
from portal.form_fields import DateField
from portal.i18n import current_language, formatting


def _pair(text: str) -> tuple[int, int]:
    year, month = text.split("-")
    return int(year), int(month)


class ReportForm(FlaskForm):
    class Meta:
        csrf = False

    period = SelectField(_l("Period"), default=reports.BS_MONTH,
                         choices=[(k, _l(reports.PERIOD_LABELS[k])) for k in reports.PERIOD_KINDS])
    bs_month = SelectField(_l("Bikram Sambat month"))
    month = SelectField(_l("Gregorian month"))
    start = DateField(_l("First date"), validators=[Optional()])
    end = DateField(_l("Last date (inclusive)"), validators=[Optional()])
    stylist = SelectField(_l("Stylist"), default="")
    service = SelectField(_l("Service"), default="")

    def __init__(self, today: date, language: str, stylists, services, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bs_months = reports.recent_bs_months(today)
        self.bs_month.choices = [(f"{y}-{m:02d}", formatting.bs_month_text(y, m, language)) for y, m in bs_months]
        self.month.choices = [(f"{y}-{m:02d}", formatting.gregorian_month(y, m, language))
                              for y, m in reports.recent_months(today)]
        if not self.bs_month.data and bs_months:
            self.bs_month.data = self.bs_month.choices[0][0]
        if not self.month.data:
            self.month.data = self.month.choices[0][0]
        self.stylist.choices = [("", _l("All stylists"))] + [(str(s.user_id), s.display_name) for s in stylists]
        self.service.choices = [("", _l("All services"))] + [(str(s.id), s.name_in(current_language())) for s in services]

    def chosen_period(self) -> reports.Period:
        """The period the form describes (a `Refused` on the fields when it does not describe one)."""
        if self.period.data == reports.BS_MONTH:
            if not self.bs_month.data:  # today is outside the BS library's range (after 2044)
                raise reports.Refused(reports.INVALID, fields={"bs_month": reports.CHOOSE_BS_MONTH})
            return reports.bs_month_period(*_pair(self.bs_month.data))
        if self.period.data == reports.GREGORIAN_MONTH:
            return reports.gregorian_month_period(*_pair(self.month.data))
        return reports.range_period(self.start.data, self.end.data)

    def narrowed_to(self) -> dict[str, uuid.UUID | None]:
        return {"stylist_id": uuid.UUID(self.stylist.data) if self.stylist.data else None,
                "service_id": uuid.UUID(self.service.data) if self.service.data else None}
