"""The messages page, the templates editor, the home-page alert, /metrics and the
settings check (messages.md)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import create_app
from portal.actor import Actor
from portal.config import ConfigurationError
from portal.domain.messages import sms_size
from portal.extensions import db
from portal.models import MessageChannel, OutboundMessage, ServiceManagementLog
from portal.services.appointments.followup import cancel_bookings
from portal.services.messaging import message_delivery
from tests.bookings.helpers import NO_LIMIT, at, salon
from tests.helpers import sign_in
from tests.messages.conftest import sparrow_config
from tests.web import post_form


@pytest.fixture
def app_config(sparrow):
    return {**NO_LIMIT, **sparrow_config(sparrow)}


@pytest.fixture
def told(app, factory, sparrow):
    s = salon(factory)
    bookings = [factory.booking(s.stylist, s.cut, at(s.day, h), customer_name=f"C {h}",
                                customer_phone=f"98410000{h:02d}") for h in (10, 11, 12)]
    sparrow.script = [(403, 1007)]
    with app.app_context():
        cancel_bookings(db.session, Actor(s.admin.id, "admin"), [b.id for b in bookings[:2]], "closed")
        message_delivery.deliver_due(db.session)
        cancel_bookings(db.session, Actor(s.admin.id, "admin"), [bookings[2].id], "closed")
    return s


def _message(app, state):
    with app.app_context():
        return db.session.scalar(select(OutboundMessage).where(OutboundMessage.state == state))


def test_the_page_lists_counts_and_filters(app, client, auth, told):
    sign_in(auth, told.admin.email)
    page = client.get("/messages/").get_data(as_text=True)
    assert page.count("data-message=") == 3
    assert 'data-state="failed"' in page and 'data-state="sent"' in page and 'data-state="queued"' in page
    assert "9841000010" not in page and "+97798•" in page  # masked phones only
    failed = client.get("/messages/?state=failed").get_data(as_text=True)
    assert failed.count("data-message=") == 1
    assert client.get("/messages/?day=not-a-date").status_code == 400


def test_retry_a_failed_one_and_cancel_a_waiting_one(app, client, auth, told):
    sign_in(auth, told.admin.email)
    failed, waiting = _message(app, "failed"), _message(app, "queued")
    assert post_form(client, f"/messages/{failed.id}/retry", page="/messages/").status_code == 302
    assert post_form(client, f"/messages/{waiting.id}/cancel", page="/messages/").status_code == 302
    assert post_form(client, f"/messages/{waiting.id}/cancel", page="/messages/").status_code == 302  # refused: flash
    with app.app_context():
        states = sorted(m.state for m in db.session.scalars(select(OutboundMessage)))
        assert states == ["cancelled", "failed", "queued", "sent"]
        actions = [r.action for r in db.session.scalars(select(ServiceManagementLog).where(
            ServiceManagementLog.action.in_(("message_retried", "message_cancelled"))))]
        assert sorted(actions) == ["message_cancelled", "message_retried"]


def test_templates_edit_with_preview_and_segments(app, client, auth, told):
    sign_in(auth, told.admin.email)
    url = "/messages/templates/reminder/en"
    assert client.get(url).status_code == 200
    bad = post_form(client, url, {"subject": "Hi", "body": "Hello {nobody}"}, page=url)
    assert bad.status_code == 400 and "{nobody}" in bad.get_data(as_text=True)
    no_link = post_form(client, url, {"subject": "Hi", "body": "Hello {first_name}"}, page=url)
    assert no_link.status_code == 400
    assert post_form(client, url, {"subject": "Hi", "body": "Hello {first_name}, see {link}"}, page=url
                     ).status_code == 302
    preview = client.get("/messages/templates/ne/preview", query_string={"body": "नमस्ते {first_name} {link}"}).json
    assert preview["encoding"] == "UCS-2" and preview["segments"] == 1 and "सीता" in preview["text"]
    with app.app_context():
        assert db.session.scalar(select(ServiceManagementLog).where(
            ServiceManagementLog.action == "message_template_edited")) is not None


def test_segment_counting():
    assert sms_size("a" * 160).segments == 1 and sms_size("a" * 161).segments == 2
    assert sms_size("a" * 306).segments == 2 and sms_size("a" * 307).segments == 3
    assert sms_size("{" * 80).length == 160 and sms_size("{" * 81).segments == 2  # extended: twice
    assert sms_size("क" * 70).segments == 1 and sms_size("क" * 71).segments == 2
    assert sms_size("क" * 134).segments == 2 and sms_size("क" * 135).segments == 3
    assert sms_size("a" * 69 + "€").encoding == "GSM-7"


def test_home_alert_and_metrics_when_a_channel_is_paused(app, client, auth, told):
    with app.app_context():
        db.session.add(MessageChannel(channel="sms", paused_at=_message(app, "sent").queued_at,
                                      reason="HTTP 403: credits"))
        db.session.commit()
    sign_in(auth, told.admin.email)
    home = client.get("/").get_data(as_text=True)
    assert 'data-alert="messages-paused"' in home
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'customer_messages_channel_paused{channel="sms"} 1.0' in metrics
    assert 'customer_messages{kind="cancellation",state="failed"} 1.0' in metrics
    assert "customer_messages_waiting 1.0" in metrics


@pytest.mark.parametrize("settings", [
    {"SMS_PROVIDER": "sparrow", "PUBLIC_BASE_URL": "https://x.example"},  # no token
    {"SMS_PROVIDER": "carrier-pigeon"},
    {"QUIET_HOURS": "late"},
    {"EMAIL_PROVIDER": "smtp", "SMTP_HOST": "mail", "MAIL_FROM": "a@b.c"},  # no PUBLIC_BASE_URL
    {"MESSAGE_LEASE_SECONDS": 5, "MESSAGE_SEND_TIMEOUT_SECONDS": 10},
])
def test_settings_that_cannot_work_stop_start_up(settings):
    with pytest.raises(ConfigurationError):
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})
