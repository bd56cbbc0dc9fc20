"""Flask-Login's user loader: the cookie names a user *and* their session token."""
from __future__ import annotations

import uuid

from flask import flash, g, redirect, request, url_for

from portal.auth.session_lifetime import SESSION_ENDED
from portal.extensions import db, login_manager
from portal.models import UserProfile

login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(cookie_id: str) -> UserProfile | None:
    user_id, _, token = cookie_id.partition(":")
    try:
        user = db.session.get(UserProfile, uuid.UUID(user_id))
    except ValueError:
        return None
    if user is None or not user.is_active or not token or token != user.session_token:
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    if not g.get(SESSION_ENDED):  # that request already said why (session_lifetime)
        flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
