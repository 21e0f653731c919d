"""The accounts tables: users, web sessions, email-link tokens and sign-in attempts.

``migrations/versions/0002_accounts.py`` creates exactly these; a test checks that the two
agree. Secrets are never stored as such: session tokens and email-link tokens are kept as
SHA-256 digests (they carry 256 random bits, so a fast hash is enough), passwords as
argon2id hashes, and sign-in attempts under a digest of the email or address.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.storage.db import Base
from engine.storage.models import UtcDateTime, utcnow

ID_LENGTH = 32  # secrets.token_hex(16)
DIGEST_LENGTH = 64  # SHA-256, hex
EMAIL_LENGTH = 254  # the longest address SMTP can carry (RFC 5321 path limit)

# "clerk" accounts (console, second factor, roles) will live in the same table.
USER_KINDS = ("citizen", "clerk")
TOKEN_PURPOSES = ("verify_email", "reset_password")


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

    user: Mapped[User | None] = relationship(lazy="select")


class EmailToken(Base):
    """A single-use link sent by mail (email confirmation, password reset)."""

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
