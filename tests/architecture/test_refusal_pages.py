"""One refusal shape on pages: a missing row is the 404 page, field errors sit next to
their fields, anything else is flashed (portal/form_refusals.py, portal/errors.py)."""
from __future__ import annotations

import uuid

from flask import session
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField

from portal.domain.refusals import NotFound, Refused, Stale
from portal.form_refusals import show_on_form
from tests.helpers import count
from tests.web import post_form

MISSING = "00000000-0000-4000-8000-000000000000"


def test_deleting_a_missing_override_is_the_404_page_and_changes_nothing(client, admin, raw):
    before = count(raw, raw.private("service_management_log"))
    response = post_form(client, f"/schedules/overrides/{MISSING}/delete", page="/schedules/")
    assert response.status_code == 404
    assert "No such closure or override." in response.get_data(as_text=True)
    assert count(raw, raw.private("service_management_log")) == before


def test_deleting_a_missing_weekly_row_is_the_404_page(client, admin, factory):
    stylist = factory.stylist()
    response = post_form(client, f"/schedules/stylists/{stylist.user_id}/week/{MISSING}/delete",
                         page=f"/schedules/stylists/{stylist.user_id}/week")
    assert response.status_code == 404
    assert "No such schedule row." in response.get_data(as_text=True)


def test_a_missing_stylist_budget_is_the_404_page(client, admin):
    assert client.get(f"/budgets/{uuid.UUID(MISSING)}").status_code == 404
    assert post_form(client, f"/budgets/{MISSING}/limit", {"limit": "5"}, page="/budgets/").status_code == 404


class _Form(FlaskForm):
    class Meta:
        csrf = False

    limit = IntegerField()
    note = StringField()


def test_show_on_form_puts_fields_next_to_fields_and_flashes_the_rest(app):
    with app.test_request_context("/", method="POST"):
        form = _Form()
        form.limit.errors = ["Not a whole number."]
        show_on_form(form, Refused("INVALID_LIMIT", "Too high.", {"limit": "At most 1000."}))
        assert form.limit.errors == ["Not a whole number.", "At most 1000."]
        assert not form.note.errors
        assert session.get("_flashes", []) == []

        show_on_form(form, Refused("BUDGET_EXHAUSTED", "You have used every override this month."))
        show_on_form(form, Refused("X", "Somewhere else.", {"no_such_field": "Somewhere else."}))
        assert session["_flashes"] == [("danger", "You have used every override this month."),
                                       ("danger", "Somewhere else.")]


def test_refusals_nobody_handled_answer_with_their_status_and_message(app):
    @app.route("/_refused/<kind>")
    def refuse(kind):
        raise {"missing": NotFound(message="No such thing."), "stale": Stale(),
               "other": Refused("NOPE", "Not like that.")}[kind]

    client = app.test_client()
    expected = {"missing": (404, "No such thing."), "stale": (409, "Someone else changed this first."),
                "other": (400, "Not like that.")}
    for kind, (status, message) in expected.items():
        response = client.get(f"/_refused/{kind}")
        assert response.status_code == status
        assert message in response.get_data(as_text=True)
        assert "NOPE" not in response.get_data(as_text=True)  # codes never reach a page
