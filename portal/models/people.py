"""People and roles: `user_profiles`, `roles`, `user_roles`."""
from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.extensions import db
from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now


class UserProfile(UserMixin, db.Model):
    __tablename__ = "user_profiles"
    __table_args__ = (
        Index("uq_user_profiles_email_lower", text("lower(email)"), unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    email: Mapped[str] = mapped_column(Text, nullable=False)
    display_name: Mapped[str] = mapped_column(Text, nullable=False)
    password_hash: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=true())
    # Rotated at logout: a copy of an older session cookie then signs no one in.
    session_token: Mapped[str | None] = mapped_column(String(64))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The person's chosen language ("en", "ne"); NULL = the browser's preference decides.
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now, server_default=utc_now()
    )

    role_links: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin",
        foreign_keys="UserRole.user_id",
    )

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(link.role.name for link in self.role_links if link.is_active)

    def has_role(self, *names: str) -> bool:
        return bool(self.role_names.intersection(names))

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token or ''}"

    def ensure_session_token(self) -> str:
        if not self.session_token:
            self.session_token = secrets.token_hex(16)
        return self.session_token

    def rotate_session_token(self) -> None:
        self.session_token = secrets.token_hex(16)

    def __repr__(self) -> str:
        return f"<UserProfile {self.email}>"


class Role(db.Model):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text, nullable=False, unique=True)


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        GUID(), ForeignKey("user_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"), primary_key=True)
    assigned_by: Mapped[uuid.UUID | None] = mapped_column(GUID())
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=true())

    user: Mapped[UserProfile] = relationship(back_populates="role_links", foreign_keys=[user_id])
    role: Mapped[Role] = relationship(lazy="joined")
