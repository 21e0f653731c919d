from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from auth.accounts import AccountService
from auth.mail import FileOutbox
from auth.sessions import SessionService
from auth.throttle import LoginThrottle

BASE_URL = "https://madoguchi.example.jp"
PASSWORD = "correct horse battery"  # noqa: S105 -- a test password
EMAIL = "hanako@example.jp"
IP = "203.0.113.7"


class Clock:
    """A clock tests move by hand: nothing sleeps."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Mail:
    to: str
    subject: str
    body: str

    def link(self, path: str) -> str:
        match = re.search(re.escape(BASE_URL + path) + r"\?token=([A-Za-z0-9_-]+)", self.body)
        assert match, f"no {path} link in:\n{self.body}"
        return match.group(1)


class Outbox(FileOutbox):
    def read(self) -> list[Mail]:
        """Every mail written so far, oldest first."""
        mails = []
        for path in self.messages():
            message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            mails.append(Mail(str(message["To"]), str(message["Subject"]), message.get_content()))
        return mails

    def last(self) -> Mail:
        mails = self.read()
        assert mails, "no mail was sent"
        return mails[-1]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(tmp_path / "outbox", sender="noreply@madoguchi.example.jp")


@pytest.fixture
def accounts(db: Session, outbox: Outbox, clock: Clock) -> AccountService:
    return AccountService(db, outbox, BASE_URL, clock, throttle=LoginThrottle(db, clock=clock))


@pytest.fixture
def sessions(db: Session, clock: Clock) -> SessionService:
    return SessionService(db, ttl=timedelta(hours=12), idle=timedelta(hours=1), clock=clock)
