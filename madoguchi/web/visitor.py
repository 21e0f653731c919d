"""Who is asking: the web session (from its cookie), the signed-in user, the language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from auth.models import User, WebSession
from auth.sessions import SessionService
from madoguchi.web.services import SESSION_IDLE, SESSION_TTL, Services

SESSION_COOKIE = "madoguchi_session"
LANGUAGES = ("ja", "en")


@dataclass
class Visitor:
    session: WebSession | None
    language: str
    # A cookie to set (a session started or rotated) or clear (signed out) on the response.
    new_token: str | None = None
    signed_out: bool = False

    @property
    def user(self) -> User | None:
        return self.session.user if self.session is not None else None

    @property
    def user_id(self) -> str | None:
        return self.session.user_id if self.session is not None else None

    @property
    def csrf_token(self) -> str | None:
        return self.session.csrf_token if self.session is not None else None


def sessions(db: Session) -> SessionService:
    return SessionService(db, ttl=SESSION_TTL, idle=SESSION_IDLE)


def load_visitor(request: Request, db: Session) -> Visitor:
    session = sessions(db).load(request.cookies.get(SESSION_COOKIE))
    language = session.language if session is not None else _preferred_language(request)
    return Visitor(session=session, language=language)


def ensure_session(visitor: Visitor, db: Session) -> WebSession:
    """The visitor's session, started now if there is none (a form needs its CSRF token)."""
    if visitor.session is None:
        started = sessions(db).start(visitor.language)
        visitor.session, visitor.new_token = started.session, started.token
    return visitor.session


def choose_language(visitor: Visitor, db: Session, language: str) -> None:
    """Remember the visitor's language (ignored unless it is one we speak)."""
    if language in LANGUAGES:
        sessions(db).set_language(ensure_session(visitor, db), language)
        visitor.language = language


def apply_cookie(response: Response, visitor: Visitor, services: Services) -> None:
    if visitor.new_token is not None:
        response.set_cookie(
            SESSION_COOKIE,
            visitor.new_token,
            max_age=int(SESSION_TTL.total_seconds()),
            httponly=True,
            samesite="lax",
            secure=services.settings.secure_cookies,
        )
    elif visitor.signed_out:
        response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax")


def _preferred_language(request: Request) -> str:
    accept = request.headers.get("accept-language", "").lower()
    if accept.startswith("en"):
        return "en"
    return "ja"
