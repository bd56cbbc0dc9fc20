"""Sign-in factors and account governance (schema `private` on PostgreSQL).

- `user_mfa`: a user's TOTP factor; the secret is encrypted (Fernet), never stored
  plain; `confirmed_at` NULL while enrolment waits for its first valid code;
  `last_used_step` is the TOTP time step last accepted (a replay is refused).
- `mfa_recovery_codes`: ten single-use codes per enrolment, only their hashes.
- `password_links`: one-time password set-up links; only the token's hash is stored.
- `admin_role_proposals`: four-eyes grants and removals of the admin role.
- `credential_reset_proposals`: four-eyes password links and two-step resets for an
  admin's account (one pending proposal per person and kind).
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.domain.people import CREDENTIAL_RESETS, LAPSE_REASONS, PROPOSAL_CHANGES, PROPOSAL_STATES
from portal.extensions import db
from portal.models.catalog import one_of
from portal.models.logs import PRIVATE
from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now


class UserMfa(db.Model):
    __tablename__ = "user_mfa"
    __table_args__ = PRIVATE

    user_id: Mapped[uuid.UUID] = mapped_column(
        GUID(), ForeignKey("user_profiles.id", ondelete="CASCADE"), primary_key=True)
    secret_encrypted: Mapped[str] = mapped_column(Text, nullable=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now,
                                                 server_default=utc_now())


class MfaRecoveryCode(db.Model):
    __tablename__ = "mfa_recovery_codes"
    __table_args__ = (Index("ix_mfa_recovery_codes_user", "user_id"), PRIVATE)

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    user_id: Mapped[uuid.UUID] = mapped_column(GUID(), ForeignKey("user_profiles.id", ondelete="CASCADE"),
                                               nullable=False)
    code_hash: Mapped[str] = mapped_column(Text, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PasswordLink(db.Model):
    __tablename__ = "password_links"
    __table_args__ = PRIVATE

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    user_id: Mapped[uuid.UUID] = mapped_column(GUID(), ForeignKey("user_profiles.id", ondelete="CASCADE"),
                                               nullable=False)
    token_hash: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    issued_by: Mapped[uuid.UUID | None] = mapped_column(GUID())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now,
                                                 server_default=utc_now())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AdminRoleProposal(db.Model):
    __tablename__ = "admin_role_proposals"
    __table_args__ = (
        CheckConstraint(one_of("change", PROPOSAL_CHANGES), name="change_known"),
        CheckConstraint(one_of("status", PROPOSAL_STATES), name="status_known"),
        CheckConstraint(f"lapse_reason IS NULL OR {one_of('lapse_reason', LAPSE_REASONS)}", name="lapse_reason_known"),
        Index("uq_admin_role_proposals_pending_user", "user_id", unique=True,
              postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'")),
        PRIVATE,
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    user_id: Mapped[uuid.UUID] = mapped_column(GUID(), ForeignKey("user_profiles.id", ondelete="CASCADE"),
                                               nullable=False)
    change: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, default="pending", server_default=text("'pending'"))
    proposed_by: Mapped[uuid.UUID] = mapped_column(GUID(), nullable=False)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now,
                                                  server_default=utc_now())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(GUID())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lapse_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}


class CredentialResetProposal(db.Model):
    __tablename__ = "credential_reset_proposals"
    __table_args__ = (
        CheckConstraint(one_of("kind", CREDENTIAL_RESETS), name="kind_known"),
        CheckConstraint(one_of("status", PROPOSAL_STATES), name="status_known"),
        CheckConstraint(f"lapse_reason IS NULL OR {one_of('lapse_reason', LAPSE_REASONS)}", name="lapse_reason_known"),
        Index("uq_credential_reset_proposals_pending", "user_id", "kind", unique=True,
              postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'")),
        PRIVATE,
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    user_id: Mapped[uuid.UUID] = mapped_column(GUID(), ForeignKey("user_profiles.id", ondelete="CASCADE"),
                                               nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, default="pending", server_default=text("'pending'"))
    proposed_by: Mapped[uuid.UUID] = mapped_column(GUID(), nullable=False)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now,
                                                  server_default=utc_now())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(GUID())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lapse_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}
