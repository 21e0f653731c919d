"""The accounts tables: users, web sessions, email-link tokens and sign-in attempts, and
the clerks' memberships and second factors.

``migrations/versions/0002_accounts.py`` and ``0003_clerks.py`` create exactly these; a
test checks that the two agree. Secrets are never stored as such: session tokens,
email-link tokens and recovery codes are kept as SHA-256 digests (they carry at least 80
random bits, so a fast hash is enough), passwords as argon2id hashes, sign-in attempts
under a digest of the email or address, and TOTP secrets encrypted (they must be read
back to check a code).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.storage.db import Base
from engine.storage.models import UtcDateTime, utcnow

ID_LENGTH = 32  # secrets.token_hex(16)
DIGEST_LENGTH = 64  # SHA-256, hex
EMAIL_LENGTH = 254  # the longest address SMTP can carry (RFC 5321 path limit)

NAME_LENGTH = 64  # departments (slugs) and roles (identifiers) of the definitions
SECRET_LENGTH = 255  # a Fernet token of a 32-character TOTP secret takes 140

# Clerks sign in to the console with a second factor and act through their memberships.
USER_KINDS = ("citizen", "clerk")
TOKEN_PURPOSES = ("verify_email", "reset_password", "set_password")


def new_id() -> str:
    """A random id (128 bits): ids appear in URLs and logs and must not be guessable."""
    return secrets.token_hex(16)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class User(Base):
    """An account. ``email`` is stored normalised (see ``auth.accounts.normalize_email``),
    so the unique constraint holds however the address was typed."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_one_of("kind", USER_KINDS), name="kind"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH), unique=True)
    # None: an account that signs in another way only (clerks through OIDC, later).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    language: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16), default="citizen")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Clerks only: an admin manages the clerks (accounts, memberships, second factors).
    # A flag, not a role: roles come from the definitions, and one may be called "admin".
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set when an admin deactivates the account: it can no longer sign in, but stays, as
    # events and submissions refer to it.
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebSession(Base):
    """A browser's session, signed in or not (anonymous visitors have a language and a
    CSRF token too). The cookie carries only the token whose digest is ``id``.

    ``expires_at`` is the earlier of the absolute end (``created_at`` + ttl) and the idle
    end (``last_seen_at`` + idle), so one indexed column finds every dead session."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(DIGEST_LENGTH), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Kept as such: it is echoed in every form, and alone it grants nothing.
    csrf_token: Mapped[str] = mapped_column(String(DIGEST_LENGTH))
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    # A clerk's password was accepted at pending_since; the second factor is still to come.
    # ``user_id`` stays None meanwhile: a password alone signs nobody in.
    pending_user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    pending_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When the second factor was passed (clerks); None for citizens.
    second_factor_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The application (its public id) this browser opened with a reference number and access
    # code: an applicant without an account may come back to it while the session lives.
    # A plain string, not a foreign key: sessions know nothing of submissions.
    granted_application: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User | None] = relationship(lazy="select", foreign_keys=[user_id])
    pending_user: Mapped[User | None] = relationship(lazy="select", foreign_keys=[pending_user_id])


class EmailToken(Base):
    """A single-use link sent by mail (email confirmation, password reset, a new clerk's
    first password)."""

    __tablename__ = "email_tokens"
    __table_args__ = (CheckConstraint(_one_of("purpose", TOKEN_PURPOSES), name="purpose"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(DIGEST_LENGTH), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(lazy="select")


class LoginAttempt(Base):
    """One sign-in attempt, recorded twice: under the email's key and under the client
    address's key (see ``auth.throttle``), so either can be throttled."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(String(DIGEST_LENGTH))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Membership(Base):
    """A clerk holds ``role`` in ``department``: a role and a department slug named in the
    definitions (``clerk`` in ``kodomo-katei``)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "department", "role"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    department: Mapped[str] = mapped_column(String(NAME_LENGTH))
    role: Mapped[str] = mapped_column(String(NAME_LENGTH))


class TotpSecret(Base):
    """A clerk's TOTP (RFC 6238) secret, encrypted. Unconfirmed until the clerk has typed a
    code from it; ``last_step`` is the time step of the newest accepted code, so a code
    cannot be used twice."""

    __tablename__ = "totp_secrets"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(String(SECRET_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(Base):
    """One of a clerk's single-use recovery codes (for a lost phone), kept as a digest."""

    __tablename__ = "recovery_codes"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(DIGEST_LENGTH), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
