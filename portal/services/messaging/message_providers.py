"""The providers that carry a message (messages.md): `log`, Sparrow SMS v2, SMTP.

Each `send` answers an `Outcome`: what the answer means for the message (the
verdicts of `portal.domain.messages`), the provider's answer in words for the
messages page, and whether the customer may have received it although no success
came back (a timeout after the request left). `account_works` is the paused channel's
check (Sparrow's credit endpoint, an SMTP sign-in). No provider touches the database.
"""
from __future__ import annotations

import json
import logging
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Mapping
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from portal.domain.messages import FAILED, PAUSE, RETRY, SENT, sparrow_number, sparrow_verdict

logger = logging.getLogger("portal.messages")
ANSWER_LIMIT = 300


@dataclass(frozen=True)
class Outcome:
    verdict: str  # SENT, FAILED, FAILED_ALERT, PAUSE or RETRY
    answer: str
    maybe_delivered: bool = False


def provider_name(config: Mapping[str, Any], channel: str) -> str:
    return config["SMS_PROVIDER"] if channel == "sms" else config["EMAIL_PROVIDER"]


def send(config: Mapping[str, Any], channel: str, address: str, subject: str | None, text: str) -> Outcome:
    """Hand one message to its channel's provider."""
    name = provider_name(config, channel)
    if name == "log":
        logger.info("message (%s to %s): %s%s", channel, address, f"[{subject}] " if subject else "", text)
        return Outcome(SENT, "written to the log")
    if name == "sparrow":
        return _sparrow_send(config, address, text)
    return _smtp_send(config, address, subject or "", text)


def account_works(config: Mapping[str, Any], channel: str) -> tuple[bool, str]:
    """Whether a paused channel's account works again, and the answer in words."""
    name = provider_name(config, channel)
    if name == "sparrow":
        query = urlencode({"token": config["SPARROW_SMS_TOKEN"]})
        status, body = _http(Request(f"{config['SPARROW_SMS_URL'].rstrip('/')}/credit/?{query}"), config)
        credits = body.get("credits_available") if isinstance(body, dict) else None
        works = status == 200 and isinstance(credits, (int, float)) and credits > 0
        return works, _words(status, body)
    if name == "smtp":
        try:
            with _smtp(config):
                return True, "signed in"
        except (smtplib.SMTPException, OSError) as error:
            return False, _short(f"{type(error).__name__}: {error}")
    return True, "log"


# --- Sparrow SMS v2 -------------------------------------------------------------------------

def _sparrow_send(config: Mapping[str, Any], phone: str, text: str) -> Outcome:
    form = urlencode({"token": config["SPARROW_SMS_TOKEN"], "from": config["SPARROW_SMS_FROM"],
                      "to": sparrow_number(phone), "text": text}).encode()
    request = Request(f"{config['SPARROW_SMS_URL'].rstrip('/')}/sms/", data=form, method="POST",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        status, body = _http(request, config)
    except TimeoutError as error:  # the request left: Sparrow may have accepted it
        return Outcome(RETRY, _short(f"timeout: {error}"), maybe_delivered=True)
    except OSError as error:  # refused, unreachable: nothing reached Sparrow
        return Outcome(RETRY, _short(f"connection failed: {error}"))
    code = body.get("response_code") if isinstance(body, dict) else None
    try:
        code = int(code) if code is not None else None
    except (TypeError, ValueError):
        code = None
    return Outcome(sparrow_verdict(status, code), _words(status, body))


def _http(request: Request, config: Mapping[str, Any]) -> tuple[int, Any]:
    """(HTTP status, JSON body or text); raises TimeoutError / OSError for the network."""
    timeout = float(config["MESSAGE_SEND_TIMEOUT_SECONDS"])
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 (a configured http(s) URL)
            status, raw = response.status, response.read(65536)
    except HTTPError as error:
        status, raw = error.code, error.read(65536)
    except URLError as error:
        if isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise TimeoutError(str(error.reason)) from None
        raise OSError(str(error.reason)) from None
    try:
        return status, json.loads(raw.decode("utf-8", "replace"))
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def _words(status: int, body: Any) -> str:
    return _short(f"HTTP {status}: {json.dumps(body, ensure_ascii=False) if isinstance(body, dict) else body}")


def _short(text: str) -> str:
    return text if len(text) <= ANSWER_LIMIT else text[:ANSWER_LIMIT - 1] + "…"


# --- SMTP -----------------------------------------------------------------------------------

def _smtp(config: Mapping[str, Any]) -> smtplib.SMTP:
    client = smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]),
                          timeout=float(config["MESSAGE_SEND_TIMEOUT_SECONDS"]))
    try:
        if config["SMTP_STARTTLS"]:
            client.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USERNAME"):
            client.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
    except BaseException:
        client.close()
        raise
    return client


def _smtp_send(config: Mapping[str, Any], address: str, subject: str, text: str) -> Outcome:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = config["MAIL_FROM"], address, subject
    mail.set_content(text)
    try:
        with _smtp(config) as client:
            client.send_message(mail)
    except smtplib.SMTPAuthenticationError as error:
        return Outcome(PAUSE, _short(f"sign-in refused: {error.smtp_code} {error.smtp_error!r}"))
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        verdict = RETRY if codes and all(400 <= c < 500 for c in codes) else FAILED
        return Outcome(verdict, _short(f"recipient refused: {error.recipients}"))
    except smtplib.SMTPResponseException as error:
        verdict = RETRY if 400 <= error.smtp_code < 500 else FAILED
        return Outcome(verdict, _short(f"{error.smtp_code} {error.smtp_error!r}"))
    except TimeoutError as error:
        return Outcome(RETRY, _short(f"timeout: {error}"), maybe_delivered=True)
    except (smtplib.SMTPException, OSError) as error:
        return Outcome(RETRY, _short(f"{type(error).__name__}: {error}"))
    return Outcome(SENT, "accepted by the mail server")
