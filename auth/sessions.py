"""Web sessions: the server-side truth behind the session cookie.

The cookie carries only an opaque token; the row is found by the token's SHA-256 digest,
so the tokens themselves are never stored. Every visitor may have a session (language,
CSRF token); signing in replaces it with a new one (session fixation), signing out or
resetting the password deletes rows, which revokes every copy of the cookie at once.

Clerks sign in in two steps: after the password the session is replaced by one that
waits for the second factor (``await_second_factor``; nobody is signed in yet), and
after the second factor by a signed-in one (``sign_in(..., second_factor=True)``).

``SessionService`` methods commit: each is a whole unit of work for the web layer.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from auth.models import User, WebSession
from auth.tokens import MAX_TOKEN_LENGTH, digest, new_token, rowcount
from engine.storage.models import utcnow
from engine.text import LANGUAGES

# Writing last_seen_at on every request would turn each page view into a write.
TOUCH_INTERVAL = timedelta(minutes=1)
# Time to type the second factor after the password (or to enrol one, QR code and all).
SECOND_FACTOR_WAIT = timedelta(minutes=10)


class StartedSession(NamedTuple):
    """A new session and the token for its cookie (shown once: only its digest is kept)."""

    session: WebSession
    token: str


class SessionService:
    """Start, find, rotate and end web sessions.

    ``ttl`` bounds a session's whole life; ``idle`` ends it after that long without a
    request. ``clock`` returns the current aware UTC time (tests pass a fake one).
    """

    def __init__(
        self,
        db: Session,
        ttl: timedelta,
        idle: timedelta,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if idle > ttl:
            raise ValueError("idle timeout longer than the session lifetime")
        self.db = db
        self.ttl = ttl
        self.idle = idle
        self.clock = clock

    def start(self, language: str) -> StartedSession:
        """A new anonymous session. Start one only when needed (a form, a language
        choice, a draft), so that crawlers do not fill the table."""
        started = self._create(language, user_id=None)
        self.db.commit()
        return started

    def load(self, token: str | None) -> WebSession | None:
        """The live session for a cookie's token, or None (unknown, expired or idle)."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        session = self.db.get(WebSession, digest(token))
        now = self.clock()
        if session is None or not self._alive(session, now):
            return None
        if now - session.last_seen_at >= TOUCH_INTERVAL:
            session.last_seen_at = now
            session.expires_at = min(session.created_at + self.ttl, now + self.idle)
            self.db.commit()
        return session

    def sign_in(
        self, session: WebSession, user: User, *, second_factor: bool = False
    ) -> StartedSession:
        """Replace ``session`` with a new one for ``user``: new token, new CSRF token.

        Only the language is carried over. The old token stops working, so a token
        planted before sign-in (session fixation) is worthless after it. With
        ``second_factor``, the new session records that the second factor was passed now.
        """
        started = self._create(session.language, user_id=user.id)
        if second_factor:
            started.session.second_factor_at = self.clock()
        self.db.delete(session)
        self.db.commit()
        return started

    def grant(self, session: WebSession, application: str) -> StartedSession:
        """Replace ``session`` with one that may open ``application`` (a public id: the
        reference number and access code were given), keeping who is signed in and the
        language. As at sign-in, a token planted before is worthless after."""
        started = self._create(session.language, user_id=session.user_id)
        started.session.second_factor_at = session.second_factor_at
        started.session.granted_application = application
        self.db.delete(session)
        return started

    def await_second_factor(self, session: WebSession, user: User) -> StartedSession:
        """Replace ``session`` with an anonymous one that waits for ``user``'s second factor
        (for ``SECOND_FACTOR_WAIT``). Rotated too: the second step must not be reachable
        with a token planted before the first."""
        started = self._create(session.language, user_id=None)
        started.session.pending_user_id = user.id
        started.session.pending_since = self.clock()
        self.db.delete(session)
        self.db.commit()
        return started

    def pending_user(self, session: WebSession) -> User | None:
        """The user whose password this session accepted, if the wait has not run out."""
        since = session.pending_since
        if since is None or self.clock() - since >= SECOND_FACTOR_WAIT:
            return None
        return session.pending_user

    def sign_out(self, session: WebSession) -> None:
        """End the session (the web layer then clears the cookie)."""
        self.db.delete(session)
        self.db.commit()

    def sign_out_everywhere(self, user: User, keep: WebSession | None = None) -> int:
        """End every session of ``user`` except ``keep``; returns how many ended."""
        ended = end_sessions(self.db, user, keep)
        self.db.commit()
        return ended

    def set_language(self, session: WebSession, language: str) -> None:
        """Remember the visitor's language; a signed-in user's mails follow it too."""
        _check_language(language)
        session.language = language
        if session.user is not None:
            session.user.language = language
        self.db.commit()

    @staticmethod
    def csrf_matches(session: WebSession, token: str | None) -> bool:
        """Whether a submitted CSRF token is this session's (constant-time comparison)."""
        if not token:
            return False
        return hmac.compare_digest(
            session.csrf_token.encode(), token.encode("utf-8", "surrogatepass")
        )

    def delete_expired(self, now: datetime | None = None) -> int:
        """Delete the sessions that have ended; returns how many (run it periodically)."""
        result = self.db.execute(
            delete(WebSession).where(WebSession.expires_at <= (now or self.clock()))
        )
        self.db.commit()
        return rowcount(result)

    def _create(self, language: str, user_id: str | None) -> StartedSession:
        _check_language(language)
        token = new_token()
        now = self.clock()
        session = WebSession(
            id=digest(token),
            user_id=user_id,
            csrf_token=secrets.token_urlsafe(32),
            language=language,
            created_at=now,
            last_seen_at=now,
            expires_at=now + self.idle,
        )
        self.db.add(session)
        self.db.flush()
        return StartedSession(session, token)

    def _alive(self, session: WebSession, now: datetime) -> bool:
        # expires_at already holds both limits; checking them again here keeps a session
        # from outliving a shortened ttl or idle setting.
        return (
            now < session.expires_at
            and now < session.created_at + self.ttl
            and now < session.last_seen_at + self.idle
        )


def end_sessions(db: Session, user: User, keep: WebSession | None = None) -> int:
    """Delete ``user``'s sessions except ``keep``, those waiting for its second factor
    included (flushes; the caller commits)."""
    statement = delete(WebSession).where(
        or_(WebSession.user_id == user.id, WebSession.pending_user_id == user.id)
    )
    if keep is not None:
        statement = statement.where(WebSession.id != keep.id)
    return rowcount(db.execute(statement))


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
