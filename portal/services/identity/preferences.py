"""A person's own preferences (today: the language the portal speaks to them)."""
from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.database import use_case
from portal.domain.refusals import NotFound, Refused
from portal.models import UserProfile
from portal.services.audit import audit_exempt


@audit_exempt("a person's own display language: it changes nothing anyone else sees")
def set_language(session: Session, actor: Actor, language: str, offered: Collection[str]) -> None:
    """Store the signed-in person's language on their account (it follows them to any device)."""
    if language not in offered:
        raise Refused("LANGUAGE_UNKNOWN", "Choose one of the languages offered.", ("language",))
    with use_case(session):
        user = session.get(UserProfile, actor.user_id) if actor.user_id else None
        if user is None:
            raise NotFound()
        user.language = language
