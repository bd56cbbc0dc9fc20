"""Who is acting in this request, as the `Actor` every service takes."""
from __future__ import annotations

from flask_login import current_user

from portal.actor import Actor
from portal.network import client_ip, user_agent


def current_actor() -> Actor:
    """The `Actor` for this request: the signed-in user, or anonymous."""
    if current_user and current_user.is_authenticated:
        return Actor(current_user.id, current_user.display_name, client_ip(), user_agent())
    return Actor(None, "anonymous", client_ip(), user_agent())
