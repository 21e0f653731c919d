from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.models import User, WebSession
from auth.sessions import SessionService
from tests.auth.conftest import Clock


@pytest.fixture
def user(db: Session) -> User:
    user = User(email="hanako@example.jp", password_hash=None, language="ja")
    db.add(user)
    db.flush()
    return user


def test_a_started_session_loads_by_its_token(sessions: SessionService) -> None:
    session, token = sessions.start("en")
    loaded = sessions.load(token)
    assert loaded is session
    assert loaded.user_id is None
    assert loaded.language == "en"


def test_the_token_itself_is_not_stored(db: Session, sessions: SessionService) -> None:
    session, token = sessions.start("ja")
    row = db.execute(select(WebSession.__table__)).one()
    assert token not in tuple(row)
    assert len(session.id) == 64
    assert session.csrf_token != token


@pytest.mark.parametrize("token", [None, "", "nonsense", "x" * 10_000, "\ud800"])
def test_unknown_tokens_load_nothing(sessions: SessionService, token: str | None) -> None:
    sessions.start("ja")
    assert sessions.load(token) is None


def test_a_session_ends_after_its_lifetime_however_busy(
    sessions: SessionService, clock: Clock
) -> None:
    _, token = sessions.start("ja")
    for _ in range(23):
        clock.advance(minutes=30)
        assert sessions.load(token) is not None
    clock.advance(minutes=30)  # 12 hours after the start
    assert sessions.load(token) is None


def test_an_idle_session_ends(sessions: SessionService, clock: Clock) -> None:
    _, token = sessions.start("ja")
    clock.advance(minutes=59, seconds=59)
    assert sessions.load(token) is not None
    clock.advance(hours=1)
    assert sessions.load(token) is None


def test_last_seen_is_written_at_most_once_a_minute(sessions: SessionService, clock: Clock) -> None:
    session, token = sessions.start("ja")
    started = clock()
    clock.advance(seconds=30)
    sessions.load(token)
    assert session.last_seen_at == started
    clock.advance(seconds=30)
    sessions.load(token)
    assert session.last_seen_at == clock()
    assert session.expires_at == clock() + timedelta(hours=1)


def test_signing_in_rotates_the_session(db: Session, sessions: SessionService, user: User) -> None:
    anonymous, old_token = sessions.start("en")
    old_csrf = anonymous.csrf_token
    session, token = sessions.sign_in(anonymous, user)
    assert token != old_token
    assert sessions.load(old_token) is None  # a planted token is worthless now
    loaded = sessions.load(token)
    assert loaded is session
    assert loaded.user is user
    assert loaded.language == "en"  # carried over
    assert loaded.csrf_token != old_csrf  # nothing else is
    assert db.scalars(select(WebSession.id)).all() == [session.id]


def test_signing_out_ends_the_session(sessions: SessionService, user: User) -> None:
    session, token = sessions.sign_in(sessions.start("ja").session, user)
    sessions.sign_out(session)
    assert sessions.load(token) is None


def test_signing_out_everywhere_keeps_only_the_current_session(
    sessions: SessionService, user: User
) -> None:
    phone = sessions.sign_in(sessions.start("ja").session, user)
    laptop = sessions.sign_in(sessions.start("ja").session, user)
    stranger = sessions.start("ja")
    assert sessions.sign_out_everywhere(user, keep=laptop.session) == 1
    assert sessions.load(phone.token) is None
    assert sessions.load(laptop.token) is not None
    assert sessions.load(stranger.token) is not None


def test_the_language_follows_the_visitor_and_the_account(
    sessions: SessionService, user: User
) -> None:
    session, _ = sessions.sign_in(sessions.start("ja").session, user)
    sessions.set_language(session, "en")
    assert session.language == "en"
    assert user.language == "en"
    with pytest.raises(ValueError, match="language"):
        sessions.set_language(session, "fr")


def test_csrf_tokens_are_compared_exactly(sessions: SessionService) -> None:
    session, _ = sessions.start("ja")
    other, _ = sessions.start("ja")
    assert sessions.csrf_matches(session, session.csrf_token)
    assert not sessions.csrf_matches(session, other.csrf_token)
    assert not sessions.csrf_matches(session, session.csrf_token[:-1])
    assert not sessions.csrf_matches(session, "")
    assert not sessions.csrf_matches(session, None)
    assert not sessions.csrf_matches(session, "ｘ\ud800")


def test_expired_sessions_are_deleted(db: Session, sessions: SessionService, clock: Clock) -> None:
    sessions.start("ja")
    clock.advance(minutes=30)
    _, recent = sessions.start("ja")
    clock.advance(minutes=31)  # the first is idle for 61 minutes
    assert sessions.delete_expired() == 1
    assert sessions.load(recent) is not None
    assert db.scalars(select(WebSession)).one()


def test_deleting_the_account_deletes_its_sessions(
    db: Session, sessions: SessionService, user: User
) -> None:
    _, token = sessions.sign_in(sessions.start("ja").session, user)
    db.delete(user)
    db.flush()
    db.expunge_all()
    assert sessions.load(token) is None


def test_idle_cannot_exceed_the_lifetime(db: Session) -> None:
    with pytest.raises(ValueError, match="idle"):
        SessionService(db, ttl=timedelta(hours=1), idle=timedelta(hours=2))


def test_a_password_alone_signs_nobody_in(
    sessions: SessionService, user: User, clock: Clock
) -> None:
    anonymous, planted = sessions.start("en")
    waiting, token = sessions.await_second_factor(anonymous, user)
    assert sessions.load(planted) is None  # rotated: a planted token reaches nothing
    assert waiting.user_id is None
    assert waiting.language == "en"
    assert sessions.pending_user(waiting) is user
    signed_in, _ = sessions.sign_in(waiting, user, second_factor=True)
    assert sessions.load(token) is None
    assert signed_in.user is user
    assert signed_in.second_factor_at == clock()


def test_the_second_factor_must_come_within_ten_minutes(
    sessions: SessionService, user: User, clock: Clock
) -> None:
    waiting, _ = sessions.await_second_factor(sessions.start("ja").session, user)
    clock.advance(minutes=9, seconds=59)
    assert sessions.pending_user(waiting) is user
    clock.advance(seconds=1)
    assert sessions.pending_user(waiting) is None


def test_signing_out_everywhere_ends_sessions_waiting_for_the_second_factor(
    sessions: SessionService, user: User
) -> None:
    _, token = sessions.await_second_factor(sessions.start("ja").session, user)
    assert sessions.sign_out_everywhere(user) == 1
    assert sessions.load(token) is None
