"""Single-use, expiring tokens for links sent by mail (email confirmation, password reset).

The link carries the token; the database keeps only its SHA-256 digest, so a leaked
database copy opens no accounts. These functions flush but do not commit: they are steps
of the caller's unit of work (``AccountService`` commits).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.orm import Session

from auth.errors import InvalidToken
from auth.models import TOKEN_PURPOSES, EmailToken, User
from engine.storage.models import utcnow

# Anything longer is not one of ours; refuse it before hashing.
MAX_TOKEN_LENGTH = 128


def new_token() -> str:
    """An opaque, URL-safe secret with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """The SHA-256 digest (hex) under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue(
    db: Session, user: User, purpose: str, ttl: timedelta, *, now: datetime | None = None
) -> str:
    """A new token for ``user`` and ``purpose``, valid for ``ttl``.

    Earlier unused tokens of the same purpose stop working: only the newest link does.
    """
    if purpose not in TOKEN_PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    now = now or utcnow()
    db.execute(
        delete(EmailToken).where(
            EmailToken.user_id == user.id,
            EmailToken.purpose == purpose,
            EmailToken.used_at.is_(None),
        )
    )
    token = new_token()
    db.add(
        EmailToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=digest(token),
            created_at=now,
            expires_at=now + ttl,
        )
    )
    db.flush()
    return token


def peek(db: Session, token: str, purpose: str, *, now: datetime | None = None) -> User:
    """The user a valid token belongs to, without using it up (to show the form a link
    leads to). Raises ``InvalidToken`` for unknown, expired, used or wrong-purpose tokens."""
    return _valid(db, token, purpose, now or utcnow()).user


def consume(db: Session, token: str, purpose: str, *, now: datetime | None = None) -> User:
    """Use the token up and return its user; raises ``InvalidToken`` as ``peek`` does.

    Safe against two requests racing with the same link: the row is marked used with a
    conditional UPDATE, and only the request that changed it wins.
    """
    now = now or utcnow()
    row = _valid(db, token, purpose, now)
    marked = db.execute(
        update(EmailToken)
        .where(EmailToken.id == row.id, EmailToken.used_at.is_(None))
        .values(used_at=now)
    )
    if rowcount(marked) != 1:
        raise InvalidToken
    return row.user


def delete_expired(db: Session, now: datetime | None = None) -> int:
    """Forget tokens past their expiry (used or not); returns how many."""
    result = db.execute(delete(EmailToken).where(EmailToken.expires_at <= (now or utcnow())))
    return rowcount(result)


def _valid(db: Session, token: str, purpose: str, now: datetime) -> EmailToken:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken
    row = db.scalar(select(EmailToken).where(EmailToken.token_hash == digest(token)))
    if row is None or row.purpose != purpose or row.used_at is not None or row.expires_at <= now:
        raise InvalidToken
    return row


def rowcount(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (``Session.execute`` types it loosely)."""
    return cast("CursorResult[Any]", result).rowcount
