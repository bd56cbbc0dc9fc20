"""Who acts, from where: passed explicitly to every service (no project imports here)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who acts, from where. `user_id` is None for anonymous security events."""

    user_id: uuid.UUID | None
    name: str
    ip: str | None = None
    user_agent: str | None = None

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(user_id=None, name=name)
