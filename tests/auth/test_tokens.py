from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from auth import tokens
from auth.errors import InvalidToken
from auth.models import EmailToken, User
from tests.auth.conftest import Clock

HOUR = timedelta(hours=1)


@pytest.fixture
def user(db: Session, clock: Clock) -> User:
    user = User(email="hanako@example.jp", password_hash=None, language="ja")
    db.add(user)
    db.flush()
    return user


def test_a_token_is_used_once(db: Session, user: User, clock: Clock) -> None:
    token = tokens.issue(db, user, "verify_email", HOUR, now=clock())
    assert tokens.consume(db, token, "verify_email", now=clock()) is user
    with pytest.raises(InvalidToken):
        tokens.consume(db, token, "verify_email", now=clock())


def test_only_the_digest_is_stored(db: Session, user: User, clock: Clock) -> None:
    token = tokens.issue(db, user, "reset_password", HOUR, now=clock())
    row = db.scalars(select(EmailToken)).one()
    assert row.token_hash == tokens.digest(token)
    assert token not in (row.id, row.token_hash)


def test_a_token_expires(db: Session, user: User, clock: Clock) -> None:
    token = tokens.issue(db, user, "reset_password", HOUR, now=clock())
    clock.advance(minutes=59)
    assert tokens.peek(db, token, "reset_password", now=clock()) is user
    clock.advance(minutes=1)
    with pytest.raises(InvalidToken):
        tokens.consume(db, token, "reset_password", now=clock())


def test_a_token_works_for_its_purpose_only(db: Session, user: User, clock: Clock) -> None:
    token = tokens.issue(db, user, "verify_email", HOUR, now=clock())
    with pytest.raises(InvalidToken):
        tokens.consume(db, token, "reset_password", now=clock())
    assert tokens.consume(db, token, "verify_email", now=clock()) is user


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 1000, "\ud800"])
def test_unknown_tokens_are_refused(db: Session, user: User, clock: Clock, token: str) -> None:
    tokens.issue(db, user, "verify_email", HOUR, now=clock())
    with pytest.raises(InvalidToken):
        tokens.consume(db, token, "verify_email", now=clock())


def test_peeking_does_not_use_a_token_up(db: Session, user: User, clock: Clock) -> None:
    token = tokens.issue(db, user, "reset_password", HOUR, now=clock())
    tokens.peek(db, token, "reset_password", now=clock())
    tokens.peek(db, token, "reset_password", now=clock())
    assert tokens.consume(db, token, "reset_password", now=clock()) is user


def test_only_the_newest_link_of_a_purpose_works(db: Session, user: User, clock: Clock) -> None:
    first = tokens.issue(db, user, "reset_password", HOUR, now=clock())
    verify = tokens.issue(db, user, "verify_email", HOUR, now=clock())
    second = tokens.issue(db, user, "reset_password", HOUR, now=clock())
    with pytest.raises(InvalidToken):
        tokens.consume(db, first, "reset_password", now=clock())
    assert tokens.consume(db, second, "reset_password", now=clock()) is user
    assert tokens.consume(db, verify, "verify_email", now=clock()) is user


def test_unknown_purposes_are_a_programming_error(db: Session, user: User) -> None:
    with pytest.raises(ValueError, match="purpose"):
        tokens.issue(db, user, "sign_in", HOUR)


def test_expired_tokens_are_deleted(db: Session, user: User, clock: Clock) -> None:
    tokens.issue(db, user, "verify_email", HOUR, now=clock())
    tokens.issue(db, user, "reset_password", 2 * HOUR, now=clock())
    clock.advance(hours=1)
    assert tokens.delete_expired(db, clock()) == 1
    assert db.scalars(select(EmailToken.purpose)).all() == ["reset_password"]
